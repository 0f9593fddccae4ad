"""Where the rules' SQL runs: the run's DuckDB store, or Spark (:mod:`rules.spark_store`).

Rule SQL is written once, in DuckDB's dialect; a store runs it as it is (DuckDB) or
translated (Spark), and returns plain Python rows either way.
"""

from __future__ import annotations

from typing import Any, Protocol

import duckdb

from rules.store_schema import store_prelude

Rows = tuple[list[str], list[tuple[Any, ...]]]


class RuleStore(Protocol):
    """The store tables (``rules.store_schema``) behind one SQL engine."""

    name: str
    #: exceptions that mean the SQL failed (reported as :class:`rules.errors.RuleQueryError`)
    errors: tuple[type[BaseException], ...]

    def prelude(self) -> list[str]:
        """CTEs to put before every query so the tables show the declared schema."""
        ...

    def query(self, sql: str) -> Rows:
        """Run DuckDB-dialect ``sql``: column names and rows of Python values."""
        ...


class DuckDBStore:
    """A run store open in DuckDB (``reglink.duckdb``, or any connection with its tables)."""

    name = "duckdb"
    errors: tuple[type[BaseException], ...] = (duckdb.Error,)

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def prelude(self) -> list[str]:
        """Adapter CTEs for tables that differ from the declared schema."""
        return store_prelude(self.con)

    def query(self, sql: str) -> Rows:
        """The rows of ``sql``."""
        cursor = self.con.execute(sql)
        names = [d[0] for d in cursor.description or []]
        return names, cursor.fetchall()


def as_store(store: RuleStore | duckdb.DuckDBPyConnection) -> RuleStore:
    """A store for a DuckDB connection; any other store as it is."""
    if isinstance(store, duckdb.DuckDBPyConnection):
        return DuckDBStore(store)
    return store
