"""The one exception hierarchy of reglink; only the CLI turns these into exit codes."""

from __future__ import annotations


class ReglinkError(Exception):
    """Base of every error reglink raises on purpose."""


class InputError(ReglinkError, ValueError):
    """Input data that cannot be read: names the file, and the row and column when known."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                str(path) if path else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.path, self.row, self.column = path, row, column


class ConfigError(ReglinkError, ValueError):
    """A configuration, mapping or model file that is malformed or inconsistent."""


class RunStateError(ReglinkError):
    """A run folder that is missing, incomplete or from an incompatible version."""


class NotAvailableError(ReglinkError):
    """A command or capability that this version of reglink does not provide yet."""
