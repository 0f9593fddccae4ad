"""Audit: a run records who ran what on which inputs, so a flag can be traced to them; its
outputs are readable by their owner only."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import duckdb
import pandas as pd

from reglink import __version__
from resolver.audit import sha256_file
from tests.trust.conftest import cli


def _run_json(run: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((run / "run.json").read_text(encoding="utf-8"))


def test_run_json_records_command_versions_config_inputs_model_and_outputs(
    flagged_run: Path, scenario: Path
) -> None:
    facts = _run_json(flagged_run)
    assert facts["command"].startswith("reglink resolve ") and "--config" in facts["command"]
    assert facts["version"] == __version__
    assert facts["environment"]["packages"]["splink"] and facts["environment"]["host"]
    assert facts["started"] <= facts["finished"]
    config = facts["config"]
    assert config["sha256"] == sha256_file(Path(config["file"]))
    assert config["content"] == {"resolve": {"threshold": 0.9, "seed": 42}}
    by_source = {i["source"]: i for i in facts["inputs"]}
    for source in ("births", "visas", "schools", "missing", "watchlist"):
        assert by_source[source]["sha256"] == sha256_file(scenario / f"{source}.csv")
        assert (
            by_source[source]["rows_read"]
            == by_source[source]["accepted"] + by_source[source]["rejected"]
        )
    assert facts["model"] == {
        "supplied": None,
        "trained": True,
        "sha256": sha256_file(flagged_run / "model.json"),
    }
    assert facts["outputs"] == {n: sha256_file(flagged_run / n) for n in facts["outputs"]}
    assert set(facts["timings"]) >= {"ingest", "predict", "cluster", "write"}


def test_audit_log_traces_a_flag_to_its_input_file_and_row(
    flagged_run: Path, scenario: Path
) -> None:
    facts = _run_json(flagged_run)
    with duckdb.connect(str(flagged_run / "reglink.duckdb"), read_only=True) as con:
        events = con.execute("SELECT event, details FROM audit_log ORDER BY rowid").fetchall()
        flag = pd.read_csv(flagged_run / "flags.csv", dtype=str).iloc[0]
        mention = flag["evidence"].split(";")[0]
        source, record_id = con.execute(
            "SELECT source, record_id FROM mentions WHERE mention_id = ?", [mention]
        ).fetchone()  # type: ignore[misc]
        row = con.execute(
            f'SELECT "_row" FROM records_{source} WHERE record_id = ?', [record_id]
        ).fetchone()[0]  # type: ignore[index]
    assert [e for e, _ in events][:2] == ["resolve", "flag"]  # then any exports
    flag_event = json.loads(events[1][1])
    assert flag_event["run_id"] == facts["run_id"]
    assert flag_event["outputs"]["flags.csv"] == sha256_file(flagged_run / "flags.csv")
    [recorded] = [i for i in facts["inputs"] if i["source"] == source]
    assert recorded["sha256"] == sha256_file(Path(recorded["file"]))
    source_rows = pd.read_csv(recorded["file"], dtype=str, keep_default_na=False)
    assert source_rows.iloc[int(row) - 1].iloc[0] == record_id  # row 1 = first after header


def test_a_supplied_model_is_recorded_and_the_run_id_follows_the_inputs(
    flagged_run: Path, scenario: Path, tmp_path: Path
) -> None:
    model = flagged_run / "model.json"
    result = cli("resolve", scenario, "--out", tmp_path / "again", "--model", model)
    assert result.exit_code == 0, result.output
    facts = _run_json(tmp_path / "again")
    assert facts["model"]["supplied"] == {"file": str(model), "sha256": sha256_file(model)}
    assert facts["model"]["trained"] is False
    assert facts["run_id"] != _run_json(flagged_run)["run_id"]  # another model, another run


def test_outputs_are_readable_by_their_owner_only(flagged_run: Path) -> None:
    assert stat.S_IMODE(flagged_run.stat().st_mode) == 0o700
    for path in flagged_run.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_commands_on_a_missing_run_folder_say_so(tmp_path: Path) -> None:
    for command in ("flag", "evaluate"):
        extra = ["--truth", str(tmp_path)] if command == "evaluate" else []
        result = cli(command, tmp_path / "nowhere" / "run", *extra)
        assert result.exit_code == 1 and "not a reglink run folder" in result.output, command
