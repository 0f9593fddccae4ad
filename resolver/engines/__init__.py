"""Where Splink trains and scores: DuckDB in this process, or Spark on a cluster.

:func:`resolver.linkage.link` drives Splink the same way on both; an engine supplies only
what differs: how the mentions become a Splink table, the SQL dialect of the settings, how
the scored pairs come back, and where the run's tables are written. ``duckdb`` needs
nothing beyond the base install; ``spark`` needs the ``spark`` extra (pyspark) and Java,
and is imported only when asked for, so the DuckDB path never imports pyspark.

This package imports nothing itself: Spark's Python workers import
:mod:`resolver.engines.spark_functions` and should not pay for Splink or DuckDB.
"""

from __future__ import annotations

#: Engine names accepted by ``--engine``.
ENGINES = ("duckdb", "spark")
