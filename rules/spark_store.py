"""The run's tables as Spark views, so the rules' DuckDB SQL runs translated on Spark.

Each table the rules read (:mod:`rules.store_schema`) becomes a temporary view of the same
name showing the declared columns and types (cast, or NULL when absent; an absent table is
empty), which is what the DuckDB store's prelude does; so on Spark no prelude is needed.
Queries go through :func:`resolver.engines.spark_sql.to_spark`. The views are the
session's, so one store is in use per Spark session at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
from py4j.protocol import Py4JJavaError
from pyspark.errors import AnalysisException, PySparkException

from resolver.engines.spark_functions import prepare
from resolver.engines.spark_sql import NotPortableError, to_spark
from rules.store_schema import store_tables, table_columns
from rules.stores import Rows

#: DuckDB types of the declared schema, in Spark.
SPARK_TYPES = {
    "VARCHAR": "STRING",
    "DATE": "DATE",
    "BIGINT": "BIGINT",
    "INTEGER": "INT",
    "DOUBLE": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
}


class SparkStore:
    """Store tables on a Spark session (the caller owns the session)."""

    name = "spark"
    errors: tuple[type[BaseException], ...] = (
        AnalysisException,
        PySparkException,
        Py4JJavaError,
        NotPortableError,
    )

    def __init__(self, spark: Any, tables: Mapping[str, Any]) -> None:
        """``tables`` maps store table names to Spark DataFrames (missing ones are empty)."""
        self.spark = spark
        prepare(spark)
        for table in store_tables():
            _declared(spark, table, tables.get(table)).createOrReplaceTempView(table)

    @classmethod
    def from_parquet(cls, spark: Any, location: str) -> SparkStore:
        """The tables a Spark resolve wrote as Parquet under ``location`` (``RUN/parquet``)."""
        tables = {}
        for table in store_tables():
            path = f"{location.rstrip('/')}/{table}"
            try:
                tables[table] = spark.read.parquet(path)
            except AnalysisException:  # not written: the declared, empty table
                continue
        return cls(spark, tables)

    @classmethod
    def from_duckdb(cls, spark: Any, con: duckdb.DuckDBPyConnection) -> SparkStore:
        """A DuckDB store's tables copied into Spark (for stores that fit on the driver)."""
        present = {
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        }
        tables = {
            t: spark.createDataFrame(con.sql(f'SELECT * FROM "{t}"').to_arrow_table())
            for t in store_tables()
            if t in present
        }
        return cls(spark, tables)

    def prelude(self) -> list[str]:
        """Nothing: the views already show the declared schema."""
        return []

    def query(self, sql: str) -> Rows:
        """Run DuckDB-dialect ``sql`` on Spark."""
        frame = self.spark.sql(to_spark(sql))
        return list(frame.columns), [tuple(row) for row in frame.collect()]


def _declared(spark: Any, table: str, frame: Any | None) -> Any:
    """``frame`` with the declared columns first, each of its declared type."""
    declared = table_columns(table)
    if frame is None:
        columns = ", ".join(f"CAST(NULL AS {SPARK_TYPES[t]}) AS `{c}`" for c, t in declared.items())
        return spark.sql(f"SELECT {columns} WHERE false")
    have = {f.name: f.dataType.simpleString().upper() for f in frame.schema.fields}
    exprs = []
    for column, duck_type in declared.items():
        spark_type = SPARK_TYPES[duck_type]
        if column not in have:
            exprs.append(f"CAST(NULL AS {spark_type}) AS `{column}`")
        elif have[column] == spark_type or (
            spark_type in {"INT", "BIGINT"} and have[column] in {"INT", "BIGINT", "SMALLINT"}
        ):
            exprs.append(f"`{column}`")
        else:
            exprs.append(f"TRY_CAST(`{column}` AS {spark_type}) AS `{column}`")
    exprs += [f"`{c}`" for c in have if c not in declared]
    return frame.selectExpr(*exprs)
