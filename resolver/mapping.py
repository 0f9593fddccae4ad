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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from resolver.errors import ConfigError, InputError
from resolver.schema import CONTRACT_SOURCES, SOURCES, Source

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


def load_mapping(mapping: Path, data_dir: Path | None = None) -> list[SourceSpec]:
    """Read a YAML mapping file into source specs, with errors that name the file and entry."""
    try:
        document = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{mapping}: cannot read mapping file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{mapping}: not valid YAML: {exc}") from exc
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
    for target, origin in (entry.get("columns") or {}).items():
        if target not in kind.columns:
            raise ConfigError(f"{where}: {target!r} is not a column of {kind.name}")
        if isinstance(origin, str):
            columns[target] = (origin,)
        elif isinstance(origin, list) and origin and all(isinstance(o, str) for o in origin):
            columns[target] = tuple(origin)
        else:
            raise ConfigError(f"{where}: columns.{target} must be a column name or a list of them")
    constants = {str(k): str(v) for k, v in (entry.get("constants") or {}).items()}
    for target in constants:
        if target not in kind.columns:
            raise ConfigError(f"{where}: constant {target!r} is not a column of {kind.name}")
    invalid_dates = str(entry.get("invalid_dates", "reject"))
    if invalid_dates not in ("reject", "blank"):
        raise ConfigError(f"{where}: invalid_dates must be 'reject' or 'blank'")
    name = str(entry.get("name") or kind.name)
    if not name.replace("_", "").isalnum():
        raise ConfigError(f"{where}: name {name!r} must be letters, digits and underscores")
    path = Path(entry["file"])
    return SourceSpec(
        path=path if path.is_absolute() else base / path,
        kind=kind,
        name=name,
        date_format=entry.get("date_format"),
        invalid_dates=invalid_dates,
        encoding=str(entry.get("encoding", "utf-8")),
        delimiter=str(entry.get("delimiter", ",")),
        columns=columns,
        constants=constants,
    )
