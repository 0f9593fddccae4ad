"""Read source files, map them onto the contract's columns, and validate every row.

Every row read is either accepted or quarantined with its reasons; nothing is dropped or
invented, and ``rows_read == accepted + rejected`` for every source.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from resolver.errors import InputError
from resolver.mapping import SourceSpec
from resolver.standardise import parse_dates

#: longest accepted field; longer values are almost always a broken file or an attack
MAX_FIELD_LENGTH = 1000

REJECTED_COLUMNS = ("source", "file", "row", "record_id", "column", "reason", "raw")
BLANKED_COLUMNS = ("source", "file", "row", "record_id", "column", "value")


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

    @property
    def name(self) -> str:
        """The source label used in mention ids."""
        return self.spec.name


def read_source(spec: SourceSpec) -> SourceTable:
    """Read, map and validate one source file."""
    raw, bad_lines = _read_raw(spec)
    mapped = _map_columns(raw, spec)
    rows = _row_numbers(len(raw), bad_lines)
    blanked = _blank_invalid_dates(mapped, spec, rows) if spec.invalid_dates == "blank" else None
    records, rejected = _validate(mapped, raw, spec, rows)
    if bad_lines:
        rejected = pd.concat([_bad_line_rows(spec, bad_lines), rejected], ignore_index=True)
    return SourceTable(
        spec=spec,
        records=records,
        rejected=rejected,
        rows_read=len(raw) + len(bad_lines),
        sha256=file_sha256(spec.path),
        **({"blanked": blanked} if blanked is not None else {}),
    )


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_raw(spec: SourceSpec) -> tuple[pd.DataFrame, list[tuple[int, list[str]]]]:
    """All cells as text ('' for empty), plus lines that had the wrong number of fields."""
    path = spec.path
    if not path.is_file():
        raise InputError("file not found", path=str(path))
    if path.suffix.lower() == ".parquet":
        return _read_parquet(path), []
    encoding = (
        "utf-8-sig"
        if spec.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        else spec.encoding
    )
    options = {
        "sep": spec.delimiter,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
        "encoding": encoding,
        "quoting": csv.QUOTE_MINIMAL,
    }
    try:
        frame = pd.read_csv(path, engine="c", **options)  # type: ignore[call-overload]
        bad: list[tuple[int, list[str]]] = []
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {spec.encoding} text (byte {exc.start}); convert the file to UTF-8 "
            "or set 'encoding' (e.g. latin-1) for it in a mapping file",
            path=str(path),
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError("file is empty (no header row)", path=str(path)) from exc
    except pd.errors.ParserError:
        frame, bad = _read_csv_tolerant(path, options)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.reset_index(drop=True), bad


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


def _row_numbers(good_rows: int, bad_lines: list[tuple[int, list[str]]]) -> pd.Series:
    """1-based data row numbers (header excluded) of the rows that parsed."""
    skipped = np.array(sorted({row for row, _ in bad_lines}), dtype="int64")
    candidates = np.arange(1, good_rows + len(skipped) + 1, dtype="int64")
    return pd.Series(np.setdiff1d(candidates, skipped)[:good_rows], dtype="int64")


def _read_csv_tolerant(
    path: Path, options: dict[str, object]
) -> tuple[pd.DataFrame, list[tuple[int, list[str]]]]:
    """Slow path for files with malformed lines: keep the good ones, quarantine the rest."""
    bad: list[list[str]] = []

    def keep(line: list[str]) -> None:
        bad.append(line)
        return None

    frame = pd.read_csv(path, engine="python", on_bad_lines=keep, **options)  # type: ignore[call-overload]
    # The python engine does not report line numbers; locate bad lines by content.
    numbered: list[tuple[int, list[str]]] = []
    with path.open(encoding=str(options["encoding"]), newline="") as handle:
        reader = csv.reader(handle, delimiter=str(options["sep"]))
        header_width = len(next(reader, []))
        for row_number, fields in enumerate(reader, start=1):
            if len(fields) != header_width and fields:
                numbered.append((row_number, fields))
    return frame, numbered or [(0, line) for line in bad]


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
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
            f"mapped input columns not in the file: {', '.join(missing_inputs)}",
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
        hint = _delimiter_hint(raw, spec)
        raise InputError(
            f"missing required column(s) for {kind.name}: {', '.join(required_absent)}{hint}",
            path=str(spec.path),
        )
    used = {origin for origins in spec.columns.values() for origin in origins}
    for column in raw.columns:
        if column not in mapped.columns and column not in used:
            mapped[column] = raw[column]
    return mapped


def _delimiter_hint(raw: pd.DataFrame, spec: SourceSpec) -> str:
    if len(raw.columns) == 1:
        header = str(raw.columns[0])
        for candidate in (";", "\t", "|", ","):
            if candidate != spec.delimiter and candidate in header:
                return f" (the header looks {candidate!r}-delimited; set 'delimiter' in a mapping)"
    return ""


def _validate(
    mapped: pd.DataFrame, raw: pd.DataFrame, spec: SourceSpec, rows: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typed accepted rows, and one rejected row per failing input row with every reason."""
    kind = spec.kind
    problems: list[tuple[pd.Series, str, pd.Series]] = []  # (mask, column, reason per row)

    def add(mask: pd.Series, column: str, reason: str | pd.Series) -> None:
        if mask.any():
            reasons = (
                reason if isinstance(reason, pd.Series) else pd.Series(reason, index=mapped.index)
            )
            problems.append((mask, column, reasons))

    ids = mapped[kind.id_column].str.strip()
    mapped[kind.id_column] = ids
    add(ids == "", kind.id_column, "missing id")
    duplicated = ids.duplicated(keep="first") & (ids != "")
    if duplicated.any():
        first_seen = pd.Series(rows.to_numpy(), index=ids.to_numpy())
        first_seen = first_seen[~first_seen.index.duplicated(keep="first")]
        add(
            duplicated,
            kind.id_column,
            "duplicate id (first seen at row " + ids.map(first_seen).astype(str) + ")",
        )
    for column in kind.columns:
        too_long = mapped[column].str.len() > MAX_FIELD_LENGTH
        add(too_long, column, f"field longer than {MAX_FIELD_LENGTH} characters")

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
    nameless = pd.Series(True, index=mapped.index)
    for column in principal.presence_columns():
        nameless &= mapped[column].str.strip() == ""
    add(nameless, principal.presence_columns()[0], f"no name recorded for the {principal.name}")

    failed = pd.Series(False, index=mapped.index)
    for mask, _, _ in problems:
        failed |= mask
    rejected = _rejected_rows(mapped, raw, spec, problems, failed, rows)

    accepted = mapped.loc[~failed].copy()
    for column, values in parsed.items():
        accepted[column] = values.loc[~failed]
    accepted.insert(0, "record_id", accepted[kind.id_column])
    accepted.insert(1, "_row", rows.loc[accepted.index].to_numpy())
    return accepted.reset_index(drop=True), rejected


def _rejected_rows(
    mapped: pd.DataFrame,
    raw: pd.DataFrame,
    spec: SourceSpec,
    problems: list[tuple[pd.Series, str, pd.Series]],
    failed: pd.Series,
    rows: pd.Series,
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
        for record in raw.loc[index].to_dict(orient="records")
    ]
    return pd.DataFrame(
        {
            "source": spec.name,
            "file": spec.path.name,
            "row": rows.loc[index].to_numpy(),
            "record_id": mapped.loc[index, spec.kind.id_column].to_numpy(),
            "column": columns.to_numpy(),
            "reason": reasons.to_numpy(),
            "raw": raw_json,
        }
    )


def _bad_line_rows(spec: SourceSpec, bad_lines: list[tuple[int, list[str]]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": spec.name,
            "file": spec.path.name,
            "row": [row for row, _ in bad_lines],
            "record_id": "",
            "column": "",
            "reason": [
                f"wrong number of fields ({len(fields)}); check quoting and the delimiter"
                for _, fields in bad_lines
            ],
            "raw": [json.dumps(fields, ensure_ascii=False) for _, fields in bad_lines],
        }
    )
