"""`generate`: build the synthetic world, plant the patterns and decoys, write the files."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from synthetic.assemble import assemble
from synthetic.decoys import plant_decoys
from synthetic.names import NameBank
from synthetic.places import Places
from synthetic.planted import plant_patterns
from synthetic.population import build_background
from synthetic.rates import NoiseRates
from synthetic.records import World
from synthetic.schema import SOURCES
from synthetic.writer import write_csv

MIN_PERSONS = 200
"""Smallest background population the planted patterns can hide in."""


@dataclass(frozen=True)
class GenerationSummary:
    """What `generate` wrote: rows per file, mentions, people, and how long it took."""

    out_dir: Path
    seed: int
    persons: int
    total_persons: int
    mentions: int
    rows: dict[str, int] = field(default_factory=dict)
    planted: int = 0
    decoys: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        files = ", ".join(f"{name} {count:,}" for name, count in self.rows.items())
        return (
            f"Wrote {self.mentions:,} mentions of {self.total_persons:,} people "
            f"({self.persons:,} background) to {self.out_dir} in {self.seconds:.1f}s "
            f"[seed {self.seed}]: {files}; {self.planted} planted patterns, "
            f"{self.decoys} decoys"
        )


def _check(seed: int, persons: int, noise: NoiseRates | None) -> NoiseRates:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(persons, bool) or not isinstance(persons, int | np.integer):
        raise ValueError(f"persons must be an integer, got {persons!r}")
    if persons < MIN_PERSONS:
        raise ValueError(
            f"persons must be at least {MIN_PERSONS} (the planted patterns need a population "
            f"to hide in), got {persons}"
        )
    if noise is None:
        return NoiseRates()
    if not isinstance(noise, NoiseRates):
        raise ValueError(f"noise must be a NoiseRates, got {type(noise).__name__}")
    return noise


def generate(
    out_dir: Path,
    *,
    seed: int = 42,
    persons: int = 3000,
    noise: NoiseRates | None = None,
) -> GenerationSummary:
    """Write one synthetic scenario to `out_dir` and return a summary.

    Writes `births.csv`, `visas.csv`, `schools.csv`, `missing.csv`, `watchlist.csv` (the
    contract's columns) and `truth/{mentions,planted,decoys,persons}.csv`. `persons` is the
    size of the background population; each person has about 2.45 mentions on average
    (400,000 persons → about 985,000 mentions), and about 190 planted and decoy people are
    added on top. The same seed always gives byte-identical files.
    """
    rates = _check(seed, persons, noise)
    started = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out_dir {out} exists and is not a directory")
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(4)]
    names = NameBank()
    world = World(rng=streams[0], names=names, places=Places(streams[0], names))
    build_background(world, int(persons))
    world.rng = streams[1]
    plant_patterns(world)
    world.rng = streams[2]
    plant_decoys(world)
    world.rng = streams[3]
    people = world.persons.freeze()
    tables = assemble(world, people, rates)

    rows = {name: write_csv(tables.sources[name], out / f"{name}.csv") for name in SOURCES}
    truth = out / "truth"
    write_csv(tables.mentions, truth / "mentions.csv")
    write_csv(tables.planted, truth / "planted.csv")
    write_csv(tables.decoys, truth / "decoys.csv")
    write_csv(tables.persons, truth / "persons.csv")
    return GenerationSummary(
        out_dir=out,
        seed=int(seed),
        persons=int(persons),
        total_persons=len(people),
        mentions=len(tables.mentions),
        rows=rows,
        planted=len(tables.planted),
        decoys=len(tables.decoys),
        seconds=round(time.perf_counter() - started, 3),
    )
