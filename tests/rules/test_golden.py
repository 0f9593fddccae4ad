"""Golden cases: ``golden/<rule_id>/*.yaml``, each a small store and the flags it must raise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rules.engine import run_rules
from rules.registry import REGISTRY
from tests.rules.store_builder import build_store

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    case.setdefault("rule", path.parent.name)
    return case


def test_every_rule_has_golden_cases_that_fire_and_that_do_not() -> None:
    for rule_id in REGISTRY:
        cases = [_load(p) for p in sorted((GOLDEN / rule_id).glob("*.yaml"))]
        assert any(c["expect"] for c in cases), f"{rule_id}: no golden case that fires"
        assert any(not c["expect"] for c in cases), f"{rule_id}: no golden case that must not fire"


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_golden_case(path: Path) -> None:
    case = _load(path)
    rule_id = case["rule"]
    assert rule_id in REGISTRY, f"{path}: unknown rule {rule_id}"
    con = build_store(case)
    params = {rule_id: case.get("params") or {}}
    if case.get("scoring"):
        params["scoring"] = case["scoring"]
    run = run_rules(con, params=params, only=[rule_id])
    assert not run.failed, run.failed
    flags = {f["subject"]: f for f in run.flags.to_dict("records")}
    expected = case["expect"] or []
    assert sorted(flags) == sorted(e["subject"] for e in expected), (
        f"{path.name}: got flags on {sorted(flags)}"
    )
    for exp in expected:
        flag = flags[exp["subject"]]
        why = f"{path.name} {exp['subject']}: {flag['explanation']}"
        assert flag["rule_id"] == exp.get("rule_id", rule_id)
        if "subject_type" in exp:
            assert flag["subject_type"] == exp["subject_type"], why
        if "severity" in exp:
            assert flag["severity"] == exp["severity"], why
        assert exp.get("min_score", 0) <= flag["score"] <= exp.get("max_score", 100), why
        if "evidence" in exp:
            assert set(flag["evidence"]) == set(exp["evidence"]), why
        assert set(exp.get("evidence_includes", [])) <= set(flag["evidence"]), why
        for text in exp.get("explanation_contains", []):
            assert text in flag["explanation"], why
        for text in exp.get("summary_contains", []):
            assert text in flag["summary"], why
        for key, value in (exp.get("details") or {}).items():
            assert flag["details"].get(key) == value, f"{why} (details {key})"
        if "confidence" in exp:
            assert flag["confidence"] == pytest.approx(exp["confidence"]), why
