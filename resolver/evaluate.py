"""Accuracy of a run against a ground truth: pairwise, B-cubed and per-source-pair recall."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from resolver.errors import InputError


@dataclass
class Evaluation:
    """Accuracy figures of one clustering against the truth."""

    mentions_evaluated: int
    mentions_not_in_run: int
    mentions_not_in_truth: int
    true_pairs: int
    predicted_pairs: int
    true_positive_pairs: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    source_pair_recall: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def read_truth(truth_dir: Path) -> pd.DataFrame:
    """``truth/mentions.csv`` (mention_id, person_id) from a truth folder or its parent."""
    for candidate in (truth_dir / "mentions.csv", truth_dir / "truth" / "mentions.csv"):
        if candidate.is_file():
            truth = pd.read_csv(candidate, dtype=str, keep_default_na=False)
            missing = {"mention_id", "person_id"} - set(truth.columns)
            if missing:
                raise InputError(f"missing column(s) {sorted(missing)}", path=str(candidate))
            return truth[["mention_id", "person_id"]]
    raise InputError(
        "no truth mentions.csv found (looked in it and in truth/)", path=str(truth_dir)
    )


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def evaluate(entities: pd.DataFrame, truth: pd.DataFrame) -> Evaluation:
    """Compare entities (mention_id, entity_id, source) with truth (mention_id, person_id).

    A true mention the run does not hold (its row was rejected) counts as a singleton the
    run failed to link, so rejecting rows can never raise recall.
    """
    joined = truth.merge(
        entities[["mention_id", "entity_id", "source"]], on="mention_id", how="left"
    )
    absent = joined["entity_id"].isna()
    not_in_run = int(absent.sum())
    joined.loc[absent, "entity_id"] = "not-in-run:" + joined.loc[absent, "mention_id"]
    joined.loc[absent, "source"] = joined.loc[absent, "mention_id"].str.split(":").str[0]
    not_in_truth = int((~entities["mention_id"].isin(truth["mention_id"])).sum())
    predicted = _pairs(joined.groupby("entity_id").size())
    actual = _pairs(joined.groupby("person_id").size())
    cells = joined.groupby(["entity_id", "person_id"]).size()
    correct = _pairs(cells)
    precision = correct / predicted if predicted else 1.0
    recall = correct / actual if actual else 1.0

    cell = joined.merge(
        cells.rename("cell").reset_index(), on=["entity_id", "person_id"], how="left"
    )["cell"]
    entity_size = joined["entity_id"].map(joined.groupby("entity_id").size())
    person_size = joined["person_id"].map(joined.groupby("person_id").size())
    b_precision = float((cell.to_numpy() / entity_size.to_numpy()).mean()) if len(joined) else 1.0
    b_recall = float((cell.to_numpy() / person_size.to_numpy()).mean()) if len(joined) else 1.0

    return Evaluation(
        mentions_evaluated=len(joined),
        mentions_not_in_run=not_in_run,
        mentions_not_in_truth=not_in_truth,
        true_pairs=actual,
        predicted_pairs=predicted,
        true_positive_pairs=correct,
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        source_pair_recall=_source_pair_recall(joined),
    )


def _pairs_by_source(counts: pd.DataFrame, key: str) -> pd.Series:
    """Pairs within each ``key`` group, by unordered source pair, from per-source counts."""
    wide = counts.pivot_table(index=key, columns="source", values="n", aggfunc="sum", fill_value=0)
    sources: list[str] = sorted(str(c) for c in wide.columns)
    result: dict[tuple[str, str], int] = {}
    for i, left in enumerate(sources):
        for right in sources[i:]:
            if left == right:
                result[(left, right)] = _pairs(wide[left])
            else:
                result[(left, right)] = int((wide[left] * wide[right]).sum())
    return pd.Series(result, dtype="int64")


def _source_pair_recall(joined: pd.DataFrame) -> list[dict[str, Any]]:
    if joined.empty:
        return []
    by_person = joined.groupby(["person_id", "source"]).size().rename("n").reset_index()
    by_cell = joined.assign(cell=joined["entity_id"] + "|" + joined["person_id"])
    by_cell_counts = by_cell.groupby(["cell", "source"]).size().rename("n").reset_index()
    true_pairs = _pairs_by_source(by_person, "person_id")
    found = _pairs_by_source(by_cell_counts, "cell").reindex(true_pairs.index, fill_value=0)
    rows = []
    for key, total in true_pairs.items():
        left, right = (str(part) for part in key)  # type: ignore[attr-defined]
        if total:
            rows.append(
                {
                    "sources": f"{left}-{right}",
                    "true_pairs": int(total),
                    "found": int(found[(left, right)]),
                    "recall": float(found[(left, right)] / total),
                }
            )
    return sorted(rows, key=lambda r: (-r["true_pairs"], r["sources"]))
