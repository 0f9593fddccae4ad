"""Constrained clustering: cannot-link splits, dob conflicts, determinism, stable ids."""

from __future__ import annotations

import pandas as pd
import pytest

from resolver.clustering import ClusterOptions, cluster, dobs_compatible


def _mentions(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["mention_id", "record_key", "dob_str"])


def _pairs(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["mention_id_l", "mention_id_r", "match_probability"])


def _groups(result_entities: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(g) for _, g in result_entities.groupby("entity_id")["mention_id"]}


def test_mother_and_child_on_one_record_are_split_at_the_weakest_link() -> None:
    # a:mother ~ x (0.99), x ~ a:child (0.95): joining all three would put a mother and
    # her own child in one entity, so the weaker link is refused.
    mentions = _mentions(
        [
            ("births:B1:mother", "births:B1", "1980-01-01"),
            ("births:B1:child", "births:B1", "1980-01-01"),
            ("visas:V1:applicant", "visas:V1", "1980-01-01"),
        ]
    )
    pairs = _pairs(
        [
            ("births:B1:mother", "visas:V1:applicant", 0.99),
            ("births:B1:child", "visas:V1:applicant", 0.95),
        ]
    )
    result = cluster(mentions, pairs, ClusterOptions(threshold=0.9))
    assert _groups(result.entities) == {
        frozenset({"births:B1:mother", "visas:V1:applicant"}),
        frozenset({"births:B1:child"}),
    }
    assert result.refused_same_record == 1


def test_a_hub_without_dob_cannot_chain_two_people_with_different_dobs() -> None:
    mentions = _mentions(
        [
            ("missing:M1:missing", "missing:M1", None),
            ("visas:V1:applicant", "visas:V1", "2010-03-04"),
            ("visas:V2:applicant", "visas:V2", "1995-11-20"),
        ]
    )
    pairs = _pairs(
        [
            ("missing:M1:missing", "visas:V1:applicant", 0.97),
            ("missing:M1:missing", "visas:V2:applicant", 0.96),
        ]
    )
    result = cluster(mentions, pairs, ClusterOptions(threshold=0.9, dob_conflicts=True))
    assert _groups(result.entities) == {
        frozenset({"missing:M1:missing", "visas:V1:applicant"}),
        frozenset({"visas:V2:applicant"}),
    }
    assert result.refused_dob_conflict == 1
    unconstrained = cluster(mentions, pairs, ClusterOptions(threshold=0.9, dob_conflicts=False))
    assert len(_groups(unconstrained.entities)) == 1


def test_links_below_threshold_do_not_join() -> None:
    mentions = _mentions([("a:1:x", "a:1", None), ("b:1:x", "b:1", None)])
    result = cluster(mentions, _pairs([("a:1:x", "b:1:x", 0.89)]), ClusterOptions(threshold=0.9))
    assert len(_groups(result.entities)) == 2
    assert result.entities["membership_probability"].isna().all()


def test_entity_ids_are_deterministic_and_independent_of_unrelated_mentions() -> None:
    base = _mentions([("a:1:x", "a:1", None), ("b:1:x", "b:1", None)])
    pairs = _pairs([("a:1:x", "b:1:x", 0.99)])
    first = cluster(base, pairs, ClusterOptions()).entities
    extra = pd.concat([base, _mentions([("c:9:x", "c:9", None)])], ignore_index=True)
    second = cluster(extra, pairs, ClusterOptions()).entities
    ids_first = dict(zip(first["mention_id"], first["entity_id"], strict=True))
    ids_second = dict(zip(second["mention_id"], second["entity_id"], strict=True))
    assert ids_first["a:1:x"] == ids_first["b:1:x"] == ids_second["a:1:x"]
    assert ids_second["c:9:x"] != ids_second["a:1:x"]
    assert first["membership_probability"].tolist() == [0.99, 0.99]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2010-03-04", "2010-03-04", True),
        ("2010-03-04", "2010-04-03", True),  # day/month swapped
        ("2010-03-04", "2011-03-04", True),  # year off by one
        ("2010-03-04", "2010-03-07", True),  # one digit mistyped
        ("2010-03-14", "2010-03-41", True),  # two digits transposed (not a valid date, but typed)
        ("2010-03-04", "2012-03-05", False),
        ("2010-03-04", "1995-11-20", False),
        ("2010-03-04", "2010-05-06", False),
    ],
)
def test_dob_compatibility(a: str, b: str, expected: bool) -> None:
    assert dobs_compatible(a, b) is expected
    assert dobs_compatible(b, a) is expected


def test_a_registered_dob_is_never_joined_to_one_no_error_explains() -> None:
    # Same-name siblings at one address: the birth registration of the elder, and the
    # school record of the younger, born two years later. The model's 0.95 is overruled;
    # the elder's own school record, with day and month swapped, is still joined.
    mentions = pd.DataFrame(
        [
            ("births:B1:child", "births:B1", "2011-07-11", "births", "child"),
            ("schools:S1:pupil", "schools:S1", "2011-11-07", "schools", "pupil"),
            ("schools:S2:pupil", "schools:S2", "2013-04-20", "schools", "pupil"),
        ],
        columns=["mention_id", "record_key", "dob_str", "kind", "role"],
    )
    pairs = _pairs(
        [
            ("births:B1:child", "schools:S1:pupil", 0.97),
            ("births:B1:child", "schools:S2:pupil", 0.95),
        ]
    )
    result = cluster(mentions, pairs, ClusterOptions(threshold=0.9))
    assert _groups(result.entities) == {
        frozenset({"births:B1:child", "schools:S1:pupil"}),
        frozenset({"schools:S2:pupil"}),
    }
    assert result.refused_dob_conflict == 1
    lenient = ClusterOptions(threshold=0.9, registered_dob_conflicts=False)
    assert len(_groups(cluster(mentions, pairs, lenient).entities)) == 1
