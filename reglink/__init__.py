"""reglink: resolve people across UK registration records and flag exploitation patterns."""

__version__ = "0.1.0"
