"""Evaluation metrics on a hand-made truth whose answers are worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from resolver.evaluate import evaluate


@pytest.fixture
def truth() -> pd.DataFrame:
    # person P1 has 3 mentions, P2 has 2, P3 has 1
    return pd.DataFrame(
        {
            "mention_id": [
                "births:1:mother",
                "visas:1:applicant",
                "schools:1:pupil",
                "births:2:child",
                "schools:2:pupil",
                "missing:1:missing",
            ],
            "person_id": ["P1", "P1", "P1", "P2", "P2", "P3"],
        }
    )


def _entities(assignments: dict[str, str]) -> pd.DataFrame:
    ids = list(assignments)
    return pd.DataFrame(
        {
            "mention_id": ids,
            "entity_id": [assignments[m] for m in ids],
            "source": [m.split(":")[0] for m in ids],
        }
    )


def test_perfect_clustering_scores_one(truth: pd.DataFrame) -> None:
    entities = _entities(dict(zip(truth["mention_id"], truth["person_id"], strict=True)))
    result = evaluate(entities, truth)
    assert result.pairwise_f1 == 1.0
    assert result.bcubed_f1 == 1.0
    assert result.true_pairs == 4  # 3 within P1, 1 within P2


def test_split_and_merge_errors_are_counted(truth: pd.DataFrame) -> None:
    # P1 split into {mother, applicant} + {pupil}; P2 merged with P3.
    entities = _entities(
        {
            "births:1:mother": "E1",
            "visas:1:applicant": "E1",
            "schools:1:pupil": "E2",
            "births:2:child": "E3",
            "schools:2:pupil": "E3",
            "missing:1:missing": "E3",
        }
    )
    result = evaluate(entities, truth)
    # predicted pairs: E1 has 1, E3 has 3 -> 4; correct: (mother, applicant) + (child, pupil) = 2
    assert result.predicted_pairs == 4
    assert result.true_positive_pairs == 2
    assert result.pairwise_precision == pytest.approx(0.5)
    assert result.pairwise_recall == pytest.approx(0.5)
    # B-cubed precision: mother 2/2, applicant 2/2, pupil 1/1, child 2/3, pupil2 2/3, missing 1/3
    assert result.bcubed_precision == pytest.approx((1 + 1 + 1 + 2 / 3 + 2 / 3 + 1 / 3) / 6)
    # B-cubed recall: mother 2/3, applicant 2/3, pupil 1/3, child 2/2, pupil2 2/2, missing 1/1
    assert result.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6)
    by_pair = {r["sources"]: (r["true_pairs"], r["found"]) for r in result.source_pair_recall}
    assert by_pair["births-visas"] == (1, 1)
    assert by_pair["births-schools"] == (2, 1)  # (mother, pupil) missed, (child, pupil2) found
    assert by_pair["schools-visas"] == (1, 0)


def test_mentions_missing_from_the_run_count_as_missed_links(truth: pd.DataFrame) -> None:
    # Only P1's mother and applicant reached the run (the rest were rejected).
    entities = _entities({"births:1:mother": "E1", "visas:1:applicant": "E1", "extra:9:x": "E9"})
    result = evaluate(entities, truth)
    assert result.mentions_not_in_run == 4
    assert result.mentions_not_in_truth == 1
    assert result.true_pairs == 4  # the truth's pairs, whatever the run dropped
    assert result.true_positive_pairs == 1
    assert result.pairwise_precision == 1.0
    assert result.pairwise_recall == pytest.approx(0.25)
    by_pair = {r["sources"]: (r["true_pairs"], r["found"]) for r in result.source_pair_recall}
    assert by_pair["births-schools"] == (2, 0)
