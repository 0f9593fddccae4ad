"""The Spark engine in local mode agrees with DuckDB: same pairs, entities and flags.

One local Spark session serves the whole module (start-up is the slow part), on a small
scenario. Spark trains a model and resolves; DuckDB then scores with that model.json, so
nothing but the engine differs; a DuckDB-trained run checks that Spark's training makes
the same entities too.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from resolver.linkage import LinkageOptions
from resolver.pipeline import ResolveOptions, resolve
from resolver.store import open_store, read_summary
from rules import REGISTRY, run_rules, write_flags
from synthetic import generate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
        reason="the Spark engine needs Java 17 or later (no java on PATH, no JAVA_HOME)",
    ),
]

#: Small-data settings: one shuffle partition, no broadcasts, no adaptive re-planning.
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "2",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.autoBroadcastJoinThreshold": "-1",
    "spark.ui.enabled": "false",
    "spark.driver.memory": "1g",
}


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from resolver.engines.spark_engine import spark_session

    session = spark_session("local[2]", LOCAL_CONF, app_name="reglink-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("spark-scenario") / "data"
    generate(data, seed=7, persons=600)
    return data


def _flag_duckdb(run_dir: Path) -> None:
    with open_store(run_dir, read_only=False) as con:
        run = run_rules(con)
        assert not run.failed, run.failed
        write_flags(run, con, run_dir)


def _spark_engine(spark: Any) -> Any:
    from resolver.engines.spark_engine import SparkEngine

    return SparkEngine(spark, break_lineage="persist", partitions=1)


@pytest.fixture(scope="module")
def spark_run(scenario: Path, spark: Any) -> Path:
    """Trained and resolved on Spark, then flagged on Spark from its Parquet tables."""
    from reglink.spark import write_flags_parquet
    from rules.spark_store import SparkStore

    run_dir = scenario.parent / "spark"
    engine = _spark_engine(spark)
    try:
        resolve(scenario, run_dir, engine=engine)
    finally:
        engine.close()
    with open_store(run_dir, read_only=False) as con:
        summary = read_summary(con)
        run = run_rules(SparkStore.from_parquet(spark, summary["tables"]["location"]))
        assert not run.failed, run.failed
        assert set(run.flags["rule_id"]) == set(REGISTRY)  # every rule ran and fired on Spark
        write_flags(run, con, run_dir)
        write_flags_parquet(spark, run, summary)
    return run_dir


@pytest.fixture(scope="module")
def duckdb_run(scenario: Path, spark_run: Path) -> Path:
    """The same input resolved and flagged by DuckDB with the model Spark trained."""
    run_dir = scenario.parent / "duckdb"
    options = ResolveOptions(linkage=LinkageOptions(model_path=spark_run / "model.json"))
    resolve(scenario, run_dir, options)
    _flag_duckdb(run_dir)
    return run_dir


def test_same_model_scores_the_same_pairs(duckdb_run: Path, spark_run: Path) -> None:
    duck = pd.read_csv(duckdb_run / "links.csv")
    spark = pd.read_csv(spark_run / "links.csv")
    keys = ["mention_id_l", "mention_id_r"]
    assert duck[keys].equals(spark[keys])
    assert duck["in_entity"].equals(spark["in_entity"])
    # The engines sum the same weights in another order: equal to the last bits or so.
    assert (duck["match_probability"] - spark["match_probability"]).abs().max() < 1e-12


def test_same_model_makes_the_same_entities(duckdb_run: Path, spark_run: Path) -> None:
    duck = pd.read_csv(duckdb_run / "entities.csv", keep_default_na=False)
    spark = pd.read_csv(spark_run / "entities.csv", keep_default_na=False)
    probability = "membership_probability"
    assert spark.drop(columns=probability).equals(duck.drop(columns=probability))
    spark_p = pd.to_numeric(spark[probability], errors="coerce")
    duck_p = pd.to_numeric(duck[probability], errors="coerce")
    assert spark_p.isna().equals(duck_p.isna())
    assert (spark_p - duck_p).abs().max() < 1e-12


def test_rules_on_spark_raise_the_same_flags(duckdb_run: Path, spark_run: Path) -> None:
    assert (spark_run / "flags.csv").read_bytes() == (duckdb_run / "flags.csv").read_bytes()
    duck = json.loads((duckdb_run / "flags.json").read_text(encoding="utf-8"))
    spark = json.loads((spark_run / "flags.json").read_text(encoding="utf-8"))
    assert [f["flag_id"] for f in spark["flags"]] == [f["flag_id"] for f in duck["flags"]]
    assert spark == duck  # subjects, evidence, scores, explanations, details


def test_spark_run_writes_its_tables_as_parquet(spark_run: Path) -> None:
    with open_store(spark_run) as con:
        summary = read_summary(con)
        assert summary["engine"] == "spark"
        location = Path(summary["tables"]["location"])
        for table in ("entities", "links", "mentions", "records_births", "flags"):
            stored = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert stored is not None
            assert pq.read_table(location / table).num_rows == stored[0]


def test_spark_trained_model_is_duckdb_sql_and_makes_duckdbs_entities(
    scenario: Path, spark_run: Path
) -> None:
    """Training on Spark samples u with Spark's random numbers, so its u values differ a
    little from DuckDB's training; the entities do not. Its model.json is DuckDB SQL."""
    trained_here = scenario.parent / "duckdb-trained"
    resolve(scenario, trained_here)
    duck = pd.read_csv(trained_here / "entities.csv")
    spark = pd.read_csv(spark_run / "entities.csv")
    assert spark[["mention_id", "entity_id"]].equals(duck[["mention_id", "entity_id"]])

    def sql(run_dir: Path) -> tuple[Any, ...]:
        model = json.loads((run_dir / "model.json").read_text(encoding="utf-8"))
        levels = [
            [lv["sql_condition"] for lv in c["comparison_levels"]] for c in model["comparisons"]
        ]
        return model["sql_dialect"], levels, model["blocking_rules_to_generate_predictions"]

    assert sql(spark_run) == sql(trained_here)


def test_spark_functions_equal_duckdbs(spark: Any) -> None:
    """The rewrites for functions Spark lacks or means differently, on awkward values."""
    from resolver.engines.spark_functions import prepare
    from resolver.engines.spark_sql import to_spark

    prepare(spark)
    names = ["", "a", "ab", "martha", "marhta", "Nguyễn Thị Ánh", "ΠΑΠΑΣ", "İpek", "dwayne"]
    dates = ["2000-02-29", "2001-02-28", "2001-03-01", "2000-03-31", "2001-03-30", "2010-05-05"]
    values = ", ".join(
        f"('{a}', '{b}', DATE '{d}', DATE '{e}')"
        for a, b, d, e in zip(
            names, reversed(names), dates + dates[:3], list(reversed(dates * 2))[:9], strict=True
        )
    )
    sql = f"""
    SELECT a, b,
           jaro_winkler_similarity(a, b) AS jw,
           damerau_levenshtein(a, b) AS dl,
           lower(strip_accents(a)) AS folded,
           datesub('year', d, e) AS years,
           date_diff('day', d, e) AS days,
           list_has_any([a, NULL], [b]) AS has_any,
           len(list_intersect([a, b, NULL], [b, NULL])) AS shared,
           list_has_all([a, b], [a, NULL]) AS has_all,
           list_distinct([a, NULL, a]) AS distinct_values,
           flatten([[a], NULL, [b]]) AS flat,
           list_concat([a], NULL) AS concat,
           len(list_filter([a, b], lambda k: jaro_winkler_similarity(k, strip_accents(b)) > 0.9))
               AS alike
    FROM (VALUES {values}) AS t(a, b, d, e)
    ORDER BY a, b
    """
    duck = duckdb.sql(sql).fetchall()
    _spark_engine(spark).close()  # registers Splink's jar functions (damerau_levenshtein)
    spark_rows = [tuple(r) for r in spark.sql(to_spark(sql)).collect()]
    assert spark_rows == duck
