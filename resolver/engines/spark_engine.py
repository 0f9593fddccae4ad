"""Splink on Spark: the same model, its SQL translated from DuckDB's dialect.

The settings are built once, in DuckDB's dialect (:mod:`resolver.model`), and every SQL
condition and blocking rule is translated by :func:`resolver.engines.spark_sql.to_spark`;
the model saved to model.json is put back into DuckDB's dialect, so one model file serves
both engines. Needs the ``spark`` extra (pyspark) and Java 17 or later.
"""

from __future__ import annotations

import contextlib
import copy
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from splink import SettingsCreator
from splink.internals.splink_dataframe import SplinkDataFrame

from resolver.engines.spark_functions import prepare
from resolver.engines.spark_sql import to_spark
from resolver.errors import ConfigError

#: Folder of the run's Parquet tables, inside the run folder, unless a location is given.
PARQUET_DIR = "parquet"


def spark_session(
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
    app_name: str = "reglink",
) -> Any:
    """A Spark session with Splink's similarity jar on the classpath.

    ``master`` defaults to what spark-submit set, else ``local[*]``; ``conf`` holds any other
    Spark settings. An already running session is reused as it is (its classpath cannot
    change), so start it with the jar when starting it yourself.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    settings = dict(conf or {})
    jars = [j for j in settings.get("spark.jars", "").split(",") if j]
    settings["spark.jars"] = ",".join([*jars, similarity_jar_location()])
    settings.setdefault("spark.ui.showConsoleProgress", "false")
    # reglink makes only temporary views; keep Spark's empty warehouse folder out of the cwd
    settings.setdefault(
        "spark.sql.warehouse.dir", str(Path(tempfile.gettempdir()) / "reglink-spark-warehouse")
    )
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


class SparkEngine:
    """Splink's Spark backend on a caller's session (the caller starts and stops it)."""

    name = "spark"

    def __init__(
        self,
        spark: Any,
        *,
        checkpoint_dir: str | None = None,
        break_lineage: str = "parquet",
        partitions: int | None = None,
        tables_location: str | None = None,
    ) -> None:
        from splink.backends.spark import SparkAPI

        self.spark = spark
        prepare(spark)
        self._own_checkpoints: str | None = None
        if checkpoint_dir:
            spark.sparkContext.setCheckpointDir(checkpoint_dir)
        elif spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty():
            self._own_checkpoints = tempfile.mkdtemp(prefix="reglink-spark-")
            spark.sparkContext.setCheckpointDir(self._own_checkpoints)
        self.db_api = SparkAPI(
            spark_session=spark,
            break_lineage_method=break_lineage,
            num_partitions_on_repartition=partitions,
        )
        if not spark.catalog.functionExists("damerau_levenshtein"):
            raise ConfigError(
                "Splink's similarity functions are not on the Spark classpath: start Spark with "
                "--jars $(python -c 'from splink.backends.spark import similarity_jar_location; "
                "print(similarity_jar_location())')"
            )
        self.tables_location = tables_location
        self._list_columns: frozenset[str] = frozenset()
        self._canonical: dict[str, Any] | None = None

    def register(self, frame: pd.DataFrame) -> SplinkDataFrame:
        """The mentions as a Spark table (dates as dates), registered with Splink."""
        table = self.spark.createDataFrame(arrow_table(frame))
        lists = [f.name for f in table.schema.fields if f.dataType.typeName() == "array"]
        self._list_columns = frozenset(name for c in lists for name in (c, f"{c}_l", f"{c}_r"))
        return self.db_api.register(table, table_name=f"reglink_mentions_{uuid.uuid4().hex[:8]}")

    def settings(self, settings: SettingsCreator | dict[str, Any]) -> dict[str, Any]:
        """The settings dict with every SQL condition and blocking rule in Spark's dialect."""
        canonical = (
            settings.create_settings_dict("duckdb")
            if isinstance(settings, SettingsCreator)
            else copy.deepcopy(settings)
        )
        self._canonical = canonical
        spark = copy.deepcopy(canonical)
        spark["sql_dialect"] = "spark"
        for comparison in spark["comparisons"]:
            for level in comparison["comparison_levels"]:
                if level["sql_condition"].strip().upper() != "ELSE":
                    level["sql_condition"] = self._sql(level["sql_condition"])
        spark["blocking_rules_to_generate_predictions"] = [
            self._rule(rule) for rule in spark.get("blocking_rules_to_generate_predictions", [])
        ]
        return spark

    def _sql(self, sql: str) -> str:
        return to_spark(sql, list_columns=self._list_columns)

    def _rule(self, rule: str | dict[str, Any]) -> str | dict[str, Any]:
        if isinstance(rule, str):
            return self._sql(rule)
        return {**rule, "blocking_rule": self._sql(rule["blocking_rule"]), "sql_dialect": "spark"}

    def portable(self, model_json: dict[str, Any]) -> dict[str, Any]:
        """The trained model with the DuckDB-dialect SQL it was translated from."""
        if self._canonical is None:
            raise RuntimeError("portable() before settings()")
        model = copy.deepcopy(model_json)
        model["sql_dialect"] = "duckdb"
        for comparison, source in zip(
            model["comparisons"], self._canonical["comparisons"], strict=True
        ):
            for level, original in zip(
                comparison["comparison_levels"], source["comparison_levels"], strict=True
            ):
                level["sql_condition"] = original["sql_condition"]
        originals = self._canonical.get("blocking_rules_to_generate_predictions", [])
        model["blocking_rules_to_generate_predictions"] = [
            {**rule, "blocking_rule": _rule_sql(original), "sql_dialect": "duckdb"}
            if isinstance(rule, dict)
            else _rule_sql(original)
            for rule, original in zip(
                model.get("blocking_rules_to_generate_predictions", []), originals, strict=True
            )
        ]
        return model

    def scored_pairs(
        self, predictions: SplinkDataFrame, keep_threshold: float
    ) -> tuple[pd.DataFrame, int]:
        """Kept pairs, collected to the driver for clustering, and the candidate count."""
        from pyspark.sql.functions import col

        scored = predictions.as_spark_dataframe()
        count = scored.count()
        kept = (
            scored.where(col("match_probability") >= keep_threshold)
            .select("mention_id_l", "mention_id_r", "match_probability", "match_weight")
            .orderBy("mention_id_l", "mention_id_r")
            .toPandas()
        )
        return kept.reset_index(drop=True), int(count)

    def write_tables(
        self, run_dir: Path, tables: Mapping[str, pd.DataFrame], staging: Path | None = None
    ) -> dict[str, Any]:
        """Every run table as Parquet (``RUN/parquet/<table>``, or under tables_location).

        A run folder being built in ``staging`` gets its Parquet there, and the location
        recorded is where it will be once the folder is swapped in.
        """
        location = self.tables_location or str(run_dir / PARQUET_DIR)
        target = self.tables_location or str((staging or run_dir) / PARQUET_DIR)
        for name, frame in tables.items():
            path = f"{target.rstrip('/')}/{name}"
            self.spark.createDataFrame(arrow_table(frame)).write.mode("overwrite").parquet(path)
        return {"format": "parquet", "location": location, "tables": sorted(tables)}

    def close(self) -> None:
        """Drop Splink's tables and any checkpoint folder this engine made."""
        self.db_api.delete_tables_created_by_splink_from_db()
        if self._own_checkpoints:
            shutil.rmtree(self._own_checkpoints, ignore_errors=True)
            self._own_checkpoints = None


def _rule_sql(rule: str | dict[str, Any]) -> str:
    return rule if isinstance(rule, str) else str(rule["blocking_rule"])


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as Arrow for Spark: dates without a time of day as dates, never as
    timestamps (which Spark would read in the session's time zone), and all-NULL columns as
    strings (Parquet has no NULL type)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_timestamp(field.type):
            with contextlib.suppress(pa.ArrowInvalid):  # fails on a time other than midnight
                column = column.cast(pa.date32())
        elif pa.types.is_null(field.type):
            column = column.cast(pa.string())
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)
