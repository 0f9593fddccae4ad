"""The small interface every linkage engine provides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pandas as pd
    from splink import SettingsCreator
    from splink.internals.splink_dataframe import SplinkDataFrame


class LinkageEngine(Protocol):
    """One Splink backend: its table registration, SQL dialect and outputs."""

    name: str
    #: Splink's database API for this engine (to register side tables: term frequencies)
    db_api: Any

    def register(self, frame: pd.DataFrame) -> SplinkDataFrame:
        """The mentions (``resolver.model.LINKAGE_COLUMNS``) as a Splink input table."""
        ...

    def settings(
        self, settings: SettingsCreator | dict[str, Any]
    ) -> SettingsCreator | dict[str, Any]:
        """Splink settings written in DuckDB's dialect, in this engine's dialect."""
        ...

    def portable(self, model_json: dict[str, Any]) -> dict[str, Any]:
        """A model saved by this engine's linker, in DuckDB's dialect (model.json's)."""
        ...

    def scored_pairs(
        self, predictions: SplinkDataFrame, keep_threshold: float
    ) -> tuple[pd.DataFrame, int]:
        """Pairs at or above ``keep_threshold`` (mention_id_l, mention_id_r,
        match_probability, match_weight; sorted by the ids) and the candidate pair count."""
        ...

    def write_tables(
        self, run_dir: Path, tables: Mapping[str, pd.DataFrame], staging: Path | None = None
    ) -> dict[str, Any]:
        """Write the run's tables where this engine reads them; what was written, for the
        run summary (empty when the DuckDB store is all there is)."""
        ...

    def close(self) -> None:
        """Release what the engine holds for this run (never a caller's Spark session)."""
        ...
