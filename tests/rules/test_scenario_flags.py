"""The catalogue on the project's default scenario, resolved for real: the case study's
patterns surface at the top, every planted pattern is found, and no decoy is flagged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from reglink.flag_evaluation import FlagEvaluation, evaluate_flags
from resolver.store import open_store
from rules import run_rules, write_flags

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def flagged(
    default_run: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> FlagEvaluation:
    data_dir, resolved = default_run
    run_dir = tmp_path_factory.mktemp("scenario-flags") / "run"
    shutil.copytree(resolved, run_dir)
    with open_store(run_dir, read_only=False) as con:
        run = run_rules(con)
        assert not run.failed, run.failed
        write_flags(run, con, run_dir)
    flags = pd.read_csv(run_dir / "flags.csv", dtype={"score": int}, keep_default_na=False)
    return evaluate_flags(flags, data_dir / "truth")


def test_every_planted_pattern_is_flagged_by_its_rule(flagged: FlagEvaluation) -> None:
    missed = [(p.pattern, p.subject) for p in flagged.planted if not p.found]
    assert missed == []


def test_both_paternity_rings_and_the_no_show_cohort_are_top_five_cases(
    flagged: FlagEvaluation,
) -> None:
    headline = [
        p for p in flagged.planted if p.pattern in ("prolific_father", "visa_cohort_no_show")
    ]
    assert len(headline) == 3  # ring A, ring B and the cohort
    assert all(p.case_rank is not None and p.case_rank <= 5 for p in headline), headline


def test_no_decoy_is_flagged(flagged: FlagEvaluation) -> None:
    assert flagged.decoys_flagged == []
