"""The run store: one DuckDB file holding every stage's table, written atomically."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from resolver.audit import AUDIT_LOG_DDL, AUDIT_TABLE, record_event, sha256_file
from resolver.errors import RunStateError
from resolver.files import (
    atomic_path,
    folder_lock,
    recover_dir,
    remove_temporaries,
    rename_staged,
)
from resolver.schema import CONTRACT_SOURCES, SOURCES, Source
from resolver.tables import has_table

STORE_NAME = "reglink.duckdb"


def empty_records(kind: Source) -> pd.DataFrame:
    """An empty records table with the source's columns and types."""
    columns: dict[str, Any] = {
        "record_id": pd.Series(dtype="string"),
        "_row": pd.Series(dtype="int64"),
    }
    for column in kind.columns:
        dtype = "datetime64[ns]" if column in kind.date_columns else "string"
        columns[column] = pd.Series(dtype=dtype)
    return pd.DataFrame(columns)


def is_run_folder(path: Path) -> bool:
    """Whether ``path`` looks like a folder written by ``reglink resolve``."""
    return (path / STORE_NAME).is_file() or (path / "run.json").is_file()


def write_store(run_dir: Path, tables: Mapping[str, pd.DataFrame], summary: dict[str, Any]) -> Path:
    """Create ``reglink.duckdb`` from named tables; every contract source table exists."""
    target = run_dir / STORE_NAME
    all_tables = dict(tables)
    for name in CONTRACT_SOURCES:
        all_tables.setdefault(f"records_{name}", empty_records(SOURCES[name]))
    with atomic_path(target) as temporary:
        temporary.unlink()
        con = duckdb.connect(str(temporary))
        try:
            for name, frame in all_tables.items():
                con.register("frame_view", frame)
                if name == AUDIT_TABLE:  # an update carries the earlier rows over, typed
                    con.execute(AUDIT_LOG_DDL)
                    con.execute(f"INSERT INTO {AUDIT_TABLE} SELECT * FROM frame_view")
                else:
                    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame_view')
                con.unregister("frame_view")
            con.execute("CREATE TABLE run_summary (key VARCHAR, value VARCHAR)")
            con.executemany(
                "INSERT INTO run_summary VALUES (?, ?)",
                [(k, json.dumps(v, default=str)) for k, v in summary.items()],
            )
            audit_facts = summary.get("audit")
            if isinstance(audit_facts, dict):
                event = "update" if "update" in summary else "resolve"
                record_event(con, event, audit_facts.get("command"), audit_facts)
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return target


def store_path(run_dir: Path) -> Path:
    """The run's store file, with a clear error if the run folder is not a finished run."""
    path = run_dir / STORE_NAME
    if not path.is_file():
        recover_dir(run_dir)  # an interrupted swap may have left the previous run beside it
    if not path.is_file():
        raise RunStateError(
            f"{run_dir}: not a reglink run folder (no {STORE_NAME}); run 'reglink resolve' first"
        )
    return path


#: Files staged to replace their targets as one set, recorded in the same transaction as the
#: store tables they belong with (``flags.csv`` and ``flags.json`` with ``flags``).
PENDING_TABLE = "pending_renames"


def open_store(
    run_dir: Path, *, read_only: bool = True, repairing: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open a run's store, with a clear error if the run folder is not a finished run.

    Files that a killed command had committed but not yet moved into place are moved now,
    so what is read always belongs with the store (see :func:`finish_renames`)."""
    con = duckdb.connect(str(store_path(run_dir)), read_only=read_only)
    try:
        finish_renames(con, run_dir, forget=not read_only, repairing=repairing)
    except BaseException:
        con.close()
        raise
    return con


def record_renames(con: duckdb.DuckDBPyConnection, staged: Mapping[str, Path]) -> None:
    """Inside the caller's transaction: note that each staged file (in the run folder)
    replaces the file it is staged for, with the file's SHA-256.

    From the commit on, the files belong with the store; :func:`finish_renames` moves them
    into place, now or after a crash."""
    con.execute(
        f"CREATE OR REPLACE TABLE {PENDING_TABLE} "
        "(temporary VARCHAR, target VARCHAR, sha256 VARCHAR)"
    )
    con.executemany(
        f"INSERT INTO {PENDING_TABLE} VALUES (?, ?, ?)",
        [[path.name, name, sha256_file(path)] for name, path in staged.items()],
    )


def finish_renames(
    con: duckdb.DuckDBPyConnection, run_dir: Path, *, forget: bool, repairing: bool = False
) -> None:
    """Move committed staged files into place; with ``forget`` (a writable store), drop the
    record of them (a read-only reader leaves that to the next writer).

    A committed file that is neither still staged nor already in place (its temporary was
    deleted, or the folder was copied without hidden files) is an error, unless
    ``repairing`` (a command about to rewrite those files)."""
    if not has_table(con, PENDING_TABLE):
        return
    rows = con.execute(f"SELECT temporary, target, sha256 FROM {PENDING_TABLE}").fetchall()
    try:
        rename_staged(run_dir, [(str(temporary), str(target)) for temporary, target, _ in rows])
    except PermissionError as exc:
        raise RunStateError(
            f"{run_dir}: an interrupted 'reglink flag' left committed files to put in place "
            f"({', '.join(str(t) for _, t, _ in rows)}), and the folder is not writable; run "
            "any reglink command on it once with write access"
        ) from exc
    lost = [
        str(target)
        for _, target, digest in rows
        if not (run_dir / str(target)).is_file() or sha256_file(run_dir / str(target)) != digest
    ]
    if lost and not repairing:
        raise RunStateError(
            f"{run_dir}: {', '.join(lost)} do not match the flags in the store (an interrupted "
            "'reglink flag' was committed but its files are gone, e.g. the folder was copied "
            "without its hidden files); run 'reglink flag' on it again"
        )
    if forget:
        con.execute(f"DROP TABLE {PENDING_TABLE}")


@contextmanager
def writing_store(run_dir: Path, *, repairing: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store opened for writing, with the run folder locked against other commands and
    the temporary files of an interrupted earlier command removed (``repairing``: the
    command rewrites the flag files, so committed ones that went missing are no error)."""
    store_path(run_dir)
    with folder_lock(run_dir):
        con = open_store(run_dir, read_only=False, repairing=repairing)
        remove_temporaries(run_dir)
        try:
            yield con
        finally:
            con.close()


def read_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The run summary as a dict."""
    return {
        k: json.loads(v) for k, v in con.execute("SELECT key, value FROM run_summary").fetchall()
    }
