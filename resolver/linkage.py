"""Train (or load) the Splink model and score candidate pairs of mentions."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker

from resolver import model
from resolver.errors import ConfigError

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

#: decimals kept for probabilities and match weights, from scoring on: Splink's EM sums
#: floats in an order that depends on DuckDB's threads, which moves the last bits of the
#: trained m probabilities; rounding keeps clustering and every output byte-identical.
DECIMALS = 6


@dataclass(frozen=True)
class LinkageOptions:
    """Settings for training and scoring."""

    seed: int = 42
    #: links below this probability are not kept in links.csv
    keep_threshold: float = 0.5
    #: enable an optional comparison when at least this share of mentions has its column
    min_coverage: float = 0.2
    #: pairs sampled for u; None scales with the number of mentions
    u_max_pairs: float | None = None
    #: recall assumed for the deterministic prior rule
    prior_recall: float = 0.8
    threads: int | None = None
    memory_limit: str | None = None
    model_path: Path | None = None


@dataclass
class LinkageResult:
    """Scored pairs and the model that scored them."""

    pairs: pd.DataFrame
    model_json: dict[str, Any]
    candidate_pairs: int
    trained: bool
    optional_columns: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def link(
    mentions: pd.DataFrame, options: LinkageOptions, progress: Progress | None = None
) -> LinkageResult:
    """Score candidate pairs of mentions with a trained (or supplied) Splink model."""
    say = progress or (lambda _: None)
    timings: dict[str, float] = {}
    con = duckdb.connect(":memory:")
    if options.threads:
        con.execute(f"SET threads = {int(options.threads)}")
    if options.memory_limit:
        con.execute(f"SET memory_limit = '{options.memory_limit}'")
    frame = mentions[list(model.LINKAGE_COLUMNS)].copy()
    con.register("mentions_input_view", frame)
    con.execute("CREATE TABLE mentions_input AS SELECT * FROM mentions_input_view")
    con.unregister("mentions_input_view")
    db_api = DuckDBAPI(connection=con)
    table = db_api.register("mentions_input", table_name="mentions")

    if options.model_path is not None:
        linker_settings: Any = _load_model(options.model_path)
        optional = [c for c in model.OPTIONAL_COMPARISONS if _model_uses(linker_settings, c)]
        trained = False
    else:
        optional = model.enabled_optional_columns(mentions, options.min_coverage)
        linker_settings = model.settings(optional)
        trained = True
    # Splink warns of every level a training block does not observe; fill_untrained gives
    # those levels their documented fallback, so the warnings are noise to the user.
    linker = Linker(table, linker_settings, log_level=logging.ERROR)

    if trained:
        started = time.perf_counter()
        say("training: prior and u probabilities")
        starting_values = linker.misc.save_model_to_json()
        _train(linker, len(frame), options, say)
        completed = fill_untrained(linker.misc.save_model_to_json(), starting_values)
        linker = Linker(table, completed, log_level=logging.WARNING)
        timings["train"] = time.perf_counter() - started

    started = time.perf_counter()
    say("scoring candidate pairs")
    predictions = linker.inference.predict()
    scored = predictions.physical_name
    candidate_pairs = int(con.execute(f"SELECT count(*) FROM {scored}").fetchone()[0])  # type: ignore[index]
    pairs = con.execute(
        f"""
        SELECT mention_id_l, mention_id_r, match_probability, match_weight
        FROM {scored}
        WHERE match_probability >= ?
        ORDER BY mention_id_l, mention_id_r
        """,
        [options.keep_threshold],
    ).df()
    # Rounded before clustering as well as in the outputs, so near-equal links cannot swap
    # order between runs whose EM differed in the last bits (see DECIMALS).
    pairs[["match_probability", "match_weight"]] = pairs[
        ["match_probability", "match_weight"]
    ].round(DECIMALS)
    timings["predict"] = time.perf_counter() - started
    model_json = linker.misc.save_model_to_json()
    con.close()
    return LinkageResult(
        pairs=pairs,
        model_json=model_json,
        candidate_pairs=candidate_pairs,
        trained=trained,
        optional_columns=optional,
        timings=timings,
    )


def _train(linker: Linker, n: int, options: LinkageOptions, say: Progress) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        list(model.PRIOR_RULES), recall=options.prior_recall
    )
    max_pairs = options.u_max_pairs or float(min(max(n * 40, 2e5), 5e6))
    training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=options.seed)
    for block in model.TRAINING_BLOCKS:
        say(f"training: m probabilities by EM on {block_label(block)} blocks")
        try:
            training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True
            )
        except Exception as exc:  # Splink raises generic errors when a block is too sparse
            log.warning("EM on %s skipped: %s", block, exc)


def block_label(rule: str) -> str:
    """Short name of a blocking rule: its equality columns, "name_key + dob"."""
    columns = re.findall(r"l\.(\w+) = r\.\1\b", rule)
    return " + ".join(columns) or rule


def fill_untrained(trained: dict[str, Any], starting: dict[str, Any]) -> dict[str, Any]:
    """Give every level the data left untrained a documented, conservative value.

    A level with no pairs in any EM block keeps its declared starting m probability; a level
    with no pairs in the u sample takes the largest u of its comparison's other non-else
    levels, so that an unmeasured level never counts as stronger evidence than a measured one.
    """
    completed = json.loads(json.dumps(trained))
    for comparison, declared in zip(completed["comparisons"], starting["comparisons"], strict=True):
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        declared_levels = [
            lv for lv in declared["comparison_levels"] if not lv.get("is_null_level")
        ]
        measured_u = [lv["u_probability"] for lv in levels[:-1] if lv.get("u_probability")]
        for level, start in zip(levels, declared_levels, strict=True):
            if level.get("m_probability") is None:
                level["m_probability"] = start.get("m_probability") or 0.01
            if level.get("u_probability") is None:
                level["u_probability"] = max(measured_u, default=0.001)
    return completed


def _load_model(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read model file: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: model file is not valid JSON: {exc}") from exc
    if not isinstance(loaded, dict) or "comparisons" not in loaded:
        raise ConfigError(f"{path}: not a Splink model (no 'comparisons')")
    return loaded


def _model_uses(settings: dict[str, Any], column: str) -> bool:
    return any(column in json.dumps(c) for c in settings.get("comparisons", []))
