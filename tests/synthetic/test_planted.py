"""Each planted pattern and each decoy is present in the data as described."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from tests.synthetic.scenario import Scenario


def plain(text: str) -> str:
    """Casefolded, whitespace-collapsed, diacritics-free form for comparing written names."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split()).lower()


def ids_of(row: pd.Series) -> list[str]:
    return str(row["mention_ids"]).split(";")


@pytest.fixture(scope="module")
def sc(small: Scenario) -> Scenario:
    return small


@pytest.fixture(scope="module")
def person(sc: Scenario) -> dict[str, str]:
    return sc.person_of()


@pytest.fixture(scope="module")
def people(sc: Scenario) -> pd.DataFrame:
    return sc.persons.set_index("person_id")


@pytest.fixture(scope="module")
def by_person(sc: Scenario) -> dict[str, list[str]]:
    grouped = sc.mentions.groupby("person_id")["mention_id"].apply(list)
    return {str(k): list(v) for k, v in grouped.items()}


def _age(dob: str, at: str) -> int:
    born, then = pd.Timestamp(dob), pd.Timestamp(at)
    return then.year - born.year - ((then.month, then.day) < (born.month, born.day))


# -- planted -------------------------------------------------------------------------------


def test_prolific_father_ring_a(
    sc: Scenario, person: dict[str, str], people: pd.DataFrame, by_person: dict[str, list[str]]
) -> None:
    rows = sc.evidence("planted", "prolific_father")
    ring = rows[rows["mention_ids"].str.count(";") == 13]
    assert len(ring) == 1
    row = ring.iloc[0]
    ids = ids_of(row)
    assert all(m.startswith("births:") and m.endswith(":father") for m in ids)
    assert {person[m] for m in ids} == {row["subject"]}
    births = pd.DataFrame([sc.row(m) for m in ids])
    assert births["registration_id"].nunique() == 14
    mothers = {person[f"births:{r}:mother"] for r in births["registration_id"]}
    children = {person[f"births:{r}:child"] for r in births["registration_id"]}
    assert len(mothers) == 14 and len(children) == 14
    assert set(people.loc[list(mothers), "birth_nationality"]) == {"VNM"}
    assert people.loc[row["subject"], "nationality"] == "GBR"
    assert births["registration_district"].nunique() >= 4
    span = pd.Timestamp(births["child_dob"].max()) - pd.Timestamp(births["child_dob"].min())
    assert 700 <= span.days <= 3 * 366
    assert births["usual_address"].nunique() >= 8
    # organisers: informants on many births, two distinct people
    other = births[births["informant_relationship"] == "other"]
    assert len(other) >= 6
    assert len({plain(n) for n in other["informant_name"]}) == 2
    # the father is a registered sex offender on the watchlist
    watch = [m for m in by_person[row["subject"]] if m.startswith("watchlist:")]
    assert watch and sc.row(watch[0])["category"] == "registered_sex_offender"


def test_prolific_father_ring_b(sc: Scenario, person: dict[str, str], people: pd.DataFrame) -> None:
    rows = sc.evidence("planted", "prolific_father")
    ring = rows[rows["mention_ids"].str.count(";") == 5]
    assert len(ring) == 1
    ids = ids_of(ring.iloc[0])
    mothers = {person[m.replace(":father", ":mother")] for m in ids}
    assert len(mothers) == 6
    nationalities = set(people.loc[list(mothers), "birth_nationality"])
    assert len(nationalities) == 1 and nationalities <= {"ALB", "ROU", "POL", "NGA", "IND", "PAK"}


def test_no_background_man_fathers_children_with_many_women(
    sc: Scenario, person: dict[str, str]
) -> None:
    b = sc.tables["births"]
    b = b[b["father_forenames"] != ""]
    fathers = [person[f"births:{r}:father"] for r in b["registration_id"]]
    mothers = [person[f"births:{r}:mother"] for r in b["registration_id"]]
    distinct = pd.DataFrame({"f": fathers, "m": mothers}).groupby("f")["m"].nunique()
    many = set(distinct[distinct >= 3].index)
    assert many == set(sc.evidence("planted", "prolific_father")["subject"])


def test_visa_cohort_no_show(
    sc: Scenario, person: dict[str, str], people: pd.DataFrame, by_person: dict[str, list[str]]
) -> None:
    rows = sc.evidence("planted", "visa_cohort_no_show")
    assert len(rows) == 1
    row = rows.iloc[0]
    visas = pd.DataFrame([sc.row(m) for m in ids_of(row)])
    assert len(visas) == 12
    for col in ("sponsor_id", "institution_name", "course_name"):
        assert visas[col].nunique() == 1, col
    assert set(visas["sponsor_type"]) == {"agent"}
    assert set(visas["visa_type"]) == {"visit"} and set(visas["decision"]) == {"granted"}
    starts = pd.to_datetime(visas["course_start_date"])
    assert (starts.max() - starts.min()).days <= 7
    first = starts.min().date().isoformat()
    assert (
        row["subject"] == f"{visas['sponsor_id'].iat[0]}|{visas['institution_name'].iat[0]}|{first}"
    )
    pids = [person[m] for m in ids_of(row)]
    assert len(set(pids)) == 12
    for pid, start in zip(pids, visas["course_start_date"], strict=True):
        assert 12 <= _age(str(people.loc[pid, "dob"]), start) <= 16
        assert people.loc[pid, "birth_nationality"] == "VNM"
        enrolments = [sc.row(m) for m in by_person[pid] if m.startswith("schools:")]
        assert all(e["enrol_date"] == "" for e in enrolments)
        assert all(e["leave_reason"] == "never_attended" for e in enrolments)
    assert sum(any(m.startswith("schools:") for m in by_person[p]) for p in pids) >= 1


def test_missing_after_visa(sc: Scenario, person: dict[str, str]) -> None:
    rows = sc.evidence("planted", "missing_after_visa")
    assert len(rows) == 12
    cohort = {person[m] for m in ids_of(sc.evidence("planted", "visa_cohort_no_show").iloc[0])}
    assert len(set(rows["subject"]) & cohort) == 10
    reports = []
    for _, row in rows.iterrows():
        ids = ids_of(row)
        assert {person[m] for m in ids} == {row["subject"]}
        visa = [sc.row(m) for m in ids if m.startswith("visas:")]
        missing = [sc.row(m) for m in ids if m.startswith("missing:")]
        assert len(visa) == 1 and missing
        assert all(r["report_date"] > visa[0]["decision_date"] for r in missing)
        reports += missing
    frame = pd.DataFrame(reports)
    assert (frame["reporting_force"] == "").any()
    assert (frame["last_seen_location_type"] == "airport").any()


def test_only_planted_people_go_missing_after_a_visa(sc: Scenario) -> None:
    m = sc.mentions
    source = m["mention_id"].str.split(":").str[0]
    both = set(m.loc[source == "visas", "person_id"]) & set(m.loc[source == "missing", "person_id"])
    assert both == set(sc.evidence("planted", "missing_after_visa")["subject"])


def test_missing_no_responsible_force(sc: Scenario, person: dict[str, str]) -> None:
    m = sc.tables["missing"]
    no_force = m[m["reporting_force"] == ""]
    expected: dict[str, set[str]] = {}
    for rid in no_force["report_id"]:
        mid = f"missing:{rid}:missing"
        expected.setdefault(person[mid], set()).add(mid)
    rows = sc.evidence("planted", "missing_no_responsible_force")
    got = {row["subject"]: set(ids_of(row)) for _, row in rows.iterrows()}
    assert got == expected
    assert len(got) >= 5
    assert no_force["last_seen_location_type"].isin(["airport", "port"]).sum() >= 3


def test_shared_enablers(
    sc: Scenario, person: dict[str, str], by_person: dict[str, list[str]], people: pd.DataFrame
) -> None:
    rows = sc.evidence("planted", "shared_enabler")
    assert len(rows) >= 4
    guardian_found = address_found = False
    for _, row in rows.iterrows():
        ids = ids_of(row)
        enabler = row["subject"]
        assert enabler not in {person[m] for m in ids}
        own = by_person[enabler]
        assert own, "the enabler is a person with their own records"
        assert not any(m.endswith((":mother", ":father")) for m in own), "not a parent"
        pupils = [sc.row(m) for m in ids if m.startswith("schools:")]
        if len(pupils) >= 6:
            guardians = {plain(p["guardian_name"]) for p in pupils}
            true = people.loc[enabler]
            assert guardians == {plain(f"{true['forenames']} {true['surname']}")}
            assert len({person[m] for m in ids if m.startswith("schools:")}) >= 6
            guardian_found = True
        visas = [sc.row(m) for m in ids if m.startswith("visas:")]
        if len(visas) >= 5 and not pupils and not any(m.startswith("births:") for m in ids):
            assert len({v["uk_address"] for v in visas}) == 1
            address_found = True
    assert guardian_found and address_found
    # the ring organisers are enablers too: their names are the 'other' informants
    b = sc.tables["births"]
    informants = {plain(n) for n in b.loc[b["informant_relationship"] == "other", "informant_name"]}
    organisers = [
        s
        for s in rows["subject"]
        if any(m.startswith("births:") for m in ids_of(rows[rows["subject"] == s].iloc[0]))
    ]
    assert len(organisers) == 3
    for pid in organisers:
        true = people.loc[pid]
        assert plain(f"{true['forenames']} {true['surname']}") in informants


def test_identity_conflict(sc: Scenario, person: dict[str, str], people: pd.DataFrame) -> None:
    rows = sc.evidence("planted", "identity_conflict")
    three = rows[rows["mention_ids"].str.count(";") == 2]
    assert len(three) == 1
    for _, row in rows.iterrows():
        visas = [sc.row(m) for m in ids_of(row)]
        assert {v["passport_number"] for v in visas} == {row["subject"]}
        pids = [person[m] for m in ids_of(row)]
        assert len(set(pids)) == len(pids) >= 2
        truth = people.loc[pids]
        assert truth["dob"].is_unique
        assert (truth["forenames"] + truth["surname"]).is_unique


def test_missing_from_education(
    sc: Scenario, person: dict[str, str], by_person: dict[str, list[str]]
) -> None:
    rows = sc.evidence("planted", "missing_from_education")
    assert len(rows) == 5
    for _, row in rows.iterrows():
        ids = ids_of(row)
        enrolments = [sc.row(m) for m in ids]
        assert all(m.startswith("schools:") for m in ids)
        assert {person[m] for m in ids} == {row["subject"]}
        for e in enrolments:
            assert e["leave_reason"] in ("unknown", "never_attended")
            assert (e["enrol_date"] == "") == (e["leave_reason"] == "never_attended")
        assert not any(m.startswith("missing:") for m in by_person[row["subject"]])
    # every such school row belongs to a planted child (cohort or missing from education)
    s = sc.tables["schools"]
    odd = s[s["leave_reason"].isin(["unknown", "never_attended"])]
    planted_people = set(rows["subject"]) | set(
        sc.evidence("planted", "missing_after_visa")["subject"]
    )
    assert {person[f"schools:{e}:pupil"] for e in odd["enrolment_id"]} <= planted_people


# -- decoys --------------------------------------------------------------------------------


def test_large_family(sc: Scenario, person: dict[str, str]) -> None:
    rows = sc.evidence("decoys", "large_family")
    assert len(rows) == 1
    ids = ids_of(rows.iloc[0])
    births = pd.DataFrame([sc.row(m) for m in ids])
    assert len(births) == 8
    assert {person[m] for m in ids} == {rows.iloc[0]["subject"]}
    rids = births["registration_id"]
    assert len({person[f"births:{r}:mother"] for r in rids}) == 1
    assert len({person[f"births:{r}:child"] for r in rids}) == 8
    assert births["registration_district"].nunique() == 1
    span = pd.Timestamp(births["child_dob"].max()) - pd.Timestamp(births["child_dob"].min())
    assert 11 * 365 <= span.days <= 15 * 365


def test_school_trip(sc: Scenario, person: dict[str, str], by_person: dict[str, list[str]]) -> None:
    rows = sc.evidence("decoys", "school_trip")
    assert len(rows) == 1
    ids = ids_of(rows.iloc[0])
    visas = pd.DataFrame([sc.row(m) for m in ids])
    assert len(visas) >= 12
    for col in ("sponsor_id", "institution_name", "course_name"):
        assert visas[col].nunique() == 1
    for m in ids:
        pid = person[m]
        enrolments = [sc.row(x) for x in by_person[pid] if x.startswith("schools:")]
        assert enrolments and all(e["enrol_date"] != "" for e in enrolments)
        assert not any(x.startswith("missing:") for x in by_person[pid])


def test_common_name_strangers(sc: Scenario, person: dict[str, str], people: pd.DataFrame) -> None:
    rows = sc.evidence("decoys", "common_name_strangers")
    everyone: set[str] = set()
    for _, row in rows.iterrows():
        pids = {person[m] for m in ids_of(row)}
        truth = people.loc[sorted(pids)]
        tokens = (truth["forenames"] + " " + truth["surname"]).map(
            lambda n: tuple(sorted(plain(n).split()))
        )
        assert set(tokens) == {tuple(sorted(plain(row["subject"]).split()))}
        assert truth["dob"].is_unique, "same name, different dates of birth"
        everyone |= pids
    assert len(everyone) >= 30
    labels = {plain(s) for s in rows["subject"]}
    assert {"nguyen van anh", "nguyen thi anh", "john smith", "mohammed khan"} <= labels


def test_twins(sc: Scenario, person: dict[str, str], people: pd.DataFrame) -> None:
    rows = sc.evidence("decoys", "twins")
    assert len(rows) >= 3
    for _, row in rows.iterrows():
        ids = ids_of(row)
        births = [m for m in ids if m.startswith("births:")]
        assert len(births) == 2
        kids = [person[m] for m in births]
        assert len(set(kids)) == 2
        assert {person[m.replace(":child", ":mother")] for m in births} == {row["subject"]}
        truth = people.loc[kids]
        assert truth["dob"].nunique() == 1
        assert truth["forenames"].nunique() == 2
        schools = [sc.row(m)["school_name"] for m in ids if m.startswith("schools:")]
        assert schools and sorted(schools[: len(schools) // 2]) == sorted(
            schools[len(schools) // 2 :]
        )


def test_reregistered_birth(sc: Scenario, person: dict[str, str], people: pd.DataFrame) -> None:
    rows = sc.evidence("decoys", "reregistered_birth")
    assert len(rows) == 1
    ids = ids_of(rows.iloc[0])
    assert len(ids) == 2 and {person[m] for m in ids} == {rows.iloc[0]["subject"]}
    first, second = sorted((sc.row(m) for m in ids), key=lambda r: r["registration_date"])
    assert first["registration_date"] < second["registration_date"]
    assert first["child_dob"] == second["child_dob"]
    assert first["father_forenames"] == "" and second["father_forenames"] != ""
    assert plain(first["child_surname"]) != plain(second["child_surname"])
    father = person[f"births:{second['registration_id']}:father"]
    assert people.loc[rows.iloc[0]["subject"], "surname"] == people.loc[father, "surname"]
