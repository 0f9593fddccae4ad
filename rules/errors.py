"""Errors of the rules layer; all derive from :class:`resolver.errors.ReglinkError`."""

from __future__ import annotations

from resolver.errors import ConfigError, ReglinkError

__all__ = [
    "ConfigError",
    "ReglinkError",
    "RuleDefinitionError",
    "RuleOutputError",
    "RuleQueryError",
]


class RuleDefinitionError(ReglinkError, TypeError):
    """A rule class that lacks metadata, has untyped parameters or clashes with another rule."""


class RuleOutputError(ReglinkError):
    """A rule whose query returned rows outside the finding contract (names the rule)."""


class RuleQueryError(ReglinkError):
    """A rule whose SQL failed (in DuckDB or Spark); the message names the rule and the error."""
