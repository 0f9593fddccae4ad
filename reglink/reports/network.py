"""The entity–record–organisation graph behind the flags, built set-wise from the store.

Nodes are resolved persons, records, organisations (sponsors, institutions, schools,
police forces), addresses, third parties known only by name (informants, guardians,
individual sponsors), places last seen, passports and visa cohorts. Node ids are stable
and readable: ``person:<entity_id>``, ``record:<source>:<record_id>``, ``org:<kind>:<key>``,
``address:<key>``, ``name:<key>``, ``place:<key>``, ``passport:<number>``,
``cohort:<key>``. Address and name keys are folded the same way as by the rules
(:mod:`rules.sqlkit`), so a ``shared_enabler`` flag's subject is a node of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import networkx as nx

from rules.sqlkit import PARENT_RELATIONSHIPS, address_key, blank, fold, in_list, token_key
from rules.store_schema import store_prelude, with_prelude

RecordKey = tuple[str, str]

#: The node types, in legend order, with a one-line meaning.
NODE_TYPES = {
    "person": "a resolved person (an entity: one or more mentions)",
    "record": "one input record (birth registration, visa application, enrolment, report...)",
    "organisation": "a sponsor, institution, school or police force",
    "address": "a recorded address (folded address and postcode)",
    "third_party": "a person known only by name: informant, guardian or individual sponsor",
    "place": "where a missing person was last seen",
    "passport": "a travel document number",
    "cohort": "a visa cohort (sponsor, institution and course start)",
}

#: Most nodes a per-flag view shows; the rest are counted in the view's note.
MAX_VIEW_NODES = 220

_PASSPORT = "nullif(upper(regexp_replace(coalesce({0}, ''), '[^A-Za-z0-9]', '', 'g')), '')"


def _passport_key(expr: str) -> str:
    return _PASSPORT.format(expr)


def _not_parent(expr: str) -> str:
    return f"NOT coalesce({in_list(expr, PARENT_RELATIONSHIPS)}, false)"


def _iso(expr: str) -> str:
    return f"coalesce(strftime({expr}, '%Y-%m-%d'), '?')"


#: Per source: (date expression, label, detail) for record nodes.
_RECORDS = {
    "births": (
        "registration_date",
        "'Birth ' || record_id",
        "'birth registered ' || "
        + _iso("registration_date")
        + " || coalesce(' in ' || "
        + blank("registration_district")
        + ", '')",
    ),
    "visas": (
        "decision_date",
        "'Visa ' || record_id",
        "coalesce("
        + blank("visa_type")
        + ", '?') || ' visa ' || coalesce("
        + blank("decision")
        + ", '') || ' ' || "
        + _iso("decision_date")
        + " || coalesce('; course ' || "
        + blank("course_name")
        + ", '')"
        + " || coalesce(' from ' || strftime(course_start_date, '%Y-%m-%d'), '')"
        + " || CASE WHEN arrival_date IS NULL THEN '; no arrival recorded' ELSE '; arrived ' "
        "|| strftime(arrival_date, '%Y-%m-%d') END",
    ),
    "schools": (
        "coalesce(enrol_date, expected_start_date)",
        "'Enrolment ' || record_id",
        "coalesce("
        + blank("school_name")
        + ", '?') || '; expected ' || "
        + _iso("expected_start_date")
        + " || CASE WHEN enrol_date IS NULL THEN '; never attended' ELSE '; enrolled ' || "
        "strftime(enrol_date, '%Y-%m-%d') END"
        + " || coalesce('; left: ' || "
        + blank("leave_reason")
        + ", '')",
    ),
    "missing": (
        "report_date",
        "'Missing report ' || record_id",
        "'reported ' || "
        + _iso("report_date")
        + " || ' by ' || coalesce("
        + blank("reported_by")
        + ", 'unknown') || '; ' || coalesce("
        + blank("reporting_force")
        + ", 'NO RESPONSIBLE FORCE') || '; status ' || coalesce("
        + blank("status")
        + ", '?')",
    ),
    "watchlist": (
        "since",
        "'Watchlist ' || record_id",
        "coalesce(" + blank("category") + ", '?') || ' since ' || " + _iso("since"),
    ),
}

#: Per source: attachments as (node id, node type, kind, label, relation, condition).
_ATTACH: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "births": [
        (
            "'address:' || " + address_key("usual_address", "postcode"),
            "address",
            "'address'",
            "usual_address || coalesce(', ' || " + blank("postcode") + ", '')",
            "'usual address'",
            blank("usual_address") + " IS NOT NULL",
        ),
        (
            "'name:' || " + token_key("informant_name"),
            "third_party",
            "'informant'",
            "informant_name",
            "'informant (' || coalesce(" + blank("informant_relationship") + ", '?') || ')'",
            token_key("informant_name")
            + " IS NOT NULL AND "
            + _not_parent("informant_relationship"),
        ),
    ],
    "visas": [
        (
            "'org:sponsor:' || coalesce(" + blank("sponsor_id") + ", " + fold("sponsor_name") + ")",
            "organisation",
            "'sponsor'",
            "coalesce("
            + blank("sponsor_name")
            + ", sponsor_id) || coalesce(' (' || "
            + blank("sponsor_type")
            + " || ')', '')",
            "'sponsor'",
            "coalesce(" + blank("sponsor_id") + ", " + fold("sponsor_name") + ") IS NOT NULL "
            "AND coalesce(lower(trim(sponsor_type)), '') <> 'individual'",
        ),
        (
            "'name:' || " + token_key("sponsor_name"),
            "third_party",
            "'individual sponsor'",
            "sponsor_name",
            "'individual sponsor'",
            token_key("sponsor_name") + " IS NOT NULL AND lower(trim(sponsor_type)) = 'individual'",
        ),
        (
            "'org:institution:' || " + fold("institution_name"),
            "organisation",
            "'institution'",
            "institution_name",
            "'course at'",
            fold("institution_name") + " IS NOT NULL",
        ),
        (
            "'address:' || " + address_key("uk_address", "uk_postcode"),
            "address",
            "'address'",
            "uk_address || coalesce(', ' || " + blank("uk_postcode") + ", '')",
            "'declared UK address'",
            blank("uk_address") + " IS NOT NULL",
        ),
        (
            "'passport:' || " + _passport_key("passport_number"),
            "passport",
            "'passport'",
            _passport_key("passport_number"),
            "'passport'",
            _passport_key("passport_number") + " IS NOT NULL",
        ),
    ],
    "schools": [
        (
            "'org:school:' || coalesce(" + blank("school_urn") + ", " + fold("school_name") + ")",
            "organisation",
            "'school'",
            "coalesce("
            + blank("school_name")
            + ", school_urn) || coalesce(', ' || "
            + blank("local_authority")
            + ", '')",
            "'enrolled at'",
            "coalesce(" + blank("school_urn") + ", " + fold("school_name") + ") IS NOT NULL",
        ),
        (
            "'address:' || " + address_key("home_address", "home_postcode"),
            "address",
            "'address'",
            "home_address || coalesce(', ' || " + blank("home_postcode") + ", '')",
            "'home address'",
            blank("home_address") + " IS NOT NULL",
        ),
        (
            "'name:' || " + token_key("guardian_name"),
            "third_party",
            "'guardian'",
            "guardian_name",
            "'guardian (' || coalesce(" + blank("guardian_relationship") + ", '?') || ')'",
            token_key("guardian_name") + " IS NOT NULL AND " + _not_parent("guardian_relationship"),
        ),
    ],
    "missing": [
        (
            "'org:force:' || " + fold("reporting_force"),
            "organisation",
            "'police force'",
            "reporting_force",
            "'reported to'",
            fold("reporting_force") + " IS NOT NULL",
        ),
        (
            "'place:' || " + fold("last_seen_location"),
            "place",
            "coalesce(" + blank("last_seen_location_type") + ", 'place')",
            "last_seen_location || coalesce(' (' || "
            + blank("last_seen_location_type")
            + " || ')', '')",
            "'last seen at'",
            fold("last_seen_location") + " IS NOT NULL",
        ),
    ],
    "watchlist": [],
}


def _scope(records: Iterable[RecordKey] | None) -> dict[str, list[str]] | None:
    if records is None:
        return None
    scope: dict[str, list[str]] = {source: [] for source in _RECORDS}
    for source, record_id in records:
        if source in scope:
            scope[source].append(record_id)
    return {k: sorted(set(v)) for k, v in scope.items()}


def build_graph(
    con: duckdb.DuckDBPyConnection, records: Iterable[RecordKey] | None = None
) -> nx.Graph:
    """The graph of the given records (all records when None), their persons and attachments."""
    prelude = store_prelude(con)
    scope = _scope(records)
    graph = nx.Graph()

    def run(source: str, select: str) -> list[tuple[Any, ...]]:
        where = "" if scope is None else " WHERE record_id IN (SELECT unnest(?::VARCHAR[]))"
        params = [] if scope is None else [scope[source]]
        if scope is not None and not scope[source]:
            return []
        return con.execute(
            with_prelude(prelude, f"SELECT * FROM ({select}) AS q{where}"), params
        ).fetchall()

    for source, (date, label, detail) in _RECORDS.items():
        rows = run(
            source,
            f"SELECT record_id, {label} AS label, {detail} AS detail, "
            f"strftime({date}, '%Y-%m-%d') AS date FROM records_{source}",
        )
        for record_id, node_label, node_detail, node_date in rows:
            graph.add_node(
                record_node(source, record_id),
                type="record", kind=source, label=node_label, detail=node_detail or "",
                source=source, record_id=record_id, date=node_date or "",
            )  # fmt: skip
        for node_id, node_type, kind, attach_label, relation, condition in _ATTACH[source]:
            rows = run(
                source,
                f"SELECT record_id, {node_id} AS node, {kind} AS kind, {attach_label} AS label, "
                f"{relation} AS relation FROM records_{source} WHERE {condition}",
            )
            for record_id, node, node_kind, node_label, node_relation in rows:
                if node not in graph:
                    graph.add_node(
                        node, type=node_type, kind=node_kind, label=node_label or node,
                        detail=node_kind,
                    )  # fmt: skip
                _connect(graph, record_node(source, record_id), node, node_relation)
    _add_persons(con, prelude, graph, scope)
    return graph


def _most_common(column: str) -> str:
    """A CTE ``best_<column>``: each entity's most frequent non-null value, ties to the
    smallest, so the same run always gives the same label."""
    return f"""best_{column} AS (
                SELECT entity_id, arg_min({column}, (-n, {column})) AS {column}
                FROM (SELECT entity_id, {column}, count(*) AS n FROM person
                      WHERE {column} IS NOT NULL AND {column} <> ''
                      GROUP BY entity_id, {column})
                GROUP BY entity_id
            )"""


def _add_persons(
    con: duckdb.DuckDBPyConnection,
    prelude: list[str],
    graph: nx.Graph,
    scope: Mapping[str, Sequence[str]] | None,
) -> None:
    if scope is None:
        where, params = "", []
    else:
        sources = [s for s, ids in scope.items() for _ in ids]
        ids = [i for _, values in scope.items() for i in values]
        where = (
            " WHERE (e.source, e.record_id) IN (SELECT (unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[])))"
        )
        params = [sources, ids]
    on_records = con.execute(
        with_prelude(
            prelude,
            "SELECT e.source, e.record_id, e.role, e.mention_id, e.entity_id, "
            f"e.membership_probability FROM entities AS e{where}",
        ),
        params,
    ).fetchall()
    entities = sorted({row[4] for row in on_records})
    if not entities:
        return
    person = """person AS (
                SELECT e.entity_id, e.source, e.record_id,
                       trim(coalesce(m.forenames, '') || ' ' || coalesce(m.surname, '')) AS name,
                       strftime(m.dob, '%Y-%m-%d') AS dob
                FROM entities AS e
                JOIN mentions AS m USING (mention_id)
                WHERE e.entity_id IN (SELECT unnest(?::VARCHAR[]))
            )"""
    people = con.execute(
        with_prelude(
            [*prelude, person, _most_common("name"), _most_common("dob")],
            """
            SELECT p.entity_id,
                   any_value(best_name.name),
                   any_value(best_dob.dob),
                   count(*),
                   string_agg(DISTINCT p.source, ', ' ORDER BY p.source),
                   string_agg(DISTINCT w.category, ', ' ORDER BY w.category)
            FROM person AS p
            LEFT JOIN best_name USING (entity_id)
            LEFT JOIN best_dob USING (entity_id)
            LEFT JOIN records_watchlist AS w ON p.source = 'watchlist' AND w.record_id = p.record_id
            GROUP BY p.entity_id
            ORDER BY p.entity_id
            """,
        ),
        [entities],
    ).fetchall()
    for entity_id, name, dob, mentions, sources, watch in people:
        detail = f"born {dob}" if dob else "date of birth not recorded"
        detail += f"; {mentions} mention{'s' if mentions != 1 else ''} in {sources}"
        if watch:
            detail += f"; WATCHLIST: {watch}"
        graph.add_node(
            person_node(entity_id), type="person", kind="watchlist" if watch else "person",
            label=name or entity_id, detail=detail, entity_id=entity_id, dob=dob or "",
            mentions=int(mentions), watchlist=watch or "",
        )  # fmt: skip
    for source, record_id, role, mention_id, entity_id, probability in on_records:
        record = record_node(source, record_id)
        if record in graph:
            _connect(
                graph, person_node(entity_id), record, role,
                probability=None if probability is None else float(probability),
                mention_id=mention_id,
            )  # fmt: skip


def _connect(graph: nx.Graph, a: str, b: str, relation: str, **attrs: Any) -> None:
    if graph.has_edge(a, b):
        known = graph.edges[a, b]["relation"].split("; ")
        if relation not in known:
            graph.edges[a, b]["relation"] = "; ".join([*known, relation])
        return
    graph.add_edge(a, b, relation=relation, **{k: v for k, v in attrs.items() if v is not None})


def record_node(source: str, record_id: str) -> str:
    """Node id of a record."""
    return f"record:{source}:{record_id}"


def person_node(entity_id: str) -> str:
    """Node id of a resolved person."""
    return f"person:{entity_id}"


def subject_node(subject_type: str, subject: str) -> str:
    """Node id of a flag's subject."""
    if subject_type == "entity":
        return person_node(subject)
    if subject_type == "report":
        return record_node("missing", subject.split(":", 1)[1] if ":" in subject else subject)
    prefix = {"name": "name", "address": "address", "passport": "passport", "cohort": "cohort"}
    return f"{prefix.get(subject_type, subject_type)}:{subject}"


def mention_record(mention_id: str) -> RecordKey:
    """(source, record_id) of a mention id ``source:record_id:role``."""
    source, _, rest = mention_id.partition(":")
    record_id, _, _ = rest.rpartition(":")
    return source, record_id


def ensure_subject(graph: nx.Graph, flag: Mapping[str, Any]) -> str:
    """The flag's subject node; a cohort (not a node of its own in the store) is added,
    joined to the flag's evidence records."""
    subject_type, subject = str(flag["subject_type"]), str(flag["subject"])
    centre = subject_node(subject_type, subject)
    if centre in graph:
        return centre
    parts = subject.split("|")
    graph.add_node(
        centre, type=subject_type, kind=subject_type,
        label=parts[1] if subject_type == "cohort" and len(parts) > 1 else subject,
        detail=str(flag.get("summary", "")),
    )  # fmt: skip
    for mention in flag["evidence"]:
        record = record_node(*mention_record(mention))
        if record in graph:
            graph.add_edge(centre, record, relation=f"{subject_type} member")
    return centre


@dataclass(frozen=True)
class View:
    """A flag's neighbourhood: the nodes and edges its network view draws."""

    centre: str
    nodes: tuple[str, ...]
    hidden: int


def neighbourhood(
    graph: nx.Graph,
    flag: Mapping[str, Any],
    subject_records: Sequence[RecordKey] = (),
    limit: int = MAX_VIEW_NODES,
) -> View:
    """The subject, its evidence records (and, for a person, all their records) and every
    node attached to those records. Adds a cohort node to ``graph`` when the subject is one.
    """
    evidence = list(flag["evidence"])
    records = [record_node(*mention_record(m)) for m in evidence]
    records += [record_node(*r) for r in subject_records]
    records = [r for r in dict.fromkeys(records) if r in graph]
    centre = ensure_subject(graph, flag)
    evidence_people = [
        n
        for m in evidence
        for r in [record_node(*mention_record(m))]
        if r in graph
        for n in graph.neighbors(r)
        if graph.nodes[n].get("type") == "person" and graph.edges[n, r].get("mention_id") == m
    ]
    ordered = [centre, *records, *evidence_people]
    ordered += [n for r in records for n in sorted(graph.neighbors(r))]
    if graph.nodes[centre].get("type") != "record":
        ordered += sorted(graph.neighbors(centre))
    unique = list(dict.fromkeys(ordered))
    return View(centre=centre, nodes=tuple(unique[:limit]), hidden=max(0, len(unique) - limit))


def view_data(graph: nx.Graph, view: View, evidence: Iterable[str]) -> dict[str, Any]:
    """The JSON the report's script draws: nodes with type, label and detail; edges."""
    evidence_records = {record_node(*mention_record(m)) for m in evidence}
    evidence_mentions = set(evidence)
    keep = set(view.nodes)
    nodes = []
    for node in view.nodes:
        attrs = graph.nodes[node]
        nodes.append(
            {
                "id": node,
                "type": attrs.get("type", ""),
                "kind": attrs.get("kind", ""),
                "label": str(attrs.get("label", node)),
                "detail": str(attrs.get("detail", "")),
                "centre": node == view.centre,
                "evidence": node in evidence_records,
            }
        )
    edges = []
    for a, b, attrs in graph.subgraph(keep).edges(data=True):
        edges.append(
            {
                "s": a,
                "t": b,
                "label": attrs.get("relation", ""),
                "p": attrs.get("probability"),
                "evidence": attrs.get("mention_id") in evidence_mentions,
            }
        )
    edges.sort(key=lambda e: (e["s"], e["t"]))
    return {"centre": view.centre, "nodes": nodes, "edges": edges, "hidden": view.hidden}
