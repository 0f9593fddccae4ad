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
from resolver.engines.base import LinkageEngine
from resolver.engines.duckdb_engine import DuckDBEngine
from resolver.errors import ConfigError, InputError

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

#: model.json key holding the model's term frequency tables (see link's docstring)
TERM_FREQUENCIES = "reglink_term_frequencies"

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
    #: where DuckDB spills what does not fit in memory_limit (its default: beside the store)
    temp_directory: str | None = None
    #: score candidate pairs in this many chunks per side (bounds memory on large runs)
    predict_chunks: int = 1
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
    mentions: pd.DataFrame,
    options: LinkageOptions,
    progress: Progress | None = None,
    engine: LinkageEngine | None = None,
) -> LinkageResult:
    """Score candidate pairs of mentions with a trained (or supplied) Splink model.

    ``engine`` is where Splink runs (default: DuckDB in this process, closed afterwards; a
    given engine is left open for its owner).
    """
    say = progress or (lambda _: None)
    timings: dict[str, float] = {}
    own = engine is None
    engine = engine or DuckDBEngine(
        threads=options.threads,
        memory_limit=options.memory_limit,
        temp_directory=options.temp_directory,
    )
    frame = mentions[list(model.LINKAGE_COLUMNS)].copy()
    table = engine.register(frame)

    frozen: dict[str, Any] | None = None
    if options.model_path is not None:
        linker_settings: Any = _load_model(options.model_path)
        frozen = linker_settings.pop(TERM_FREQUENCIES, None)
        optional = [c for c in model.OPTIONAL_COMPARISONS if _model_uses(linker_settings, c)]
        trained = False
    else:
        optional = model.enabled_optional_columns(mentions, options.min_coverage)
        linker_settings = model.settings(optional)
        trained = True
    # Splink warns of every level a training block does not observe; fill_untrained gives
    # those levels their documented fallback, so the warnings are noise to the user.
    linker = Linker(table, engine.settings(linker_settings), log_level=logging.ERROR)

    if trained:
        started = time.perf_counter()
        say("training: prior and u (random pairs)")
        starting_values = linker.misc.save_model_to_json()
        linker = _train(linker, table, len(frame), options, say)
        completed = fill_untrained(linker.misc.save_model_to_json(), starting_values)
        linker = Linker(table, completed, log_level=logging.WARNING)
        timings["train"] = time.perf_counter() - started
    if frozen:
        _use_term_frequencies(linker, _frozen_tables(engine.db_api, frozen))

    started = time.perf_counter()
    say("scoring candidate pairs")
    chunks = options.predict_chunks if options.predict_chunks > 1 else None
    predictions = linker.inference.predict(num_chunks_left=chunks, num_chunks_right=chunks)
    pairs, candidate_pairs = engine.scored_pairs(predictions, options.keep_threshold)
    pairs = _rounded(pairs)
    timings["predict"] = time.perf_counter() - started
    model_json = engine.portable(linker.misc.save_model_to_json())
    model_json[TERM_FREQUENCIES] = frozen or _term_frequencies(linker)
    if own:
        engine.close()
    return LinkageResult(
        pairs=pairs,
        model_json=model_json,
        candidate_pairs=candidate_pairs,
        trained=trained,
        optional_columns=optional,
        timings=timings,
    )


def link_new(
    old: pd.DataFrame,
    new: pd.DataFrame,
    model_json: dict[str, Any],
    options: LinkageOptions,
    progress: Progress | None = None,
) -> LinkageResult:
    """Score only the pairs a batch of new mentions adds: new with old, and new with new.

    Uses a saved model and its frozen term frequencies, so every pair scores exactly as it
    would in a full run of the same model over old and new together; old-with-old pairs are
    not scored again.
    """
    say = progress or (lambda _: None)
    started = time.perf_counter()
    settings = dict(model_json)
    frozen = settings.pop(TERM_FREQUENCIES, None) or {}
    optional = [c for c in model.OPTIONAL_COMPARISONS if _model_uses(settings, c)]
    con = _connection(options)
    db_api = DuckDBAPI(connection=con)
    old_table = _register(con, db_api, old[list(model.LINKAGE_COLUMNS)], "old_mentions")
    new_table = _register(con, db_api, new[list(model.LINKAGE_COLUMNS)], "new_mentions")
    tf_tables = _frozen_tables(db_api, frozen)
    parts, candidates = [], 0
    say("scoring the new mentions against the old")
    for tables, link_type in (([old_table, new_table], "link_only"), (new_table, "dedupe_only")):
        linker = Linker(tables, {**settings, "link_type": link_type}, log_level=logging.ERROR)
        _use_term_frequencies(linker, tf_tables)
        pairs, n = _predict(con, linker, options.keep_threshold, options.predict_chunks)
        parts.append(pairs)
        candidates += n
    pairs = _ordered(pd.concat(parts, ignore_index=True))
    con.close()
    return LinkageResult(
        pairs=pairs,
        model_json=model_json,
        candidate_pairs=candidates,
        trained=False,
        optional_columns=optional,
        timings={"predict": time.perf_counter() - started},
    )


def model_linker(
    db_api: DuckDBAPI, table: Any, model_json: dict[str, Any], *, retain_columns: bool = False
) -> tuple[Linker, dict[str, Any]]:
    """A Splink linker over ``table`` scoring exactly as the saved model does.

    The model's frozen term frequencies are registered (a value they lack gets no term
    frequency adjustment); returns the linker and the Splink settings it was built from.
    """
    settings = {k: v for k, v in model_json.items() if k != TERM_FREQUENCIES}
    if retain_columns:
        settings["retain_intermediate_calculation_columns"] = True
        settings["retain_matching_columns"] = True
    linker = Linker(table, settings, log_level=logging.ERROR)
    frozen = model_json.get(TERM_FREQUENCIES)
    if frozen:
        _use_term_frequencies(linker, _frozen_tables(db_api, frozen))
    return linker, settings


def _connection(options: LinkageOptions) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    if options.threads:
        con.execute(f"SET threads = {int(options.threads)}")
    if options.memory_limit:
        con.execute(f"SET memory_limit = '{options.memory_limit}'")
    if options.temp_directory:
        con.execute("SET temp_directory = ?", [options.temp_directory])
    return con


def _register(
    con: duckdb.DuckDBPyConnection, db_api: DuckDBAPI, frame: pd.DataFrame, name: str
) -> Any:
    """Copy ``frame`` into a DuckDB table and register it with Splink under ``name``."""
    con.register(f"{name}_view", frame)
    con.execute(f"CREATE TABLE {name}_input AS SELECT * FROM {name}_view")
    con.unregister(f"{name}_view")
    return db_api.register(f"{name}_input", table_name=name)


def _predict(
    con: duckdb.DuckDBPyConnection, linker: Linker, keep_threshold: float, chunks_per_side: int = 1
) -> tuple[pd.DataFrame, int]:
    """Scored pairs at or above ``keep_threshold`` (rounded, ordered) and the candidate count."""
    chunks = chunks_per_side if chunks_per_side > 1 else None
    scored = linker.inference.predict(num_chunks_left=chunks, num_chunks_right=chunks).physical_name
    candidates = int(con.execute(f"SELECT count(*) FROM {scored}").fetchone()[0])  # type: ignore[index]
    pairs = con.execute(
        f"""
        SELECT mention_id_l, mention_id_r, match_probability, match_weight
        FROM {scored}
        WHERE match_probability >= ?
        """,
        [keep_threshold],
    ).df()
    return _rounded(pairs), candidates


def _rounded(pairs: pd.DataFrame) -> pd.DataFrame:
    """Probabilities and weights rounded, each pair smaller id first, rows sorted.

    Rounded before clustering as well as in the outputs, so near-equal links cannot swap
    order between runs (or engines) whose sums differed in the last bits (see DECIMALS).
    """
    pairs = pairs.copy()
    pairs[["match_probability", "match_weight"]] = pairs[
        ["match_probability", "match_weight"]
    ].round(DECIMALS)
    return _ordered(pairs)


def _ordered(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair with the smaller mention id on the left, rows sorted: one form for every run."""
    swap = pairs["mention_id_l"] > pairs["mention_id_r"]
    left = pairs["mention_id_l"].where(~swap, pairs["mention_id_r"])
    right = pairs["mention_id_r"].where(~swap, pairs["mention_id_l"])
    out = pairs.assign(mention_id_l=left, mention_id_r=right)
    return out.sort_values(["mention_id_l", "mention_id_r"], kind="stable").reset_index(drop=True)


def _tf_columns(linker: Linker) -> list[str]:
    """The columns the model adjusts for term frequency."""
    settings = linker.misc.save_model_to_json()
    return sorted(
        {
            level["tf_adjustment_column"]
            for comparison in settings["comparisons"]
            for level in comparison["comparison_levels"]
            if level.get("tf_adjustment_column")
        }
    )


def _term_frequencies(linker: Linker) -> dict[str, Any]:
    """Term frequency tables of the data the model scored: {column: [[value, tf], ...]}."""
    tables: dict[str, Any] = {}
    for column in _tf_columns(linker):
        frame = linker.table_management.compute_tf_table(column).as_pandas_dataframe()
        frame = frame.sort_values(column, kind="stable")
        tables[column] = [
            [str(v), float(t)] for v, t in zip(frame[column], frame[f"tf_{column}"], strict=True)
        ]
    return tables


def _frozen_tables(db_api: DuckDBAPI, frozen: dict[str, Any]) -> dict[str, Any]:
    """A model's term frequency tables, registered once with ``db_api``."""
    return {
        column: db_api.register(
            pd.DataFrame(rows, columns=[column, f"tf_{column}"]), table_name=f"frozen_tf_{column}"
        )
        for column, rows in frozen.items()
    }


def _use_term_frequencies(linker: Linker, tables: dict[str, Any]) -> None:
    """Score with a model's own term frequencies instead of the current data's."""
    for column, table in tables.items():
        linker.table_management.register_term_frequency_lookup(table, column)


def _train(linker: Linker, table: Any, n: int, options: LinkageOptions, say: Progress) -> Linker:
    """Prior, u by random sampling, then m by EM on each training block; returns the
    trained linker (rebuilt from the last good state when a block is too sparse for EM)."""
    linker.training.estimate_probability_two_random_records_match(
        list(model.PRIOR_RULES), recall=options.prior_recall
    )
    max_pairs = options.u_max_pairs or float(min(max(n * 40, 2e5), 5e6))
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=options.seed)
    skipped = []
    for block in model.TRAINING_BLOCKS:
        say(f"training: EM on {block_label(block)} blocks")
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True
            )
        except Exception as exc:  # Splink raises generic errors when a block is too sparse
            log.warning("EM on %s blocks skipped: %s", block_label(block), _first_sentence(exc))
            skipped.append(block_label(block))
            # a failed EM can leave the linker without the comparisons the block fixes
            linker = Linker(table, before, log_level=logging.ERROR)
    prior = linker.misc.save_model_to_json().get("probability_two_random_records_match", 0)
    if len(skipped) == len(model.TRAINING_BLOCKS) or not 0 < prior < 1:
        raise InputError(
            f"too few records to train a model ({n:,} mentions: "
            + (
                f"no pairs to learn from in any training block ({'; '.join(skipped)})"
                if skipped
                else "no pair of mentions agrees on the prior rules"
            )
            + "); train on a larger extract and reuse its model.json with --model"
        )
    return linker


def _first_sentence(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text.split(".  ")[0].split(". ")[0].rstrip(".")


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
