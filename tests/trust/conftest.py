"""Shared helpers for the trustworthy-runs tests: small scenarios and CLI calls."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner, Result

from reglink.cli import app
from synthetic import generate

runner = CliRunner()

WATCHLIST_HEADER = "subject_id,forenames,surname,dob,nationality,category,since\n"


def cli(*args: str | Path) -> Result:
    """Run ``reglink ARGS`` in-process."""
    return runner.invoke(app, [str(a) for a in args])


def assert_user_error(result: Result, *fragments: str) -> str:
    """Exit code 1, a one-line ``reglink: error:`` message holding every fragment, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    message = " ".join(result.output.split())
    assert "reglink: error:" in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic data folder (seed 5). Tests copy it before changing anything."""
    out = tmp_path_factory.mktemp("scenario") / "data"
    generate(out, seed=5, persons=200)
    return out


@pytest.fixture(scope="session")
def flagged_run(scenario: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``scenario`` resolved (with a config file) and flagged; tests must not change it."""
    root = tmp_path_factory.mktemp("flagged")
    config = root / "reglink.toml"
    config.write_text("[resolve]\nthreshold = 0.9\nseed = 42\n", encoding="utf-8")
    run = root / "run"
    for args in (("resolve", scenario, "--out", run, "--config", config), ("flag", run)):
        with mock.patch.object(sys, "argv", ["reglink", *map(str, args)]):  # as a shell sets it
            result = cli(*args)
        assert result.exit_code == 0, result.output
    return run
