"""The flag half of an update's change log: flags that are new, changed or gone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from resolver.store import STORE_NAME, open_store

#: Columns of flag_changes.csv.
FLAG_CHANGE_COLUMNS = (
    "change", "flag_id", "rule_id", "subject", "old_score", "new_score", "summary",
)  # fmt: skip


def read_flags(run_dir: Path) -> pd.DataFrame | None:
    """A run's flags.csv, or None when the run has not been flagged (opening the store
    first puts in place flag files an interrupted ``flag`` had committed)."""
    if (run_dir / STORE_NAME).is_file():
        open_store(run_dir).close()
    path = run_dir / "flags.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def flag_changes(before: pd.DataFrame | None, after: pd.DataFrame) -> pd.DataFrame:
    """Compare two flag sets by flag id (rule and subject): new, changed (score or
    evidence), gone. Unchanged flags are left out."""
    old = (before if before is not None else after.iloc[0:0]).set_index("flag_id")
    new = after.set_index("flag_id")
    rows = []
    for flag_id in sorted(set(old.index) | set(new.index)):
        was = old.loc[flag_id] if flag_id in old.index else None
        now = new.loc[flag_id] if flag_id in new.index else None
        if was is None:
            change = "new"
        elif now is None:
            change = "gone"
        elif was["score"] != now["score"] or was["evidence"] != now["evidence"]:
            change = "changed"
        else:
            continue
        current = now if now is not None else was
        assert current is not None
        rows.append(
            {
                "change": change,
                "flag_id": flag_id,
                "rule_id": current["rule_id"],
                "subject": current["subject"],
                "old_score": None if was is None else was["score"],
                "new_score": None if now is None else now["score"],
                "summary": current["summary"],
            }
        )
    return pd.DataFrame(rows, columns=list(FLAG_CHANGE_COLUMNS))
