"""``reglink export``: shareable copies of a run's outputs with personal values pseudonymised.

What is replaced (docs/operations.md gives the full list and the reasoning):

* names, dates of birth, document numbers, addresses and full postcodes held as values: the
  name, dob, document, address and postcode columns of entities.csv, every personal column
  of a flag's evidence records, and a flag's subject when it is a name, address or passport;
* the same values inside the flags' free text (summary, explanation, details), plus any
  word of a known name, and the dates of birth of the flag's own records;
* the ids of flags on such subjects: they are a plain hash of the subject, and anyone can
  hash a list of names, so they are derived again under the key.

Mention, record and entity ids are kept: they are the agencies' own reference numbers, or
hashes of them, and let a recipient refer back to the source. rejected.csv is not exported:
it holds the input rows exactly as they were read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from reglink.pseudonymise import (
    ADDRESS,
    DOB,
    DOCUMENT,
    NAME,
    POSTCODE,
    SUBJECT,
    TOKEN,
    Pseudonymiser,
    read_key,
)
from resolver.audit import now, record_event, sha256_file
from resolver.errors import RunStateError
from resolver.files import replaced_dir, write_csv, write_json
from resolver.schema import SOURCES
from resolver.store import read_summary, writing_store

EXPORT_FILE = "export.json"

#: Columns of entities.csv (and of the store's mentions table) replaced by pseudonyms.
ENTITY_COLUMNS = {
    "forenames": NAME,
    "surname": NAME,
    "maiden_surname": NAME,
    "first_name": NAME,
    "first_name_canonical": NAME,
    "middle_names": NAME,
    "surname_std": NAME,
    "maiden_surname_std": NAME,
    "name_key": NAME,
    "surname_phonetic": NAME,
    "dob": DOB,
    "document_number": DOCUMENT,
    "address": ADDRESS,
    "postcode": POSTCODE,
}
#: Mention fields (the roles of resolver.schema) whose source columns are personal.
_ROLE_FIELDS = {
    "forenames": NAME,
    "surname": NAME,
    "maiden_surname": NAME,
    "dob": DOB,
    "document_number": DOCUMENT,
    "address": ADDRESS,
    "postcode": POSTCODE,
}
#: Personal record columns that no role maps: other people named on a record, and where a
#: missing person was last seen or found (often a home or a care address).
_OTHER_PERSONAL = {
    "informant_name": NAME,
    "guardian_name": NAME,
    "last_seen_location": ADDRESS,
    "found_location": ADDRESS,
}
#: Places of these types are public (a school, an airport), so they are kept.
_PUBLIC_PLACES = ("school", "airport", "port")
#: Flag subject types that are ids, not personal values.
_SAFE_SUBJECTS = {"entity", "cohort", "report"}
_SUBJECT_CATEGORIES = {"name": NAME, "address": ADDRESS, "passport": DOCUMENT}
#: Columns that hold ids, codes or numbers, never personal text: copied as they are.
KEPT_COLUMNS = {
    "flag_id", "rule_id", "subject", "subject_type", "score", "severity", "evidence",
    "confidence", "group_id", "mention_id", "source", "record_id", "role", "row",
    "entity_id", "entity_size", "membership_probability", "mention_id_l", "mention_id_r",
    "match_probability", "match_weight", "in_entity",
    *(s.id_column for s in SOURCES.values()),
}  # fmt: skip
#: Flag fields that are sentences.
FREE_TEXT = ("summary", "explanation")


def record_columns() -> dict[str, str]:
    """Every personal column of the contract's sources, with its category."""
    columns = dict(_OTHER_PERSONAL)
    for source in SOURCES.values():
        for role in source.roles:
            for name, column in role.columns.items():
                if name in _ROLE_FIELDS:
                    columns[column] = _ROLE_FIELDS[name]
    return columns


def record_category(column: str, fields: dict[str, Any]) -> str | None:
    """The category of one record field, or None when it is not personal."""
    if column == "sponsor_name":  # an organisation, or a person sponsoring a visa
        return NAME if str(fields.get("sponsor_type") or "").lower() == "individual" else None
    if column == "last_seen_location":
        kind = str(fields.get("last_seen_location_type") or "").lower()
        return None if kind in _PUBLIC_PLACES else ADDRESS
    return record_columns().get(column)


def _present(path: Path, columns: dict[str, str]) -> list[str]:
    """Those of ``columns`` that the CSV at ``path`` has (none when it was not written)."""
    if not path.is_file():
        return []
    header = set(pd.read_csv(path, nrows=0).columns)
    return sorted(c for c in columns if c in header)


@dataclass
class ExportSummary:
    """What an export wrote."""

    out_dir: Path
    files: list[str]
    values_replaced: int
    key_fingerprint: str
    warnings: list[str] = field(default_factory=list)


def export_pseudonymised(
    run_dir: Path, out_dir: Path, key_file: Path, command: str | None = None
) -> ExportSummary:
    """Write pseudonymised copies of ``run_dir``'s outputs to ``out_dir`` (replaced whole);
    ``command`` (the command line) goes into the run's audit log."""
    key, warnings = read_key(key_file)
    _check_apart(run_dir, out_dir)
    job = _Export(Pseudonymiser(key))
    with writing_store(run_dir) as con:
        job.learn(con)
        run_id = (read_summary(con).get("audit") or {}).get("run_id")
        with replaced_dir(out_dir, replaceable=lambda p: (p / EXPORT_FILE).is_file()) as stage:
            files = job.write(run_dir, stage)
            job.check(stage, files)
            manifest = {
                "exported": now(),
                "run_id": run_id,
                "key_fingerprint": job.pseudonyms.fingerprint,
                "values_replaced": job.replaced,
                "files": {name: sha256_file(stage / name) for name in files},
                "replaced": {
                    "entities.csv": _present(stage / "entities.csv", ENTITY_COLUMNS),
                    "flag evidence records": sorted(record_columns()),
                    "flag evidence records, when personal": [
                        "sponsor_name (sponsor_type individual)",
                        "last_seen_location (not a school, airport or port)",
                    ],
                    "flag subjects": sorted(_SUBJECT_CATEGORIES),
                    "flag free text": [*FREE_TEXT, "details"],
                },
                "not exported": ["rejected.csv", "model.json", "reglink.duckdb"],
            }
            write_json(manifest, stage / EXPORT_FILE)
        record_event(con, "export", command, {"out_dir": str(out_dir.absolute()), **manifest})
    return ExportSummary(
        out_dir, [*files, EXPORT_FILE], job.replaced, job.pseudonyms.fingerprint, warnings
    )


def _check_apart(run_dir: Path, out_dir: Path) -> None:
    run, out = run_dir.resolve(), out_dir.resolve()
    if run == out or run in out.parents or out in run.parents:
        raise RunStateError(f"{out_dir}: the export folder must be outside the run folder")
    for name in ("entities.csv", "links.csv"):
        if not (run_dir / name).is_file():
            raise RunStateError(f"{run_dir}: no {name}; is this a finished run folder?")


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _values(con: duckdb.DuckDBPyConnection, query: str) -> Iterator[tuple[str, ...]]:
    for row in con.execute(query).fetchall():
        if all(v is not None and str(v).strip() for v in row):
            yield tuple(str(v) for v in row)


class _Export:
    """The pseudonymising transformations (counted) and the check of their result."""

    def __init__(self, pseudonyms: Pseudonymiser) -> None:
        self.pseudonyms = pseudonyms
        self.replaced = 0
        self._record_dobs: dict[str, set[str]] = {}

    # --- what the run holds ------------------------------------------------------------------

    def learn(self, con: duckdb.DuckDBPyConnection) -> None:
        """Every personal value in the run store, and each record's dates of birth."""
        learn = self.pseudonyms.learn
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        personal = record_columns()
        for source in SOURCES.values():
            table = f"records_{source.name}"
            if table not in tables:
                continue
            present = {r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()}
            for column in sorted(present & personal.keys()):
                query = f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}"'
                if column == "last_seen_location" and "last_seen_location_type" in present:
                    public = ", ".join(f"'{p}'" for p in _PUBLIC_PLACES)
                    query += (
                        f" WHERE coalesce(lower(last_seen_location_type), '') NOT IN ({public})"
                    )
                for (value,) in _values(con, query):
                    learn(personal[column], value[:10] if personal[column] == DOB else value)
                if personal[column] == DOB:
                    self._learn_dobs(con, source.name, table, column)
            if {"sponsor_name", "sponsor_type"} <= present:
                query = (
                    f'SELECT DISTINCT sponsor_name FROM "{table}" '
                    "WHERE lower(sponsor_type) = 'individual'"
                )
                for (value,) in _values(con, query):
                    learn(NAME, value)
        for column, category in ENTITY_COLUMNS.items():
            for (value,) in _values(
                con, f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM mentions'
            ):
                learn(category, value[:10] if category == DOB else value)
        if "flags" in tables:
            for subject_type, subject in _values(
                con, "SELECT DISTINCT subject_type, subject FROM flags"
            ):
                if subject_type not in _SAFE_SUBJECTS:
                    learn(_SUBJECT_CATEGORIES.get(subject_type, SUBJECT), subject)

    def _learn_dobs(
        self, con: duckdb.DuckDBPyConnection, source: str, table: str, column: str
    ) -> None:
        query = f'SELECT record_id, CAST("{column}" AS VARCHAR) FROM "{table}"'
        for record_id, dob in _values(con, query):
            self._record_dobs.setdefault(f"{source}:{record_id}", set()).add(dob[:10])

    def dobs_of(self, evidence: list[str]) -> set[str]:
        """Dates of birth on the records behind a flag's evidence mentions."""
        found: set[str] = set()
        for mention in evidence:
            source, _, rest = mention.partition(":")
            found |= self._record_dobs.get(f"{source}:{rest.rpartition(':')[0]}", set())
        return found

    # --- the transformations -----------------------------------------------------------------

    def _count(self, before: str, after: str) -> str:
        self.replaced += after != before
        return after

    def token(self, category: str, value: str) -> str:
        return self._count(value, self.pseudonyms.token(category, value))

    def text(self, value: str, *, words: bool, dobs: set[str]) -> str:
        return self._count(value, self.pseudonyms.scrub(value, words=words, dobs=dobs))

    def write(self, run_dir: Path, stage: Path) -> list[str]:
        """Write the pseudonymised files into ``stage``; return their names."""
        entities = _read_csv(run_dir / "entities.csv")
        for column, category in ENTITY_COLUMNS.items():
            if column in entities.columns:
                entities[column] = [self.token(category, v) for v in entities[column]]
        write_csv(entities, stage / "entities.csv")
        write_csv(_read_csv(run_dir / "links.csv"), stage / "links.csv")
        written = ["entities.csv", "links.csv"]
        if (run_dir / "flags.csv").is_file():
            flags = _read_csv(run_dir / "flags.csv")
            rows = [
                self.flag({str(k): v for k, v in row.items()}, str(row["evidence"]).split(";"))
                for row in flags.to_dict("records")
            ]
            write_csv(pd.DataFrame(rows, columns=flags.columns), stage / "flags.csv")
            written.append("flags.csv")
        if (run_dir / "flags.json").is_file():
            document = json.loads((run_dir / "flags.json").read_text(encoding="utf-8"))
            document["flags"] = [self.flag_document(f) for f in document.get("flags", [])]
            write_json(document, stage / "flags.json")
            written.append("flags.json")
        return written

    def flag(self, row: dict[str, Any], evidence: list[str]) -> dict[str, Any]:
        """A flags.csv row, or the top level of a flags.json flag, pseudonymised."""
        out = dict(row)
        subject_type = str(row.get("subject_type") or "")
        if subject_type not in _SAFE_SUBJECTS:
            category = _SUBJECT_CATEGORIES.get(subject_type, SUBJECT)
            out["subject"] = self.token(category, str(row["subject"]))
            keyed = self.pseudonyms.digest("flag", f"{subject_type}|{row['subject']}")
            out["flag_id"] = f"{row['rule_id']}-{keyed[:12]}"
            if row.get("group_id"):
                out["group_id"] = f"G-{keyed[:10]}"
        dobs = self.dobs_of(evidence)
        for column, value in row.items():
            if column not in KEPT_COLUMNS and isinstance(value, str):
                out[column] = self.text(value, words=True, dobs=dobs)
        return out

    def flag_document(self, flag: dict[str, Any]) -> dict[str, Any]:
        evidence = list(flag.get("evidence") or [])
        top = {k: v for k, v in flag.items() if k not in ("evidence_records", "details")}
        out = self.flag(top, evidence)
        out["evidence_records"] = [self.record(r) for r in flag.get("evidence_records", [])]
        out["details"] = self.details(flag.get("details"), self.dobs_of(evidence))
        return {k: out[k] for k in flag}  # the document's key order

    def record(self, record: dict[str, Any]) -> dict[str, Any]:
        fields = record.get("fields")
        if not isinstance(fields, dict):
            return record
        out: dict[str, Any] = {}
        for column, value in fields.items():
            category = record_category(column, fields)
            if not isinstance(value, str) or not value or column in KEPT_COLUMNS:
                out[column] = value
            elif category is not None:
                out[column] = self.token(category, value)
            else:  # a place, a school, a relationship: only whole known values are replaced
                out[column] = self.text(value, words=False, dobs=set())
        return {**record, "fields": out}

    def details(self, value: Any, dobs: set[str], key: str = "") -> Any:
        if isinstance(value, str):
            return (
                self.token(DOB, value) if "dob" in key else self.text(value, words=True, dobs=dobs)
            )
        if isinstance(value, list):
            return [self.details(v, dobs, key) for v in value]
        if isinstance(value, dict):
            return {k: self.details(v, dobs, str(k)) for k, v in value.items()}
        return value

    # --- the check ---------------------------------------------------------------------------

    def check(self, stage: Path, files: list[str]) -> None:
        """Refuse to publish if any text would still change on a second pass."""
        for name in files:
            for column, value, settled in self._texts(stage / name):
                if value and not settled:
                    raise RunStateError(
                        f"{name}: a personal value in {column!r} survived pseudonymisation; "
                        "nothing was exported"
                    )

    def _texts(self, path: Path) -> Iterator[tuple[str, str, bool]]:
        scrub = self.pseudonyms.scrub
        if path.name == "entities.csv":
            frame = _read_csv(path)
            for column in frame.columns:
                pseudonymised = column in ENTITY_COLUMNS
                for value in frame[column]:
                    yield (
                        column,
                        value,
                        column in KEPT_COLUMNS
                        or (
                            bool(TOKEN.fullmatch(value)) if pseudonymised else scrub(value) == value
                        ),
                    )
        elif path.name == "flags.csv":
            for row in _read_csv(path).to_dict("records"):
                dobs = self.dobs_of(str(row["evidence"]).split(";"))
                for key, value in row.items():
                    column, text = str(key), str(value)
                    yield column, text, column in KEPT_COLUMNS or scrub(text, dobs=dobs) == text
        elif path.name == "flags.json":
            for flag in json.loads(path.read_text(encoding="utf-8")).get("flags", []):
                dobs = self.dobs_of(list(flag.get("evidence") or []))
                for column in FREE_TEXT:
                    value = str(flag.get(column) or "")
                    yield column, value, scrub(value, dobs=dobs) == value
                for record in flag.get("evidence_records", []):
                    fields = record.get("fields") or {}
                    for column, value in fields.items():
                        if isinstance(value, str) and column not in KEPT_COLUMNS:
                            personal = record_category(column, fields) is not None
                            yield (
                                column,
                                value,
                                (
                                    bool(TOKEN.fullmatch(value))
                                    if personal
                                    else scrub(value, words=False) == value
                                ),
                            )
                for key, value in _strings(flag.get("details")):
                    yield (
                        key,
                        value,
                        (
                            bool(TOKEN.fullmatch(value))
                            if "dob" in key
                            else scrub(value, dobs=dobs) == value
                        ),
                    )


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(nearest key, text) for every string in a JSON value."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _strings(item, str(k))
