"""Read source files, map them onto the contract's columns, and validate every row.

Every row read is either accepted or quarantined with its reasons; nothing is dropped or
invented, and ``rows_read == accepted + rejected`` for every source.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from resolver.csvfile import Malformed, read_delimited
from resolver.errors import InputError
from resolver.mapping import SourceSpec
from resolver.standardise import is_placeholder_name, parse_dates

#: longest accepted field; longer values are almost always a broken file or an attack
MAX_FIELD_LENGTH = 1000

REJECTED_COLUMNS = ("source", "file", "row", "line", "record_id", "column", "reason", "raw")
BLANKED_COLUMNS = ("source", "file", "row", "record_id", "column", "value")

#: column names reglink adds to every records table; an input file may not use them
RESERVED_COLUMNS = ("record_id", "_row")

#: characters no field may hold (C0 controls other than tab and line breaks, and DEL)
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
#: characters an id may not hold: ';' separates mention ids in flag evidence
_BAD_ID = r"[;\x00-\x1f\x7f]"


@dataclass
class SourceTable:
    """The accepted rows of one source, typed, with what happened to the rest."""

    spec: SourceSpec
    records: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    sha256: str
    #: cells dropped under ``invalid_dates: blank`` (the row itself was accepted)
    blanked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BLANKED_COLUMNS))
    #: empty lines in a CSV file: they hold no record and are not rows
    blank_lines: int = 0

    @property
    def name(self) -> str:
        """The source label used in mention ids."""
        return self.spec.name


@dataclass
class _Raw:
    """A file's cells as text, with where each row came from and what could not be split."""

    frame: pd.DataFrame
    rows: pd.Series  # data row number of each frame row
    lines: pd.Series  # physical line of each frame row (NA for Parquet)
    malformed: list[Malformed]
    blank_lines: int
    sha256: str


#: Why a row of an update's batch is refused when the run already holds its id.
KNOWN_ID_REASON = "id already in the run (added by an earlier batch)"


def read_source(spec: SourceSpec, known_ids: Collection[str] = ()) -> SourceTable:
    """Read, map and validate one source file; a row whose id is in ``known_ids`` (the ids
    a run already holds for this source) is rejected."""
    raw = _read_raw(spec)
    mapped = _map_columns(raw.frame, spec)
    blanked = (
        _blank_invalid_dates(mapped, spec, raw.rows) if spec.invalid_dates == "blank" else None
    )
    records, rejected = _validate(mapped, raw, spec, known_ids)
    if raw.malformed:
        parts = [_malformed_rows(spec, raw.malformed), *([rejected] if len(rejected) else [])]
        rejected = (
            pd.concat(parts, ignore_index=True)
            .sort_values("row", kind="stable")
            .reset_index(drop=True)
        )
    return SourceTable(
        spec=spec,
        records=records,
        rejected=rejected,
        rows_read=len(raw.frame) + len(raw.malformed),
        sha256=raw.sha256,
        blank_lines=raw.blank_lines,
        **({"blanked": blanked} if blanked is not None else {}),
    )


def _read_raw(spec: SourceSpec) -> _Raw:
    """All cells as text ('' for empty), plus the rows that could not be split into fields."""
    path = spec.path
    if not path.is_file():
        raise InputError("file not found", path=str(path))
    try:
        return _read_text_or_parquet(spec)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=str(path)) from exc


def _read_text_or_parquet(spec: SourceSpec) -> _Raw:
    path = spec.path
    if path.suffix.lower() == ".parquet":
        data = path.read_bytes()
        frame = _read_parquet(path, data)
        rows = pd.Series(np.arange(1, len(frame) + 1), dtype="int64")
        lines = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        return _Raw(frame, rows, lines, [], 0, hashlib.sha256(data).hexdigest())
    parsed = read_delimited(path, encoding=spec.encoding, delimiter=spec.delimiter)
    columns = parsed.header
    frame = (
        pd.DataFrame(parsed.rows, columns=columns, dtype=object)
        if parsed.rows
        else pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    )
    return _Raw(
        frame=frame,
        rows=pd.Series(parsed.row_numbers, dtype="int64"),
        lines=pd.Series(parsed.line_numbers, dtype="Int64"),
        malformed=parsed.malformed,
        blank_lines=parsed.blank_lines,
        sha256=parsed.sha256,
    )


def _blank_invalid_dates(mapped: pd.DataFrame, spec: SourceSpec, rows: pd.Series) -> pd.DataFrame:
    """Empty the date cells that do not parse (in place) and list what was emptied."""
    parts = []
    for column in spec.kind.date_columns:
        _, bad = parse_dates(mapped[column], spec.date_format)
        if bad.any():
            parts.append(
                pd.DataFrame(
                    {
                        "source": spec.name,
                        "file": spec.path.name,
                        "row": rows[bad].to_numpy(),
                        "record_id": mapped.loc[bad, spec.kind.id_column].to_numpy(),
                        "column": column,
                        "value": mapped.loc[bad, column].to_numpy(),
                    }
                )
            )
            mapped.loc[bad, column] = ""
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=BLANKED_COLUMNS)


def _read_parquet(path: Path, data: bytes) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises many types for unreadable files
        raise InputError(f"cannot read Parquet file: {exc}", path=str(path)) from exc
    text = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            as_text = values.dt.strftime("%Y-%m-%d")
        else:
            as_text = values.astype("string")
        text[str(column)] = as_text.fillna("").astype(str)
    return text.reset_index(drop=True)


def _map_columns(raw: pd.DataFrame, spec: SourceSpec) -> pd.DataFrame:
    """The contract's columns of this source (then any extra columns), all as text."""
    kind = spec.kind
    missing_inputs = sorted(
        {origin for origins in spec.columns.values() for origin in origins} - set(raw.columns)
    )
    if missing_inputs:
        raise InputError(
            f"mapped input column(s) not in the file: {', '.join(missing_inputs)}"
            + _lookalike_hint(missing_inputs, list(raw.columns)),
            path=str(spec.path),
        )
    mapped = pd.DataFrame(index=raw.index)
    absent: list[str] = []
    for column in kind.columns:
        if column in spec.columns:
            parts = [raw[origin].str.strip() for origin in spec.columns[column]]
            joined = parts[0]
            for part in parts[1:]:
                joined = (joined + " " + part).str.strip()
            mapped[column] = joined
        elif column in spec.constants:
            mapped[column] = spec.constants[column]
        elif column in raw.columns:
            mapped[column] = raw[column]
        else:
            absent.append(column)
            mapped[column] = ""
    required_absent = [c for c in absent if c in kind.required_columns()]
    if required_absent:
        used = {origin for origins in spec.columns.values() for origin in origins}
        unexpected = [c for c in raw.columns if c not in kind.columns and c not in used]
        hint = _delimiter_hint(raw, spec) or _lookalike_hint(required_absent, unexpected)
        raise InputError(
            f"missing required column(s) for {kind.name}: {', '.join(required_absent)}{hint}",
            path=str(spec.path),
        )
    used = {origin for origins in spec.columns.values() for origin in origins}
    for column in raw.columns:
        if column not in mapped.columns and column not in used:
            if str(column).casefold() in RESERVED_COLUMNS:
                raise InputError(
                    f"column {column!r} is a name reglink reserves for its own records table; "
                    "rename it in the file, or map it onto a contract column with --mapping",
                    path=str(spec.path),
                )
            mapped[column] = raw[column]
    return mapped


def _delimiter_hint(raw: pd.DataFrame, spec: SourceSpec) -> str:
    if len(raw.columns) == 1:
        header = str(raw.columns[0])
        for candidate in (";", "\t", "|", ","):
            if candidate != spec.delimiter and candidate in header:
                return f" (the header looks {candidate!r}-delimited; set 'delimiter' in a mapping)"
    return ""


def _lookalike_hint(wanted: list[str], present: list[str]) -> str:
    """' (the file has X, Y: renamed?)' for header names that look like the wanted ones."""
    by_fold = {p.casefold().replace(" ", "_"): p for p in present}
    found: list[str] = []
    for name in wanted:
        close = difflib.get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=0.6)
        if close and by_fold[close[0]] not in found:
            found.append(by_fold[close[0]])
    if not found:
        return ""
    listed = ", ".join(repr(f) for f in found)
    return f" (the file has {listed}: rename to the contract's names, or map them with --mapping)"


def _validate(
    mapped: pd.DataFrame, raw: _Raw, spec: SourceSpec, known_ids: Collection[str] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typed accepted rows, and one rejected row per failing input row with every reason."""
    kind = spec.kind
    rows = raw.rows
    problems: list[tuple[pd.Series, str, pd.Series]] = []  # (mask, column, reason per row)

    def add(mask: pd.Series | np.ndarray, column: str, reason: str | pd.Series) -> None:
        if isinstance(mask, np.ndarray):
            mask = pd.Series(mask, index=mapped.index)
        if mask.any():
            reasons = (
                reason if isinstance(reason, pd.Series) else pd.Series(reason, index=mapped.index)
            )
            problems.append((mask, column, reasons))

    ids = mapped[kind.id_column].str.strip()
    mapped[kind.id_column] = ids
    add(ids == "", kind.id_column, "missing id")
    add(
        _matches(ids, _BAD_ID),
        kind.id_column,
        "id holds ';' or a control character (';' separates ids in flag evidence)",
    )
    if len(known_ids):
        add(ids.isin(set(known_ids)) & (ids != ""), kind.id_column, KNOWN_ID_REASON)
    duplicated = ids.duplicated(keep="first") & (ids != "")
    if duplicated.any():
        add(duplicated, kind.id_column, _duplicate_reasons(ids, raw.frame, rows))
    for column in kind.columns:
        add(
            _too_long(mapped[column]),
            column,
            f"field longer than {MAX_FIELD_LENGTH} characters",
        )
        add(
            _matches(mapped[column], _CONTROL),
            column,
            "field holds a control character (e.g. NUL): a damaged or binary file?",
        )

    parsed: dict[str, pd.Series] = {}
    expected = spec.date_format or "YYYY-MM-DD"
    for column in kind.date_columns:
        values, bad = parse_dates(mapped[column], spec.date_format)
        parsed[column] = values
        reason = "unparseable or impossible date " + mapped[column].map(repr)
        add(bad, column, reason + f" (expected {expected})")
    for earlier, later in kind.date_order:
        after = (parsed[earlier] > parsed[later]).fillna(False).astype(bool)
        add(after, earlier, f"{earlier} is after {later}")

    principal = kind.roles[0]
    name_columns = {principal.columns.get(f) for f in ("forenames", "surname", "maiden_surname")}
    nameless = pd.Series(True, index=mapped.index)
    for column in principal.presence_columns():
        if column in name_columns:  # blank, no letter at all, or "UNKNOWN", "N/A"...
            nameless &= (mapped[column].str.strip() == "") | is_placeholder_name(mapped[column])
        else:  # an identity number that stands for the name
            nameless &= mapped[column].str.strip() == ""
    add(nameless, principal.presence_columns()[0], f"no name recorded for the {principal.name}")

    failed = pd.Series(False, index=mapped.index)
    for mask, _, _ in problems:
        failed |= mask
    rejected = _rejected_rows(mapped, raw, spec, problems, failed)

    accepted = mapped.loc[~failed].copy()
    for column, values in parsed.items():
        accepted[column] = values.loc[~failed]
    accepted.insert(0, "record_id", accepted[kind.id_column])
    accepted.insert(1, "_row", rows.loc[accepted.index].to_numpy())
    return accepted.reset_index(drop=True), rejected


def _too_long(values: pd.Series) -> np.ndarray:
    lengths = pc.utf8_length(pa.array(values.to_numpy(object), type=pa.string()))
    return np.asarray(pc.fill_null(pc.greater(lengths, MAX_FIELD_LENGTH), False), dtype=bool)


def _matches(values: pd.Series, pattern: str) -> np.ndarray:
    """Which values contain a match of an RE2 ``pattern`` (Arrow: fast, Unicode-aware)."""
    found = pc.match_substring_regex(pa.array(values.to_numpy(object), type=pa.string()), pattern)
    return np.asarray(pc.fill_null(found, False), dtype=bool)


def _duplicate_reasons(ids: pd.Series, frame: pd.DataFrame, rows: pd.Series) -> pd.Series:
    """'duplicate id (first seen at row N...)', saying whether the whole row repeats."""
    content = frame.astype(str).agg("\x1f".join, axis=1) if len(frame.columns) else ids
    first = ~ids.duplicated(keep="first")
    first_row = pd.Series(rows[first].to_numpy(), index=ids[first].to_numpy())
    first_content = pd.Series(content[first].to_numpy(), index=ids[first].to_numpy())
    same = ids.map(first_content) == content
    return (
        "duplicate id (first seen at row "
        + ids.map(first_row).astype(str)
        + same.map({True: ", an identical row", False: ", with different values"})
        + "; the first is kept)"
    )


def _rejected_rows(
    mapped: pd.DataFrame,
    raw: _Raw,
    spec: SourceSpec,
    problems: list[tuple[pd.Series, str, pd.Series]],
    failed: pd.Series,
) -> pd.DataFrame:
    if not failed.any():
        return pd.DataFrame(columns=list(REJECTED_COLUMNS))
    index = failed[failed].index
    columns = pd.Series("", index=index)
    reasons = pd.Series("", index=index)
    for mask, column, reason in problems:
        hit = mask[mask].index
        sep_c = columns.loc[hit].map(lambda s: ";" if s else "")
        sep_r = reasons.loc[hit].map(lambda s: "; " if s else "")
        columns.loc[hit] = columns.loc[hit] + sep_c + column
        reasons.loc[hit] = reasons.loc[hit] + sep_r + reason.loc[hit]
    raw_json = [
        json.dumps(record, ensure_ascii=False, sort_keys=False)
        for record in raw.frame.loc[index].to_dict(orient="records")
    ]
    return pd.DataFrame(
        {
            "source": spec.name,
            "file": spec.path.name,
            "row": raw.rows.loc[index].to_numpy(),
            "line": raw.lines.loc[index].to_numpy(),
            "record_id": mapped.loc[index, spec.kind.id_column].to_numpy(),
            "column": columns.to_numpy(),
            "reason": reasons.to_numpy(),
            "raw": raw_json,
        }
    )


def _malformed_rows(spec: SourceSpec, malformed: list[Malformed]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": spec.name,
            "file": spec.path.name,
            "row": [m.row for m in malformed],
            "line": pd.array([m.line for m in malformed], dtype="Int64"),
            "record_id": "",
            "column": "",
            "reason": [m.reason for m in malformed],
            "raw": [json.dumps(m.text, ensure_ascii=False) for m in malformed],
        }
    )
