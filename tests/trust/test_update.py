"""Incremental updates: weekly batches agree with a full run, ids carry over, changes logged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from resolver.update import carry_ids
from synthetic import generate
from synthetic.batches import split_weekly
from tests.trust.conftest import assert_user_error, cli

pytestmark = pytest.mark.slow


def _clusters(run: Path) -> set[frozenset[str]]:
    entities = pd.read_csv(run / "entities.csv", dtype=str, keep_default_na=False)
    return {frozenset(g) for _, g in entities.groupby("entity_id")["mention_id"]}


def _ids(run: Path) -> dict[str, str]:
    entities = pd.read_csv(run / "entities.csv", dtype=str, keep_default_na=False)
    return dict(zip(entities["mention_id"], entities["entity_id"], strict=True))


@pytest.fixture(scope="module")
def weekly(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A scenario, its base and six weekly batches, resolved incrementally."""
    root = tmp_path_factory.mktemp("weekly")
    generate(root / "data", seed=5, persons=800)
    folders = split_weekly(root / "data", root / "batches", "2024-01-01", 6)
    run = root / "incremental"
    assert cli("resolve", folders[0], "--out", run).exit_code == 0
    snapshots = {"base": root / "after-base"}
    shutil.copytree(run, snapshots["base"])
    for folder in folders[1:]:
        result = cli("update", run, folder)
        assert result.exit_code == 0, result.output
        snapshots[folder.name] = root / f"after-{folder.name}"
        shutil.copytree(run, snapshots[folder.name])
    return {"data": root / "data", "run": run, "root": root, **snapshots}


def test_weekly_updates_agree_with_a_full_run_of_the_same_model(
    weekly: dict[str, Path], tmp_path: Path
) -> None:
    full = tmp_path / "full"
    model = weekly["base"] / "model.json"
    assert cli("resolve", weekly["data"], "--out", full, "--model", model).exit_code == 0
    assert _clusters(weekly["run"]) == _clusters(full)
    # every scored pair too: the update scores exactly what a full run would
    incremental = pd.read_csv(weekly["run"] / "links.csv")
    complete = pd.read_csv(full / "links.csv")
    assert incremental.equals(complete)


def test_unchanged_entities_keep_their_ids_and_changes_are_logged(
    weekly: dict[str, Path],
) -> None:
    before, after = _ids(weekly["week_05"]), _ids(weekly["week_06"])
    changes = pd.read_csv(weekly["week_06"] / "changes.csv", dtype=str, keep_default_na=False)
    assert set(changes["change"]) <= {"new", "grown", "merged", "split"}
    assert {"new", "grown"} <= set(changes["change"])
    touched = set(changes["entity_id"]) | {
        old for ids in changes["previous_ids"] for old in ids.split(";") if old
    }
    for mention, entity in before.items():
        if entity not in touched:
            assert after[mention] == entity, mention
    new_mentions = set(after) - set(before)
    assert int(changes["new_mentions"].astype(int).sum()) == len(new_mentions)
    flags = pd.read_csv(weekly["week_06"] / "flag_changes.csv", dtype=str, keep_default_na=False)
    assert set(flags["change"]) <= {"new", "changed", "gone"}
    assert (weekly["week_06"] / "report.html").is_file()


def test_the_audit_trail_survives_every_update(weekly: dict[str, Path]) -> None:
    with duckdb.connect(str(weekly["run"] / "reglink.duckdb"), read_only=True) as con:
        events = con.execute("SELECT event FROM audit_log ORDER BY logged_at, event").fetchall()
    counted = pd.Series([e for (e,) in events]).value_counts().to_dict()
    # the base resolve, then each of six weeks' update and its flag run
    assert counted == {"resolve": 1, "update": 6, "flag": 6}, counted


def test_an_update_with_unrelated_records_changes_no_existing_id(
    weekly: dict[str, Path], tmp_path: Path
) -> None:
    run = tmp_path / "run"
    shutil.copytree(weekly["run"], run)
    before = _ids(run)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "watchlist.csv").write_text(
        "subject_id,forenames,surname,dob,nationality,category,since\n"
        "WX1,Quillon,Zebrowskiova,1931-02-03,POL,known_facilitator,2026-01-05\n"
        "WX2,Ottoline,Vraskidakis,1944-07-08,GRC,ocg_member,2026-01-06\n",
        encoding="utf-8",
    )
    result = cli("update", run, batch)
    assert result.exit_code == 0, result.output
    after = _ids(run)
    assert {m: after[m] for m in before} == before
    changes = pd.read_csv(run / "changes.csv", dtype=str, keep_default_na=False)
    assert list(changes["change"]) == ["new", "new"]


def test_records_already_in_the_run_are_rejected_not_added_twice(
    weekly: dict[str, Path], tmp_path: Path
) -> None:
    run = tmp_path / "run"
    shutil.copytree(weekly["run"], run)
    mentions_before = len(_ids(run))
    result = cli("update", run, weekly["root"] / "batches" / "week_06")
    assert result.exit_code == 0, result.output
    assert len(_ids(run)) == mentions_before
    rejected = pd.read_csv(run / "rejected.csv", dtype=str, keep_default_na=False)
    again = rejected[rejected["reason"].str.startswith("id already in the run")]
    week = sum(len(pd.read_csv(p)) for p in (weekly["root"] / "batches" / "week_06").glob("*.csv"))
    assert len(again) == week
    assert (
        " read " in result.output
        and f"rejected {len(again[again['source'] == 'births']):>6}"
        in (
            " ".join(
                line for line in result.output.splitlines() if line.strip().startswith("births")
            )
        )
    )
    # each refused row is quoted as read, with its line, like any other rejected row
    births = pd.read_csv(
        weekly["root"] / "batches" / "week_06" / "births.csv", dtype=str, keep_default_na=False
    )
    first = again[again["source"] == "births"].iloc[0]
    assert first["line"] == "2"
    assert json.loads(first["raw"]) == births.iloc[0].to_dict()


def test_updating_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    assert_user_error(cli("update", tmp_path / "nothing", tmp_path / "new"), "not a resolved run")


def _membership(groups: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(m, e) for e, members in groups.items() for m in members]
    return pd.DataFrame(rows, columns=["mention_id", "entity_id"])


def test_a_merged_entity_keeps_the_id_of_its_oldest_part_and_ids_are_never_reused() -> None:
    old = _membership({"E-young": ["a:1:x", "a:2:x"], "E-old": ["b:1:x"], "E-c": ["c:1:x"]})
    registry = pd.DataFrame(
        {
            "entity_id": ["E-young", "E-old", "E-c"],
            "anchor_mention": ["a:1:x", "b:1:x", "c:1:x"],
            "created_batch": [2, 0, 0],
            "status": "active",
            "merged_into": None,
        }
    )
    # the new clustering joins E-young and E-old, and splits c:1:x from nothing new
    fresh = _membership(
        {"P1": ["a:1:x", "a:2:x", "b:1:x", "d:1:x"], "P2": ["c:1:x"], "P3": ["e:1:x"]}
    )
    out, reg, changes = carry_ids(fresh, old, registry, batch=3)
    ids = dict(zip(out["mention_id"], out["entity_id"], strict=True))
    assert ids["a:1:x"] == ids["b:1:x"] == ids["d:1:x"] == "E-old"
    assert ids["c:1:x"] == "E-c"
    assert ids["e:1:x"] not in {"E-young", "E-old", "E-c"}
    young = reg.set_index("entity_id").loc["E-young"]
    assert (young["status"], young["merged_into"]) == ("merged", "E-old")
    by_change = {r.change: r for r in changes.itertuples()}
    assert by_change["merged"].entity_id == "E-old"
    assert by_change["merged"].previous_ids == "E-young"
    assert by_change["new"].entity_id == ids["e:1:x"]


def test_a_split_keeps_the_id_where_the_anchor_stays() -> None:
    old = _membership({"E-1": ["a:1:x", "a:2:x", "a:3:x"]})
    registry = pd.DataFrame(
        {
            "entity_id": ["E-1"],
            "anchor_mention": ["a:1:x"],
            "created_batch": [0],
            "status": "active",
            "merged_into": None,
        }
    )
    fresh = _membership({"P1": ["a:1:x", "a:2:x"], "P2": ["a:3:x"]})
    out, _, changes = carry_ids(fresh, old, registry, batch=1)
    ids = dict(zip(out["mention_id"], out["entity_id"], strict=True))
    assert ids["a:1:x"] == ids["a:2:x"] == "E-1"
    assert ids["a:3:x"] != "E-1"
    assert sorted(changes["change"]) == ["split", "split"]


def test_split_weekly_keeps_every_record_and_puts_each_in_its_week(tmp_path: Path) -> None:
    generate(tmp_path / "data", seed=3, persons=400)
    result = cli("split-weekly", tmp_path / "data", "--out", tmp_path / "b", "--weeks", "4")
    assert result.exit_code == 0, result.output
    folders = [
        tmp_path / "b" / name for name in ("base", "week_01", "week_02", "week_03", "week_04")
    ]
    assert "week_04" in result.output
    dated = {
        "births": "registration_date",
        "visas": "decision_date",
        "schools": "enrol_date",  # or, before enrolment, the expected start
        "missing": "report_date",
        "watchlist": "since",
    }
    newest = pd.Timestamp("1900-01-01")
    for source, column in dated.items():
        whole = pd.read_csv(tmp_path / "data" / f"{source}.csv", dtype=str, keep_default_na=False)
        parts = [
            pd.read_csv(f / f"{source}.csv", dtype=str, keep_default_na=False) for f in folders
        ]
        ids = whole.columns[0]
        assert sorted(pd.concat(parts)[ids]) == sorted(whole[ids])  # nothing lost, nothing twice
        when = pd.to_datetime(whole[column].replace("", None))
        if source == "schools":
            when = when.fillna(pd.to_datetime(whole["expected_start_date"].replace("", None)))
        newest = max(newest, when.max())
    start = newest - pd.Timedelta(days=27)  # four whole weeks up to the newest record
    births = [pd.read_csv(f / "births.csv", dtype=str) for f in folders]
    assert (pd.to_datetime(births[0]["registration_date"]) < start).all()
    for week, part in enumerate(births[1:]):
        dates = pd.to_datetime(part["registration_date"])
        low, high = start + pd.Timedelta(weeks=week), start + pd.Timedelta(weeks=week + 1)
        assert ((dates >= low) & (dates < high)).all(), week


def test_split_weekly_refuses_a_folder_without_source_files(tmp_path: Path) -> None:
    result = cli("split-weekly", tmp_path, "--out", tmp_path / "b")
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())
    assert "no source files" in said and "births.csv" in said
    bad = cli("split-weekly", tmp_path, "--out", tmp_path / "b", "--start", "2024-13-01")
    assert bad.exit_code == 2


def test_split_weekly_is_private_and_never_mixes_with_an_earlier_split(tmp_path: Path) -> None:
    generate(tmp_path / "data", seed=3, persons=200)
    out = tmp_path / "b"
    assert cli("split-weekly", tmp_path / "data", "--out", out, "--weeks", "3").exit_code == 0
    assert {p.stat().st_mode & 0o777 for p in out.iterdir()} == {0o700}
    assert {p.stat().st_mode & 0o777 for p in out.glob("*/*.csv")} == {0o600}
    assert cli("split-weekly", tmp_path / "data", "--out", out, "--weeks", "3").exit_code == 0
    fewer = cli("split-weekly", tmp_path / "data", "--out", out, "--weeks", "2")
    assert fewer.exit_code == 2
    assert "week_03" in " ".join(fewer.output.replace("│", " ").split())


def test_split_weekly_refuses_what_it_cannot_split_faithfully(tmp_path: Path) -> None:
    generate(tmp_path / "data", seed=3, persons=200)

    def said(*args: str | Path) -> str:
        result = cli("split-weekly", tmp_path / "data", *args)
        assert result.exit_code == 2, result.output
        return " ".join(result.output.replace("│", " ").split())

    assert "YYYY-MM-DD" in said("--out", tmp_path / "a", "--start", "")
    assert "YYYY-MM-DD" in said("--out", tmp_path / "a", "--start", "2024")
    # a source file an earlier split wrote and this one would not replace
    (tmp_path / "b" / "base").mkdir(parents=True)
    (tmp_path / "b" / "base" / "notes.csv").write_text("x\n")
    assert "base/notes.csv" in said("--out", tmp_path / "b")
    # a Parquet source would be silently left out
    pd.read_csv(tmp_path / "data" / "watchlist.csv").to_parquet(
        tmp_path / "data" / "watchlist.parquet"
    )
    assert "watchlist.parquet" in said("--out", tmp_path / "c")


def test_split_weekly_ignores_a_mistyped_future_date_when_choosing_the_weeks(
    tmp_path: Path,
) -> None:
    generate(tmp_path / "data", seed=3, persons=200)
    clean = cli("split-weekly", tmp_path / "data", "--out", tmp_path / "clean", "--weeks", "3")
    visas = pd.read_csv(tmp_path / "data" / "visas.csv", dtype=str, keep_default_na=False)
    visas.loc[0, "decision_date"] = "2204-03-01"  # a typo that ingest rejects
    visas.to_csv(tmp_path / "data" / "visas.csv", index=False)
    typo = cli("split-weekly", tmp_path / "data", "--out", tmp_path / "typo", "--weeks", "3")
    assert clean.exit_code == typo.exit_code == 0
    for week in ("week_01", "week_02", "week_03"):
        births = [pd.read_csv(tmp_path / f / week / "births.csv") for f in ("clean", "typo")]
        assert births[0].equals(births[1]), week
