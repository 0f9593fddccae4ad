"""No lost or half-written data: a run killed part-way leaves the previous run folder intact
and usable, and running again completes with the same outputs as an uninterrupted run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from resolver import files
from resolver.audit import sha256_file
from resolver.errors import RunStateError
from resolver.files import recover_dir, replaced_dir
from synthetic import generate
from tests.trust.conftest import cli, digests

#: Runs reglink in a child process that kills itself (SIGKILL: no clean-up of any kind) once
#: the output named by argv[1] is completely written under its temporary name (a file staged
#: as ``.NAME.*.tmp`` counts as NAME), or, for "commit", once `flag` has committed its flags
#: with the store and before it moves the files into place.
KILLER = """
import os, signal, sys
from contextlib import contextmanager
import resolver.files, resolver.store, rules.flags
die_at = sys.argv[1]
original = resolver.files.atomic_path
@contextmanager
def dying(target):
    with original(target) as temporary:
        yield temporary
        if target.name == die_at or target.name.startswith("." + die_at + "."):
            os.kill(os.getpid(), signal.SIGKILL)
resolver.files.atomic_path = resolver.store.atomic_path = dying
if die_at == "commit":
    rules.flags.finish_renames = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
from reglink.cli import main
sys.argv = ["reglink", *sys.argv[2:]]
main()
"""
COMPARED = ("entities.csv", "links.csv", "rejected.csv")


@pytest.fixture(scope="module")
def runs(scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The previous run (of ``scenario``), new data, and a clean run of the new data."""
    root = tmp_path_factory.mktemp("interrupted")
    new = root / "new-data"
    generate(new, seed=6, persons=200)
    for name, data in (("previous", scenario), ("reference", new)):
        assert cli("resolve", data, "--out", root / name).exit_code == 0
    assert cli("flag", root / "previous").exit_code == 0
    return {
        "old": scenario,
        "new": new,
        "previous": root / "previous",
        "reference": root / "reference",
    }


def _child(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", KILLER, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
    )


def _killed_at(die_at: str, *args: str | Path) -> None:
    child = _child(die_at, *args)
    output, _ = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, output


def _killed_after_stage(stage: str, *args: str | Path) -> None:
    """Run the real command and SIGKILL it from outside once it reports ``stage``."""
    child = _child("-", *args)
    assert child.stdout is not None
    for line in child.stdout:
        if stage in line:
            child.send_signal(signal.SIGKILL)
            break
    child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL


def _leftovers(run: Path) -> list[str]:
    return sorted(
        p.name for p in run.parent.glob(f".{run.name}.*") if p.name != f".{run.name}.lock"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "kill",
    ["stage:done reading and validating sources", "links.csv", "reglink.duckdb", "run.json"],
)
def test_killed_resolve_keeps_the_previous_run_and_rerun_completes(
    runs: dict[str, Path], tmp_path: Path, kill: str
) -> None:
    run = tmp_path / "run"
    shutil.copytree(runs["previous"], run)
    before = digests(run)
    new_data_before = digests(runs["new"])
    model = runs["reference"] / "model.json"  # reusing the model keeps the test quick
    args = ("resolve", runs["new"], "--out", run, "--model", model)
    if kill.startswith("stage:"):
        _killed_after_stage(kill.removeprefix("stage:"), *args)
    else:
        _killed_at(kill, *args)

    assert digests(run) == before, "the previous run folder changed"
    assert _leftovers(run), "the interrupted run should have left its unfinished folder"
    result = cli("evaluate", run, "--truth", runs["old"] / "truth", "--json")
    assert result.exit_code == 0, result.output  # still a usable run

    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert _leftovers(run) == [], "stale temporary folders were not cleaned up"
    for name in COMPARED:
        assert (run / name).read_bytes() == (runs["reference"] / name).read_bytes(), name
    recorded = json.loads((run / "run.json").read_text())["outputs"]
    assert {n: sha256_file(run / n) for n in recorded} == recorded
    assert not (run / "flags.csv").exists(), "flags of the previous run must not survive"
    assert digests(runs["new"]) == new_data_before, "input files were changed"


#: A rule setting that changes the flags, so old and new flag sets can be told apart.
CHANGED = ("-p", "prolific_father.min_births=2")
FLAG_FILES = ("flags.csv", "flags.json")


def _store_flags(run: Path) -> list[tuple[object, ...]]:
    """The store's flags, read without the recovery that opening through reglink does."""
    with duckdb.connect(str(run / "reglink.duckdb"), read_only=True) as con:
        return con.execute("SELECT flag_id, score, summary FROM flags ORDER BY flag_id").fetchall()


@pytest.fixture(scope="module")
def reflagged(runs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The previous run flagged again, uninterrupted, with the changed setting."""
    run = tmp_path_factory.mktemp("reflagged") / "run"
    shutil.copytree(runs["previous"], run)
    assert cli("flag", run, *CHANGED).exit_code == 0
    assert (run / "flags.csv").read_bytes() != (runs["previous"] / "flags.csv").read_bytes()
    return run


@pytest.mark.slow
@pytest.mark.parametrize("kill", FLAG_FILES)
def test_flag_killed_before_its_commit_leaves_the_previous_flags_whole(
    runs: dict[str, Path], reflagged: Path, tmp_path: Path, kill: str
) -> None:
    run = tmp_path / "run"
    shutil.copytree(runs["previous"], run)
    before = {name: (run / name).read_bytes() for name in FLAG_FILES}
    stored = _store_flags(run)
    _killed_at(kill, "flag", run, *CHANGED)
    assert {name: (run / name).read_bytes() for name in FLAG_FILES} == before
    assert _store_flags(run) == stored, "the store's flags changed without their files"
    assert cli("evaluate", run, "--truth", runs["old"] / "truth").exit_code == 0
    assert {name: (run / name).read_bytes() for name in FLAG_FILES} == before
    result = cli("flag", run, *CHANGED)
    assert result.exit_code == 0, result.output
    for name in FLAG_FILES:
        assert (run / name).read_bytes() == (reflagged / name).read_bytes(), name
    assert not list(run.glob(".*.tmp")), "temporary files of the killed command were left"


def _flag_killed_after_commit(runs: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of the previous run, re-flagged with the changed setting and killed once the
    flags are committed with the store but before their files are moved into place."""
    run = tmp_path / "run"
    shutil.copytree(runs["previous"], run)
    _killed_at("commit", "flag", run, *CHANGED)
    return run


@pytest.mark.slow
def test_flag_killed_after_its_commit_is_completed_by_the_next_command(
    runs: dict[str, Path], reflagged: Path, tmp_path: Path
) -> None:
    before = (runs["previous"] / "flags.csv").read_bytes()
    run = _flag_killed_after_commit(runs, tmp_path)
    assert _store_flags(run) == _store_flags(reflagged)  # committed ...
    assert (run / "flags.csv").read_bytes() == before  # ... but not yet moved into place
    assert len(list(run.glob(".flags.*.tmp"))) == 2
    # any command that opens the run (here a read-only one) first puts the files in place
    assert cli("evaluate", run, "--truth", runs["old"] / "truth").exit_code == 0
    for name in FLAG_FILES:
        assert (run / name).read_bytes() == (reflagged / name).read_bytes(), name
    assert not list(run.glob(".*.tmp"))
    # the audit row committed with the flags describes exactly the files now in place
    with duckdb.connect(str(run / "reglink.duckdb"), read_only=True) as con:
        (details,) = con.execute(
            "SELECT details FROM audit_log WHERE event = 'flag' ORDER BY logged_at DESC LIMIT 1"
        ).fetchone()
    recorded = json.loads(details)
    assert recorded["params"]["prolific_father"]["min_births"] == 2
    assert recorded["outputs"] == {name: sha256_file(run / name) for name in FLAG_FILES}
    assert cli("flag", run, *CHANGED).exit_code == 0  # a writer forgets the finished set
    with duckdb.connect(str(run / "reglink.duckdb"), read_only=True) as con:
        tables = {
            row[0]
            for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    assert "pending_renames" not in tables and "flags" in tables


def test_a_folder_reglink_did_not_write_is_never_replaced(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "case-notes.txt").write_text("E123 is the father")
    result = cli("resolve", runs["new"], "--out", keep)
    assert result.exit_code == 1 and "is not one reglink wrote" in result.output
    assert (keep / "case-notes.txt").read_text() == "E123 is the father"


def test_a_run_folder_holding_the_inputs_is_refused(runs: dict[str, Path], tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(runs["previous"], run)
    shutil.copytree(runs["new"], run / "data")
    before = digests(run)
    result = cli("resolve", run / "data", "--out", run)
    assert result.exit_code == 1
    assert "is inside the run folder" in " ".join(result.output.split())
    assert digests(run) == before


def _replace(target: Path, text: str) -> None:
    with replaced_dir(target, replaceable=lambda p: (p / "marker").is_file()) as stage:
        assert stage.parent == target.parent and stage.stat().st_mode & 0o777 == 0o700
        (stage / "marker").write_text(text)


def _fail_part_way(target: Path) -> None:
    with replaced_dir(target, replaceable=lambda p: True) as stage:
        (stage / "marker").write_text("half")
        raise RuntimeError("stopped part-way")


@pytest.mark.parametrize("atomic_exchange", [True, False])
def test_replaced_dir_swaps_whole_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic_exchange: bool
) -> None:
    if not atomic_exchange:
        monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    target = tmp_path / "out"
    _replace(target, "one")
    _replace(target, "two")
    assert (target / "marker").read_text() == "two"
    assert _leftovers(target) == []
    with pytest.raises(RuntimeError, match="part-way"):
        _fail_part_way(target)
    assert (target / "marker").read_text() == "two" and _leftovers(target) == []


def test_a_swap_interrupted_between_its_two_renames_is_undone(tmp_path: Path) -> None:
    target = tmp_path / "run"
    _replace(target, "previous")
    previous = tmp_path / ".run.previous-0a1b2c3d"
    target.rename(previous)  # where the fallback swap stops if killed between its renames
    (tmp_path / ".run.staging-x").mkdir()
    assert recover_dir(target) and (target / "marker").read_text() == "previous"
    target.rename(previous)
    _replace(target, "next")  # the next run restores, then replaces, then cleans up
    assert (target / "marker").read_text() == "next" and _leftovers(target) == []


def test_a_folder_being_written_is_locked(tmp_path: Path) -> None:
    target = tmp_path / "run"
    with (
        replaced_dir(target, replaceable=lambda p: True),
        pytest.raises(RunStateError, match="another reglink command is writing"),
    ):
        _replace(target, "racing")
    assert target.is_dir()


@pytest.mark.slow
def test_committed_flags_whose_files_were_lost_are_an_error_until_flag_runs_again(
    runs: dict[str, Path], reflagged: Path, tmp_path: Path
) -> None:
    run = _flag_killed_after_commit(runs, tmp_path)
    for staged in run.glob(".flags.*.tmp"):  # as a copy that skips hidden files would
        staged.unlink()
    said = cli("evaluate", run, "--truth", runs["old"] / "truth")
    assert said.exit_code == 1
    assert "do not match the flags in the store" in " ".join(said.output.split())
    result = cli("flag", run, *CHANGED)
    assert result.exit_code == 0, result.output
    for name in FLAG_FILES:
        assert (run / name).read_bytes() == (reflagged / name).read_bytes(), name
    assert cli("evaluate", run, "--truth", runs["old"] / "truth").exit_code == 0
