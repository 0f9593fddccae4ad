"""The canonical input schema, declared once as data: sources, their columns and their roles.

Every source kind is an adapter onto one mention schema: each role names which of the
source's columns hold that person's forenames, surname, date of birth and so on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Columns of the unified mention table that a role may fill (all optional except names).
MENTION_FIELDS: tuple[str, ...] = (
    "forenames",
    "surname",
    "maiden_surname",
    "dob",
    "sex",
    "nationality",
    "postcode",
    "address",
    "locality",
    "document_number",
    "event_date",
    "age",
)


@dataclass(frozen=True)
class Role:
    """One person in one role on a record, and the source columns that describe them."""

    name: str
    columns: dict[str, str]
    #: the role exists on a record only when one of these columns is non-empty
    presence: tuple[str, ...] = ()
    #: the person's partner as named on the same record, as the columns of the full name.
    #: Only partners: siblings share parents and guardians, so those prove nothing.
    relatives: tuple[tuple[str, ...], ...] = ()
    #: fields the role itself implies where no column records them (a mother's sex)
    implied: dict[str, str] = field(default_factory=dict)

    def presence_columns(self) -> tuple[str, ...]:
        """Columns whose non-emptiness means this person was recorded."""
        return self.presence or tuple(
            self.columns[f] for f in ("forenames", "surname") if f in self.columns
        )


@dataclass(frozen=True)
class Source:
    """One kind of input file: its columns, id column, date columns and roles."""

    name: str
    id_column: str
    columns: tuple[str, ...]
    date_columns: tuple[str, ...]
    roles: tuple[Role, ...]
    #: (earlier, later) date column pairs where earlier must not be after later
    date_order: tuple[tuple[str, str], ...] = ()
    #: columns that must be present in the file; defaults to all of ``columns``
    required: tuple[str, ...] | None = None
    enumerations: dict[str, frozenset[str]] = field(default_factory=dict)

    def required_columns(self) -> tuple[str, ...]:
        """Columns a file of this source must carry."""
        return self.columns if self.required is None else self.required


BIRTHS = Source(
    name="births",
    id_column="registration_id",
    columns=(
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
    date_columns=("registration_date", "child_dob", "mother_dob", "father_dob"),
    date_order=(
        ("child_dob", "registration_date"),
        ("mother_dob", "child_dob"),
        ("father_dob", "child_dob"),
    ),
    roles=(
        Role(
            "child",
            {
                "forenames": "child_forenames",
                "surname": "child_surname",
                "dob": "child_dob",
                "sex": "child_sex",
                "postcode": "postcode",
                "address": "usual_address",
                # child_birthplace is not compared: siblings and twins share it, and it
                # names a hospital where a parent's birthplace names a town.
                "event_date": "registration_date",
            },
        ),
        Role(
            "mother",
            {
                "forenames": "mother_forenames",
                "surname": "mother_surname",
                "maiden_surname": "mother_maiden_surname",
                "dob": "mother_dob",
                "nationality": "mother_nationality",
                "postcode": "postcode",
                "address": "usual_address",
                "locality": "mother_birthplace",
                "event_date": "registration_date",
            },
            presence=("mother_forenames", "mother_surname", "mother_maiden_surname"),
            relatives=(("father_forenames", "father_surname"),),
            implied={"sex": "F"},
        ),
        Role(
            "father",
            {
                "forenames": "father_forenames",
                "surname": "father_surname",
                "dob": "father_dob",
                "nationality": "father_nationality",
                "locality": "father_birthplace",
                "event_date": "registration_date",
            },
            relatives=(
                ("mother_forenames", "mother_surname"),
                ("mother_forenames", "mother_maiden_surname"),
            ),
            implied={"sex": "M"},
        ),
    ),
)

VISAS = Source(
    name="visas",
    id_column="application_id",
    columns=(
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
    date_columns=(
        "decision_date",
        "applicant_dob",
        "course_start_date",
        "intended_arrival_date",
        "arrival_date",
    ),
    date_order=(("applicant_dob", "decision_date"),),
    roles=(
        Role(
            "applicant",
            {
                "forenames": "applicant_forenames",
                "surname": "applicant_surname",
                "dob": "applicant_dob",
                "sex": "applicant_sex",
                "nationality": "applicant_nationality",
                "postcode": "uk_postcode",
                "address": "uk_address",
                "document_number": "passport_number",
                "event_date": "decision_date",
            },
        ),
    ),
)

SCHOOLS = Source(
    name="schools",
    id_column="enrolment_id",
    columns=(
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
    date_columns=("pupil_dob", "expected_start_date", "enrol_date", "leave_date"),
    date_order=(("pupil_dob", "enrol_date"), ("enrol_date", "leave_date")),
    roles=(
        Role(
            "pupil",
            {
                "forenames": "pupil_forenames",
                "surname": "pupil_surname",
                "dob": "pupil_dob",
                "sex": "pupil_sex",
                "nationality": "pupil_nationality",
                "postcode": "home_postcode",
                "address": "home_address",
                "event_date": "expected_start_date",
            },
        ),
    ),
)

MISSING = Source(
    name="missing",
    id_column="report_id",
    columns=(
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
    date_columns=("report_date", "last_seen_date", "dob", "found_date"),
    date_order=(("dob", "last_seen_date"), ("last_seen_date", "found_date")),
    roles=(
        Role(
            "missing",
            {
                "forenames": "forenames",
                "surname": "surname",
                "dob": "dob",
                "sex": "sex",
                "nationality": "nationality",
                "event_date": "report_date",
                "age": "approx_age",
            },
        ),
    ),
)

WATCHLIST = Source(
    name="watchlist",
    id_column="subject_id",
    columns=("subject_id", "forenames", "surname", "dob", "nationality", "category", "since"),
    date_columns=("dob", "since"),
    date_order=(("dob", "since"),),
    roles=(
        Role(
            "subject",
            {
                "forenames": "forenames",
                "surname": "surname",
                "dob": "dob",
                "nationality": "nationality",
                "event_date": "since",
            },
        ),
    ),
)

#: A generic list of people (e.g. FEBRL), read through a YAML mapping.
PERSON = Source(
    name="person",
    id_column="person_id",
    columns=(
        "person_id",
        "forenames",
        "surname",
        "dob",
        "sex",
        "nationality",
        "postcode",
        "address",
        "locality",
        "document_number",
    ),
    required=("person_id", "forenames", "surname"),
    date_columns=("dob",),
    roles=(
        Role(
            "person",
            {
                "forenames": "forenames",
                "surname": "surname",
                "dob": "dob",
                "sex": "sex",
                "nationality": "nationality",
                "postcode": "postcode",
                "address": "address",
                "locality": "locality",
                "document_number": "document_number",
            },
            # A generic list identifies a person by name or by an identity number.
            presence=("forenames", "surname", "document_number"),
        ),
    ),
)

SOURCES: dict[str, Source] = {
    s.name: s for s in (BIRTHS, VISAS, SCHOOLS, MISSING, WATCHLIST, PERSON)
}

#: The contract's five sources, in the order they are read and reported.
CONTRACT_SOURCES: tuple[str, ...] = ("births", "visas", "schools", "missing", "watchlist")


def mention_id(source: str, record_id: str, role: str) -> str:
    """The contract's mention id, e.g. ``births:B000123:father``."""
    return f"{source}:{record_id}:{role}"
