"""Where each source's rows come from: the contract's file names, or a YAML column mapping.

A mapping file lets any extract (other column names, another date format, a generic person
list such as FEBRL) be read onto the contract's columns::

    sources:
      - file: febrl3.csv          # relative to the mapping file's folder (or DATA_DIR)
        kind: person              # a source kind from resolver.schema
        name: febrl3              # label used in mention ids (default: the kind)
        date_format: "%Y%m%d"     # strptime format of every date column (default ISO)
        invalid_dates: reject     # reject the row (default), or blank: keep the row, drop
                                  # the bad date, and record the cell in blanked_cells
        encoding: utf-8           # default utf-8 (a BOM is accepted)
        delimiter: ","
        columns:                  # contract column: input column, or a list joined by spaces
          person_id: rec_id
          forenames: given_name
          address: [street_number, address_1]
        constants:                # contract column: a value for every row
          nationality: AUS
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from resolver.errors import ConfigError, InputError
from resolver.schema import CONTRACT_SOURCES, SOURCES, Source
from resolver.standardise import parse_dates

_SUFFIXES = (".csv", ".parquet")
_MAPPING_KEYS = {
    "file",
    "kind",
    "name",
    "date_format",
    "invalid_dates",
    "encoding",
    "delimiter",
    "columns",
    "constants",
}


@dataclass(frozen=True)
class SourceSpec:
    """One input file and how to read it onto a source kind."""

    path: Path
    kind: Source
    name: str
    date_format: str | None = None
    invalid_dates: str = "reject"
    encoding: str = "utf-8"
    delimiter: str = ","
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)


def discover_sources(data_dir: Path, mapping: Path | None = None) -> list[SourceSpec]:
    """The sources to read: from ``mapping`` if given, else the contract's files in data_dir."""
    if not data_dir.is_dir():
        raise InputError("data folder not found or not a folder", path=str(data_dir))
    if mapping is not None:
        return load_mapping(mapping, data_dir)
    specs: list[SourceSpec] = []
    known = {*CONTRACT_SOURCES, "person"}
    for path in sorted(p for p in data_dir.iterdir() if p.is_file()):
        if path.suffix.lower() not in _SUFFIXES:
            continue
        if path.stem not in known:
            raise InputError(
                f"unknown source file; expected one of {', '.join(sorted(known))} "
                "(.csv or .parquet), or read it through a mapping with --mapping",
                path=str(path),
            )
        specs.append(SourceSpec(path=path, kind=SOURCES[path.stem], name=path.stem))
    names = [s.name for s in specs]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
        raise InputError(
            f"both a .csv and a .parquet file for {sorted(duplicated)}", path=str(data_dir)
        )
    if not specs:
        raise InputError(
            f"no source files found; expected one or more of {', '.join(CONTRACT_SOURCES)}.csv",
            path=str(data_dir),
        )
    return specs


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_mapping(mapping: Path, data_dir: Path | None = None) -> list[SourceSpec]:
    """Read a YAML mapping file into source specs, with errors that name the file and entry."""
    try:
        document = yaml.load(mapping.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as exc:
        raise ConfigError(f"{mapping}: cannot read mapping file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{mapping}: mapping file is not valid UTF-8 (byte {exc.start + 1}); save it as UTF-8"
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{mapping}: not valid YAML{_yaml_where(exc)}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise ConfigError(f"{mapping}: expected a top-level 'sources:' list")
    base = data_dir if data_dir is not None else mapping.parent
    specs = [
        _spec_from_entry(entry, i, mapping, base) for i, entry in enumerate(document["sources"])
    ]
    names = [s.name for s in specs]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{mapping}: source name {name!r} used twice; give each a 'name'")
    if not specs:
        raise ConfigError(f"{mapping}: 'sources' is empty")
    return specs


def _spec_from_entry(entry: Any, index: int, mapping: Path, base: Path) -> SourceSpec:
    where = f"{mapping}: sources[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping with 'file' and 'kind'")
    unknown = set(entry) - _MAPPING_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("file", "kind"):
        if not isinstance(entry.get(key), str):
            raise ConfigError(f"{where}: '{key}' is required and must be text")
    kind = SOURCES.get(entry["kind"])
    if kind is None:
        raise ConfigError(f"{where}: unknown kind {entry['kind']!r}; one of {sorted(SOURCES)}")
    columns: dict[str, tuple[str, ...]] = {}
    for target, origin in _mapping_of(entry, "columns", where).items():
        if target not in kind.columns:
            raise ConfigError(f"{where}: {target!r} is not a column of {kind.name}")
        if isinstance(origin, str) and origin:
            columns[target] = (origin,)
        elif isinstance(origin, list) and origin and all(isinstance(o, str) and o for o in origin):
            columns[target] = tuple(origin)
        else:
            raise ConfigError(f"{where}: columns.{target} must be a column name or a list of them")
    constants: dict[str, str] = {}
    for target, value in _mapping_of(entry, "constants", where).items():
        if target not in kind.columns:
            raise ConfigError(f"{where}: constant {target!r} is not a column of {kind.name}")
        if target in columns:
            raise ConfigError(f"{where}: {target!r} is both mapped and given a constant")
        if isinstance(value, dict | list) or value is None:
            raise ConfigError(f"{where}: constants.{target} must be a single value")
        constants[str(target)] = str(value)
    invalid_dates = str(entry.get("invalid_dates", "reject"))
    if invalid_dates not in ("reject", "blank"):
        raise ConfigError(f"{where}: invalid_dates must be 'reject' or 'blank'")
    name = str(entry.get("name") or kind.name)
    if not name.replace("_", "").isalnum():
        raise ConfigError(f"{where}: name {name!r} must be letters, digits and underscores")
    path = Path(entry["file"])
    encoding = _encoding(entry.get("encoding", "utf-8"), where)
    delimiter = entry.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise ConfigError(
            f"{where}: delimiter must be one character other than a quote or a line break, "
            f"got {delimiter!r}"
        )
    date_format = entry.get("date_format")
    if date_format is not None:
        if not isinstance(date_format, str) or "%" not in date_format:
            raise ConfigError(f"{where}: date_format must be a strptime format such as '%d/%m/%Y'")
        try:
            parse_dates(pd.Series([], dtype=object), date_format)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from exc
    return SourceSpec(
        path=path if path.is_absolute() else base / path,
        kind=kind,
        name=name,
        date_format=date_format,
        invalid_dates=invalid_dates,
        encoding=encoding,
        delimiter=delimiter,
        columns=columns,
        constants=constants,
    )


def _yaml_where(exc: yaml.YAMLError) -> str:
    """' at line L, column C: problem' from a YAML error, or its text."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or problem is None:
        return f": {exc}"
    return f" at line {mark.line + 1}, column {mark.column + 1}: {problem}"


def _mapping_of(entry: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = entry.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{key}' must be a mapping of contract column to value")
    return value


def _encoding(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: encoding must be text, e.g. 'latin-1'")
    try:
        codecs.lookup(value)
    except LookupError as exc:
        raise ConfigError(f"{where}: unknown encoding {value!r}") from exc
    return value
