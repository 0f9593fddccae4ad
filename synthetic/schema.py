"""The input contract as data: output columns, roles, id formats and the reference date."""

from __future__ import annotations

import numpy as np

AS_OF = np.datetime64("2026-06-30", "D")
"""Reference "as of" date: no event in the generated data is later than this."""

SOURCES: tuple[str, ...] = ("births", "visas", "schools", "missing", "watchlist")

COLUMNS: dict[str, tuple[str, ...]] = {
    "births": (
        "registration_id",
        "registration_date",
        "registration_district",
        "child_forenames",
        "child_surname",
        "child_dob",
        "child_sex",
        "child_birthplace",
        "mother_forenames",
        "mother_surname",
        "mother_maiden_surname",
        "mother_dob",
        "mother_birthplace",
        "mother_nationality",
        "father_forenames",
        "father_surname",
        "father_dob",
        "father_birthplace",
        "father_nationality",
        "informant_name",
        "informant_relationship",
        "usual_address",
        "postcode",
    ),
    "visas": (
        "application_id",
        "decision_date",
        "visa_type",
        "decision",
        "applicant_forenames",
        "applicant_surname",
        "applicant_dob",
        "applicant_sex",
        "applicant_nationality",
        "passport_number",
        "sponsor_id",
        "sponsor_name",
        "sponsor_type",
        "institution_name",
        "course_name",
        "course_start_date",
        "intended_arrival_date",
        "uk_address",
        "uk_postcode",
        "arrival_date",
    ),
    "schools": (
        "enrolment_id",
        "school_urn",
        "school_name",
        "school_postcode",
        "local_authority",
        "pupil_forenames",
        "pupil_surname",
        "pupil_dob",
        "pupil_sex",
        "pupil_nationality",
        "expected_start_date",
        "enrol_date",
        "leave_date",
        "leave_reason",
        "guardian_name",
        "guardian_relationship",
        "home_address",
        "home_postcode",
    ),
    "missing": (
        "report_id",
        "reporting_force",
        "report_date",
        "last_seen_date",
        "last_seen_location",
        "last_seen_location_type",
        "forenames",
        "surname",
        "dob",
        "approx_age",
        "sex",
        "nationality",
        "reported_by",
        "reporter_relationship",
        "status",
        "found_date",
        "found_location",
    ),
    "watchlist": ("subject_id", "forenames", "surname", "dob", "nationality", "category", "since"),
}

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
