"""Scenarios generated once per test session (small sizes keep the suite fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthetic import generate
from tests.synthetic.scenario import Scenario

SMALL = 600
NOISE_SIZE = 40_000


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small scenario on disk (seed 7)."""
    out = tmp_path_factory.mktemp("small")
    generate(out, seed=7, persons=SMALL)
    return out


@pytest.fixture(scope="session")
def small(small_dir: Path) -> Scenario:
    """The small scenario, loaded."""
    return Scenario.load(small_dir)


@pytest.fixture(scope="session")
def large(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """A scenario large enough for stable noise-rate estimates (default rates)."""
    out = tmp_path_factory.mktemp("large")
    generate(out, seed=11, persons=NOISE_SIZE)
    return Scenario.load(out)
