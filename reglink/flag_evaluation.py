"""How a run's flags compare with the planted patterns and decoys of a synthetic truth."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from resolver.errors import InputError
from rules.cases import case_ranks


@dataclass
class PlantedResult:
    """One planted pattern: was it flagged by its rule, and at what rank."""

    pattern: str
    subject: str
    found: bool
    #: 1-based position of the finding flag in flags.csv
    rank: int | None
    score: int | None
    #: 1-based rank of the finding flag's case (None for flags written before cases)
    case_rank: int | None = None


@dataclass
class FlagEvaluation:
    """Planted patterns found and decoys (wrongly) flagged."""

    planted: list[PlantedResult] = field(default_factory=list)
    decoys_flagged: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0

    @property
    def found(self) -> int:
        """Planted patterns flagged by their matching rule."""
        return sum(p.found for p in self.planted)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "flags": self.flags,
            "planted_found": self.found,
            "planted_total": len(self.planted),
            "planted": [asdict(p) for p in self.planted],
            "decoys_flagged": self.decoys_flagged,
        }


def _read(path: Path, columns: set[str]) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame(columns=sorted(columns))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = columns - set(frame.columns)
    if missing:
        raise InputError(f"missing column(s) {sorted(missing)}", path=str(path))
    return frame


def evaluate_flags(flags: pd.DataFrame, truth_dir: Path) -> FlagEvaluation:
    """Match flags (ranked as given) to ``planted.csv`` and ``decoys.csv`` in ``truth_dir``.

    A planted pattern is found when a flag of the rule of the same name rests on at least
    one of its evidence mentions; its rank is that flag's 1-based position, and its case rank
    the rank of that flag's case. A decoy counts as flagged when one flag's evidence holds two
    or more of the decoy's mentions.
    """
    planted = _read(truth_dir / "planted.csv", {"pattern", "subject", "mention_ids"})
    decoys = _read(truth_dir / "decoys.csv", {"decoy", "subject", "mention_ids"})
    evidence = [set(_split(e)) for e in flags["evidence"]] if len(flags) else []
    result = FlagEvaluation(flags=len(flags))
    cases = list(flags["case_id"]) if "case_id" in flags else []
    ranks = case_ranks(cases)
    for row in planted.itertuples():
        wanted = set(_split(str(row.mention_ids)))
        hit = next(
            (
                i
                for i, (rule, ev) in enumerate(zip(flags["rule_id"], evidence, strict=True))
                if rule == row.pattern and ev & wanted
            ),
            None,
        )
        result.planted.append(
            PlantedResult(
                pattern=str(row.pattern),
                subject=str(row.subject),
                found=hit is not None,
                rank=None if hit is None else hit + 1,
                score=None if hit is None else int(flags["score"].iloc[hit]),
                case_rank=None if hit is None or not cases else ranks[cases[hit]],
            )
        )
    for row in decoys.itertuples():
        members = set(_split(str(row.mention_ids)))
        for i, ev in enumerate(evidence):
            if len(ev & members) >= 2:
                result.decoys_flagged.append(
                    {
                        "decoy": row.decoy,
                        "subject": row.subject,
                        "rule_id": flags["rule_id"].iloc[i],
                    }
                )
    return result


def _split(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [part for part in str(value).split(";") if part]
