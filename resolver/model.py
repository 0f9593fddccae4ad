"""The Splink model: comparisons, blocking rules and training plan, declared as data.

Columns referenced here are made by :mod:`resolver.mentions`. Every SQL fragment is written
in DuckDB's dialect; Splink transpiles it with sqlglot for other backends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_creator import ComparisonCreator

#: Splink's unique id column: the contract's mention id.
UNIQUE_ID = "mention_id"

#: Columns handed to Splink (the comparison and blocking forms, plus a few to retain).
LINKAGE_COLUMNS: tuple[str, ...] = (
    "mention_id",
    "source",
    "role",
    "record_key",
    "first_name",
    "first_name_canonical",
    "surname_std",
    "surname_aliases",
    "surname_phonetic",
    "name_key",
    "name_tokens",
    "name_sound_key",
    "first_surname_key",
    "relative_keys",
    "dob",
    "dob_swapped",
    "dob_year",
    "dob_mmdd",
    "dob_str",
    "birth_year_lo",
    "birth_year_hi",
    "sex_std",
    "postcode_std",
    "postcode_sector",
    "postcode_outward",
    "address_std",
    "locality_std",
    "document_number_std",
)

_DIALECT = "duckdb"


def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str=_DIALECT)


def name_comparison() -> ComparisonCreator:
    """Whole-name comparison: order-insensitive, nickname- and maiden-name-aware."""
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="forenames and surname",
        comparison_levels=[
            cll.CustomLevel("name_key_l IS NULL OR name_key_r IS NULL").configure(
                is_null_level=True, label_for_charts="name missing"
            ),
            _level(
                "name_key_l = name_key_r", "same name (any order, weak middles ignored)"
            ).configure(tf_adjustment_column="name_key"),
            _level(
                "first_name_canonical_l = first_name_canonical_r "
                "AND list_has_any(surname_aliases_l, surname_aliases_r)",
                "same first name or nickname, same surname or maiden name",
            ).configure(
                tf_adjustment_column="first_surname_key",
                disable_tf_exact_match_detection=True,
                m_probability=0.1,
            ),
            _level(
                "len(list_intersect(name_tokens_l, name_tokens_r)) >= 2",
                "two or more name tokens shared",
            ).configure(m_probability=0.03),
            _level(
                "damerau_levenshtein(name_key_l, name_key_r) <= 2 OR "
                "(jaro_winkler_similarity(first_name_l, first_name_r) >= 0.88 "
                "AND jaro_winkler_similarity(surname_std_l, surname_std_r) >= 0.88)",
                "names alike (typo)",
            ).configure(m_probability=0.1),
            _level(
                "list_has_any(surname_aliases_l, surname_aliases_r)", "same surname only"
            ).configure(
                tf_adjustment_column="surname_std",
                disable_tf_exact_match_detection=True,
                m_probability=0.02,
            ),
            _level(
                "first_name_canonical_l = first_name_canonical_r", "same first name only"
            ).configure(m_probability=0.02),
            cll.ElseLevel().configure(m_probability=0.03),
        ],
    )


#: Share of true matches whose two recorded dobs differ beyond any recording error.
DOB_MISMATCH_M = 0.002


def dob_comparison() -> ComparisonCreator:
    """Date of birth, with day/month swaps and off-by-one years as their own levels."""
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth",
        comparison_levels=[
            cll.CustomLevel("dob_l IS NULL OR dob_r IS NULL").configure(
                is_null_level=True, label_for_charts="dob missing"
            ),
            _level("dob_l = dob_r", "same dob"),
            _level("dob_l = dob_swapped_r", "day and month swapped"),
            _level(
                "dob_mmdd_l = dob_mmdd_r AND abs(dob_year_l - dob_year_r) = 1", "year off by one"
            ),
            _level("damerau_levenshtein(dob_str_l, dob_str_r) <= 1", "one character apart"),
            # Fixed, not trained: EM on name + postcode blocks sees same-name siblings at one
            # address as matches and learns that true matches often disagree on dob.
            cll.ElseLevel().configure(
                m_probability=DOB_MISMATCH_M, fix_m_probability=True, label_for_charts="dob differs"
            ),
        ],
    )


def age_comparison() -> ComparisonCreator:
    """Year of birth from a stated age (a missing-person report often has no dob).

    Only weighs pairs where at least one side has no dob: between two recorded dobs the dob
    comparison has already counted the year, and must not be counted twice. Such pairs are
    too rare for training to see, so m and u are declared: a stated age is right to within
    its year for most reports, and two people drawn at random are born within one year of
    each other about one time in forty.
    """
    overlap = "birth_year_lo_l <= birth_year_hi_r AND birth_year_lo_r <= birth_year_hi_l"
    return cl.CustomComparison(
        output_column_name="age",
        comparison_description="year of birth from a stated age",
        comparison_levels=[
            cll.CustomLevel(
                "(dob_l IS NOT NULL AND dob_r IS NOT NULL) "
                "OR birth_year_lo_l IS NULL OR birth_year_lo_r IS NULL"
            ).configure(is_null_level=True, label_for_charts="both dobs recorded, or no age"),
            _level(overlap, "stated age agrees").configure(**_fixed(0.9, 0.025)),
            _level(
                "birth_year_lo_l <= birth_year_hi_r + 2 AND birth_year_lo_r <= birth_year_hi_l + 2",
                "stated age within two years",
            ).configure(**_fixed(0.07, 0.05)),
            cll.ElseLevel().configure(**_fixed(0.03, 0.925)),
        ],
    )


def _fixed(m: float, u: float) -> dict[str, Any]:
    """Level settings with m and u declared and kept out of training."""
    return {
        "m_probability": m,
        "u_probability": u,
        "fix_m_probability": True,
        "fix_u_probability": True,
    }


def postcode_comparison() -> ComparisonCreator:
    """Where the person lives: postcode and address together, so neither is counted twice."""
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_description="postcode and address",
        comparison_levels=[
            cll.CustomLevel(
                "(postcode_std_l IS NULL OR postcode_std_r IS NULL) "
                "AND (address_std_l IS NULL OR address_std_r IS NULL)"
            ).configure(is_null_level=True, label_for_charts="postcode and address missing"),
            _level(
                "postcode_std_l = postcode_std_r AND address_std_l = address_std_r",
                "same address and postcode",
            ).configure(m_probability=0.5),
            _level("address_std_l = address_std_r", "same address, postcode differs").configure(
                m_probability=0.05
            ),
            _level("postcode_std_l = postcode_std_r", "same postcode").configure(m_probability=0.2),
            _level(
                "jaro_winkler_similarity(address_std_l, address_std_r) >= 0.9 "
                "OR damerau_levenshtein(postcode_std_l, postcode_std_r) <= 1",
                "address or postcode one typo apart",
            ).configure(m_probability=0.05),
            _level("postcode_sector_l = postcode_sector_r", "same postcode sector").configure(
                m_probability=0.02
            ),
            _level("postcode_outward_l = postcode_outward_r", "same postcode district").configure(
                m_probability=0.02
            ),
            cll.ElseLevel().configure(m_probability=0.16),
        ],
    )


def sex_comparison() -> ComparisonCreator:
    """Recorded sex; 'U' counts as not recorded."""
    return cl.CustomComparison(
        output_column_name="sex",
        comparison_description="sex",
        comparison_levels=[
            cll.CustomLevel(
                "sex_std_l IS NULL OR sex_std_r IS NULL OR sex_std_l = 'U' OR sex_std_r = 'U'"
            ).configure(is_null_level=True, label_for_charts="sex missing"),
            _level("sex_std_l = sex_std_r", "same sex"),
            cll.ElseLevel(),
        ],
    )


def relatives_comparison() -> ComparisonCreator:
    """The same partner named on both records (a mother's two births with one father).

    Positive evidence only: not sharing a named relative (a second partner, another
    guardian) is given no weight, so the 'else' level is fixed at a Bayes factor of one.
    """
    return cl.CustomComparison(
        output_column_name="relatives",
        comparison_description="named relatives",
        comparison_levels=[
            cll.CustomLevel("len(relative_keys_l) = 0 OR len(relative_keys_r) = 0").configure(
                is_null_level=True, label_for_charts="no relatives named"
            ),
            _level("list_has_any(relative_keys_l, relative_keys_r)", "a named relative shared"),
            cll.ElseLevel().configure(
                **_fixed(0.5, 0.5), label_for_charts="no named relative shared (no weight)"
            ),
        ],
    )


def document_comparison() -> ComparisonCreator:
    """Travel document or other identity number.

    A different number is given no weight: passports are renewed and replaced, so one
    person's applications years apart carry different numbers.
    """
    return cl.CustomComparison(
        output_column_name="document_number",
        comparison_description="document number",
        comparison_levels=[
            cll.CustomLevel(
                "document_number_std_l IS NULL OR document_number_std_r IS NULL"
            ).configure(is_null_level=True, label_for_charts="document missing"),
            _level("document_number_std_l = document_number_std_r", "same document number"),
            _level(
                "damerau_levenshtein(document_number_std_l, document_number_std_r) <= 1",
                "document number one character apart",
            ),
            cll.ElseLevel().configure(
                **_fixed(0.5, 0.5), label_for_charts="different document number (no weight)"
            ),
        ],
    )


def locality_comparison() -> ComparisonCreator:
    """Place of birth or locality (suburb, town)."""
    return cl.CustomComparison(
        output_column_name="locality",
        comparison_description="locality or place of birth",
        comparison_levels=[
            cll.CustomLevel("locality_std_l IS NULL OR locality_std_r IS NULL").configure(
                is_null_level=True, label_for_charts="locality missing"
            ),
            _level("locality_std_l = locality_std_r", "same locality"),
            _level(
                "jaro_winkler_similarity(locality_std_l, locality_std_r) >= 0.9", "locality alike"
            ),
            cll.ElseLevel(),
        ],
    )


#: Comparisons always used, then those switched on by column coverage.
CORE_COMPARISONS = (
    name_comparison,
    dob_comparison,
    age_comparison,
    postcode_comparison,
    sex_comparison,
    relatives_comparison,
)
OPTIONAL_COMPARISONS: dict[str, Callable[[], ComparisonCreator]] = {
    "document_number_std": document_comparison,
    "locality_std": locality_comparison,
}

_NOT_SAME_RECORD = "l.record_key <> r.record_key"


def blocking_rules(optional_columns: list[str]) -> list[str]:
    """Rules for candidate pairs: recall across sources without a pair explosion.

    No rule is a name alone, a date of birth alone, or a name with only a year of birth: a
    common name (Nguyen Van Anh, John Smith) or a day's births would make quadratically many
    pairs as the data grows. Each rule pairs a name form with a dob form or a postcode, or a
    dob with a postcode or both initials; the dob forms cover the recording errors the
    model weighs (day and month swapped, the year one out, a typo in the day). Two mentions
    of one record are never compared.
    """
    rules = [
        "l.dob = r.dob AND l.surname_phonetic = r.surname_phonetic",
        "l.dob = r.dob AND l.first_name_canonical = r.first_name_canonical",
        "l.name_sound_key = r.name_sound_key AND l.dob = r.dob",
        "l.name_key = r.name_key AND left(l.dob_str, 7) = left(r.dob_str, 7)",
        "l.name_key = r.name_key AND l.dob = r.dob_swapped",
        "l.name_key = r.name_key AND l.dob_mmdd = r.dob_mmdd",
        "l.first_name_canonical = r.first_name_canonical AND l.surname_std = r.surname_std "
        "AND left(l.dob_str, 7) = left(r.dob_str, 7)",
        "l.name_sound_key = r.name_sound_key AND l.postcode_std = r.postcode_std",
        "l.name_key = r.name_key AND l.postcode_std = r.postcode_std",
        "l.dob = r.dob AND l.postcode_std = r.postcode_std",
        "l.dob = r.dob AND left(l.surname_std, 1) = left(r.surname_std, 1) "
        "AND left(l.first_name, 1) = left(r.first_name, 1)",
        "l.surname_std = r.surname_std AND l.postcode_std = r.postcode_std",
        "l.first_name_canonical = r.first_name_canonical AND l.postcode_std = r.postcode_std",
        "l.name_key = r.name_key AND (l.dob IS NULL OR r.dob IS NULL)",
    ]
    if "document_number_std" in optional_columns:
        rules.append("l.document_number_std = r.document_number_std")
    return [f"{rule} AND {_NOT_SAME_RECORD}" for rule in rules]


#: Tight blocks for EM: each fixes some comparisons and trains the others.
TRAINING_BLOCKS: tuple[str, ...] = (
    "l.name_key = r.name_key AND l.dob = r.dob",
    "l.dob = r.dob AND l.postcode_std = r.postcode_std",
    "l.name_key = r.name_key AND l.postcode_std = r.postcode_std",
)

#: Deterministic rule used to estimate the prior match probability.
PRIOR_RULES: tuple[str, ...] = ("l.name_key = r.name_key AND l.dob = r.dob",)


def enabled_optional_columns(mentions: pd.DataFrame, min_coverage: float) -> list[str]:
    """Optional comparison columns that enough mentions of some source carry to be compared.

    Coverage is judged per source: a passport number that only visa applications record
    still links a person's repeated applications, and is simply not recorded elsewhere.
    """
    if not len(mentions):
        return []
    enabled = []
    for column in OPTIONAL_COMPARISONS:
        if column not in mentions:
            continue
        coverage = mentions[column].notna().groupby(mentions["source"]).mean()
        if coverage.max() >= min_coverage:
            enabled.append(column)
    return enabled


def settings(optional_columns: list[str], *, seed_uid: str = "reglink") -> SettingsCreator:
    """The Splink settings for a dedupe over all mentions of all sources."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = [build() for build in CORE_COMPARISONS]
    comparisons += [OPTIONAL_COMPARISONS[c]() for c in optional_columns]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            CustomRule(rule, sql_dialect=_DIALECT) for rule in blocking_rules(optional_columns)
        ],
        additional_columns_to_retain=["source", "role", "record_key"],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        linker_uid=seed_uid,
    )
