"""The engine: isolation of failing rules, statuses, filtering, flag schema and grouping."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from resolver.errors import ConfigError, ReglinkError
from rules import FLAG_COLUMNS, REGISTRY, run_rules, write_flags
from rules.errors import RuleDefinitionError
from rules.params import Params, param_meta
from rules.registry import CONTRACT_RULE_IDS, Registry
from rules.rule import Finding, Row, Rule, Strength
from rules.store_schema import create_store_tables


@dataclass(frozen=True)
class _NoParams(Params):
    pass


class BrokenRule(Rule[_NoParams]):
    """Registered only in these tests: its SQL names a table that does not exist."""

    id = "broken_rule"
    title = "Deliberately broken"
    description = "Selects from a table that is not in the store."
    loophole = "None: a test of isolation."
    severity = "Never raises a flag."
    params = _NoParams()

    def sql(self, p: _NoParams) -> str:
        return "SELECT 'x' AS subject, ['m'] AS evidence FROM no_such_table"

    def assess(self, row: Row, p: _NoParams) -> Finding:
        return Finding(summary="", reason="", strength=Strength(0))


class CrashingAssess(BrokenRule):
    """Valid SQL, but ``assess`` raises."""

    id = "crashing_assess"

    def sql(self, p: _NoParams) -> str:
        return "SELECT 'x' AS subject, ['births:B1:father'] AS evidence"

    def assess(self, row: Row, p: _NoParams) -> Finding:
        raise ZeroDivisionError("boom")


class DuplicateSubjects(CrashingAssess):
    """Returns the same subject twice: an output-contract violation."""

    id = "duplicate_subjects"

    def sql(self, p: _NoParams) -> str:
        return "SELECT 'x' AS subject, ['m'] AS evidence UNION ALL SELECT 'x', ['m']"


def test_contract_rules_are_registered_in_order() -> None:
    assert tuple(REGISTRY) == CONTRACT_RULE_IDS


def test_a_broken_rule_is_reported_and_the_others_still_run(
    case_study_store: duckdb.DuckDBPyConnection,
) -> None:
    registry = REGISTRY.extended(BrokenRule, CrashingAssess, DuplicateSubjects)
    run = run_rules(case_study_store, registry=registry)
    status = {s.rule_id: s for s in run.statuses}
    assert [s.rule_id for s in run.statuses] == list(registry)
    assert status["broken_rule"].status == "failed"
    assert "no_such_table" in (status["broken_rule"].error or "")
    assert "broken_rule" in (status["broken_rule"].error or "")
    assert "ZeroDivisionError: boom" in (status["crashing_assess"].error or "")
    assert "twice" in (status["duplicate_subjects"].error or "")
    assert {s.rule_id for s in run.failed} == {
        "broken_rule",
        "crashing_assess",
        "duplicate_subjects",
    }
    fired = set(run.flags["rule_id"])
    assert {"prolific_father", "visa_cohort_no_show", "missing_no_responsible_force"} <= fired
    assert status["prolific_father"].status == "ok"
    assert status["prolific_father"].flags == 1
    frame = run.status_frame()
    assert list(frame.columns) == ["rule_id", "status", "seconds", "flags", "error"]


def test_rules_cope_with_an_empty_store() -> None:
    con = duckdb.connect()
    create_store_tables(con)
    run = run_rules(con)
    assert not run.failed
    assert run.flags.empty
    assert list(run.flags.columns) == list(FLAG_COLUMNS)


def test_only_runs_the_named_rules_and_rejects_unknown_ids(
    case_study_store: duckdb.DuckDBPyConnection,
) -> None:
    run = run_rules(case_study_store, only=["prolific_father"])
    assert [s.rule_id for s in run.statuses] == ["prolific_father"]
    assert set(run.flags["rule_id"]) == {"prolific_father"}
    with pytest.raises(ConfigError, match="no_such_rule"):
        run_rules(case_study_store, only=["no_such_rule"])


def test_flag_schema_sort_and_grouping(case_study_store: duckdb.DuckDBPyConnection) -> None:
    run = run_rules(case_study_store)
    flags = run.flags
    assert list(flags.columns) == list(FLAG_COLUMNS)
    case_best = flags.groupby("case_id")["score"].transform("max")
    assert (flags["case_score"] >= case_best).all()
    keys = list(
        zip(-flags["case_score"], flags["case_id"], -flags["score"], flags["flag_id"], strict=True)
    )
    assert keys == sorted(keys)
    assert flags["flag_id"].is_unique
    assert set(flags["severity"]) <= {"high", "medium", "low"}
    assert flags["score"].between(0, 100).all()
    for flag in flags.to_dict("records"):
        assert flag["flag_id"].startswith(flag["rule_id"] + "-")
        assert flag["evidence"] == sorted(set(flag["evidence"]))
        assert "Score " in flag["explanation"]
    # the boy seen at the airport is flagged by two rules on one entity: one group
    duc = flags[flags["subject"] == "E_DUC"]
    assert set(duc["rule_id"]) == {"missing_after_visa", "missing_no_responsible_force"}
    assert duc["group_id"].nunique() == 1
    assert flags["group_id"].nunique() == flags["subject"].nunique()
    # flags on one subject are always in one case; a case never splits a group
    assert (flags.groupby("group_id")["case_id"].nunique() == 1).all()


def test_flag_ids_are_deterministic(case_study_store: duckdb.DuckDBPyConnection) -> None:
    first = run_rules(case_study_store).flags
    second = run_rules(case_study_store).flags
    assert list(first["flag_id"]) == list(second["flag_id"])
    assert first.drop(columns=["details"]).equals(second.drop(columns=["details"]))
    subject = first.loc[first["rule_id"] == "prolific_father", "flag_id"].item()
    assert subject == "prolific_father-8698cfad12d0"  # rule id + hash of the subject


def test_params_change_what_fires(case_study_store: duckdb.DuckDBPyConnection) -> None:
    strict = run_rules(
        case_study_store, params={"prolific_father": {"min_births": 7}}, only=["prolific_father"]
    )
    assert strict.flags.empty
    assert strict.params["prolific_father"]["min_births"] == 7
    with pytest.raises(ConfigError, match=r"prolific_father\.min_birth"):
        run_rules(case_study_store, params={"prolific_father": {"min_birth": 4}})


def test_scoring_params_change_bands(case_study_store: duckdb.DuckDBPyConnection) -> None:
    run = run_rules(case_study_store, params={"scoring": {"high_from": 99, "medium_from": 98}})
    assert set(run.flags["severity"]) == {"low"}


def test_registry_rejects_bad_definitions() -> None:
    class NoMetadata(BrokenRule):
        id = "broken_rule"
        title = ""

    with pytest.raises(RuleDefinitionError, match="title"):
        Registry([NoMetadata])
    with pytest.raises(RuleDefinitionError, match="duplicate rule id 'broken_rule'"):
        Registry([BrokenRule, BrokenRule])

    @dataclass(frozen=True)
    class Undocumented(Params):
        limit: int = 3

    class BadParams(BrokenRule):
        id = "bad_params"
        params = Undocumented()  # type: ignore[assignment]

    with pytest.raises(RuleDefinitionError, match=r"bad_params\.limit: missing doc"):
        Registry([BadParams])

    @dataclass(frozen=True)
    class Untyped(Params):
        things: list[int] = field(default_factory=list, metadata=param_meta("untyped list"))

    class BadType(BrokenRule):
        id = "bad_type"
        params = Untyped()  # type: ignore[assignment]

    with pytest.raises(RuleDefinitionError, match=r"bad_type\.things: type"):
        Registry([BadType])
    assert issubclass(RuleDefinitionError, ReglinkError)


def test_prolific_father_sql_is_one_select() -> None:
    sql = REGISTRY["prolific_father"].sql(REGISTRY["prolific_father"].params).strip()
    assert sql.upper().startswith("WITH")
    assert ";" not in sql


def test_a_store_written_from_pandas_is_adapted(
    case_study_store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Dates stored as TIMESTAMP, integer widths, extra columns or a missing table still work."""
    expected = run_rules(case_study_store).flags[["flag_id", "score"]]
    loose = duckdb.connect()
    for (table,) in case_study_store.execute("SHOW TABLES").fetchall():
        if table == "records_watchlist":
            continue  # a store without the optional watchlist table at all
        frame = case_study_store.execute(f"SELECT * FROM {table}").df()  # dates -> datetime64
        if table == "entities":
            frame["forenames"] = "x"  # an extra column
        loose.register("frame", frame)
        loose.execute(f"CREATE TABLE {table} AS SELECT * FROM frame")
        loose.unregister("frame")
    types = dict(loose.execute("SELECT column_name, data_type FROM duckdb_columns() "
                               "WHERE table_name = 'records_births'").fetchall())  # fmt: skip
    assert types["registration_date"].startswith("TIMESTAMP")
    run = run_rules(loose)
    assert not run.failed
    got = run.flags[["flag_id", "score"]]
    father = expected[expected["flag_id"].str.startswith("prolific_father")]
    # without the watchlist the father's gravity is lower, everything else is the same
    assert set(got["flag_id"]) == set(expected["flag_id"])
    others = ~expected["flag_id"].isin(father["flag_id"])
    assert got.set_index("flag_id").loc[expected.loc[others, "flag_id"], "score"].tolist() == (
        expected.loc[others, "score"].tolist()
    )
    write_flags(run, loose, tmp_path)
    doc = json.loads((tmp_path / "flags.json").read_text(encoding="utf-8"))
    record = doc["flags"][0]["evidence_records"][0]["fields"]
    dates = [v for k, v in record.items() if k.endswith(("_date", "dob")) and v]
    assert dates
    assert all(len(d) == 10 for d in dates), dates  # ISO dates, not timestamps
