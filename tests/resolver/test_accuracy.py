"""Resolution accuracy against known truth: the project's scenario and the FEBRL sets.

These are the floors the resolver is held to (docs/resolution.md gives the measured figures);
a change that loses accuracy fails here, not in a benchmark nobody runs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reglink.datasets import export_febrl
from resolver.evaluate import Evaluation, evaluate, read_truth
from resolver.mapping import discover_sources
from resolver.pipeline import ResolveOptions, resolve
from resolver.store import open_store

pytestmark = pytest.mark.slow


def _entities(run_dir: Path) -> pd.DataFrame:
    with open_store(run_dir) as con:
        return con.execute(
            "SELECT e.mention_id, e.entity_id, e.source, m.record_key "
            "FROM entities e JOIN mentions m USING (mention_id)"
        ).df()


@pytest.fixture(scope="module")
def scenario_run(default_run: tuple[Path, Path]) -> tuple[Path, pd.DataFrame]:
    """The default-size scenario (the demo's), resolved with default options."""
    data_dir, run_dir = default_run
    return data_dir, _entities(run_dir)


@pytest.fixture(scope="module")
def scenario_evaluation(scenario_run: tuple[Path, pd.DataFrame]) -> Evaluation:
    data_dir, entities = scenario_run
    return evaluate(entities, read_truth(data_dir))


def test_scenario_meets_the_accuracy_floor(scenario_evaluation: Evaluation) -> None:
    assert scenario_evaluation.mentions_not_in_run == 0
    assert scenario_evaluation.pairwise_f1 >= 0.99
    assert scenario_evaluation.bcubed_f1 >= 0.995


def test_every_well_populated_source_pair_is_recalled(scenario_evaluation: Evaluation) -> None:
    weak = [
        row
        for row in scenario_evaluation.source_pair_recall
        if row["true_pairs"] >= 100 and row["recall"] < 0.95
    ]
    assert weak == []


def test_no_entity_holds_two_roles_of_one_record(scenario_run: tuple[Path, pd.DataFrame]) -> None:
    _, entities = scenario_run
    per_record = entities.groupby(["entity_id", "record_key"]).size()
    assert per_record.max() == 1


@pytest.mark.parametrize("decoy", ["twins", "common_name_strangers"])
def test_different_people_in_a_decoy_stay_apart(
    scenario_run: tuple[Path, pd.DataFrame], decoy: str
) -> None:
    data_dir, entities = scenario_run
    decoys = pd.read_csv(data_dir / "truth" / "decoys.csv", dtype=str, keep_default_na=False)
    mention_ids = {
        m for ids in decoys.loc[decoys["decoy"] == decoy, "mention_ids"] for m in ids.split(";")
    }
    assert mention_ids, f"the scenario plants no {decoy}"
    truth = read_truth(data_dir)
    members = entities.merge(truth, on="mention_id")
    members = members[members["mention_id"].isin(mention_ids)]
    people_per_entity = members.groupby("entity_id")["person_id"].nunique()
    merged = people_per_entity[people_per_entity > 1]
    assert merged.empty, f"{decoy}: entities joining different people: {list(merged.index)}"


@pytest.mark.parametrize("number", [2, 3, 4])
def test_febrl_reaches_the_floor(tmp_path: Path, number: int) -> None:
    data_dir = tmp_path / f"febrl{number}"
    export_febrl(number, data_dir)
    options = ResolveOptions(mapping=data_dir / "mapping.yaml")
    assert discover_sources(data_dir, options.mapping)
    resolve(data_dir, tmp_path / "run", options)
    result = evaluate(_entities(tmp_path / "run"), read_truth(data_dir))
    assert result.mentions_not_in_run == 0
    assert result.pairwise_f1 >= 0.998
