"""Benchmarks, run on demand (``make bench``), never by ``make test``."""
