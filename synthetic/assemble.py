"""Turn records under construction into the contract's tables and the truth tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic.arrays import ObjArray, iso, numbered, obj
from synthetic.names import strip_many
from synthetic.noise import Renderer
from synthetic.persons import Persons
from synthetic.places import Places
from synthetic.rates import NoiseRates
from synthetic.records import Evidence, World
from synthetic.schema import (
    COLUMNS,
    ID_PREFIX,
    PERSON_FIELDS,
    POSTCODE_COLUMN,
    ROLES,
    SORT_DATE,
    SOURCES,
    TRUTH_DECOYS,
    TRUTH_MENTIONS,
    TRUTH_PERSONS,
    TRUTH_PLANTED,
)


@dataclass
class Tables:
    """Everything to write: one frame per source plus the truth frames."""

    sources: dict[str, pd.DataFrame]
    mentions: pd.DataFrame
    planted: pd.DataFrame
    decoys: pd.DataFrame
    persons: pd.DataFrame


def assemble(world: World, persons: Persons, rates: NoiseRates) -> Tables:
    """Number the records, render every mention with noise, and build the truth tables."""
    rng = world.rng
    renderer = Renderer(persons, rates, rng, world.names.nicknames, world.names.demonyms)
    sources: dict[str, pd.DataFrame] = {}
    truth_parts: list[pd.DataFrame] = []
    ref_ids: dict[tuple[str, str], list[str]] = {}
    for source in SOURCES:
        records = world.records.frame(source)
        table, truth, refs = _assemble_source(source, records, renderer, world.places, rates, rng)
        sources[source] = table
        truth_parts.append(truth)
        ref_ids.update(refs)
    mentions = pd.concat(truth_parts, ignore_index=True)
    known = set(mentions["mention_id"].tolist())
    planted = _evidence_frame(world.evidence, "planted", ref_ids, known, TRUTH_PLANTED)
    decoys = _evidence_frame(world.evidence, "decoys", ref_ids, known, TRUTH_DECOYS)
    return Tables(sources, mentions, planted, decoys, _persons_frame(persons))


def _ids(prefix: str, n: int) -> ObjArray:
    return numbered(prefix, np.arange(1, n + 1))


def _assemble_source(
    source: str,
    records: pd.DataFrame,
    renderer: Renderer,
    places: Places,
    rates: NoiseRates,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[tuple[str, str], list[str]]]:
    """One source: sorted and numbered records, rendered mentions, truth rows, ref → ids."""
    columns = COLUMNS[source]
    n = len(records)
    if n == 0:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return empty, pd.DataFrame({c: pd.Series(dtype=object) for c in TRUTH_MENTIONS}), {}
    date = records[SORT_DATE[source]].to_numpy().astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((rng.random(n), date))
    records = records.iloc[order].reset_index(drop=True)
    ids = _ids(ID_PREFIX[source], n)
    out: dict[str, ObjArray] = {columns[0]: ids}
    for col in columns[1:]:
        if col in records.columns:
            values = records[col]
            if pd.api.types.is_datetime64_any_dtype(values):
                out[col] = iso(values.to_numpy().astype("datetime64[D]"))
            else:
                out[col] = values.to_numpy(dtype=object)
        else:
            out[col] = obj("", n)
    if source == "schools":
        school = records["_school"].to_numpy()
        out["school_urn"] = places.school_urn[school]
        out["school_name"] = places.school_name[school]
        out["school_postcode"] = places.school_postcode[school]
        out["local_authority"] = places.school_la[school]

    record_noise = obj("", n)
    if source in POSTCODE_COLUMN:
        blank = rng.random(n) < rates.postcode_missing
        col = POSTCODE_COLUMN[source]
        had = out[col] != ""
        out[col] = np.where(blank, "", out[col]).astype(object)
        record_noise[blank & had] = "postcode_missing"

    truth_ids: list[ObjArray] = []
    truth_pid: list[np.ndarray] = []
    truth_noise: list[ObjArray] = []
    truth_pos: list[np.ndarray] = []
    truth_role: list[np.ndarray] = []
    for r, role in enumerate(ROLES[source]):
        pid = records[f"_{role}"].to_numpy()
        rows = np.flatnonzero(pid >= 0)
        override = _optional(records, f"_surname_{role}", rows)
        tags = _optional(records, f"_tag_{role}", rows)
        rendered = renderer.render(source, role, pid[rows], override, tags)
        for attr, col in PERSON_FIELDS[(source, role)].items():
            full = obj("", n)
            full[rows] = getattr(rendered, attr)
            out[col] = full
        noise = rendered.noise
        extra = record_noise[rows]
        has_extra = extra != ""
        noise[has_extra] = np.where(
            noise[has_extra] == "", extra[has_extra], noise[has_extra] + ";" + extra[has_extra]
        )
        truth_ids.append(f"{source}:" + ids[rows] + f":{role}")
        truth_pid.append(pid[rows])
        truth_noise.append(noise)
        truth_pos.append(rows)
        truth_role.append(np.full(len(rows), r))

    if source == "births":
        _informants(out, records, rates, rng)
    elif source == "schools":
        out["guardian_name"] = _maybe_plain(
            out["guardian_name"], rates.diacritics_kept(source), rng
        )
    elif source == "visas":
        out["sponsor_name"] = _maybe_plain(out["sponsor_name"], rates.diacritics_kept(source), rng)

    table = pd.DataFrame({c: out[c] for c in columns})
    pos = np.concatenate(truth_pos)
    role_no = np.concatenate(truth_role)
    sort = np.lexsort((role_no, pos))
    pids = np.concatenate(truth_pid)[sort]
    truth = pd.DataFrame(
        {
            "mention_id": np.concatenate(truth_ids)[sort],
            "person_id": numbered("P", pids + 1),
            "noise": np.concatenate(truth_noise)[sort],
        }
    )
    refs: dict[tuple[str, str], list[str]] = {}
    if "_ref" in records.columns:
        tags = records["_ref"].to_numpy(dtype=object)
        for i in np.flatnonzero(tags != "").tolist():
            refs.setdefault((source, str(tags[i])), []).append(str(ids[i]))
    return table, truth, refs


def _optional(records: pd.DataFrame, col: str, rows: np.ndarray) -> ObjArray | None:
    if col not in records.columns:
        return None
    values: ObjArray = records[col].to_numpy(dtype=object)[rows]
    return values


def _maybe_plain(values: ObjArray, kept: float, rng: np.random.Generator) -> ObjArray:
    """Free-text names written in plain ASCII on records that do not keep diacritics."""
    plain = rng.random(len(values)) >= kept
    out = values.copy()
    out[plain] = strip_many(values[plain])
    return out


def _informants(
    out: dict[str, ObjArray], records: pd.DataFrame, rates: NoiseRates, rng: np.random.Generator
) -> None:
    """Informant name from the rendered parents ('both': 'Mother and Father'), or as given."""
    rel = out["informant_relationship"]
    mother = out["mother_forenames"] + " " + out["mother_surname"]
    father = out["father_forenames"] + " " + out["father_surname"]
    given = _maybe_plain(
        records["_informant_name"].to_numpy(dtype=object), rates.diacritics_kept("births"), rng
    )
    out["informant_name"] = np.where(
        rel == "mother",
        mother,
        np.where(
            rel == "father", father, np.where(rel == "both", mother + " and " + father, given)
        ),
    ).astype(object)


def _evidence_frame(
    evidence: list[Evidence],
    table: str,
    ref_ids: dict[tuple[str, str], list[str]],
    known: set[str],
    columns: tuple[str, ...],
) -> pd.DataFrame:
    """Planted or decoy rows with refs resolved to mention ids (every one must exist)."""
    rows = []
    for ev in evidence:
        if ev.table != table:
            continue
        ids = []
        for source, ref, role in ev.refs:
            if (source, ref) not in ref_ids:
                raise RuntimeError(f"{table} {ev.name}: no {source} record tagged {ref!r}")
            for record_id in ref_ids[(source, ref)]:
                mid = f"{source}:{record_id}:{role}"
                if mid not in known:
                    raise RuntimeError(f"{table} {ev.name}: evidence {mid} is not a mention")
                ids.append(mid)
        subject = f"P{ev.subject + 1:07d}" if isinstance(ev.subject, int) else ev.subject
        rows.append((ev.name, subject, ";".join(ids)))
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def _persons_frame(persons: Persons) -> pd.DataFrame:
    n = len(persons)
    return pd.DataFrame(
        dict(
            zip(
                TRUTH_PERSONS,
                (
                    numbered("P", np.arange(1, n + 1)),
                    persons.forenames,
                    persons.surname,
                    persons.married,
                    iso(persons.dob),
                    persons.sex,
                    persons.nationality,
                    persons.birth_nationality,
                    persons.culture,
                ),
                strict=True,
            )
        )
    )
