"""Fixtures shared across the suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from resolver.pipeline import resolve
from synthetic import generate

# Property tests: `make test` replays the same examples every run (a change is judged on
# its own merits, never on a lucky draw); `make explore` searches afresh, ten times as long.
settings.register_profile("ci", max_examples=100, derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=1000, derandomize=False, deadline=None)
settings.load_profile(os.environ.get("REGLINK_HYPOTHESIS", "ci"))


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The default-size scenario (the demo's: seed 42, 3000 persons), resolved with defaults.

    Returns (data folder, run folder). Tests that write into the run folder must copy it.
    """
    root = tmp_path_factory.mktemp("default-scenario")
    generate(root / "data", seed=42, persons=3000)
    resolve(root / "data", root / "run")
    return root / "data", root / "run"
