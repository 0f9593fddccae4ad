"""docs/rules.md is generated from the rule classes and kept current."""

from __future__ import annotations

from rules.docs import DOC_PATH, render_rules_doc
from rules.registry import REGISTRY


def test_docs_rules_md_is_up_to_date() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render_rules_doc(), (
        "docs/rules.md is stale: run `python -m rules.docs`"
    )


def test_docs_cover_every_rule_and_how_to_write_one() -> None:
    text = render_rules_doc()
    for rule_id, rule in REGISTRY.items():
        assert f"`{rule_id}`: {rule.title}" in text
        for name in type(rule.params).__dataclass_fields__:
            assert f"| `{name}` |" in text
    assert "## How to write a new rule" in text
