"""The command line as a user meets it: help, version, exit codes and readable errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from reglink import __version__
from reglink.cli import app

runner = CliRunner()

COMMANDS = (
    "synth",
    "resolve",
    "flag",
    "report",
    "stats",
    "run",
    "evaluate",
    "explain",
    "update",
    "demo",
    "export",
    "export-graph",
)


def test_version_and_help_list_every_command() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_text(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output.splitlines()) > 4


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["resolve"])
    assert result.exit_code == 2


def test_missing_data_folder_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["resolve", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 1
    assert "data folder not found" in result.output
    assert "Traceback" not in result.output


def test_evaluate_on_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(tmp_path), "--truth", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a reglink run folder" in result.output


@pytest.fixture(scope="module")
def febrl1_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    data = tmp_path_factory.mktemp("febrl1")
    run = data.parent / "febrl1-run"
    assert runner.invoke(app, ["synth", "--febrl", "1", "--out", str(data)]).exit_code == 0
    result = runner.invoke(
        app, ["resolve", str(data), "--mapping", str(data / "mapping.yaml"), "--out", str(run)]
    )
    assert result.exit_code == 0, result.output
    assert "febrl1" in result.output and "entities" in result.output
    return data, run


def test_resolve_writes_the_contract_outputs(febrl1_run: tuple[Path, Path]) -> None:
    _, run = febrl1_run
    for name in ("entities.csv", "links.csv", "rejected.csv", "model.json", "reglink.duckdb"):
        assert (run / name).is_file(), name
    entities = pd.read_csv(run / "entities.csv", dtype=str)
    assert list(entities.columns[:5]) == ["mention_id", "source", "record_id", "role", "entity_id"]
    assert entities["mention_id"].str.match(r"^febrl1:rec-\d+-(org|dup-\d+):person$").all()
    links = pd.read_csv(run / "links.csv")
    assert (links["match_probability"] >= 0.5).all()
    assert not list(run.glob(".*.tmp")), "temporary files left behind"


def test_evaluate_febrl1_reaches_the_floor(febrl1_run: tuple[Path, Path]) -> None:
    data, run = febrl1_run
    result = runner.invoke(app, ["evaluate", str(run), "--truth", str(data / "truth"), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["pairwise_precision"] >= 0.998
    assert figures["pairwise_f1"] >= 0.995


def test_explain_pair_and_entity(febrl1_run: tuple[Path, Path], tmp_path: Path) -> None:
    _, run = febrl1_run
    entities = pd.read_csv(run / "entities.csv", dtype=str)
    big = entities.groupby("entity_id")["mention_id"].apply(list)
    members = next(m for m in big if len(m) >= 2)
    result = runner.invoke(app, ["explain", str(run), members[0]])
    assert result.exit_code == 0, result.output
    assert "Weakest link" in result.output
    html = tmp_path / "waterfall.html"
    result = runner.invoke(app, ["explain", str(run), members[0], members[1], "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "in the same entity" in result.output
    assert "name" in result.output and "dob" in result.output
    assert html.is_file() and "vega" in html.read_text(encoding="utf-8").lower()
    assert html.stat().st_mode & 0o777 == 0o600  # it shows names and dates of birth
    result = runner.invoke(app, ["explain", str(run), "births:NOPE:child"])
    assert result.exit_code == 1 and "no mention" in result.output


def test_model_reuse_gives_the_same_entities(febrl1_run: tuple[Path, Path], tmp_path: Path) -> None:
    data, run = febrl1_run
    again = tmp_path / "again"
    result = runner.invoke(
        app,
        [
            "resolve",
            str(data),
            "--mapping",
            str(data / "mapping.yaml"),
            "--out",
            str(again),
            "--model",
            str(run / "model.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    first = pd.read_csv(run / "entities.csv", dtype=str)
    second = pd.read_csv(again / "entities.csv", dtype=str)
    pd.testing.assert_frame_equal(first, second)
