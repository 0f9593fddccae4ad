"""Why each link scored what it did: per-comparison match weights, computed set-wise.

The run's model (``model.json``) rescores the wanted pairs in one Splink pass over the
store's ``comparison_input`` table: each pair's two mentions are copied under a pair key,
and a blocking rule on that key makes Splink compare exactly those pairs. Term-frequency
tables come from the whole ``comparison_input``, as when the run was scored, so the
weights add up to the match weight stored in ``links``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from reglink.explaining import _level_label
from resolver.store import STORE_NAME

Pair = tuple[str, str]


@dataclass(frozen=True)
class Contribution:
    """One comparison's part of a link's match weight."""

    comparison: str
    level: str
    #: the level's weight plus any term-frequency adjustment, in bits (log2 Bayes factor)
    weight: float
    #: the term-frequency adjustment included in ``weight``
    tf_adjustment: float


@dataclass(frozen=True)
class LinkWeights:
    """A scored pair and the contributions that add up to its match weight."""

    mention_l: str
    mention_r: str
    match_weight: float
    match_probability: float
    prior: float
    contributions: tuple[Contribution, ...]


def _load_settings(run_dir: Path) -> dict[str, Any] | None:
    path = run_dir / "model.json"
    if not path.is_file():
        return None
    settings: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return settings


def _tf_columns(settings: dict[str, Any]) -> list[str]:
    found = []
    for comparison in settings.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            column = level.get("tf_adjustment_column")
            if column and column not in found:
                found.append(column)
    return found


def link_weights(run_dir: Path, pairs: Iterable[Pair]) -> dict[Pair, LinkWeights]:
    """Contributions for each wanted pair (as given, left then right).

    Returns an empty mapping when the run has no model or no comparison input (a run
    written by another tool); pairs whose mentions are not in the input are left out.
    """
    wanted = sorted(set(pairs))
    settings = _load_settings(run_dir)
    if not wanted or settings is None:
        return {}
    from splink import DuckDBAPI

    from resolver.linkage import TERM_FREQUENCIES, model_linker

    settings_have_frozen_tf = bool(settings.get(TERM_FREQUENCIES))

    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS store (READ_ONLY)", [str(run_dir / STORE_NAME)])
        has_input = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'store' "
            "AND table_name = 'comparison_input'"
        ).fetchone()
        if not has_input or not has_input[0]:
            return {}
        con.execute("CREATE TABLE comparison_input AS SELECT * FROM store.comparison_input")
        con.execute("DETACH store")
        frame = pd.DataFrame(
            {"k": range(len(wanted)), "l": [p[0] for p in wanted], "r": [p[1] for p in wanted]}
        )
        con.register("wanted_pairs", frame)
        side = (
            "SELECT c.* REPLACE (printf('%09d|', w.k) || c.mention_id AS mention_id), "
            "w.k AS _pair FROM wanted_pairs AS w JOIN comparison_input AS c "
            "ON c.mention_id = w.{0}"
        )
        con.execute(
            f"CREATE TABLE pair_mentions AS {side.format('l')} UNION ALL {side.format('r')}"
        )
        api = DuckDBAPI(connection=con)
        linker, settings = model_linker(
            api,
            api.register("comparison_input", table_name="comparison_input"),
            settings,
            retain_columns=True,
        )
        if not settings_have_frozen_tf:
            for column in _tf_columns(settings):
                linker.table_management.compute_tf_table(column)
        scored = linker.inference.predict_within(
            api.register("pair_mentions", table_name="pair_mentions"),
            blocking_rules_to_generate_predictions=["l._pair = r._pair"],
            warning_mode="never",
        ).as_pandas_dataframe()
    finally:
        con.close()
    return _collect(scored, wanted, settings)


def _collect(
    scored: pd.DataFrame, wanted: list[Pair], settings: dict[str, Any]
) -> dict[Pair, LinkWeights]:
    prior_p = float(settings.get("probability_two_random_records_match") or 1e-4)
    prior = math.log2(prior_p / (1 - prior_p))
    comparisons = settings["comparisons"]
    out: dict[Pair, LinkWeights] = {}
    for record in scored.to_dict("records"):
        k = int(str(record["mention_id_l"]).split("|", 1)[0])
        pair = wanted[k]
        parts = []
        for comparison in comparisons:
            name = comparison["output_column_name"]
            tf = _number(record.get(f"mw_tf_adj_{name}"))
            parts.append(
                Contribution(
                    comparison=name,
                    level=_level_label(
                        comparison["comparison_levels"], record.get(f"gamma_{name}")
                    ),
                    weight=_number(record.get(f"mw_{name}")) + tf,
                    tf_adjustment=tf,
                )
            )
        out[pair] = LinkWeights(
            mention_l=pair[0],
            mention_r=pair[1],
            match_weight=float(record["match_weight"]),
            match_probability=float(record["match_probability"]),
            prior=prior,
            contributions=tuple(parts),
        )
    return out


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    number = float(value)
    return 0.0 if math.isnan(number) else number
