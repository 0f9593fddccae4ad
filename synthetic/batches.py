"""Split a scenario's source files into a base extract and weekly batches by record date.

Each record goes to the batch of the week its date falls in: the registration, decision,
enrolment (or expected start), report or watchlist date. Records dated before ``start`` (or
undated) form the base. The union of the base and all batches is the scenario itself, so
an incremental run over the batches can be checked against a full run over the scenario.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from synthetic.writer import write_csv

#: The date that places each source's record in a week.
RECORD_DATE = {
    "births": ("registration_date",),
    "visas": ("decision_date",),
    "schools": ("enrol_date", "expected_start_date"),
    "missing": ("report_date",),
    "watchlist": ("since",),
}


def split_weekly(
    data_dir: Path, out_dir: Path, start: str | None = None, weeks: int = 6
) -> list[Path]:
    """Write ``out_dir/base`` and ``out_dir/week_01`` ... ``week_NN``; return the folders.

    ``start`` (YYYY-MM-DD) is the first day of week 1; by default the last ``weeks`` whole
    weeks up to the newest record date are the batches. Records dated on or after
    ``start + weeks`` weeks fall into the last week, so nothing is dropped. Every folder
    gets every source file found (header only when the week has no rows).
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    parquet = sorted(f"{s}.parquet" for s in RECORD_DATE if (data_dir / f"{s}.parquet").is_file())
    if parquet:
        raise ValueError(f"{data_dir}: split-weekly reads CSV files only, not {', '.join(parquet)}")
    frames = {
        source: pd.read_csv(data_dir / f"{source}.csv", dtype=str, keep_default_na=False)
        for source in RECORD_DATE
        if (data_dir / f"{source}.csv").is_file()
    }
    if not frames:
        raise ValueError(
            f"{data_dir}: no source files ({', '.join(f'{s}.csv' for s in RECORD_DATE)})"
        )
    dates = {source: _record_dates(frame, RECORD_DATE[source]) for source, frame in frames.items()}
    begin = _start(start, dates, weeks, data_dir)
    width = max(2, len(str(weeks)))  # week_01 ... sorts in order under a shell glob
    folders = [out_dir / "base", *(out_dir / f"week_{k:0{width}d}" for k in range(1, weeks + 1))]
    written = {f"{source}.csv" for source in frames}
    stale = sorted(p.name for p in out_dir.glob("week_*") if p.is_dir() and p not in set(folders))
    stale += sorted(
        f"{folder.name}/{p.name}"
        for folder in folders
        if folder.is_dir()
        for p in folder.iterdir()
        if p.name not in written
    )
    if stale:
        raise ValueError(
            f"{out_dir}: holds {', '.join(stale)} from an earlier split, which this one would "
            "not replace (an update loop would read them); choose an empty folder"
        )
    for folder in folders:  # owner-only: the batches may be a real extract's records
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    for source, frame in frames.items():
        when = dates[source]
        days = (when.to_numpy(dtype="datetime64[D]") - begin).astype("timedelta64[D]")
        week = np.where(pd.isna(when), -1, days.astype(np.int64) // 7)
        slot = np.where(week < 0, 0, np.minimum(week + 1, weeks))
        for index, folder in enumerate(folders):
            write_csv(frame[slot == index], folder / f"{source}.csv")
            (folder / f"{source}.csv").chmod(0o600)
    return folders


def _start(
    start: str | None, dates: dict[str, pd.Series], weeks: int, data_dir: Path
) -> np.datetime64:
    """The first day of week 1: ``start``, or ``weeks`` whole weeks before the newest record
    date that is not in the future (a mistyped year must not move every batch)."""
    if start is not None:
        try:
            return np.datetime64(dt.date.fromisoformat(start), "D")
        except ValueError:
            raise ValueError(f"start must be a date as YYYY-MM-DD, got {start!r}") from None
    today = pd.Timestamp(dt.date.today())
    usable = [d[d <= today].max() for d in dates.values() if (d <= today).any()]
    if not usable:
        raise ValueError(f"{data_dir}: no record carries a date to split on")
    newest = pd.Timestamp(max(usable)).date()
    return np.datetime64(newest, "D") - np.timedelta64(7 * weeks - 1, "D")


def _record_dates(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Each record's date: the first of ``columns`` that parses (NaT when none does)."""
    when = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for column in columns:
        if column in frame:
            parsed = pd.to_datetime(frame[column].replace("", None), errors="coerce")
            when = when.fillna(parsed)
    return when
