"""Cases join flags through shared subjects and evidence, and order the flag list."""

from __future__ import annotations

from typing import Any

from rules.cases import assign_cases, case_ranks


def _flag(flag_id: str, score: int, group: str, *evidence: str) -> dict[str, Any]:
    return {
        "flag_id": flag_id,
        "rule_id": flag_id.split("-")[0],
        "score": score,
        "group_id": group,
        "evidence": list(evidence),
    }


def test_flags_sharing_evidence_or_subject_form_one_case_transitively() -> None:
    flags = [
        _flag("father", 80, "G-father", "b:1:child", "b:2:child"),
        _flag("organiser", 40, "G-organiser", "b:2:child", "b:2:mother"),  # shares b:2:child
        _flag("organiser-address", 30, "G-address", "b:2:mother"),  # through the organiser
        _flag("stranger", 90, "G-stranger", "m:9:missing"),
        _flag("stranger-2", 20, "G-stranger", "m:8:missing"),  # same subject, other evidence
    ]
    cases = {f["flag_id"]: f["case_id"] for f in assign_cases(flags)}
    assert cases["father"] == cases["organiser"] == cases["organiser-address"]
    assert cases["stranger"] == cases["stranger-2"]
    assert cases["father"] != cases["stranger"]


def test_cases_rank_by_their_best_flag_and_keep_their_flags_together() -> None:
    flags = [
        _flag("child-1", 73, "G-c1", "v:1:applicant", "m:1:missing"),
        _flag("lone", 75, "G-lone", "m:5:missing"),
        _flag("cohort", 76, "G-cohort", "v:1:applicant", "v:2:applicant"),
        _flag("child-2", 72, "G-c2", "v:2:applicant", "m:2:missing"),
    ]
    ordered = assign_cases(flags)
    assert [f["flag_id"] for f in ordered] == ["cohort", "child-1", "child-2", "lone"]
    ranks = case_ranks([f["case_id"] for f in ordered])
    assert ranks[ordered[0]["case_id"]] == 1
    assert ranks[ordered[-1]["case_id"]] == 2


def test_case_ids_do_not_depend_on_input_order() -> None:
    flags = [
        _flag("a", 10, "G-a", "x:1:r"),
        _flag("b", 20, "G-b", "x:1:r"),
        _flag("c", 30, "G-c", "y:1:r"),
    ]
    forward = {f["flag_id"]: f["case_id"] for f in assign_cases(flags)}
    backward = {f["flag_id"]: f["case_id"] for f in assign_cases(flags[::-1])}
    assert forward == backward


def test_corroborating_rules_lift_a_case_above_a_lone_flag_of_equal_score() -> None:
    flags = [
        _flag("lone", 64, "G-lone", "m:5:missing"),
        _flag("father", 63, "G-father", "b:1:child"),
        _flag("enabler", 52, "G-enabler", "b:1:child"),
        _flag("enabler-2", 50, "G-enabler-2", "b:1:child"),  # same rule: counted once
    ]
    ordered = assign_cases(flags, corroboration=5)
    assert ordered[0]["flag_id"] == "father"
    assert ordered[0]["case_score"] == 68  # 63 + 5 for one further rule
    assert ordered[-1]["case_score"] == 64
    without = assign_cases(flags, corroboration=0)
    assert without[0]["flag_id"] == "lone"
