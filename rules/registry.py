"""The explicit rule registry, validated at import: unique ids, metadata, typed parameters."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rules.catalogue import CATALOGUE
from rules.errors import RuleDefinitionError
from rules.params import check_params_class
from rules.rule import SUBJECT_TYPES, Rule

#: Rule ids fixed by the output contract; the registry refuses to load without them.
CONTRACT_RULE_IDS = (
    "prolific_father",
    "visa_cohort_no_show",
    "missing_after_visa",
    "shared_enabler",
    "identity_conflict",
    "missing_from_education",
    "missing_no_responsible_force",
)
REQUIRED_METADATA = ("id", "title", "description", "loophole", "severity")
#: Top-level configuration keys that cannot be rule ids.
RESERVED_IDS = frozenset({"scoring", "rules"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def check_rule_class(cls: Any) -> list[str]:
    """Problems with one rule class (empty list when it is well formed)."""
    name = getattr(cls, "__name__", repr(cls))
    if not (inspect.isclass(cls) and issubclass(cls, Rule)):
        return [f"{name}: not a subclass of rules.rule.Rule"]
    problems = []
    for attr in REQUIRED_METADATA:
        value = getattr(cls, attr, None)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name}: missing metadata {attr!r} (a non-empty string)")
    rule_id = getattr(cls, "id", None)
    if isinstance(rule_id, str) and (not _ID.match(rule_id) or rule_id in RESERVED_IDS):
        problems.append(f"{name}: id {rule_id!r} must be snake_case and not {sorted(RESERVED_IDS)}")
    if cls.subject_type not in SUBJECT_TYPES:
        problems.append(f"{name}: subject_type {cls.subject_type!r} not in {SUBJECT_TYPES}")
    for method in ("sql", "assess"):
        if getattr(cls, method) is getattr(Rule, method):
            problems.append(f"{name}: does not implement {method}()")
    default = getattr(cls, "params", None)
    param_problems = check_params_class(type(default), f"{rule_id or name}")
    problems += param_problems
    if not problems:
        try:
            sql = cls().sql(default)
            if not isinstance(sql, str) or not re.search(r"\bselect\b", sql, re.IGNORECASE):
                problems.append(f"{name}: sql() must return a SELECT statement as a string")
        except Exception as exc:  # a broken definition is reported, not raised raw
            problems.append(f"{name}: sql() with default parameters raised {exc!r}")
    return problems


class Registry(Mapping[str, Rule[Any]]):
    """An ordered, validated set of rules keyed by id."""

    def __init__(self, classes: Iterable[type[Rule[Any]]]) -> None:
        self._classes = tuple(classes)
        problems = [p for cls in self._classes for p in check_rule_class(cls)]
        seen: dict[str, str] = {}
        for cls in self._classes:
            rule_id = getattr(cls, "id", None)
            if isinstance(rule_id, str):
                if rule_id in seen:
                    problems.append(
                        f"duplicate rule id {rule_id!r}: {seen[rule_id]} and {cls.__name__}"
                    )
                seen[rule_id] = cls.__name__
        if problems:
            raise RuleDefinitionError("invalid rule definitions:\n- " + "\n- ".join(problems))
        self._rules: dict[str, Rule[Any]] = {cls.id: cls() for cls in self._classes}

    def __getitem__(self, rule_id: str) -> Rule[Any]:
        return self._rules[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def extended(self, *classes: type[Rule[Any]]) -> Registry:
        """A new registry with ``classes`` appended (validated like the catalogue)."""
        return Registry((*self._classes, *classes))


def _default_registry() -> Registry:
    registry = Registry(CATALOGUE)
    missing = [rid for rid in CONTRACT_RULE_IDS if rid not in registry]
    if missing:
        raise RuleDefinitionError(f"catalogue lacks contract rule(s): {', '.join(missing)}")
    return registry


#: The catalogue's rules, in the order they run and are documented.
REGISTRY = _default_registry()
