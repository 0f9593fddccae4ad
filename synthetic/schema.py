"""The input contract as data: output columns, roles, id formats and the reference date."""

from __future__ import annotations

import numpy as np

from resolver.schema import CONTRACT_SOURCES
from resolver.schema import SOURCES as CONTRACT

AS_OF = np.datetime64("2026-06-30", "D")
"""Reference "as of" date: no event in the generated data is later than this."""

SOURCES: tuple[str, ...] = CONTRACT_SOURCES

COLUMNS: dict[str, tuple[str, ...]] = {name: CONTRACT[name].columns for name in SOURCES}
"""Each source's columns, in file order: the resolver's declaration of the contract."""

ID_PREFIX: dict[str, str] = {
    "births": "B",
    "visas": "V",
    "schools": "S",
    "missing": "M",
    "watchlist": "W",
}
SORT_DATE: dict[str, str] = {
    "births": "registration_date",
    "visas": "decision_date",
    "schools": "expected_start_date",
    "missing": "report_date",
    "watchlist": "since",
}
"""Records are numbered in order of this date, so ids grow with time as in a real register."""

ROLES: dict[str, tuple[str, ...]] = {
    "births": ("child", "mother", "father"),
    "visas": ("applicant",),
    "schools": ("pupil",),
    "missing": ("missing",),
    "watchlist": ("subject",),
}

PERSON_FIELDS: dict[tuple[str, str], dict[str, str]] = {
    ("births", "child"): {
        "forenames": "child_forenames",
        "surname": "child_surname",
        "dob": "child_dob",
        "sex": "child_sex",
    },
    ("births", "mother"): {
        "forenames": "mother_forenames",
        "surname": "mother_surname",
        "maiden": "mother_maiden_surname",
        "dob": "mother_dob",
        "birthplace": "mother_birthplace",
        "nationality": "mother_nationality",
    },
    ("births", "father"): {
        "forenames": "father_forenames",
        "surname": "father_surname",
        "dob": "father_dob",
        "birthplace": "father_birthplace",
        "nationality": "father_nationality",
    },
    ("visas", "applicant"): {
        "forenames": "applicant_forenames",
        "surname": "applicant_surname",
        "dob": "applicant_dob",
        "sex": "applicant_sex",
        "nationality": "applicant_nationality",
    },
    ("schools", "pupil"): {
        "forenames": "pupil_forenames",
        "surname": "pupil_surname",
        "dob": "pupil_dob",
        "sex": "pupil_sex",
        "nationality": "pupil_nationality",
    },
    ("missing", "missing"): {
        "forenames": "forenames",
        "surname": "surname",
        "dob": "dob",
        "sex": "sex",
        "nationality": "nationality",
    },
    ("watchlist", "subject"): {
        "forenames": "forenames",
        "surname": "surname",
        "dob": "dob",
        "nationality": "nationality",
    },
}
"""Which contract column carries each rendered person attribute, per (source, role)."""

POSTCODE_COLUMN: dict[str, str] = {
    "births": "postcode",
    "visas": "uk_postcode",
    "schools": "home_postcode",
}
"""The per-record postcode that the `postcode_missing` noise may blank."""

TRUTH_MENTIONS = ("mention_id", "person_id", "noise")
TRUTH_PLANTED = ("pattern", "subject", "mention_ids")
TRUTH_DECOYS = ("decoy", "subject", "mention_ids")
TRUTH_PERSONS = (
    "person_id",
    "forenames",
    "surname",
    "married_surname",
    "dob",
    "sex",
    "nationality",
    "birth_nationality",
    "culture",
)
