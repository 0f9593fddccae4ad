"""`reglink explain`: why two mentions were (not) linked, and what holds an entity together."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table
from splink import DuckDBAPI

from resolver.errors import InputError, RunStateError
from resolver.files import atomic_path
from resolver.linkage import model_linker
from resolver.store import STORE_NAME, open_store


def _mention_row(con: duckdb.DuckDBPyConnection, mention_id: str) -> dict[str, Any]:
    rows = con.execute(
        "SELECT m.*, e.entity_id, e.entity_size, e.membership_probability "
        "FROM mentions m JOIN entities e USING (mention_id) WHERE mention_id = ?",
        [mention_id],
    ).df()
    if rows.empty:
        raise InputError(
            f"no mention {mention_id!r} in this run (ids look like births:B0000001:child)"
        )
    return dict(rows.iloc[0])


def explain_entity(console: Console, run_dir: Path, mention_id: str) -> None:
    """Print an entity's members, the links that join them, and its weakest link."""
    with open_store(run_dir) as con:
        mention = _mention_row(con, mention_id)
        members = con.execute(
            "SELECT mention_id, m.forenames, m.surname, m.dob, m.sex, m.postcode, "
            "e.membership_probability "
            "FROM entities e JOIN mentions m USING (mention_id) "
            "WHERE e.entity_id = ? ORDER BY mention_id",
            [mention["entity_id"]],
        ).df()
        weakest = con.execute(
            "SELECT l.* FROM links l JOIN entities a ON a.mention_id = l.mention_id_l "
            "JOIN entities b ON b.mention_id = l.mention_id_r "
            "WHERE l.in_entity AND a.entity_id = ? AND b.entity_id = ? "
            "ORDER BY match_probability, mention_id_l LIMIT 1",
            [mention["entity_id"], mention["entity_id"]],
        ).df()
    table = Table(title=f"Entity {mention['entity_id']} ({len(members)} mentions)")
    for column in ("mention", "forenames", "surname", "dob", "sex", "postcode", "linked at"):
        table.add_column(column)
    for row in members.itertuples():
        probability = row.membership_probability
        table.add_row(
            str(row.mention_id),
            _text(row.forenames),
            _text(row.surname),
            _text(row.dob)[:10],
            _text(row.sex),
            _text(row.postcode),
            "-" if _missing(probability) else f"{probability:.4f}",
        )
    console.print(table)
    if weakest.empty:
        console.print("A single mention: nothing links it to another above the threshold.")
    else:
        link = weakest.iloc[0]
        pair = f"{link['mention_id_l']} {link['mention_id_r']}"
        console.print(
            f"Weakest link: {pair} at probability {link['match_probability']:.4f}. "
            f"Run 'reglink explain {run_dir} {pair}' for why."
        )


def explain_pair(
    console: Console, run_dir: Path, mention_a: str, mention_b: str, html: Path | None
) -> None:
    """Score the pair with the run's model and print each comparison's contribution."""
    model_path = run_dir / "model.json"
    if not model_path.is_file():
        raise RunStateError(f"{run_dir}: no model.json in this run folder")
    settings = json.loads(model_path.read_text(encoding="utf-8"))
    with open_store(run_dir) as store:
        left, right = _mention_row(store, mention_a), _mention_row(store, mention_b)
        kept = store.execute(
            "SELECT match_probability FROM links "
            "WHERE (mention_id_l, mention_id_r) IN ((?, ?), (?, ?))",
            [mention_a, mention_b, mention_b, mention_a],
        ).fetchall()
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ? AS store (READ_ONLY)", [str(run_dir / STORE_NAME)])
    con.execute("CREATE TABLE mentions AS SELECT * FROM store.comparison_input")
    con.execute("DETACH store")
    for side, mention_id in (("pair_l", mention_a), ("pair_r", mention_b)):
        con.execute(
            f"CREATE TABLE {side} AS SELECT * FROM mentions WHERE mention_id = ?", [mention_id]
        )
    api = DuckDBAPI(connection=con)
    linker, settings = model_linker(
        api, api.register("mentions", table_name="mentions"), settings, retain_columns=True
    )
    scored = linker.inference.score_pair(
        api.register("pair_l", table_name="pair_l"),
        api.register("pair_r", table_name="pair_r"),
        include_found_by_blocking_rules=True,
    )
    record = scored.as_record_list()[0]
    _print_pair(console, settings, record, left, right, kept)
    if html is not None:
        chart = linker.visualisations.waterfall_chart([record], filter_nulls=False)
        with atomic_path(html) as temporary:  # owner-only: the chart shows names and dates
            chart.save(str(temporary), format="html")
        console.print(f"waterfall chart: [bold]{html}[/]")
    con.close()


def _print_pair(
    console: Console,
    settings: dict[str, Any],
    record: dict[str, Any],
    left: dict[str, Any],
    right: dict[str, Any],
    kept: list[tuple[Any, ...]],
) -> None:
    table = Table(title=f"{left['mention_id']}  vs  {right['mention_id']}")
    for column in ("comparison", "level", "match weight"):
        table.add_column(column)
    prior = settings.get("probability_two_random_records_match", 0.0001)
    table.add_row("prior", "two random mentions", f"{math.log2(prior / (1 - prior)):+.2f}")
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        gamma = record.get(f"gamma_{name}")
        label = _level_label(comparison["comparison_levels"], gamma)
        weight = (record.get(f"mw_{name}") or 0.0) + (record.get(f"mw_tf_adj_{name}") or 0.0)
        table.add_row(name, label, f"{weight:+.2f}")
    table.add_row("total", "", f"{record['match_weight']:+.2f}")
    console.print(table)
    same_entity = left["entity_id"] == right["entity_id"]
    found = bool(record.get("found_by_blocking_rules"))
    console.print(
        f"match probability {record['match_probability']:.4f}; "
        f"{'in the same entity' if same_entity else 'in different entities'} "
        f"({left['entity_id']} / {right['entity_id']}); "
        + (
            "a candidate pair under the blocking rules"
            if found
            else "never compared: no blocking rule pairs them"
        )
        + ("" if kept else "; not kept in links.csv")
    )


def _level_label(levels: list[dict[str, Any]], gamma: Any) -> str:
    """The chart label of the level a comparison vector value stands for (-1 = null level)."""
    if gamma == -1:
        null = next((lv for lv in levels if lv.get("is_null_level")), {})
        return str(null.get("label_for_charts", "missing"))
    ranked = [lv for lv in levels if not lv.get("is_null_level")]
    position = len(ranked) - 1 - int(gamma)
    if 0 <= position < len(ranked):
        return str(ranked[position].get("label_for_charts", gamma))
    return str(gamma)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    return "" if _missing(value) or value is None else str(value)
