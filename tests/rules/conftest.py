"""Fixtures shared by the rules tests."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from tests.rules.store_builder import build_store

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def case_study_store() -> duckdb.DuckDBPyConnection:
    """A store where several rules fire: the prolific father and the visa cohort cases."""
    births = yaml.safe_load((GOLDEN / "prolific_father" / "fires_case_study.yaml").read_text())
    visas = yaml.safe_load(
        (GOLDEN / "visa_cohort_no_show" / "fires_children_never_enrolled.yaml").read_text()
    )
    missing = yaml.safe_load(
        (GOLDEN / "missing_no_responsible_force" / "fires_child_at_airport.yaml").read_text()
    )
    case = {
        "records": {**births["records"], **visas["records"], **missing["records"]},
        "entities": {
            **births["entities"],
            "E_DUC": ["visas:V5:applicant", "missing:M1:missing"],
        },
    }
    return build_store(case)
