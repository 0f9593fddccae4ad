"""The resolve job: read sources, build mentions, link, cluster, and write the run folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from resolver import audit
from resolver.clustering import Clustering, ClusterOptions, cluster
from resolver.engines.base import LinkageEngine
from resolver.errors import InputError
from resolver.files import replaced_dir, write_csv, write_json
from resolver.ingest import BLANKED_COLUMNS, REJECTED_COLUMNS, SourceTable, read_source
from resolver.linkage import DECIMALS, LinkageOptions, LinkageResult, link
from resolver.mapping import SourceSpec, discover_sources
from resolver.mentions import build_mentions
from resolver.model import LINKAGE_COLUMNS
from resolver.store import is_run_folder, write_store

Progress = Callable[[str], None]

#: the audit record of a resolve run, in the run folder
RUN_FILE = "run.json"

#: Columns of entities.csv, in order.
ENTITY_COLUMNS = (
    "mention_id",
    "source",
    "record_id",
    "role",
    "entity_id",
    "entity_size",
    "membership_probability",
    "forenames",
    "surname",
    "dob",
    "first_name",
    "surname_std",
    "name_key",
)

#: Columns of the store's mentions table (recorded values, then comparison forms).
STORE_MENTION_COLUMNS = {
    "mention_id": "mention_id",
    "source": "source",
    "kind": "kind",
    "record_id": "record_id",
    "record_key": "record_key",
    "role": "role",
    "forenames": "forenames",
    "surname": "surname",
    "maiden_surname": "maiden_surname",
    "dob": "dob",
    "sex_std": "sex",
    "nationality_std": "nationality",
    "postcode_std": "postcode",
    "address": "address",
    "locality": "locality",
    "document_number_std": "document_number",
    "event_date": "event_date",
    "first_name": "first_name",
    "first_name_canonical": "first_name_canonical",
    "middle_names": "middle_names",
    "surname_std": "surname_std",
    "maiden_surname_std": "maiden_surname_std",
    "name_key": "name_key",
    "surname_phonetic": "surname_phonetic",
    "postcode_sector": "postcode_sector",
    "postcode_outward": "postcode_outward",
}


@dataclass(frozen=True)
class ResolveOptions:
    """Everything that shapes a resolve run."""

    linkage: LinkageOptions = field(default_factory=LinkageOptions)
    clustering: ClusterOptions = field(default_factory=ClusterOptions)
    mapping: Path | None = None


@dataclass
class ResolveSummary:
    """What a resolve run read, made and took."""

    run_dir: Path
    inputs: list[dict[str, Any]]
    mentions: int
    entities: int
    links: int
    candidate_pairs: int
    rejected: int
    refused_same_record: int
    refused_dob_conflict: int
    refused_birth_conflict: int
    timings: dict[str, float]

    @property
    def refused_links(self) -> int:
        """Links refused by any cannot-link constraint."""
        return self.refused_same_record + self.refused_dob_conflict + self.refused_birth_conflict

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["run_dir"] = str(self.run_dir)
        return data


def resolve(
    data_dir: Path,
    run_dir: Path,
    options: ResolveOptions | None = None,
    *,
    progress: Progress | None = None,
    extra_summary: dict[str, Any] | None = None,
    engine: LinkageEngine | None = None,
) -> ResolveSummary:
    """Resolve every mention in ``data_dir`` into entities and write ``run_dir``.

    The run folder is built in a sibling and swapped in whole at the end (see
    :func:`resolver.files.replaced_dir`): until then a previous run folder stays as it was.
    ``engine`` is where Splink runs (default: DuckDB in this process); the Spark engine also
    writes every table as Parquet. Either way the run folder holds the same files.
    """
    options = options or ResolveOptions()
    say = progress or (lambda _: None)
    started = audit.now()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    specs = discover_sources(data_dir, options.mapping)
    check_inputs_outside(run_dir, data_dir, specs, options.mapping)
    with replaced_dir(run_dir, replaceable=is_run_folder) as stage:
        say("reading and validating sources")
        tables = [read_source(spec) for spec in specs]
        timings["ingest"] = time.perf_counter() - clock

        clock = time.perf_counter()
        say("building and standardising mentions")
        if not any(t.rows_read for t in tables):
            raise InputError(
                "no records: every source file is empty or holds only its header row",
                path=str(data_dir),
            )
        mentions = build_mentions(tables) if any(len(t.records) for t in tables) else None
        if mentions is None or mentions.empty:
            raise InputError(
                "no usable records: every row was rejected (see the reasons above)",
                path=str(data_dir),
            )
        timings["standardise"] = time.perf_counter() - clock

        linked = link(mentions, options.linkage, progress=say, engine=engine)
        timings.update(linked.timings)

        clock = time.perf_counter()
        say("clustering into entities")
        clustering = cluster(mentions, linked.pairs, options.clustering)
        registry = new_registry(clustering.entities)
        timings["cluster"] = time.perf_counter() - clock

        summary = write_run(
            stage,
            RunParts(run_dir, tables, mentions, linked, clustering, registry),
            options,
            timings,
            extra_summary or {},
            started,
            say,
            engine,
        )
    return summary


@dataclass
class RunParts:
    """What a resolve or an update has made, ready to be written as a run folder."""

    run_dir: Path
    tables: list[SourceTable]
    mentions: pd.DataFrame
    linked: LinkageResult
    clustering: Clustering
    registry: pd.DataFrame
    extra_tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    extra_summary: dict[str, Any] = field(default_factory=dict)
    #: the audit rows of the run this one continues (an update), kept in the new store
    audit_log: pd.DataFrame | None = None


#: Columns of the store's entity_registry: every entity id ever issued in a run's lineage.
REGISTRY_COLUMNS = ("entity_id", "anchor_mention", "created_batch", "status", "merged_into")


def new_registry(membership: pd.DataFrame, batch: int = 0) -> pd.DataFrame:
    """Registry rows for a fresh clustering: each entity anchored on its smallest mention."""
    anchors = membership.groupby("entity_id")["mention_id"].min().reset_index()
    return pd.DataFrame(
        {
            "entity_id": anchors["entity_id"],
            "anchor_mention": anchors["mention_id"],
            "created_batch": batch,
            "status": "active",
            "merged_into": pd.Series([None] * len(anchors), dtype="object"),
        }
    )[list(REGISTRY_COLUMNS)]


def write_run(
    stage: Path,
    parts: RunParts,
    options: ResolveOptions,
    timings: dict[str, float],
    extra_summary: dict[str, Any],
    started: str,
    say: Progress,
    engine: LinkageEngine | None = None,
) -> ResolveSummary:
    """Write every output of a run into ``stage`` (entities, links, rejected, model, store;
    with an engine that keeps its own tables, those too)."""
    clock = time.perf_counter()
    say("writing outputs")
    tables, mentions, linked, clustering = (
        parts.tables,
        parts.mentions,
        parts.linked,
        parts.clustering,
    )
    entities = _entities_table(mentions, clustering.entities)
    links = _links_table(linked.pairs, clustering.entities)
    rejected = _rejected_table(tables)
    inputs = [_input_summary(t) for t in tables]
    summary = ResolveSummary(
        run_dir=parts.run_dir,
        inputs=inputs,
        mentions=len(mentions),
        entities=int(entities["entity_id"].nunique()),
        links=len(links),
        candidate_pairs=linked.candidate_pairs,
        rejected=len(rejected),
        refused_same_record=clustering.refused_same_record,
        refused_dob_conflict=clustering.refused_dob_conflict,
        refused_birth_conflict=clustering.refused_birth_conflict,
        timings=timings,
    )
    write_csv(entities[list(ENTITY_COLUMNS)], stage / "entities.csv")
    write_csv(links, stage / "links.csv")
    write_csv(rejected, stage / "rejected.csv")
    write_json(linked.model_json, stage / "model.json")
    store_tables: dict[str, pd.DataFrame] = {f"records_{t.name}": t.records for t in tables}
    store_mentions = mentions[list(STORE_MENTION_COLUMNS)].rename(columns=STORE_MENTION_COLUMNS)
    store_tables.update(
        mentions=store_mentions,
        entities=entities[list(ENTITY_COLUMNS)],
        links=links,
        rejected=rejected,
        blanked_cells=_blanked_table(tables),
        comparison_input=mentions[list(LINKAGE_COLUMNS)],
        entity_registry=parts.registry[list(REGISTRY_COLUMNS)],
        **parts.extra_tables,
    )
    if parts.audit_log is not None:
        store_tables[audit.AUDIT_TABLE] = parts.audit_log
    for name, frame in parts.extra_tables.items():
        write_csv(frame, stage / f"{name}.csv")
    written = engine.write_tables(parts.run_dir, store_tables, stage) if engine else {}
    timings["write"] = time.perf_counter() - clock
    facts = _audit_facts(extra_summary, options, inputs, stage, started, summary, linked.trained)
    run_summary = {
        **extra_summary,
        "engine": engine.name if engine else "duckdb",
        "tables": written,
        "resolve": summary.as_dict(),
        "options": _options_dict(options),
        "optional_comparisons": linked.optional_columns,
        "model_trained": linked.trained,
        **parts.extra_summary,
        "audit": facts,
    }
    write_store(stage, store_tables, run_summary)
    write_json(facts, stage / RUN_FILE)
    return summary


def check_inputs_outside(
    run_dir: Path, data_dir: Path, specs: list[SourceSpec], mapping: Path | None
) -> None:
    """Refuse a run folder that holds any input: replacing the folder would delete it."""
    out = run_dir.resolve()
    inputs = [data_dir, *(s.path for s in specs), *([mapping] if mapping else [])]
    for path in inputs:
        resolved = path.resolve()
        if resolved == out or out in resolved.parents:
            raise InputError(
                f"is inside the run folder {run_dir}, which each run replaces; "
                "write the run to another folder",
                path=str(path),
            )


def _audit_facts(
    extra: dict[str, Any],
    options: ResolveOptions,
    inputs: list[dict[str, Any]],
    stage: Path,
    started: str,
    summary: ResolveSummary,
    trained: bool,
) -> dict[str, Any]:
    """run.json: who ran what on which inputs, and the digests of what came out."""
    outputs = {
        name: audit.sha256_file(stage / name)
        for name in ("entities.csv", "links.csv", "rejected.csv", "model.json")
    }
    mapping = audit.file_fact(options.mapping)
    supplied = audit.file_fact(options.linkage.model_path)
    settings = _options_dict(options)
    for machine_only in ("threads", "memory_limit", "model_path"):  # no effect on results
        settings["linkage"].pop(machine_only, None)
    settings.pop("mapping", None)
    traced = {  # what determines the outputs: the run id changes exactly when these do
        "inputs": {i["source"]: i["sha256"] for i in inputs},
        "settings": settings,
        "mapping": mapping and mapping["sha256"],
        "model": supplied and supplied["sha256"],
        "version": extra.get("version"),
    }
    return {
        "run_id": audit.fingerprint(traced),
        "version": extra.get("version"),
        "command": extra.get("command"),
        "started": started,
        "finished": audit.now(),
        "environment": audit.environment(),
        "config": extra.get("config"),
        "mapping": mapping,
        "model": {
            "supplied": supplied,
            "trained": trained,
            "sha256": outputs["model.json"],
        },
        "options": _options_dict(options),
        "inputs": inputs,
        "counts": {
            "mentions": summary.mentions,
            "entities": summary.entities,
            "links": summary.links,
            "rejected": summary.rejected,
        },
        "timings": {k: round(v, 3) for k, v in summary.timings.items()},
        "outputs": outputs,
    }


def _entities_table(mentions: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    merged = mentions.merge(membership, on="mention_id", how="left", validate="one_to_one")
    merged["membership_probability"] = merged["membership_probability"].round(DECIMALS)
    return merged.sort_values("mention_id", kind="stable").reset_index(drop=True)


def _links_table(pairs: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    entity_of = membership.set_index("mention_id")["entity_id"]
    links = pairs.copy()
    links["in_entity"] = links["mention_id_l"].map(entity_of) == links["mention_id_r"].map(
        entity_of
    )
    for column in ("match_probability", "match_weight"):
        links[column] = links[column].round(DECIMALS)
    return links.sort_values(["mention_id_l", "mention_id_r"], kind="stable").reset_index(drop=True)


def _rejected_table(tables: list[SourceTable]) -> pd.DataFrame:
    parts = [t.rejected for t in tables if len(t.rejected)]
    if not parts:
        return pd.DataFrame(columns=list(REJECTED_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(REJECTED_COLUMNS)]


def _blanked_table(tables: list[SourceTable]) -> pd.DataFrame:
    parts = [t.blanked for t in tables if len(t.blanked)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in BLANKED_COLUMNS})
    return pd.concat(parts, ignore_index=True).astype({"row": "int64"})


def _input_summary(table: SourceTable) -> dict[str, Any]:
    return {
        "source": table.name,
        "kind": table.spec.kind.name,
        "file": str(table.spec.path),
        "sha256": table.sha256,
        "rows_read": table.rows_read,
        "accepted": len(table.records),
        "rejected": len(table.rejected),
        "dates_blanked": len(table.blanked),
        "blank_lines": table.blank_lines,
    }


def _options_dict(options: ResolveOptions) -> dict[str, Any]:
    return {
        "linkage": {
            k: str(v) if isinstance(v, Path) else v for k, v in asdict(options.linkage).items()
        },
        "clustering": asdict(options.clustering),
        "mapping": str(options.mapping) if options.mapping else None,
    }
