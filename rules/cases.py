"""Cases: flags that rest on shared evidence, grouped so an analyst reads one pattern once.

Two flags are in one case when they share a subject or any evidence mention: the organiser
whose informant registrations are the prolific father's births, or the children of a visa
cohort who were later reported missing, stand in the same case as the father or the cohort.
A case ranks by its case score: its highest flag score plus ``corroboration`` points for
each further rule among its flags, at most 100. Flags keep their own scores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any


def _find(parent: list[int], i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        parent[i], i = root, parent[i]
    return root


def case_components(flags: Sequence[Mapping[str, Any]]) -> list[int]:
    """For each flag, the index of a representative flag of its case."""
    parent = list(range(len(flags)))
    first_holder: dict[str, int] = {}
    for i, flag in enumerate(flags):
        keys = [f"group:{flag['group_id']}", *(f"mention:{m}" for m in flag["evidence"])]
        for key in keys:
            j = first_holder.setdefault(key, i)
            a, b = _find(parent, i), _find(parent, j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [_find(parent, i) for i in range(len(flags))]


def case_id(flag_ids: Sequence[str]) -> str:
    """Deterministic case id: a hash of the smallest flag id in the case."""
    return "C-" + hashlib.sha256(min(flag_ids).encode("utf-8")).hexdigest()[:10]


def assign_cases(
    flags: Sequence[Mapping[str, Any]], corroboration: float = 0.0
) -> list[dict[str, Any]]:
    """The flags with ``case_id`` and ``case_score`` set, best case first, then by score."""
    roots = case_components(flags)
    members: dict[int, list[int]] = {}
    for i, root in enumerate(roots):
        members.setdefault(root, []).append(i)
    ids = {root: case_id([str(flags[i]["flag_id"]) for i in idx]) for root, idx in members.items()}
    scores = {
        root: min(
            100,
            int(
                max(int(flags[i]["score"]) for i in idx)
                + corroboration * (len({flags[i]["rule_id"] for i in idx}) - 1)
                + 0.5
            ),
        )
        for root, idx in members.items()
    }
    out = [
        {**flag, "case_id": ids[roots[i]], "case_score": scores[roots[i]]}
        for i, flag in enumerate(flags)
    ]
    order = sorted(
        range(len(out)),
        key=lambda i: (
            -scores[roots[i]],
            ids[roots[i]],
            -int(out[i]["score"]),
            str(out[i]["flag_id"]),
        ),
    )
    return [out[i] for i in order]


def case_ranks(case_ids: Sequence[str]) -> dict[str, int]:
    """1-based rank of each case, in the order the (case-ordered) flags first name it."""
    ranks: dict[str, int] = {}
    for cid in case_ids:
        ranks.setdefault(cid, len(ranks) + 1)
    return ranks
