"""Safe output files: written to a temporary path and renamed, CSV cells made formula-safe."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

#: Spreadsheet programs treat cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed over it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES, na=False)
            if risky.any():
                safe[column] = values.where(~risky, "'" + text)
    return safe


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write a CSV atomically, formula-safe, with ISO dates and empty cells for missing."""
    with atomic_path(target) as temporary:
        neutralise_formulas(frame).to_csv(temporary, index=False, date_format="%Y-%m-%d")


def write_json(document: Any, target: Path) -> None:
    """Write JSON atomically (UTF-8, stable key order as given, indented)."""
    with atomic_path(target) as temporary:
        temporary.write_text(
            json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
