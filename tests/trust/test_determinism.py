"""Determinism: the same input, config and seed give byte-identical entities.csv, links.csv,
rejected.csv and flags, whatever the number of DuckDB threads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resolver.pipeline import _entities_table, _links_table
from synthetic import generate
from tests.trust.conftest import cli

OUTPUTS = ("entities.csv", "links.csv", "rejected.csv", "flags.csv", "flags.json")

#: Large enough that DuckDB splits Splink's EM sums over threads, which moves the last bits
#: of the trained m probabilities between thread counts (and between runs with 2 threads).
PERSONS = 5000


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("determinism") / "data"
    generate(out, seed=3, persons=PERSONS)
    return out


def _run(data: Path, out: Path, threads: int) -> dict[str, bytes]:
    result = cli("resolve", data, "--out", out, "--threads", str(threads), "--seed", "11")
    assert result.exit_code == 0, result.output
    result = cli("flag", out)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.mark.slow
def test_byte_identical_across_runs_and_thread_counts(data: Path, tmp_path: Path) -> None:
    one = _run(data, tmp_path / "t1", threads=1)
    two = _run(data, tmp_path / "t2", threads=2)
    again = _run(data, tmp_path / "t2-again", threads=2)
    for name in OUTPUTS:
        assert one[name] == two[name], f"{name} differs between 1 and 2 threads"
        assert two[name] == again[name], f"{name} differs between two runs"
    assert len(pd.read_csv(tmp_path / "t1" / "flags.csv")) > 0
    run_ids = {json.loads((tmp_path / d / "run.json").read_text())["run_id"] for d in ("t1", "t2")}
    assert len(run_ids) == 1, "the run id depends on the inputs and settings, not on threads"


def test_last_bit_noise_does_not_reach_the_outputs() -> None:
    rng = np.random.default_rng(0)
    pairs = pd.DataFrame(
        {
            "mention_id_l": [f"a:{i}:x" for i in range(200)],
            "mention_id_r": [f"b:{i}:x" for i in range(200)],
            "match_probability": rng.uniform(0.5, 1.0, 200),
            "match_weight": rng.uniform(-5, 30, 200),
        }
    )
    membership = pd.DataFrame(
        {
            "mention_id": [*pairs["mention_id_l"], *pairs["mention_id_r"]],
            "entity_id": [f"E{i}" for i in range(200)] * 2,
            "entity_size": 2,
            "membership_probability": [*pairs["match_probability"]] * 2,
        }
    )
    noisy_pairs = pairs.assign(
        match_probability=pairs["match_probability"] * (1 + 1e-13),
        match_weight=pairs["match_weight"] * (1 - 1e-13),
    ).sample(frac=1, random_state=1)
    noisy_membership = membership.assign(
        membership_probability=membership["membership_probability"] * (1 - 1e-13)
    )
    pd.testing.assert_frame_equal(
        _links_table(pairs, membership), _links_table(noisy_pairs, membership)
    )
    mentions = membership[["mention_id"]].sample(frac=1, random_state=2)
    pd.testing.assert_frame_equal(
        _entities_table(mentions, membership), _entities_table(mentions, noisy_membership)
    )
