"""Cluster scored pairs into entities under cannot-link constraints, with stable ids.

Links are added strongest first (ties broken by mention ids, so the result is
deterministic). A link is refused when it would put into one entity

* two mentions of the same record (a mother and her own child), or
* through a mention with no dob, two dates of birth that no recording error explains
  (when ``dob_conflicts`` is on): a missing-person report without a dob cannot chain two
  different people of the same name born years apart. Other links between two recorded
  dobs are left to the model, which has weighed the discrepancy itself, except that
* a child's dob as registered at birth, the legal record, is never joined to a dob no
  recording error explains (when ``registered_dob_conflicts`` is on): same-name siblings at
  one address share surname, address and sex, which the model counts as independent
  evidence, so the dob's weight alone does not keep them apart, or
* two birth registrations of children with different first names (when
  ``birth_conflicts`` is on): twins share a mother, a surname, a dob and an address, but
  a child re-registered after the parents marry keeps its first name,

which is the same as splitting any cluster that would join them at its weakest link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import jellyfish
import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ClusterOptions:
    """Clustering threshold and which cannot-link constraints apply."""

    threshold: float = 0.9
    dob_conflicts: bool = True
    registered_dob_conflicts: bool = True
    birth_conflicts: bool = True


@dataclass
class Clustering:
    """Entity membership and what the constraints did."""

    entities: pd.DataFrame  # mention_id, entity_id, entity_size, membership_probability
    links_used: pd.DataFrame  # mention_id_l, mention_id_r, match_probability (edges joined)
    refused_same_record: int
    refused_dob_conflict: int
    refused_birth_conflict: int


def dobs_compatible(a: str, b: str) -> bool:
    """Whether two ISO dates could be one person's dob given common recording errors."""
    if a == b:
        return True
    ya, ma, da = a[:4], a[5:7], a[8:10]
    yb, mb, db = b[:4], b[5:7], b[8:10]
    if ya == yb and ma == db and da == mb:
        return True
    if ma == mb and da == db and abs(int(ya) - int(yb)) == 1:
        return True
    differing = [i for i in range(len(a)) if a[i] != b[i]]
    if len(differing) == 1:
        return True
    return (
        len(differing) == 2
        and differing[1] == differing[0] + 1
        and a[differing[0]] == b[differing[1]]
    )


def _dob_conflict(left: set[str], right: set[str], judged: tuple[str | None, str | None]) -> bool:
    """Whether joining two components would join dobs no recording error explains.

    The discrepancy between the linking pair's own dobs is exempt: the model has already
    weighed it in that link's probability. Any other discrepancy only arises transitively.
    """
    exempt = {judged, (judged[1], judged[0])}
    return any(not dobs_compatible(x, y) and (x, y) not in exempt for x in left for y in right)


def names_compatible(a: str, b: str) -> bool:
    """Whether two standardised first names could be one child's (equal, nickname, typo)."""
    return a == b or jellyfish.jaro_winkler_similarity(a, b) >= 0.85 or a in b or b in a


def _birth_name_conflict(left: set[str], right: set[str]) -> bool:
    return any(not names_compatible(x, y) for x in left for y in right)


class _Components:
    """Union-find whose roots carry their component's record keys, dobs and birth names."""

    def __init__(
        self,
        record_keys: list[str],
        dobs: list[str | None],
        birth_names: list[str | None],
        registered: list[bool],
    ) -> None:
        self.parent = list(range(len(record_keys)))
        self.size = [1] * len(record_keys)
        self.records: list[set[str]] = [{k} for k in record_keys]
        self.dobs: list[set[str]] = [{d} if d else set() for d in dobs]
        self.registered_dobs: list[set[str]] = [
            {d} if d and r else set() for d, r in zip(dobs, registered, strict=True)
        ]
        self.birth_names: list[set[str]] = [{n} if n else set() for n in birth_names]

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        self.records[a] |= self.records[b]
        self.dobs[a] |= self.dobs[b]
        self.registered_dobs[a] |= self.registered_dobs[b]
        self.birth_names[a] |= self.birth_names[b]
        self.records[b] = set()
        self.dobs[b] = set()
        self.registered_dobs[b] = set()
        self.birth_names[b] = set()


def cluster(mentions: pd.DataFrame, pairs: pd.DataFrame, options: ClusterOptions) -> Clustering:
    """Entities from mentions (mention_id, record_key, dob_str) and scored pairs."""
    ids = mentions["mention_id"].tolist()
    index = {m: i for i, m in enumerate(ids)}
    dobs = [d if isinstance(d, str) else None for d in mentions["dob_str"].tolist()]
    birth_names = _birth_names(mentions)
    registered = _registered_children(mentions)
    components = _Components(mentions["record_key"].tolist(), dobs, birth_names, registered)

    strong = pairs.loc[pairs["match_probability"] >= options.threshold]
    strong = strong.sort_values(
        ["match_probability", "mention_id_l", "mention_id_r"], ascending=[False, True, True]
    )
    used: list[int] = []
    refused_record = refused_dob = refused_birth = 0
    lefts = strong["mention_id_l"].map(index).to_numpy()
    rights = strong["mention_id_r"].map(index).to_numpy()
    for position, (left, right) in enumerate(zip(lefts, rights, strict=True)):
        a, b = components.find(int(left)), components.find(int(right))
        if a == b:
            used.append(position)
            continue
        if not components.records[a].isdisjoint(components.records[b]):
            refused_record += 1
            continue
        judged = (dobs[int(left)], dobs[int(right)])
        if (
            options.dob_conflicts
            and None in judged
            and _dob_conflict(components.dobs[a], components.dobs[b], judged)
        ):
            refused_dob += 1
            continue
        if options.registered_dob_conflicts and (
            _dob_conflict(components.registered_dobs[a], components.dobs[b], (None, None))
            or _dob_conflict(components.dobs[a], components.registered_dobs[b], (None, None))
        ):
            refused_dob += 1
            continue
        if options.birth_conflicts and _birth_name_conflict(
            components.birth_names[a], components.birth_names[b]
        ):
            refused_birth += 1
            continue
        components.union(a, b)
        used.append(position)

    roots = np.array([components.find(i) for i in range(len(ids))])
    entities = pd.DataFrame({"mention_id": ids, "root": roots})
    entities["entity_id"] = _entity_ids(entities)
    entities["entity_size"] = (
        entities.groupby("root")["mention_id"].transform("size").astype("int64")
    )
    links_used = strong.iloc[used][["mention_id_l", "mention_id_r", "match_probability"]]
    entities = entities.drop(columns="root")
    entities["membership_probability"] = _membership(entities, links_used)
    return Clustering(
        entities=entities,
        links_used=links_used.reset_index(drop=True),
        refused_same_record=refused_record,
        refused_dob_conflict=refused_dob,
        refused_birth_conflict=refused_birth,
    )


def _registered_children(mentions: pd.DataFrame) -> list[bool]:
    """Whether each mention is a child on a birth registration (its dob the legal record)."""
    if not {"kind", "role"} <= set(mentions.columns):
        return [False] * len(mentions)
    return ((mentions["kind"] == "births") & (mentions["role"] == "child")).tolist()


def _birth_names(mentions: pd.DataFrame) -> list[str | None]:
    """First names of children as registered at birth (None for every other mention)."""
    if not {"kind", "role", "first_name_canonical"} <= set(mentions.columns):
        return [None] * len(mentions)
    is_child = (mentions["kind"] == "births") & (mentions["role"] == "child")
    names = mentions["first_name_canonical"].astype("object").tolist()
    return [
        n if child and isinstance(n, str) else None
        for n, child in zip(names, is_child, strict=True)
    ]


def _entity_ids(entities: pd.DataFrame) -> pd.Series:
    """Stable ids: a hash of the entity's smallest mention id (unchanged by unrelated data)."""
    first = entities.groupby("root")["mention_id"].transform("min")
    unique_first = pd.Series(first.unique())
    hashed = unique_first.map(lambda m: "E" + hashlib.sha1(m.encode("utf-8")).hexdigest()[:14])
    if hashed.duplicated().any():  # vanishingly rare; lengthen rather than collide
        hashed = unique_first.map(lambda m: "E" + hashlib.sha1(m.encode("utf-8")).hexdigest())
    return first.map(dict(zip(unique_first, hashed, strict=True)))


def _membership(entities: pd.DataFrame, links_used: pd.DataFrame) -> pd.Series:
    """For each mention, the strongest link that ties it to the rest of its entity."""
    best = (
        pd.concat(
            [
                links_used[["mention_id_l", "match_probability"]].rename(
                    columns={"mention_id_l": "m"}
                ),
                links_used[["mention_id_r", "match_probability"]].rename(
                    columns={"mention_id_r": "m"}
                ),
            ]
        )
        .groupby("m")["match_probability"]
        .max()
    )
    return entities["mention_id"].map(best).astype("float64")
