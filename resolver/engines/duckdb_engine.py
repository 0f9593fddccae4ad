"""Splink on an in-memory DuckDB database in this process: the default engine."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, SettingsCreator
from splink.internals.splink_dataframe import SplinkDataFrame


class DuckDBEngine:
    """Splink's DuckDB backend; its SQL is reglink's own dialect, so nothing is translated."""

    name = "duckdb"

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        temp_directory: str | None = None,
    ) -> None:
        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if temp_directory:
            self.con.execute("SET temp_directory = ?", [temp_directory])
        self.db_api = DuckDBAPI(connection=self.con)

    def register(self, frame: pd.DataFrame) -> SplinkDataFrame:
        """Copy the mentions into a DuckDB table and hand it to Splink."""
        self.con.register("mentions_input_view", frame)
        self.con.execute("CREATE TABLE mentions_input AS SELECT * FROM mentions_input_view")
        self.con.unregister("mentions_input_view")
        return self.db_api.register("mentions_input", table_name="mentions")

    def settings(
        self, settings: SettingsCreator | dict[str, Any]
    ) -> SettingsCreator | dict[str, Any]:
        """The settings as they are."""
        return settings

    def portable(self, model_json: dict[str, Any]) -> dict[str, Any]:
        """The model as it is."""
        return model_json

    def scored_pairs(
        self, predictions: SplinkDataFrame, keep_threshold: float
    ) -> tuple[pd.DataFrame, int]:
        """Kept pairs and the candidate count, read from the predictions table."""
        scored = predictions.physical_name
        count = self.con.execute(f"SELECT count(*) FROM {scored}").fetchone()
        pairs = self.con.execute(
            f"""
            SELECT mention_id_l, mention_id_r, match_probability, match_weight
            FROM {scored}
            WHERE match_probability >= ?
            ORDER BY mention_id_l, mention_id_r
            """,
            [keep_threshold],
        ).df()
        return pairs, int(count[0]) if count else 0

    def write_tables(
        self, run_dir: Path, tables: Mapping[str, pd.DataFrame], staging: Path | None = None
    ) -> dict[str, Any]:
        """Nothing: the run store (reglink.duckdb) holds every table."""
        return {}

    def close(self) -> None:
        """Close the in-memory database."""
        self.con.close()
