"""Fixtures shared across the suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from resolver.pipeline import resolve
from synthetic import generate


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The default-size scenario (the demo's: seed 42, 3000 persons), resolved with defaults.

    Returns (data folder, run folder). Tests that write into the run folder must copy it.
    """
    root = tmp_path_factory.mktemp("default-scenario")
    generate(root / "data", seed=42, persons=3000)
    resolve(root / "data", root / "run")
    return root / "data", root / "run"
