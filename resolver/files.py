"""Safe output files and folders: built under a temporary name, synced, then renamed into
place, readable by their owner only; CSV cells made formula-safe.

A folder such as a run folder is built whole in a hidden sibling (``.NAME.staging-*``) and
swapped with the old one only once complete, so a command killed at any point leaves the
previous folder as it was. On Linux the swap is one atomic ``renameat2(RENAME_EXCHANGE)``;
elsewhere the old folder is first renamed to ``.NAME.previous-*``, which the next command
(or :func:`recover_dir`) restores if the swap was interrupted.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from resolver.errors import RunStateError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

#: Spreadsheet programs treat cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed over it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o600)
        _fsync_file(temporary)
        os.replace(temporary, target)
        _fsync_dir(target.parent)
    finally:
        if temporary.exists():
            temporary.unlink()


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _siblings(target: Path, kind: str) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.{kind}-*"))


def recover_dir(target: Path) -> bool:
    """Put back a folder whose swap was interrupted (it is missing, its previous copy is not).

    Returns whether anything was restored.
    """
    if target.exists():
        return False
    previous = [p for p in _siblings(target, "previous") if p.is_dir()]
    if not previous:
        return False
    newest = max(previous, key=lambda p: p.stat().st_mtime)
    os.rename(newest, target)
    return True


def staged_names(folder: Path, names: Sequence[str]) -> dict[str, Path]:
    """A temporary path in ``folder`` for each of ``names``, for files that must replace
    their targets together (see :func:`resolver.store.record_renames`). The paths match
    what :func:`remove_temporaries` deletes, so an uncommitted set is cleaned up."""
    token = secrets.token_hex(4)
    return {name: folder / f".{name}.{token}.tmp" for name in names}


def rename_staged(folder: Path, pairs: Iterable[tuple[str, str]]) -> None:
    """Move each staged ``(temporary, target)`` (names in ``folder``) into place; a pair
    whose temporary is gone was moved already."""
    for temporary, target in pairs:
        with contextlib.suppress(FileNotFoundError):
            os.replace(folder / temporary, folder / target)
    _fsync_dir(folder)


def remove_temporaries(folder: Path) -> None:
    """Delete the temporary files an interrupted :func:`atomic_path` left in ``folder``."""
    for stale in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextmanager
def folder_lock(target: Path) -> Iterator[None]:
    """An exclusive lock on ``target`` for this process (``.NAME.lock`` beside it)."""
    target = Path(os.path.realpath(target))
    descriptor = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise RunStateError(
                    f"{target}: another reglink command is writing this folder; wait for it "
                    "to finish"
                ) from exc
        yield
    finally:
        os.close(descriptor)


@contextmanager
def replaced_dir(target: Path, *, replaceable: Callable[[Path], bool]) -> Iterator[Path]:
    """A new, empty, owner-only folder that replaces ``target`` when the block succeeds.

    An existing ``target`` is replaced only if it is empty or ``replaceable(target)`` says it
    is one this command owns (a run folder, an export); otherwise :class:`RunStateError`.
    Leftovers of interrupted earlier attempts are restored or removed first. If the block
    raises, or the process dies, ``target`` is untouched.
    """
    target = Path(os.path.realpath(target))  # through a symbolic link to the real folder
    target.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(target):
        recover_dir(target)
        for stale in [*_siblings(target, "staging"), *_siblings(target, "previous")]:
            shutil.rmtree(stale, ignore_errors=True)
        if target.exists() and not target.is_dir():
            raise RunStateError(f"{target}: exists and is not a folder")
        if target.is_dir() and any(target.iterdir()) and not replaceable(target):
            raise RunStateError(
                f"{target}: folder exists and is not one reglink wrote; it would be replaced, "
                "so choose a new or empty folder"
            )
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
        try:
            yield stage
            _fsync_dir(stage)
            _swap_in(stage, target)
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _swap_in(stage: Path, target: Path) -> None:
    """Move ``stage`` to ``target``; what was at ``target`` ends up at ``stage`` or gone."""
    if not target.exists():
        os.rename(stage, target)
    elif not _exchange(stage, target):
        previous = target.with_name(f".{target.name}.previous-{secrets.token_hex(4)}")
        os.rename(target, previous)  # from here until the next rename, recover_dir undoes it
        os.rename(stage, target)
        shutil.rmtree(previous, ignore_errors=True)
    _fsync_dir(target.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``); False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES, na=False)
            if risky.any():
                safe[column] = values.where(~risky, "'" + text)
    return safe


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write a CSV atomically, formula-safe, with ISO dates and empty cells for missing."""
    with atomic_path(target) as temporary:
        neutralise_formulas(frame).to_csv(temporary, index=False, date_format="%Y-%m-%d")


def write_json(document: Any, target: Path) -> None:
    """Write JSON atomically (UTF-8, stable key order as given, indented)."""
    with atomic_path(target) as temporary:
        temporary.write_text(
            json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
