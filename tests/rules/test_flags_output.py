"""flags.csv / flags.json / flags table: contract columns, evidence records, safety, determinism."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd

from rules import run_rules, write_flags
from rules.engine import RuleRun, RuleStatus
from rules.flags import CSV_COLUMNS, FLAG_COLUMNS
from rules.store_schema import create_store_tables


def test_write_flags_files_and_table(
    case_study_store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    run = run_rules(case_study_store)
    paths = write_flags(run, case_study_store, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flags.csv", "flags.json"]

    with paths["csv"].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert list(CSV_COLUMNS[:7]) == [
        "flag_id",
        "rule_id",
        "subject",
        "score",
        "severity",
        "summary",
        "evidence",
    ]
    assert [r["flag_id"] for r in rows] == list(run.flags["flag_id"])
    father = next(r for r in rows if r["rule_id"] == "prolific_father")
    assert "births:B1:father" in father["evidence"].split(";")

    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [f["flag_id"] for f in doc["flags"]] == [r["flag_id"] for r in rows]
    assert {r["rule_id"] for r in doc["rules"]} >= {"prolific_father", "shared_enabler"}
    flag = next(f for f in doc["flags"] if f["rule_id"] == "prolific_father")
    assert set(flag) >= {"explanation", "details", "evidence", "evidence_records", "group_id"}
    records = {r["mention_id"]: r for r in flag["evidence_records"]}
    assert set(records) == set(flag["evidence"])
    b1 = records["births:B1:father"]
    assert (b1["source"], b1["record_id"], b1["role"], b1["row"]) == ("births", "B1", "father", 1)
    assert b1["fields"]["father_surname"] == "Smith"
    assert b1["fields"]["registration_date"] == "2018-03-20"
    assert records["watchlist:W1:subject"]["fields"]["category"] == "registered_sex_offender"
    assert "seconds" not in json.dumps(doc["rules"])

    table = case_study_store.execute(
        "SELECT flag_id, evidence, details->>'n_children' FROM flags "
        "WHERE rule_id = 'prolific_father'"
    ).fetchall()
    assert table[0][0] == flag["flag_id"]
    assert "births:B1:father" in table[0][1]
    assert table[0][2] == "6"
    n_rules = case_study_store.execute("SELECT count(*) FROM rule_runs").fetchone()
    assert n_rules == (len(run.statuses),)


def test_same_input_gives_same_bytes(
    case_study_store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_flags(run_rules(case_study_store), case_study_store, first)
    write_flags(run_rules(case_study_store), case_study_store, second)
    for name in ("flags.csv", "flags.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path: Path) -> None:
    flag = {
        "flag_id": "r-1", "rule_id": "r", "subject": "=cmd|' /C calc'!A0", "subject_type": "name",
        "score": 50, "severity": "medium", "summary": "@evil", "evidence": ["-m1", "m2"],
        "explanation": "+x", "confidence": 1.0, "group_id": "G-1", "case_id": "C-1",
        "case_score": 50, "details": {},
    }  # fmt: skip
    run = RuleRun(
        flags=pd.DataFrame([flag], columns=list(FLAG_COLUMNS)),
        statuses=[RuleStatus("r", "ok", 0.0, 1)],
    )
    con = duckdb.connect()
    create_store_tables(con)
    write_flags(run, con, tmp_path)
    with (tmp_path / "flags.csv").open(encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["subject"] == "'=cmd|' /C calc'!A0"
    assert row["summary"] == "'@evil"
    assert row["evidence"] == "'-m1;m2"
    assert row["explanation"] == "'+x"
    assert row["flag_id"] == "r-1"


def test_empty_run_writes_headers_and_empty_table(tmp_path: Path) -> None:
    con = duckdb.connect()
    run = RuleRun(
        flags=pd.DataFrame(columns=list(FLAG_COLUMNS)),
        statuses=[RuleStatus("prolific_father", "ok", 0.0, 0)],
    )
    write_flags(run, con, tmp_path / "out")
    assert (tmp_path / "out" / "flags.csv").read_text() == ",".join(CSV_COLUMNS) + "\n"
    doc = json.loads((tmp_path / "out" / "flags.json").read_text())
    assert doc["flags"] == []
    assert con.execute("SELECT count(*) FROM flags").fetchone() == (0,)
