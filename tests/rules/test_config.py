"""Parameters from TOML files and ``rule.param=value`` strings, with errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from resolver.errors import ConfigError
from rules import load_config, parse_override
from rules.config import config_from_mapping, resolve
from rules.scoring import ScoringParams


def test_toml_sets_rule_and_scoring_params(tmp_path: Path) -> None:
    path = tmp_path / "reglink.toml"
    path.write_text(
        "[resolver]\nthreshold = 0.9\n\n"  # another stage's table: ignored here
        "[rules.prolific_father]\nmin_births = 4\n\n"
        "[rules.missing_no_responsible_force]\nborder_locations = ['airport', 'port', 'ferry']\n"
        "\n[scoring]\nhigh_from = 75\n\n[scoring.watchlist_gravity]\nocg_member = 0.9\n",
        encoding="utf-8",
    )
    config = load_config(path)
    rule_params, scoring = resolve(config)
    assert rule_params["prolific_father"].min_births == 4  # type: ignore[attr-defined]
    assert rule_params["prolific_father"].min_mothers == 3  # type: ignore[attr-defined]
    force = rule_params["missing_no_responsible_force"]
    assert force.border_locations == ("airport", "port", "ferry")  # type: ignore[attr-defined]
    assert scoring.high_from == 75
    assert scoring.watchlist_gravity["ocg_member"] == 0.9
    assert scoring.watchlist_gravity["registered_sex_offender"] == 1.0  # merged with defaults


def test_override_strings_apply_on_top_of_toml(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text("[rules.prolific_father]\nmin_births = 4\nmin_mothers = 4\n")
    config = load_config(
        path,
        overrides=[
            "prolific_father.min_births=6",
            "rules.visa_cohort_no_show.min_no_show_share=0.5",
            "scoring.watchlist_gravity.known_facilitator=0.7",
            "missing_from_education.leave_reasons=unknown,never_attended,moved_abroad",
            "identity_conflict.require_name_and_dob=false",
        ],
    )
    rule_params, scoring = resolve(config)
    father = rule_params["prolific_father"]
    assert (father.min_births, father.min_mothers) == (6, 4)  # type: ignore[attr-defined]
    assert rule_params["visa_cohort_no_show"].min_no_show_share == 0.5  # type: ignore[attr-defined]
    assert scoring.watchlist_gravity["known_facilitator"] == 0.7
    education = rule_params["missing_from_education"]
    assert education.leave_reasons == (  # type: ignore[attr-defined]
        "unknown",
        "never_attended",
        "moved_abroad",
    )
    assert rule_params["identity_conflict"].require_name_and_dob is False  # type: ignore[attr-defined]


def test_parse_override_reads_toml_literals() -> None:
    assert parse_override("prolific_father.min_births=4") == ("prolific_father", "min_births", 4)
    assert parse_override("a.b = 0.5") == ("a", "b", 0.5)
    assert parse_override('a.b="x y"') == ("a", "b", "x y")
    assert parse_override("a.b=bare words") == ("a", "b", "bare words")
    assert parse_override("scoring.watchlist_gravity.x=1") == (
        "scoring",
        "watchlist_gravity",
        {"x": 1},
    )


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ("no_such_rule.min_births=4", "no_such_rule"),
        ("prolific_father.min_birth=4", "prolific_father.min_birth"),
        ("prolific_father.min_births=four", "prolific_father.min_births"),
        ("prolific_father.min_births=1", "below the minimum"),
        ("prolific_father.min_births=4.5", "prolific_father.min_births"),
        ("scoring.no_such=1", "scoring.no_such"),
        ("scoring.medium_from=90", "medium_from"),
        ("identity_conflict.require_name_and_dob=maybe", "require_name_and_dob"),
        ("min_births=4", "rule_id.parameter=value"),
        ("prolific_father.min_births", "rule_id.parameter=value"),
    ],
)
def test_bad_overrides_name_the_culprit(override: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_config(overrides=[override])


def test_bad_toml_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[rules.prolific_father\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="unknown rule 'nope'"):
        config_from_mapping({"rules": {"nope": {"x": 1}}})
    with pytest.raises(ConfigError, match=r"\[rules.prolific_father\] must be a table"):
        config_from_mapping({"rules": {"prolific_father": 3}})


def test_defaults_resolve_without_config() -> None:
    rule_params, scoring = resolve(None)
    assert scoring == ScoringParams()
    assert rule_params["prolific_father"].min_births == 5  # type: ignore[attr-defined]
