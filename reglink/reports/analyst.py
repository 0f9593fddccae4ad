"""``reglink report``: the analyst's report.html, one self-contained page for a flagged run.

Everything the page shows is computed here, set-wise over the store (evidence records,
the links each flag rests on and their match weights, each flag's network neighbourhood),
then rendered through an autoescaping template; the network data reaches the page's
script as JSON inside a ``<script type="application/json">`` element.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from reglink import __version__
from resolver.files import atomic_path
from resolver.store import open_store
from rules import REGISTRY
from rules.flags import evidence_records

from . import loading
from .evidence import FlagLink, flag_links, membership, side_by_side
from .matchweights import LinkWeights, link_weights
from .network import NODE_TYPES, build_graph, mention_record, neighbourhood, view_data
from .render import CSP, render

#: Flags shown in full (the rest are counted); links listed per flag, weakest first.
MAX_FLAGS = 500
MAX_LINKS = 40
#: Links below this probability are marked uncertain.
UNCERTAIN_BELOW = 0.95


def write_report(run_dir: Path, *, max_flags: int = MAX_FLAGS) -> Path:
    """Write ``report.html`` into the run folder and return its path."""
    with open_store(run_dir) as con:
        context = report_context(con, run_dir, max_flags=max_flags)
    page = render("report.html", **context)
    target = run_dir / "report.html"
    with atomic_path(target) as temporary:
        temporary.write_text(page, encoding="utf-8")
    return target


def report_context(
    con: duckdb.DuckDBPyConnection, run_dir: Path, *, max_flags: int = MAX_FLAGS
) -> dict[str, Any]:
    """Everything the template needs."""
    all_flags = loading.load_flags(con)
    flags = all_flags[:max_flags]
    evidence = {str(f["flag_id"]): list(f["evidence"]) for f in flags}
    mentions = sorted({m for ms in evidence.values() for m in ms})
    records = evidence_records(con, mentions)
    members = membership(con, mentions)
    links = flag_links(con, evidence)
    shown = {fid: rows[:MAX_LINKS] for fid, rows in links.items()}
    weights = link_weights(
        run_dir, {(k.mention_l, k.mention_r) for rows in shown.values() for k in rows}
    )
    subject_records = loading.subject_records(con, flags)
    wanted = {mention_record(m) for m in mentions}
    wanted |= {r for rs in subject_records.values() for r in rs}
    graph = build_graph(con, wanted)
    groups = Counter(str(f["group_id"]) for f in all_flags)
    by_group: dict[str, list[dict[str, Any]]] = {}
    for f in all_flags:
        by_group.setdefault(str(f["group_id"]), []).append(f)
    views, graphs = [], {}
    for rank, flag in enumerate(flags, start=1):
        flag_id = str(flag["flag_id"])
        view = neighbourhood(graph, flag, subject_records.get(flag_id, ()))
        graphs[flag_id] = view_data(graph, view, flag["evidence"])
        centre = graph.nodes[view.centre]
        subject_mentions = {
            m for m in flag["evidence"] if members.get(m, ("",))[0] == flag["subject"]
        }
        views.append(
            _flag_view(
                rank, flag, centre, records, members, subject_mentions, links[flag_id],
                shown[flag_id], weights,
                [g for g in by_group[str(flag["group_id"])] if g["flag_id"] != flag_id]
                if groups[str(flag["group_id"])] > 1 else [],
            )
        )  # fmt: skip
    statuses = loading.rule_runs(con)
    params = loading.rule_params(run_dir)
    return {
        "csp": CSP,
        "version": __version__,
        "run": _run_view(con, run_dir),
        "model": _model_view(con, run_dir),
        "rules": [
            {
                **s,
                "title": REGISTRY[s["rule_id"]].title if s["rule_id"] in REGISTRY else "",
                "params": params.get(s["rule_id"], {}),
            }
            for s in statuses
        ],
        "flags": views,
        "flag_total": len(all_flags),
        "rule_ids": sorted({str(f["rule_id"]) for f in all_flags}),
        "severities": ["high", "medium", "low"],
        "node_types": NODE_TYPES,
        "data": {"graphs": graphs},
    }


def _flag_view(
    rank: int,
    flag: Mapping[str, Any],
    centre: Mapping[str, Any],
    records: Mapping[str, Mapping[str, Any]],
    members: Mapping[str, tuple[str, float | None, int]],
    subject_mentions: set[str],
    links: Sequence[FlagLink],
    shown: Sequence[FlagLink],
    weights: Mapping[tuple[str, str], LinkWeights],
    peers: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    details = dict(flag.get("details") or {})
    strength = details.pop("strength_parts", {}) or {}
    score_parts = details.pop("score_parts", {}) or {}
    evidence = [records[m] for m in flag["evidence"] if m in records]
    groups = side_by_side(evidence, subject_mentions)
    for group in groups:
        for column in group["records"]:
            column["mentions"] = [
                {
                    "mention_id": r["mention_id"],
                    "role": r["role"],
                    "entity_id": members.get(r["mention_id"], (None,))[0],
                    "probability": members.get(r["mention_id"], (None, None))[1],
                    "subject": r["mention_id"] in subject_mentions,
                }
                for r in evidence
                if (r["source"], r["record_id"]) == (column["source"], column["record_id"])
            ]
    names = " ".join(
        str(v)
        for r in evidence
        for k, v in (r.get("fields") or {}).items()
        if v and ("name" in k or k in ("forenames", "surname"))
    )
    search = " ".join(
        [str(flag["summary"]), str(flag["subject"]), str(flag["rule_id"]),
         str(centre.get("label", "")), names]
    ).lower()  # fmt: skip
    return {
        "rank": rank,
        "flag_id": flag["flag_id"],
        "rule_id": flag["rule_id"],
        "rule_title": REGISTRY[flag["rule_id"]].title if flag["rule_id"] in REGISTRY else "",
        "score": int(flag["score"]),
        "severity": flag["severity"],
        "summary": flag["summary"],
        "subject": flag["subject"],
        "subject_type": flag["subject_type"],
        "subject_label": str(centre.get("label", flag["subject"])),
        "subject_detail": str(centre.get("detail", "")),
        "confidence": _float(flag.get("confidence")),
        "group_id": flag["group_id"],
        "peers": [
            {"flag_id": p["flag_id"], "rule_id": p["rule_id"], "summary": p["summary"]}
            for p in peers
        ],
        "explanation": flag["explanation"],
        "strength": sorted(
            ({"label": k, "value": float(v)} for k, v in strength.items()),
            key=lambda p: (-p["value"], p["label"]),
        ),
        "score_parts": score_parts,
        "details": [
            {"key": k, "value": _short(v)}
            for k, v in sorted(details.items())
            if v not in ("", None)
        ],
        "record_groups": groups,
        "n_records": sum(len(g["records"]) for g in groups),
        "links": [_link_view(k, weights.get((k.mention_l, k.mention_r))) for k in shown],
        "comparisons": _comparison_names(weights, shown),
        "links_total": len(links),
        "links_joined": sum(k.in_entity for k in links),
        "weakest": min((k.match_probability for k in links if k.in_entity), default=None),
        "search": search,
    }


def _comparison_names(
    weights: Mapping[tuple[str, str], LinkWeights], links: Sequence[FlagLink]
) -> list[str]:
    for link in links:
        found = weights.get((link.mention_l, link.mention_r))
        if found is not None:
            return [c.comparison for c in found.contributions]
    return []


def _link_view(link: FlagLink, weights: LinkWeights | None) -> dict[str, Any]:
    parts = []
    prior = None
    if weights is not None:
        prior = weights.prior
        parts = [
            {
                "comparison": c.comparison,
                "level": c.level,
                "weight": c.weight,
                "tf": c.tf_adjustment,
            }
            for c in weights.contributions
        ]
    return {
        "left": link.mention_l,
        "right": link.mention_r,
        "probability": link.match_probability,
        "weight": link.match_weight,
        "in_entity": link.in_entity,
        "uncertain": link.match_probability < UNCERTAIN_BELOW,
        "prior": prior,
        "parts": parts,
    }


def _run_view(con: duckdb.DuckDBPyConnection, run_dir: Path) -> dict[str, Any]:
    summary = loading.summary(con)
    resolve = summary.get("resolve", {}) or {}
    options = summary.get("options", {}) or {}
    inputs = [
        {
            "source": i.get("source"),
            "file": Path(str(i.get("file", ""))).name,
            "rows_read": i.get("rows_read"),
            "accepted": i.get("accepted"),
            "rejected": i.get("rejected"),
            "dates_blanked": i.get("dates_blanked"),
            "sha256": str(i.get("sha256", ""))[:16],
        }
        for i in resolve.get("inputs", [])
    ]
    total, rejected_rows = loading.rejected(con)
    reasons = Counter(
        part.strip()
        for r in rejected_rows
        for part in str(r.get("reason") or "").split(";")
        if part.strip()
    )
    counts = [
        ("mentions", resolve.get("mentions")),
        ("entities (resolved persons)", resolve.get("entities")),
        ("candidate pairs scored", resolve.get("candidate_pairs")),
        ("links kept (probability ≥ keep threshold)", resolve.get("links")),
        ("rejected rows", resolve.get("rejected", total)),
        ("links refused: same record", resolve.get("refused_same_record")),
        ("links refused: dates of birth conflict", resolve.get("refused_dob_conflict")),
        ("links refused: birth records conflict", resolve.get("refused_birth_conflict")),
    ]
    return {
        "folder": str(run_dir),
        "command": summary.get("command"),
        "version": summary.get("version"),
        "config_file": summary.get("config_file"),
        "inputs": inputs,
        "counts": [(k, v) for k, v in counts if v is not None],
        "options": options,
        "rejected_total": total,
        "rejected_rows": rejected_rows[:50],
        "rejected_reasons": reasons.most_common(12),
        "model_trained": summary.get("model_trained"),
    }


_BANDS = ((0.0, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01))


def _model_view(con: duckdb.DuckDBPyConnection, run_dir: Path) -> dict[str, Any]:
    model = loading.model(run_dir)
    comparisons = []
    prior = None
    if model is not None:
        p = float(model.get("probability_two_random_records_match") or 0)
        if 0 < p < 1:
            prior = {"probability": p, "weight": math.log2(p / (1 - p))}
        for comparison in model.get("comparisons", []):
            levels = []
            for level in comparison.get("comparison_levels", []):
                if level.get("is_null_level"):
                    continue
                m, u = level.get("m_probability"), level.get("u_probability")
                weight = math.log2(m / u) if m and u else None
                levels.append(
                    {
                        "label": level.get("label_for_charts", ""),
                        "m": m,
                        "u": u,
                        "weight": weight,
                        "tf": bool(level.get("tf_adjustment_column")),
                    }
                )
            top = max((abs(lv["weight"]) for lv in levels if lv["weight"] is not None), default=1)
            for lv in levels:
                lv["width"] = 0 if lv["weight"] is None else round(50 * abs(lv["weight"]) / top, 1)
            comparisons.append({"name": comparison.get("output_column_name"), "levels": levels})
    tables = loading.tables(con)
    bands: list[dict[str, Any]] = []
    if "links" in tables:
        for low, high in _BANDS:
            row = con.execute(
                "SELECT count(*) FILTER (WHERE in_entity), count(*) FILTER (WHERE NOT in_entity) "
                "FROM links WHERE match_probability >= ? AND match_probability < ?",
                [low, high],
            ).fetchone() or (0, 0)
            label = f"{low:.2f}–{min(high, 1.0):.2f}" if low else f"below {high:.2f}"
            bands.append({"label": label, "joined": int(row[0]), "apart": int(row[1])})
    top_band = max((b["joined"] + b["apart"] for b in bands), default=1) or 1
    for b in bands:
        b["joined_w"] = round(100 * b["joined"] / top_band, 1)
        b["apart_w"] = round(100 * b["apart"] / top_band, 1)
    sizes: list[tuple[str, int]] = []
    weak = 0
    if "entities" in tables:
        rows = con.execute(
            "SELECT CASE WHEN n = 1 THEN '1' WHEN n = 2 THEN '2' WHEN n = 3 THEN '3' "
            "WHEN n <= 5 THEN '4–5' WHEN n <= 10 THEN '6–10' ELSE '11 or more' END AS band, "
            "count(*) FROM (SELECT entity_id, count(*) AS n FROM entities GROUP BY entity_id) "
            "GROUP BY band"
        ).fetchall()
        found = dict(rows)
        sizes = [(b, int(found.get(b, 0))) for b in ("1", "2", "3", "4–5", "6–10", "11 or more")]
        weak_row = con.execute(
            "SELECT count(*) FROM entities WHERE entity_size > 1 AND membership_probability < ?",
            [UNCERTAIN_BELOW],
        ).fetchone()
        weak = int(weak_row[0]) if weak_row else 0
    return {
        "available": model is not None,
        "prior": prior,
        "comparisons": comparisons,
        "bands": bands,
        "sizes": sizes,
        "weak_members": weak,
        "uncertain_below": UNCERTAIN_BELOW,
    }


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _short(value: Any) -> str:
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, float):
        text = f"{value:.4g}"
    else:
        text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"
