"""``--engine spark``: the Spark session, the linkage engine and the rule store, from the
config's ``[spark]`` section.

```toml
[spark]
master = "local[*]"            # omit under spark-submit, which sets the master
checkpoint_dir = "hdfs:///tmp/reglink-checkpoints"   # Splink's intermediate tables
tables = "s3a://unit-bucket/reglink/run-2026-01"     # the run's Parquet tables
partitions = 400               # Splink's repartitioning after blocking
break_lineage = "parquet"      # or "persist" (in memory), "checkpoint"

[spark.conf]                   # any Spark setting
"spark.executor.memory" = "16g"
```

Only this module and the engine modules import pyspark, and only when Spark is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from resolver.errors import ConfigError, NotAvailableError

_BREAK_LINEAGE = ("parquet", "persist", "checkpoint", "delta_lake_files", "delta_lake_table")


@dataclass(frozen=True)
class SparkOptions:
    """The ``[spark]`` section."""

    master: str | None = None
    app_name: str = "reglink"
    checkpoint_dir: str | None = None
    tables: str | None = None
    partitions: int | None = None
    break_lineage: str = "parquet"
    conf: dict[str, str] = field(default_factory=dict)


def spark_options(config: Mapping[str, Any]) -> SparkOptions:
    """SparkOptions from the config's ``[spark]`` section (unknown keys are an error)."""
    section = dict(config.get("spark", {}))
    known = {f.name for f in fields(SparkOptions)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(
            f"unknown [spark] setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    if section.get("break_lineage", "parquet") not in _BREAK_LINEAGE:
        raise ConfigError(f"[spark] break_lineage must be one of {', '.join(_BREAK_LINEAGE)}")
    section["conf"] = {str(k): str(v) for k, v in dict(section.get("conf", {})).items()}
    return SparkOptions(**section)


@contextmanager
def spark_session(options: SparkOptions) -> Iterator[Any]:
    """A Spark session for one command; stopped afterwards unless it was already running."""
    try:
        from pyspark.sql import SparkSession

        from resolver.engines.spark_engine import spark_session as start
    except ImportError as exc:
        raise NotAvailableError(
            "--engine spark needs pyspark: pip install 'reglink[spark]'"
        ) from exc
    running = SparkSession.getActiveSession()
    try:
        session = start(options.master, options.conf, options.app_name)
    except Exception as exc:  # pyspark reports a missing Java as a generic runtime error
        raise NotAvailableError(
            f"Spark did not start ({type(exc).__name__}: {exc}); it needs Java 17 or later "
            "(java -version)"
        ) from exc
    try:
        yield session
    finally:
        if running is None:
            session.stop()


def linkage_engine(session: Any, options: SparkOptions) -> Any:
    """The Spark linkage engine on ``session``."""
    from resolver.engines.spark_engine import SparkEngine

    return SparkEngine(
        session,
        checkpoint_dir=options.checkpoint_dir,
        break_lineage=options.break_lineage,
        partitions=options.partitions,
        tables_location=options.tables,
    )


def rule_store(session: Any, con: Any, summary: Mapping[str, Any]) -> Any:
    """The run's tables on Spark: its Parquet tables when a Spark resolve wrote them, else
    its DuckDB store copied into Spark (fine for a store that fits on one machine)."""
    from rules.spark_store import SparkStore

    tables = summary.get("tables") or {}
    if tables.get("format") == "parquet":
        return SparkStore.from_parquet(session, str(tables["location"]))
    return SparkStore.from_duckdb(session, con)


def write_flags_parquet(session: Any, run: Any, summary: Mapping[str, Any]) -> str | None:
    """The flags (a :class:`rules.RuleRun`) as Parquet beside the run's Parquet tables, in
    the store's ``flags`` layout (details as JSON text); nothing for a DuckDB-only run."""
    from resolver.engines.spark_engine import arrow_table
    from rules.flags import TABLE_TYPES, flag_records, jsonable

    tables = summary.get("tables") or {}
    if tables.get("format") != "parquet":
        return None
    rows = [
        {
            **{c: f[c] for c in TABLE_TYPES if c not in ("evidence", "details")},
            "evidence": list(f["evidence"]),
            "details": json.dumps(jsonable(f["details"]), ensure_ascii=False, sort_keys=True),
        }
        for f in flag_records(run)
    ]
    frame = pd.DataFrame(rows, columns=list(TABLE_TYPES))
    path = f"{str(tables['location']).rstrip('/')}/flags"
    session.createDataFrame(arrow_table(frame)).write.mode("overwrite").parquet(path)
    return path
