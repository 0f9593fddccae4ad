"""Graph exports: GraphML (Gephi, networkx, yEd) and entity/link CSV files for i2
Analyst's Notebook (and any tool that imports a node list and an edge list).

Both describe the same graph (:mod:`reglink.reports.network`): the neighbourhoods of the
flagged subjects, or the whole run. Column meanings are in ``docs/reports.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pandas as pd

from resolver.files import atomic_path, write_csv
from resolver.store import open_store

from .loading import load_flags, subject_records
from .network import (
    build_graph,
    ensure_subject,
    mention_record,
    neighbourhood,
    record_node,
    subject_node,
)

#: i2 entity type of each node type (records by source).
I2_TYPES = {
    "person": "Person",
    "organisation": "Organisation",
    "address": "Address",
    "third_party": "Person (name only)",
    "place": "Location",
    "passport": "Passport",
    "cohort": "Cohort",
}
I2_RECORD_TYPES = {
    "births": "Birth registration",
    "visas": "Visa application",
    "schools": "School enrolment",
    "missing": "Missing person report",
    "watchlist": "Watchlist entry",
}
ENTITY_COLUMNS = (
    "entity_id", "entity_type", "label", "description", "date", "source", "record_id",
    "person_id", "date_of_birth", "mentions", "watchlist", "flag_ids", "flag_rules",
    "max_score", "is_flag_subject",
)  # fmt: skip
LINK_COLUMNS = (
    "link_id", "from_id", "to_id", "link_type", "label", "direction", "strength",
    "probability", "mention_id", "flag_ids",
)  # fmt: skip


def strength(probability: float | None) -> str:
    """i2 link strength from a membership probability (no probability: a recorded fact)."""
    if probability is None or probability >= 0.95:
        return "Confirmed"
    if probability >= 0.8:
        return "Unconfirmed"
    return "Tentative"


def flagged_graph(con: duckdb.DuckDBPyConnection, flags: Sequence[Mapping[str, Any]]) -> nx.Graph:
    """The union of the flagged subjects' neighbourhoods, nodes annotated with their flags."""
    records = subject_records(con, flags)
    wanted = {mention_record(m) for f in flags for m in f["evidence"]}
    wanted |= {r for rs in records.values() for r in rs}
    graph = build_graph(con, wanted)
    keep: set[str] = set()
    for flag in flags:
        view = neighbourhood(graph, flag, records.get(str(flag["flag_id"]), ()), limit=10**9)
        keep.update(view.nodes)
    sub = graph.subgraph(keep).copy()
    annotate(sub, flags)
    return sub


def annotate(graph: nx.Graph, flags: Sequence[Mapping[str, Any]]) -> None:
    """Mark each node and edge with the flags it is evidence for (or the subject of)."""
    node_flags: dict[str, list[Mapping[str, Any]]] = {}
    edge_flags: dict[tuple[str, str], set[str]] = {}
    for flag in flags:
        flag_id = str(flag["flag_id"])
        centre = subject_node(str(flag["subject_type"]), str(flag["subject"]))
        touched = {centre}
        for mention in flag["evidence"]:
            record = record_node(*mention_record(mention))
            touched.add(record)
            if centre in graph and graph.has_edge(centre, record):
                edge_flags.setdefault(_edge_key(centre, record), set()).add(flag_id)
            for person in graph.neighbors(record) if record in graph else ():
                if graph.edges[person, record].get("mention_id") == mention:
                    edge_flags.setdefault(_edge_key(person, record), set()).add(flag_id)
        for node in touched:
            if node in graph:
                node_flags.setdefault(node, []).append(flag)
        if centre in graph:
            graph.nodes[centre]["is_flag_subject"] = True
    for node, attrs in graph.nodes(data=True):
        found = node_flags.get(node, [])
        attrs["flag_ids"] = ";".join(sorted({str(f["flag_id"]) for f in found}))
        attrs["flag_rules"] = ";".join(sorted({str(f["rule_id"]) for f in found}))
        attrs["max_score"] = max((int(f["score"]) for f in found), default=0)
        attrs.setdefault("is_flag_subject", False)
    for a, b, attrs in graph.edges(data=True):
        attrs["flag_ids"] = ";".join(sorted(edge_flags.get(_edge_key(a, b), set())))


def _edge_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def write_graphml(graph: nx.Graph, target: Path) -> None:
    """GraphML with typed attributes; absent values are left out, never written as 'None'."""
    clean = nx.Graph()
    for node, attrs in sorted(graph.nodes(data=True)):
        clean.add_node(node, **{k: v for k, v in sorted(attrs.items()) if v is not None})
    edges = sorted((*_edge_key(a, b), attrs) for a, b, attrs in graph.edges(data=True))
    for a, b, attrs in edges:
        clean.add_edge(a, b, **{k: v for k, v in sorted(attrs.items()) if v is not None})
    with atomic_path(target) as temporary:
        nx.write_graphml(clean, temporary, encoding="utf-8", named_key_ids=True)


def entity_frame(graph: nx.Graph) -> pd.DataFrame:
    """One row per node, for i2's entity import."""
    rows = []
    for node, attrs in sorted(graph.nodes(data=True)):
        kind = attrs.get("type", "")
        rows.append(
            {
                "entity_id": node,
                "entity_type": I2_RECORD_TYPES.get(attrs.get("source", ""), "Record")
                if kind == "record"
                else I2_TYPES.get(kind, kind.title()),
                "label": attrs.get("label", node),
                "description": attrs.get("detail", ""),
                "date": attrs.get("date", ""),
                "source": attrs.get("source", ""),
                "record_id": attrs.get("record_id", ""),
                "person_id": attrs.get("entity_id", ""),
                "date_of_birth": attrs.get("dob", ""),
                "mentions": attrs.get("mentions"),
                "watchlist": attrs.get("watchlist", ""),
                "flag_ids": attrs.get("flag_ids", ""),
                "flag_rules": attrs.get("flag_rules", ""),
                "max_score": attrs.get("max_score", 0),
                "is_flag_subject": bool(attrs.get("is_flag_subject", False)),
            }
        )
    frame = pd.DataFrame(rows, columns=list(ENTITY_COLUMNS))
    frame["mentions"] = frame["mentions"].astype("Int64")
    return frame


def link_frame(graph: nx.Graph) -> pd.DataFrame:
    """One row per edge, for i2's link import: from the person (or record) to the other end."""
    rows = []
    for a, b, attrs in graph.edges(data=True):
        first, second = sorted((a, b), key=lambda n: (_end_rank(graph, n), n))
        probability = attrs.get("probability")
        rows.append(
            {
                "from_id": first,
                "to_id": second,
                "link_type": _link_type(graph, first, second),
                "label": attrs.get("relation", ""),
                "direction": "Forward",
                "strength": strength(probability),
                "probability": probability,
                "mention_id": attrs.get("mention_id", ""),
                "flag_ids": attrs.get("flag_ids", ""),
            }
        )
    rows.sort(key=lambda r: (r["from_id"], r["to_id"]))
    for i, row in enumerate(rows, start=1):
        row["link_id"] = f"L{i:07d}"
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))


def _end_rank(graph: nx.Graph, node: str) -> int:
    order = ["person", "third_party", "cohort", "record"]
    kind = graph.nodes[node].get("type", "")
    return order.index(kind) if kind in order else len(order)


def _link_type(graph: nx.Graph, a: str, b: str) -> str:
    kinds = {graph.nodes[a].get("type"), graph.nodes[b].get("type")}
    if "person" in kinds and "record" in kinds:
        return "Named on"
    if "third_party" in kinds:
        return "Third party"
    if "cohort" in kinds:
        return "Cohort member"
    return {
        "organisation": "Organisation",
        "address": "Address",
        "place": "Last seen",
        "passport": "Document",
    }.get(next(iter(kinds - {"record"}), ""), "Associated")


def export_graph(run_dir: Path, *, everything: bool = False) -> dict[str, Path]:
    """Write the flagged subjects' graph (or the whole run's) as GraphML and i2 CSV files."""
    prefix = "network_all" if everything else "network"
    with open_store(run_dir) as con:
        flags = load_flags(con)
        if everything:
            graph = build_graph(con)
            for flag in flags:
                ensure_subject(graph, flag)
            annotate(graph, flags)
        else:
            graph = flagged_graph(con, flags)
    paths = {
        "graphml": run_dir / f"{prefix}.graphml",
        "entities": run_dir / f"{prefix}_entities.csv",
        "links": run_dir / f"{prefix}_links.csv",
    }
    write_graphml(graph, paths["graphml"])
    write_csv(entity_frame(graph), paths["entities"])
    write_csv(link_frame(graph), paths["links"])
    return paths
