"""Deterministic, atomic CSV output."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd


def write_csv(frame: pd.DataFrame, path: Path) -> int:
    """Write `frame` as UTF-8 CSV with a header, via a temp file and `os.replace`.

    Same frame, same bytes: no index, `\\n` line endings, empty cells for missing values.
    Returns the number of data rows written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n", na_rep="")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return len(frame)
