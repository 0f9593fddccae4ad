"""Incremental update: add a batch of new records to a run without re-resolving it.

The run's saved model (with its frozen term frequencies) scores only the pairs the batch
adds, new with old and new with new; the old pairs keep their stored scores. Every pair
therefore scores exactly as in a full run of the same model over all the records, and the
same clustering over the same pairs gives the same entities. Entity ids then carry over:
an entity keeps its id while it holds the mention the id was first given for (its anchor),
a merged entity keeps the id of its oldest part, and only new or split-off entities get
new ids. The change log (``changes.csv``) lists each entity that is new, grew, merged or
split.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from resolver import audit
from resolver.clustering import ClusterOptions, cluster
from resolver.errors import RunStateError
from resolver.files import replaced_dir
from resolver.ingest import BLANKED_COLUMNS, REJECTED_COLUMNS, SourceTable, read_source
from resolver.linkage import LinkageOptions, LinkageResult, link_new
from resolver.mapping import SourceSpec, discover_sources
from resolver.mentions import build_mentions
from resolver.pipeline import (
    REGISTRY_COLUMNS,
    Progress,
    ResolveOptions,
    ResolveSummary,
    RunParts,
    check_inputs_outside,
    new_registry,
    write_run,
)
from resolver.schema import SOURCES
from resolver.store import STORE_NAME, is_run_folder, open_store, read_summary
from resolver.tables import has_table

#: Columns of changes.csv, the update's change log of entities.
CHANGE_COLUMNS = ("change", "entity_id", "previous_ids", "mentions", "new_mentions")


@dataclass
class PreviousRun:
    """What an update needs of the run it adds to."""

    tables: list[SourceTable]
    entities: pd.DataFrame  # mention_id, entity_id
    links: pd.DataFrame  # mention_id_l, mention_id_r, match_probability, match_weight
    registry: pd.DataFrame
    model_json: dict[str, Any]
    options: ResolveOptions
    batches: list[list[dict[str, Any]]]
    audit_log: pd.DataFrame  # every earlier command's audit row, carried into the new store


def update(
    run_dir: Path,
    new_data_dir: Path,
    *,
    mapping: Path | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
    extra_summary: dict[str, Any] | None = None,
) -> ResolveSummary:
    """Add the records in ``new_data_dir`` to the run in ``run_dir``, in place and atomically.

    The run's own settings (threshold, constraints) and model are used; ``mapping`` reads
    the new files, ``threads`` sets DuckDB's threads. Records whose id is already in the run
    are rejected, never read twice.
    """
    say = progress or (lambda _: None)
    started = audit.now()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    say("reading the run and the new sources")
    previous = _read_previous(run_dir)
    options = replace(
        previous.options,
        mapping=mapping,
        linkage=replace(
            previous.options.linkage, threads=threads or previous.options.linkage.threads
        ),
    )
    specs = discover_sources(new_data_dir, mapping)
    check_inputs_outside(run_dir, new_data_dir, specs, mapping)
    with replaced_dir(run_dir, replaceable=is_run_folder) as stage:
        known = {t.name: t.records["record_id"] for t in previous.tables}
        batch = [read_source(spec, known_ids=known.get(spec.name, ())) for spec in specs]
        tables = _combined(previous.tables, batch)
        timings["ingest"] = time.perf_counter() - clock

        clock = time.perf_counter()
        say("building and standardising mentions")
        mentions = build_mentions(tables)
        is_new = ~mentions["mention_id"].isin(previous.entities["mention_id"])
        timings["standardise"] = time.perf_counter() - clock

        scored = link_new(
            mentions.loc[~is_new], mentions.loc[is_new], previous.model_json, options.linkage, say
        )
        timings.update(scored.timings)
        pairs = pd.concat([previous.links, scored.pairs], ignore_index=True)
        pairs = pairs.sort_values(["mention_id_l", "mention_id_r"], kind="stable")
        pairs = pairs.reset_index(drop=True)

        clock = time.perf_counter()
        say("clustering into entities")
        clustering = cluster(mentions, pairs, options.clustering)
        number = len(previous.batches)
        membership, registry, changes = carry_ids(
            clustering.entities, previous.entities, previous.registry, number
        )
        clustering.entities = membership
        timings["cluster"] = time.perf_counter() - clock

        linked = LinkageResult(
            pairs=pairs,
            model_json=previous.model_json,
            candidate_pairs=scored.candidate_pairs,
            trained=False,
            optional_columns=scored.optional_columns,
        )
        batches = [*previous.batches, [_batch_input(t) for t in batch]]
        counts = changes["change"].value_counts().to_dict()
        parts = RunParts(
            run_dir,
            tables,
            mentions,
            linked,
            clustering,
            registry,
            extra_tables={"changes": changes},
            audit_log=previous.audit_log,
            extra_summary={
                "batches": batches,
                "update": {
                    "batch": number,
                    "new_mentions": int(is_new.sum()),
                    "changes": {k: int(v) for k, v in sorted(counts.items())},
                },
            },
        )
        return write_run(stage, parts, options, timings, extra_summary or {}, started, say)


def _read_previous(run_dir: Path) -> PreviousRun:
    if not (run_dir / STORE_NAME).is_file() or not (run_dir / "model.json").is_file():
        raise RunStateError(f"{run_dir}: not a resolved run folder to update")
    model_json = json.loads((run_dir / "model.json").read_text(encoding="utf-8"))
    with open_store(run_dir) as con:
        summary = read_summary(con)
        inputs = summary.get("resolve", {}).get("inputs", [])
        tables = [_stored_table(con, item) for item in inputs]
        entities = con.execute("SELECT mention_id, entity_id FROM entities").df()
        links = con.execute(
            "SELECT mention_id_l, mention_id_r, match_probability, match_weight FROM links"
        ).df()
        registry = (
            con.execute(f"SELECT {', '.join(REGISTRY_COLUMNS)} FROM entity_registry").df()
            if has_table(con, "entity_registry")
            else new_registry(entities)
        )
        audit_log = audit.read_audit_log(con)
    batches = summary.get("batches") or [[_batch_input_from(item) for item in inputs]]
    return PreviousRun(
        audit_log=audit_log,
        tables=tables,
        entities=entities,
        links=links,
        registry=registry,
        model_json=model_json,
        options=_options(summary.get("options", {})),
        batches=batches,
    )


def _stored_table(con: Any, item: dict[str, Any]) -> SourceTable:
    """A source as the run holds it: its accepted records, typed, and its rejected rows."""
    name, kind = item["source"], SOURCES[item["kind"]]
    records = con.execute(f'SELECT * FROM "records_{name}"').df()
    for column in kind.columns:
        if column in records and column not in kind.date_columns:
            records[column] = records[column].astype("object").where(records[column].notna(), "")
    rejected = con.execute("SELECT * FROM rejected WHERE source = ?", [name]).df()
    blanked = con.execute("SELECT * FROM blanked_cells WHERE source = ?", [name]).df()
    spec = SourceSpec(path=Path(item["file"]), kind=kind, name=name)
    return SourceTable(
        spec=spec,
        records=records,
        rejected=rejected[list(REJECTED_COLUMNS)],
        rows_read=int(item["rows_read"]),
        sha256=str(item["sha256"]),
        blanked=blanked[list(BLANKED_COLUMNS)],
    )


def _options(recorded: dict[str, Any]) -> ResolveOptions:
    """The run's own resolve options, as its summary recorded them."""
    linkage = {k: v for k, v in recorded.get("linkage", {}).items() if k != "model_path"}
    known_linkage = LinkageOptions.__dataclass_fields__
    known_cluster = ClusterOptions.__dataclass_fields__
    return ResolveOptions(
        linkage=LinkageOptions(**{k: v for k, v in linkage.items() if k in known_linkage}),
        clustering=ClusterOptions(
            **{k: v for k, v in recorded.get("clustering", {}).items() if k in known_cluster}
        ),
    )


def _combined(previous: list[SourceTable], batch: list[SourceTable]) -> list[SourceTable]:
    """One table per source: the run's records, then the batch's."""
    by_name = {t.name: t for t in previous}
    for table in batch:
        old = by_name.get(table.name)
        if old is None:
            by_name[table.name] = table
            continue
        if old.spec.kind.name != table.spec.kind.name:
            raise RunStateError(
                f"{table.spec.path}: source {table.name!r} is {table.spec.kind.name} in the new "
                f"batch but {old.spec.kind.name} in the run"
            )
        by_name[table.name] = replace(
            table,
            records=pd.concat([old.records, table.records], ignore_index=True),
            rejected=pd.concat([old.rejected, table.rejected], ignore_index=True),
            blanked=pd.concat([old.blanked, table.blanked], ignore_index=True),
            rows_read=old.rows_read + table.rows_read,
        )
    return list(by_name.values())


def _batch_input(table: SourceTable) -> dict[str, Any]:
    return {
        "source": table.name,
        "file": str(table.spec.path),
        "sha256": table.sha256,
        "rows_read": table.rows_read,
        "accepted": len(table.records),
        "rejected": len(table.rejected),
    }


def _batch_input_from(item: dict[str, Any]) -> dict[str, Any]:
    keys = ("source", "file", "sha256", "rows_read", "accepted", "rejected")
    return {k: item.get(k) for k in keys}


def _fresh_id(anchor: str, taken: set[str]) -> str:
    """An entity id for a new anchor mention, never one the run has issued before."""
    digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()
    for length in (14, 20, 40):
        candidate = "E" + digest[:length]
        if candidate not in taken:
            return candidate
    raise RunStateError(f"cannot issue a new entity id for {anchor}")  # pragma: no cover


def carry_ids(
    membership: pd.DataFrame, old: pd.DataFrame, registry: pd.DataFrame, batch: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Carry entity ids over from the previous run; return membership, registry, changes.

    ``membership`` is a fresh clustering (mention_id, entity_id...), ``old`` the previous
    run's (mention_id, entity_id), ``registry`` every id issued so far. A cluster keeps the
    id of the oldest active entity whose anchor mention it holds; a cluster holding no anchor
    gets a new id anchored on its smallest mention.
    """
    active = registry[registry["status"] == "active"]
    anchor_of = dict(zip(active["anchor_mention"], active["entity_id"], strict=True))
    age = {
        e: (int(b), e)
        for e, b in zip(registry["entity_id"], registry["created_batch"], strict=True)
    }
    previous_of = dict(zip(old["mention_id"], old["entity_id"], strict=True))
    old_size: dict[str, int] = {str(k): int(v) for k, v in old["entity_id"].value_counts().items()}
    taken = set(registry["entity_id"])
    clusters = membership.groupby("entity_id")["mention_id"].apply(sorted)

    new_id: dict[Any, str] = {}
    registry_rows = registry.set_index("entity_id").to_dict("index")
    changes: list[dict[str, Any]] = []
    for provisional, members in sorted(clusters.items(), key=lambda kv: kv[1][0]):
        anchored = sorted((anchor_of[m] for m in members if m in anchor_of), key=age.__getitem__)
        before = sorted({previous_of[m] for m in members if m in previous_of})
        added = sum(m not in previous_of for m in members)
        if anchored:
            keep = anchored[0]
            for absorbed in anchored[1:]:
                registry_rows[absorbed].update(status="merged", merged_into=keep)
        else:
            keep = _fresh_id(members[0], taken)
            taken.add(keep)
            registry_rows[keep] = {
                "anchor_mention": members[0],
                "created_batch": batch,
                "status": "active",
                "merged_into": None,
            }
        new_id[provisional] = keep
        change = _change(keep, anchored, before, added, members, previous_of, old_size)
        if change:
            changes.append(
                {
                    "change": change,
                    "entity_id": keep,
                    "previous_ids": ";".join(e for e in before if e != keep),
                    "mentions": len(members),
                    "new_mentions": added,
                }
            )
    out = membership.copy()
    out["entity_id"] = out["entity_id"].map(new_id)
    registry_out = pd.DataFrame.from_dict(registry_rows, orient="index").rename_axis("entity_id")
    registry_out = registry_out.reset_index()[list(REGISTRY_COLUMNS)].sort_values("entity_id")
    change_log = pd.DataFrame(changes, columns=list(CHANGE_COLUMNS)).sort_values(
        ["change", "entity_id"], kind="stable"
    )
    return out, registry_out.reset_index(drop=True), change_log.reset_index(drop=True)


def _change(
    keep: str,
    anchored: list[str],
    before: list[str],
    added: int,
    members: list[str],
    previous_of: dict[str, str],
    old_size: dict[str, int],
) -> str | None:
    """What happened to one entity: new, grown, merged, split, or nothing (None)."""
    if not before:
        return "new"
    if not anchored:
        return "split"  # pieces of earlier entities, without the anchor of any
    if len(before) > 1:
        return "merged"
    kept_all = sum(previous_of.get(m) == keep for m in members)
    if kept_all < old_size.get(keep, 0):
        return "split"  # the entity lost mentions to a split-off piece
    return "grown" if added else None
