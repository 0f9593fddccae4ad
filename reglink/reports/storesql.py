"""Queries over the store's declared schema (see :func:`rules.store_schema.store_prelude`)."""

from __future__ import annotations

import duckdb

from rules.store_schema import store_prelude


def declared(prelude: list[str], query: str) -> str:
    """``query`` preceded by the prelude CTEs; a query with its own WITH is merged into it."""
    if not prelude:
        return query
    body = query.lstrip()
    if body[:4].upper() == "WITH" and body[4:5].isspace():
        return f"WITH {', '.join(prelude)},\n{body[5:]}"
    return f"WITH {', '.join(prelude)}\n{body}"


def query(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """``sql`` made to read the store through its declared schema."""
    return declared(store_prelude(con), sql)
