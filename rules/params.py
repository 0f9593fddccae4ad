"""Typed, documented parameters: the base dataclass, the ``param`` field helper and coercion.

Every rule's parameters (and the scoring weights) are a frozen dataclass deriving from
:class:`Params`; each field is declared with :func:`param`, which records its doc string
and optional bounds. :func:`build_params` applies overrides (from TOML or ``rule.p=value``
strings) with type coercion and raises :class:`ConfigError` naming the offending key.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from resolver.errors import ConfigError

#: The parameter types a rule may declare (kept small so TOML and CLI strings map cleanly).
PARAM_TYPES: tuple[Any, ...] = (int, float, bool, str, tuple[str, ...], dict[str, float])

_TYPE_NAMES: dict[Any, str] = dict(
    zip(PARAM_TYPES, ("int", "float", "bool", "str", "list[str]", "table[str, float]"), strict=True)
)
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclasses.dataclass(frozen=True)
class Params:
    """Base of every parameter set; subclasses are frozen dataclasses of :func:`param` fields."""


P = TypeVar("P", bound=Params)


def param_meta(
    doc: str, *, minimum: float | None = None, maximum: float | None = None
) -> dict[str, Any]:
    """Field metadata of a parameter, for ``dataclasses.field(default_factory=..., metadata=)``."""
    return {"doc": doc, "minimum": minimum, "maximum": maximum}


def param(
    default: Any, doc: str, *, minimum: float | None = None, maximum: float | None = None
) -> Any:
    """Declare one parameter with an immutable default, its doc string and optional bounds.

    A dict parameter needs a factory: ``field(default_factory=f, metadata=param_meta(doc))``.
    """
    return dataclasses.field(
        default=default, metadata=param_meta(doc, minimum=minimum, maximum=maximum)
    )


@dataclasses.dataclass(frozen=True)
class ParamSpec:
    """What the docs and validation need to know about one parameter."""

    name: str
    type: Any
    default: Any
    doc: str
    minimum: float | None
    maximum: float | None

    @property
    def type_name(self) -> str:
        """Human form of the type as written in TOML terms (``int``, ``list[str]``)."""
        return _TYPE_NAMES.get(self.type, str(self.type))


def param_specs(cls: type[Params]) -> list[ParamSpec]:
    """The declared parameters of a Params subclass, in declaration order."""
    hints = typing.get_type_hints(cls)
    specs = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = dataclasses.MISSING
        specs.append(
            ParamSpec(
                name=f.name,
                type=hints.get(f.name),
                default=default,
                doc=str(f.metadata.get("doc", "")),
                minimum=f.metadata.get("minimum"),
                maximum=f.metadata.get("maximum"),
            )
        )
    return specs


def check_params_class(cls: Any, owner: str) -> list[str]:
    """Problems with a parameter class (empty list when it is well formed)."""
    if not (isinstance(cls, type) and issubclass(cls, Params) and dataclasses.is_dataclass(cls)):
        return [f"{owner}: params must be an instance of a Params dataclass"]
    if not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return [f"{owner}: {cls.__name__} must be a frozen dataclass"]
    problems = []
    for spec in param_specs(cls):
        where = f"{owner}.{spec.name}"
        if spec.type not in PARAM_TYPES:
            problems.append(
                f"{where}: type {spec.type!r} is not one of int, float, bool, str, "
                "tuple[str, ...], dict[str, float]"
            )
            continue
        if not spec.doc.strip():
            problems.append(f"{where}: missing doc string (declare it with param(default, doc))")
        if spec.default is dataclasses.MISSING:
            problems.append(f"{where}: missing default")
            continue
        try:
            coerce(spec, spec.default, where)
        except ConfigError as exc:
            problems.append(f"default does not fit: {exc}")
    return problems


def coerce(spec: ParamSpec, value: Any, where: str) -> Any:
    """Convert ``value`` to the parameter's type and check its bounds, or raise ConfigError."""
    t = spec.type
    try:
        if t is bool:
            out: Any = _to_bool(value)
        elif t is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            out = int(value)
        elif t is float:
            if isinstance(value, bool):
                raise ValueError
            out = float(value)
        elif t is str:
            if not isinstance(value, str):
                raise ValueError
            out = value
        elif t == tuple[str, ...]:
            items = value.split(",") if isinstance(value, str) else list(value)
            if not all(isinstance(i, str) for i in items):
                raise ValueError
            out = tuple(i.strip() for i in items if i.strip())
        else:  # dict[str, float]
            if not isinstance(value, Mapping):
                raise ValueError
            out = {str(k): _number(v) for k, v in value.items()}
    except (TypeError, ValueError):
        raise ConfigError(f"parameter {where}: {value!r} is not a valid {spec.type_name}") from None
    numbers = list(out.values()) if isinstance(out, dict) else [out]
    for n in numbers:
        if isinstance(n, int | float) and not isinstance(n, bool):
            if spec.minimum is not None and n < spec.minimum:
                raise ConfigError(f"parameter {where}: {n} is below the minimum {spec.minimum}")
            if spec.maximum is not None and n > spec.maximum:
                raise ConfigError(f"parameter {where}: {n} is above the maximum {spec.maximum}")
    return out


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    return float(value)


def build_params(default: P, overrides: Mapping[str, Any] | None, owner: str) -> P:
    """A copy of ``default`` with ``overrides`` applied (dict parameters are merged key-wise)."""
    if not overrides:
        return default
    specs = {s.name: s for s in param_specs(type(default))}
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(specs) or "(no parameters)"
            raise ConfigError(f"unknown parameter {owner}.{name}; {owner} takes: {known}")
        new = coerce(spec, value, f"{owner}.{name}")
        if isinstance(new, dict):
            new = {**getattr(default, name), **new}
        changes[name] = new
    return dataclasses.replace(default, **changes)


def params_as_dict(params: Params) -> dict[str, Any]:
    """Plain, JSON-ready values of a parameter set (tuples become lists)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(sorted(value.items()))
        out[f.name] = value
    return out
