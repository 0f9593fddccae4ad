"""HTML rendering: a Jinja2 environment that escapes everything, inlined assets, JSON for JS."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

ASSETS = "reglink.reports.assets"


@cache
def asset(name: str) -> str:
    """The text of a packaged asset (template, script or style sheet)."""
    return resources.files(ASSETS).joinpath(name).read_text(encoding="utf-8")


def inline(name: str) -> Markup:
    """A script or style sheet, to be placed inside ``<script>`` or ``<style>``.

    Only the package's own files are inlined; a closing tag inside one would end the
    element early, so it is refused.
    """
    text = asset(name)
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"asset {name} contains a closing script or style tag")
    return Markup(text)


def script_json(document: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@cache
def environment() -> Environment:
    """The shared environment: autoescape on for every template, undefined names are errors."""
    env = Environment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["inline"] = inline
    env.globals["script_json"] = script_json
    env.filters["num"] = number
    return env


def render(template: str, **context: Any) -> str:
    """Render a packaged template with ``context``."""
    return environment().from_string(asset(template)).render(**context)


def number(value: Any, digits: int | None = None) -> str:
    """A number with thousands separators ('' for None)."""
    if value is None:
        return ""
    if digits is not None:
        return f"{float(value):,.{digits}f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.4f}"
    return f"{int(value):,}"


# The page's Content-Security-Policy: nothing may be fetched, only inline code runs.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)
