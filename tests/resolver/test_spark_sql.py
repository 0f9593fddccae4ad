"""DuckDB to Spark SQL translation, without Spark: what is rewritten and what is refused.

Running the translated SQL on Spark, against DuckDB's results, is tests/spark's job.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlglot

from resolver import model
from resolver.engines.spark_sql import NotPortableError, to_spark
from rules.engine import _CONTEXT_SQL
from rules.registry import REGISTRY

#: DuckDB functions that must never reach Spark under their DuckDB name.
DUCKDB_ONLY = (
    "LIST_HAS_ANY",
    "LIST_HAS_ALL",
    "LIST_INTERSECT",
    "LIST_FILTER",
    "LIST_CONCAT",
    "STRIP_ACCENTS(",
    "JAROWINKLER",
    "JARO_WINKLER_SIMILARITY",
    "DATESUB",
    "DATE_DIFF",
    " && ",
    "BY NAME",
    "EXCLUDE",
    "NOT MATERIALIZED",
)


def _no_duckdb_only(sql: str) -> list[str]:
    upper = sql.upper()
    return [f for f in DUCKDB_ONLY if f in upper.replace("REGLINK_STRIP_ACCENTS(", "")]


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_every_rule_translates_to_spark_sql(rule_id: str) -> None:
    rule = REGISTRY[rule_id]
    wrapped = _CONTEXT_SQL.format(prelude="", rule_sql=rule.sql(rule.params), minor_age=18)
    spark = to_spark(wrapped)
    assert _no_duckdb_only(spark) == []
    sqlglot.parse_one(spark, read="spark")  # and Spark's dialect reads it back


def test_every_model_condition_translates() -> None:
    settings = model.settings(list(model.OPTIONAL_COMPARISONS)).create_settings_dict("duckdb")
    lists = {f"{c}_{s}" for c in ("surname_aliases", "name_tokens", "relative_keys") for s in "lr"}
    conditions = [
        level["sql_condition"]
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level["sql_condition"] != "ELSE"
    ] + [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]]
    for condition in conditions:
        spark = to_spark(condition, list_columns=lists)
        assert _no_duckdb_only(spark) == [], condition
    assert to_spark("len(relative_keys_l) = 0", list_columns=lists) == "SIZE(relative_keys_l) = 0"


def test_list_aggregates_keep_duckdbs_order_nulls_and_empty_groups() -> None:
    spark = to_spark("SELECT list(DISTINCT x ORDER BY x) FILTER (WHERE y) FROM t")
    assert "ARRAY_SORT(TRANSFORM(COLLECT_LIST(DISTINCT STRUCT(x AS v))" in spark
    assert "CASE WHEN COUNT(1) FILTER(WHERE y) > 0" in spark  # NULL over no rows
    last = to_spark("SELECT last(s ORDER BY d, m) FROM t")
    assert last.startswith("SELECT MAX_BY(s, STRUCT((d) IS NULL AS _n0, (d) AS _k0")


def test_length_is_size_only_for_lists() -> None:
    assert to_spark("len(string_split(x, ' '))").startswith("SIZE(")
    assert to_spark("len(coalesce(xs, []))").startswith("SIZE(")
    assert to_spark("length(name)") == "LENGTH(name)"


def test_row_in_subquery_compares_nulls_as_duckdb_does() -> None:
    spark = to_spark("SELECT 1 FROM v WHERE (a, b) IN (SELECT (c, d) FROM t)")
    assert "EXISTS(SELECT 1 FROM (SELECT c AS _k0, d AS _k1 FROM t) AS _in" in spark
    assert "_in._k0 IS NOT DISTINCT FROM (a)" in spark


def test_dates_and_patterns() -> None:
    assert to_spark("date_diff('day', a, b)") == "DATEDIFF(b, a)"
    assert "DIV 12" in to_spark("datesub('year', a, b)")
    assert to_spark(r"regexp_replace(x, '\s+', ' ', 'g')") == (
        r"REGEXP_REPLACE(x, '[\\t\\n\\f\\r ]+', ' ')"
    )


def test_invariant_accents_are_hoisted_out_of_lambdas() -> None:
    spark = to_spark("len(list_filter(ks, lambda k: k = strip_accents(y) OR k = strip_accents(k)))")
    assert "STRUCT(ks AS a, REGLINK_STRIP_ACCENTS(y) AS h0)" in spark  # once, outside
    assert "TRANSLATE(k," in spark  # the one that depends on k is inlined


@pytest.mark.parametrize(
    ("sql", "construct"),
    [
        ("SELECT * FROM a UNION ALL BY NAME SELECT * FROM b", "UNION BY NAME"),
        ("regexp_replace(x, 'a', 'b')", "regexp_replace"),
        ("datesub('day', a, b)", "datesub"),
        ("date_diff('month', a, b)", "date_diff"),
        ("SELECT list(DISTINCT x ORDER BY y) FROM t", "list(DISTINCT"),
    ],
)
def test_constructs_without_a_spark_equivalent_are_refused(sql: str, construct: str) -> None:
    with pytest.raises(NotPortableError, match="^" + construct.split("(")[0]):
        to_spark(sql)


def test_the_duckdb_path_never_imports_pyspark() -> None:
    code = (
        "import sys\n"
        "import reglink.cli, resolver.pipeline, resolver.linkage, rules.engine\n"
        "from resolver.engines import spark_sql\n"
        "print('pyspark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
