"""Every rule runs, set-based, on a store of ~110k mentions (timings live in bench/)."""

from __future__ import annotations

import duckdb
import pytest

from rules import REGISTRY, run_rules
from rules.store_schema import create_store_tables

BIRTHS = 30_000


def _big_store() -> duckdb.DuckDBPyConnection:
    """Births (3 mentions each), visas, enrolments and reports made in SQL, entities by name."""
    con = duckdb.connect()
    create_store_tables(con)
    con.execute(f"""
        INSERT INTO records_births (registration_id, registration_date, registration_district,
            child_forenames, child_surname, child_dob, mother_forenames, mother_surname,
            mother_nationality, father_forenames, father_surname, informant_name,
            informant_relationship, usual_address, postcode, record_id, _row)
        SELECT 'B' || i, DATE '2005-01-20' + (i % 7000)::INT, 'District ' || (i % 300),
               'Child' || i, 'Sur' || (i % 2000), DATE '2005-01-01' + (i % 7000)::INT,
               'Mother' || (i // 2), 'Sur' || (i % 2000), 'VNM', 'Father' || (i % 5000),
               'Sur' || (i % 2000), CASE WHEN i % 10 = 0 THEN 'Agent ' || (i % 97) END,
               CASE WHEN i % 10 = 0 THEN 'other' ELSE 'mother' END,
               (i % 9000) || ' High Street', 'E1 ' || (i % 9) || 'AB', 'B' || i, i
        FROM range({BIRTHS}) t(i)
    """)
    con.execute(f"""
        INSERT INTO records_visas (application_id, decision_date, decision, applicant_forenames,
            applicant_surname, applicant_dob, passport_number, sponsor_id, sponsor_type,
            institution_name, course_start_date, uk_address, uk_postcode, record_id, _row)
        SELECT 'V' || i, DATE '2015-01-01' + (i % 3000)::INT, 'granted', 'App' || i, 'Sur',
               DATE '2003-01-01' + (i % 3000)::INT, 'P' || (i % 4900), 'SP' || (i % 200),
               'agent', 'Inst ' || (i % 50), DATE '2015-02-01' + (i % 10)::INT,
               (i % 2000) || ' Low Road', 'N1 1AA', 'V' || i, i
        FROM range({BIRTHS // 6}) t(i)
    """)
    con.execute(f"""
        INSERT INTO records_schools (enrolment_id, school_name, pupil_forenames, pupil_surname,
            pupil_dob, expected_start_date, enrol_date, guardian_name, guardian_relationship,
            record_id, _row)
        SELECT 'S' || i, 'School ' || (i % 300), 'Child' || i, 'Sur', DATE '2005-01-01',
               DATE '2010-09-01', CASE WHEN i % 20 > 0 THEN DATE '2010-09-01' END,
               'Guardian ' || (i % 40), 'aunt', 'S' || i, i
        FROM range({BIRTHS // 2}) t(i)
    """)
    con.execute(f"""
        INSERT INTO records_missing (report_id, report_date, last_seen_location_type, forenames,
            surname, approx_age, status, record_id, _row)
        SELECT 'M' || i, DATE '2016-01-01' + (i % 2500)::INT, 'airport', 'App' || (i * 7),
               'Sur', '15', 'missing', 'M' || i, i
        FROM range({BIRTHS // 100}) t(i)
    """)
    for source, role, first, dob, event in [
        ("births", "child", "child_forenames", "child_dob", "registration_date"),
        ("births", "mother", "mother_forenames", "NULL", "registration_date"),
        ("births", "father", "father_forenames", "NULL", "registration_date"),
        ("visas", "applicant", "applicant_forenames", "applicant_dob", "decision_date"),
        ("schools", "pupil", "pupil_forenames", "pupil_dob", "expected_start_date"),
        ("missing", "missing", "forenames", "NULL", "report_date"),
    ]:
        con.execute(f"""
            INSERT INTO mentions (mention_id, source, record_id, role, forenames, dob, event_date)
            SELECT '{source}:' || record_id || ':{role}', '{source}', record_id, '{role}',
                   {first}, {dob}, {event}
            FROM records_{source}
        """)
    con.execute("""
        INSERT INTO entities
        SELECT mention_id, 'E' || md5(forenames)[:12], source, record_id, role,
               count(*) OVER (PARTITION BY forenames)::INT,
               CASE WHEN count(*) OVER (PARTITION BY forenames) > 1 THEN 0.97 END
        FROM mentions
    """)
    return con


@pytest.mark.slow
def test_rules_run_set_based_on_a_large_store() -> None:
    con = _big_store()
    assert con.execute("SELECT count(*) FROM mentions").fetchone() == (110_300,)
    run = run_rules(con)
    assert not run.failed, run.failed
    assert set(run.flags["rule_id"]) == set(REGISTRY)
