"""Output files: contract columns, determinism, truth coverage, dates and ids."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from synthetic import NoiseRates, generate
from tests.synthetic.scenario import SOURCES, Scenario, read

# Copied from /work/shared/contract.md on purpose (not imported from the generator).
CONTRACT = {
    "births": [
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
    ],
    "visas": [
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
    ],
    "schools": [
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
    ],
    "missing": [
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
    ],
    "watchlist": ["subject_id", "forenames", "surname", "dob", "nationality", "category", "since"],
}
TRUTH = {
    "mentions.csv": ["mention_id", "person_id", "noise"],
    "planted.csv": ["pattern", "subject", "mention_ids"],
    "decoys.csv": ["decoy", "subject", "mention_ids"],
}
DATE_COLUMNS = {
    "births": ["registration_date", "child_dob", "mother_dob", "father_dob"],
    "visas": [
        "decision_date",
        "applicant_dob",
        "course_start_date",
        "intended_arrival_date",
        "arrival_date",
    ],
    "schools": ["pupil_dob", "expected_start_date", "enrol_date", "leave_date"],
    "missing": ["report_date", "last_seen_date", "dob", "found_date"],
    "watchlist": ["dob", "since"],
}
ID_PATTERN = {
    "births": r"B\d{7}",
    "visas": r"V\d{7}",
    "schools": r"S\d{7}",
    "missing": r"M\d{7}",
    "watchlist": r"W\d{7}",
}


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


@pytest.mark.parametrize("source", SOURCES)
def test_columns_are_the_contract_in_order(small: Scenario, source: str) -> None:
    header = (small.root / f"{source}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == CONTRACT[source]
    assert list(small.tables[source].columns) == CONTRACT[source]
    assert len(small.tables[source]) > 0


@pytest.mark.parametrize(("name", "columns"), TRUTH.items())
def test_truth_columns(small: Scenario, name: str, columns: list[str]) -> None:
    assert list(read(small.root / "truth" / name).columns) == columns


def test_persons_truth_columns(small: Scenario) -> None:
    assert list(small.persons.columns)[:3] == ["person_id", "forenames", "surname"]
    assert {"dob", "sex", "nationality", "culture"} <= set(small.persons.columns)


def test_same_seed_same_bytes_different_seed_different_data(
    small_dir: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    other = tmp_path / "other"
    generate(again, seed=7, persons=600)
    generate(other, seed=8, persons=600)
    first = _digest(small_dir)
    assert len(first) == 9
    assert _digest(again) == first
    different = _digest(other)
    assert different.keys() == first.keys()
    for name in first:
        assert different[name] != first[name], name


def test_output_does_not_depend_on_string_hashing(small_dir: Path, tmp_path: Path) -> None:
    """A fresh interpreter with another hash seed writes the very same bytes."""
    out = tmp_path / "fresh"
    code = f"from synthetic import generate; generate({str(out)!r}, seed=7, persons=600)"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=root)
    assert _digest(out) == _digest(small_dir)


def test_rerun_over_existing_output_is_identical(small_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "twice"
    generate(out, seed=7, persons=600)
    generate(out, seed=7, persons=600)
    assert _digest(out) == _digest(small_dir)


def test_noise_settings_change_the_data_not_the_people(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    generate(clean, seed=5, persons=300, noise=NoiseRates.none())
    noisy = tmp_path / "noisy"
    generate(noisy, seed=5, persons=300)
    a, b = Scenario.load(clean), Scenario.load(noisy)
    assert a.persons.equals(b.persons)
    # only scenario notes remain (the re-registered child's first surname)
    assert set(a.mentions["noise"]) == {"", "former_surname"}
    assert (b.mentions["noise"] != "").any()
    assert not a.tables["births"].equals(b.tables["births"])


def test_truth_covers_every_mention_exactly_once(small: Scenario) -> None:
    from_data = small.mention_ids_from_data()
    assert len(from_data) == len(set(from_data))
    truth = small.mentions["mention_id"].tolist()
    assert len(truth) == len(set(truth)), "each mention has one truth row"
    assert sorted(truth) == sorted(from_data), "truth names exactly the mentions in the data"
    assert small.mentions["person_id"].isin(small.persons["person_id"]).all()


def test_every_person_appears_somewhere(small: Scenario) -> None:
    seen = set(small.mentions["person_id"])
    assert set(small.persons["person_id"]) == seen


def test_planted_and_decoy_evidence_are_real_mentions(small: Scenario) -> None:
    known = set(small.mentions["mention_id"])
    for frame in (small.planted, small.decoys):
        assert len(frame) > 0
        for ids in frame["mention_ids"]:
            parts = ids.split(";")
            assert parts and set(parts) <= known


@pytest.mark.parametrize("source", SOURCES)
def test_ids_dates_and_codes_are_well_formed(small: Scenario, source: str) -> None:
    table = small.tables[source]
    ids = table.iloc[:, 0]
    assert ids.str.fullmatch(ID_PATTERN[source]).all()
    assert ids.is_unique
    for col in DATE_COLUMNS[source]:
        values = table[col][table[col] != ""]
        assert values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), col
        assert (values <= "2026-06-30").all(), f"{col} after the reference date"
    sort_col = DATE_COLUMNS[source][0] if source != "watchlist" else "since"
    if source == "schools":
        sort_col = "expected_start_date"
    assert table[sort_col].is_monotonic_increasing, "ids follow the record dates"


def test_births_are_coherent(small: Scenario) -> None:
    b = small.tables["births"]
    assert b["child_dob"].ne("").all(), "a child's dob is always registered"
    assert (b["registration_date"] >= b["child_dob"]).all()
    assert set(b["informant_relationship"]) <= {"mother", "father", "both", "other"}
    assert set(b["child_sex"]) <= {"M", "F", "U"}
    no_father = b["father_forenames"] == ""
    assert no_father.any() and (~no_father).mean() > 0.7
    father_cols = [c for c in b.columns if c.startswith("father_")]
    assert (b.loc[no_father, father_cols] == "").all().all(), "no father: all fields empty"
    assert not b.loc[no_father, "informant_relationship"].isin(["father", "both"]).any()
    postcode = b["postcode"][b["postcode"] != ""]
    uk = r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}"
    assert postcode.str.fullmatch(uk).all()
    assert b["registration_district"].nunique() >= 25


def test_other_sources_use_the_contract_vocabulary(small: Scenario) -> None:
    v, s, m = small.tables["visas"], small.tables["schools"], small.tables["missing"]
    assert set(v["decision"]) == {"granted", "refused"}
    assert set(v["visa_type"]) <= {"visit", "study", "family"}
    assert set(v["sponsor_type"]) <= {"school", "agent", "employer", "individual"}
    assert (v.loc[v["decision"] == "refused", "arrival_date"] == "").all()
    assert set(s["leave_reason"]) <= {
        "",
        "completed",
        "moved_school",
        "moved_abroad",
        "never_attended",
        "unknown",
    }
    assert set(m["last_seen_location_type"]) <= {
        "home",
        "school",
        "care",
        "airport",
        "port",
        "other",
    }
    assert set(m["status"]) <= {"missing", "found", "unresolved"}
    assert ((m["status"] == "found") == (m["found_date"] != "")).all()
    assert m["approx_age"].str.fullmatch(r"\d+").all()
    assert set(small.tables["watchlist"]["category"]) <= {
        "registered_sex_offender",
        "known_facilitator",
        "ocg_member",
    }


def test_passports_are_unique_per_person_except_conflicts(small: Scenario) -> None:
    v = small.tables["visas"]
    person = small.person_of()
    v = v.assign(person=[person[f"visas:{a}:applicant"] for a in v["application_id"]])
    per_passport = v.groupby("passport_number")["person"].nunique()
    shared = set(per_passport[per_passport > 1].index)
    conflicts = set(small.evidence("planted", "identity_conflict")["subject"])
    assert shared == conflicts
    assert (v.groupby("person")["passport_number"].nunique() == 1).all()


def test_mentions_per_person_ratio(large: Scenario) -> None:
    ratio = len(large.mentions) / len(large.persons)
    assert 2.2 <= ratio <= 2.8
    cultures = large.persons["culture"].value_counts(normalize=True)
    assert 0.6 <= cultures["uk"] <= 0.8
    assert 0.05 <= cultures["vn"] <= 0.12
    assert set(cultures.index) == {"uk", "vn", "pl", "ro", "in", "pk", "ng", "al"}
