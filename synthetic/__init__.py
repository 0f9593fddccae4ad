"""Synthetic registration records with planted exploitation patterns and known ground truth.

`generate(out_dir, seed=..., persons=..., noise=NoiseRates(...))` writes the five source
files of the input contract plus `truth/` (who each mention really is, what was planted, what
must not be flagged). It depends on numpy, pandas and the standard library only.
"""

from synthetic.generator import GenerationSummary, generate
from synthetic.rates import NoiseRates

__all__ = ["GenerationSummary", "NoiseRates", "generate"]
