"""Who ran what: the facts needed to trace an output back to the exact inputs behind it.

A resolve run records, in ``run.json`` and in the store's ``run_summary`` (key ``audit``),
the command line, versions, user and host, start and end times, the config and mapping
files with their SHA-256, every input file's SHA-256, the model supplied and written, and the
SHA-256 of every output. Every later command on the run (flag, export) adds a row to the
store's ``audit_log``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import platform
import socket
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from resolver.tables import has_table

#: packages whose versions shape the results
_PACKAGES = ("splink", "duckdb", "pandas", "numpy", "pyarrow")

AUDIT_COLUMNS = ("logged_at", "event", "user_name", "command", "details")
AUDIT_LOG_DDL = (
    "CREATE TABLE IF NOT EXISTS audit_log "
    "(logged_at VARCHAR, event VARCHAR, user_name VARCHAR, command VARCHAR, details JSON)"
)


def now() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_fact(path: Path | None) -> dict[str, Any] | None:
    """A file's path and SHA-256 (None for no file)."""
    if path is None:
        return None
    return {"file": str(path.absolute()), "sha256": sha256_file(path)}


def environment() -> dict[str, Any]:
    """Who and where: user, host, Python and the versions of the packages that matter."""
    versions: dict[str, str | None] = {}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    user: str | None
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a container)
        user = None
    return {
        "user": user,
        "host": socket.gethostname(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }


def fingerprint(document: Any) -> str:
    """A short, stable digest of a JSON-ready document (sorted keys)."""
    text = json.dumps(document, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


#: The store table of the audit trail.
AUDIT_TABLE = "audit_log"


def read_audit_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every row of a store's audit log, oldest first (no rows when it has none)."""
    if not has_table(con, AUDIT_TABLE):
        return pd.DataFrame(columns=list(AUDIT_COLUMNS))
    return con.execute(
        f"SELECT {', '.join(AUDIT_COLUMNS)} FROM {AUDIT_TABLE} ORDER BY logged_at"
    ).df()


def record_event(
    con: duckdb.DuckDBPyConnection, event: str, command: str | None, details: dict[str, Any]
) -> None:
    """Append one row to the store's ``audit_log``."""
    con.execute(AUDIT_LOG_DDL)
    con.execute(
        "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)",
        [now(), event, environment()["user"], command, json.dumps(details, default=str)],
    )
