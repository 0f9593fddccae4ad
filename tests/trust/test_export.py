"""Pseudonymised export: names, dates of birth, document numbers and addresses become keyed
pseudonyms, the same in every file; free text keeps none of the people behind a flag."""

from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb
import pandas as pd
import pytest

from reglink.export import ENTITY_COLUMNS, record_category
from reglink.pseudonymise import TOKEN, Pseudonymiser
from tests.trust.conftest import assert_user_error, cli

KEY = b"k" * 16 + b"0123456789abcdef0123"


@pytest.fixture(scope="module")
def exported(flagged_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    key = root / "reglink.key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    out = root / "shared"
    args = ("export", flagged_run, "--out", out, "--pseudonymise", key)
    with mock.patch.object(sys, "argv", ["reglink", *map(str, args)]):  # as a shell sets it
        result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "values pseudonymised" in result.output and "warning" not in result.output
    return out


def _flags(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "flags.json").read_text(encoding="utf-8"))["flags"]


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_entities_keep_ids_and_lose_names_and_dobs(flagged_run: Path, exported: Path) -> None:
    before, after = _csv(flagged_run / "entities.csv"), _csv(exported / "entities.csv")
    assert list(after.columns) == list(before.columns)
    for column in before.columns:
        if column in ENTITY_COLUMNS:
            values = after.loc[before[column] != "", column]
            assert values.map(lambda v: bool(TOKEN.fullmatch(v))).all(), column
            assert (after.loc[before[column] == "", column] == "").all()
        else:
            assert (after[column] == before[column]).all(), column
    # one value, one pseudonym: the same name gives the same token, different names differ
    pairs = pd.DataFrame({"name": before["surname"].str.casefold(), "token": after["surname"]})
    assert pairs.groupby("name")["token"].nunique().max() == 1
    assert pairs.groupby("token")["name"].nunique().max() == 1
    assert (exported / "links.csv").read_bytes() == (flagged_run / "links.csv").read_bytes()


def test_the_same_value_has_the_same_pseudonym_across_files(
    flagged_run: Path, exported: Path
) -> None:
    entities = _csv(exported / "entities.csv").set_index("mention_id")
    checked = 0
    for flag in _flags(exported):
        for record in flag["evidence_records"]:
            fields, role = record["fields"], record["role"]
            column = {"births": f"{role}_surname", "visas": "applicant_surname"}.get(
                record["source"]
            )
            if column and fields.get(column) and record["mention_id"] in entities.index:
                assert fields[column] == entities.loc[record["mention_id"], "surname"]
                dob = fields.get(f"{role}_dob" if record["source"] == "births" else "applicant_dob")
                if dob:
                    assert dob == entities.loc[record["mention_id"], "dob"]
                checked += 1
    assert checked > 20
    csv_subjects = dict(
        zip(*_csv(exported / "flags.csv")[["flag_id", "subject"]].T.values, strict=True)
    )
    assert {f["flag_id"]: f["subject"] for f in _flags(exported)} == csv_subjects


def _personal_values(flag: dict[str, Any]) -> set[str]:
    values = set()
    for record in flag["evidence_records"]:
        fields = record["fields"] or {}
        for column, value in fields.items():
            if isinstance(value, str) and value.strip() and record_category(column, fields):
                values.add(value.strip())
    return values


def _mentions(text: str, value: str) -> bool:
    words = [re.escape(w) for w in re.findall(r"\w+", value)]
    if not words or (len(words) == 1 and len(words[0]) < 3):
        return False
    return re.search(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", text, re.IGNORECASE) is not None


def test_no_flag_names_the_people_behind_it(flagged_run: Path, exported: Path) -> None:
    originals = {f["flag_id"]: f for f in _flags(flagged_run)}
    exported_flags = _flags(exported)
    assert len(exported_flags) == len(originals) > 10
    leaks = []
    for original, flag in zip(originals.values(), exported_flags, strict=True):
        text = json.dumps(
            {k: flag[k] for k in ("subject", "summary", "explanation", "details")},
            ensure_ascii=False,
        )
        for value in _personal_values(original):
            if _mentions(text, value) and not TOKEN.fullmatch(value):
                leaks.append((flag["flag_id"], value))
        for record in flag["evidence_records"]:
            fields = record["fields"] or {}
            for column, value in fields.items():
                if isinstance(value, str) and value and record_category(column, fields):
                    assert TOKEN.fullmatch(value), (column, value)
    assert leaks == []
    text = (exported / "flags.csv").read_text(encoding="utf-8")
    for original in originals.values():
        if original["subject_type"] in ("name", "address", "passport"):
            assert original["subject"] not in text
            assert original["flag_id"] not in text  # an unkeyed hash of the subject


def test_no_document_number_or_address_survives_anywhere(flagged_run: Path, exported: Path) -> None:
    with duckdb.connect(str(flagged_run / "reglink.duckdb"), read_only=True) as con:
        passports = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT passport_number FROM records_visas WHERE passport_number <> ''"
            ).fetchall()
        ]
        addresses = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT usual_address FROM records_births WHERE usual_address <> ''"
            ).fetchall()
        ]
    text = "\n".join(p.read_text(encoding="utf-8") for p in exported.iterdir())
    assert passports and addresses
    assert [p for p in passports if p in text] == []
    assert [a for a in addresses if a in text] == []


def test_exports_are_repeatable_and_depend_on_the_key(
    flagged_run: Path, exported: Path, tmp_path: Path
) -> None:
    key = tmp_path / "key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    result = cli("export", flagged_run, "--out", tmp_path / "again", "--pseudonymise", key)
    assert result.exit_code == 0, result.output
    for name in ("entities.csv", "flags.csv", "flags.json"):
        assert (tmp_path / "again" / name).read_bytes() == (exported / name).read_bytes()
    key.write_bytes(KEY[::-1])
    result = cli("export", flagged_run, "--out", tmp_path / "again", "--pseudonymise", key)
    assert result.exit_code == 0, result.output  # a previous export folder may be replaced
    first, second = _csv(exported / "entities.csv"), _csv(tmp_path / "again" / "entities.csv")
    assert (first["surname"] != second["surname"]).any()
    manifests = [
        json.loads((d / "export.json").read_text()) for d in (exported, tmp_path / "again")
    ]
    assert manifests[0]["key_fingerprint"] != manifests[1]["key_fingerprint"]


def test_export_is_private_and_audited(flagged_run: Path, exported: Path) -> None:
    assert stat.S_IMODE(exported.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in exported.iterdir()} == {0o600}
    manifest = json.loads((exported / "export.json").read_text())
    assert manifest["run_id"] == json.loads((flagged_run / "run.json").read_text())["run_id"]
    with duckdb.connect(str(flagged_run / "reglink.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT command, details FROM audit_log WHERE event = 'export'"
        ).fetchall()
    ours = [c for c, d in rows if json.loads(d)["out_dir"] == str(exported.absolute())]
    assert len(ours) == 1 and ours[0].startswith("reglink export ") and "--pseudonymise" in ours[0]
    # what the manifest says was replaced is what the exported file has
    header = set(_csv(exported / "entities.csv").columns)
    replaced = manifest["replaced"]["entities.csv"]
    assert replaced and set(replaced) <= header and {"forenames", "surname", "dob"} <= set(replaced)


def test_key_file_errors(flagged_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("export", flagged_run, "--out", out, "--pseudonymise", tmp_path / "nokey")
    assert_user_error(result, "nokey: cannot read key file: No such file or directory")
    short = tmp_path / "short.key"
    short.write_bytes(b"secret\n")
    result = cli("export", flagged_run, "--out", out, "--pseudonymise", short)
    assert_user_error(result, "short.key: key file holds 6 bytes; at least 32 are needed")
    assert not out.exists()
    shared = tmp_path / "shared.key"
    shared.write_bytes(KEY)
    shared.chmod(0o644)
    result = cli("export", flagged_run, "--out", out, "--pseudonymise", shared)
    assert result.exit_code == 0 and "can be read by other users" in result.output


def test_export_refuses_folders_it_does_not_own(flagged_run: Path, tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    result = cli("export", flagged_run, "--out", flagged_run / "shared", "--pseudonymise", key)
    assert_user_error(result, "the export folder must be outside the run folder")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("keep")
    result = cli("export", flagged_run, "--out", notes, "--pseudonymise", key)
    assert_user_error(result, "is not one reglink wrote")
    assert (notes / "mine.txt").read_text() == "keep"


def test_scrubbing_free_text() -> None:
    p = Pseudonymiser(KEY)
    for name in ("Van Tam Nguyen", "An Le", "Le", "Shpetim Shkurti"):
        p.learn("name", name)
    p.learn("address", "288 Stanley Close, Newham, London")
    p.learn("postcode", "E6 7UW")
    p.learn("dob", "1990-04-03")
    text = (
        "Person 'Van Tam Nguyen' (key 'nguyen tam van') met SHKURTI at 288 Stanley Close, "
        "Newham, London, E6 7UW on 1990-04-03; an entity named An was born 1990-04-03."
    )
    scrubbed = p.scrub(text, dobs={"1990-04-03"})
    for gone in ("Van", "Tam", "Nguyen", "nguyen", "SHKURTI", "Stanley", "E6 7UW", "1990", "An "):
        assert gone not in scrubbed, gone
    assert "an entity" in scrubbed and scrubbed.startswith("Person 'N-")
    assert p.token("name", "Van Tam Nguyen") in scrubbed
    assert p.token("name", "NGUYEN") == p.token("name", "nguyen ")  # case and spacing aside
    assert "1990-04-03" in p.scrub("registered 1990-04-03")  # not a dob of this flag's people
    assert p.scrub("Le Mans", words=False) == "Le Mans"  # a place is not a name
    assert p.scrub("Le", words=False) == p.token("name", "Le")


def test_export_has_help() -> None:
    result = cli("export", "--help")
    assert result.exit_code == 0 and "--pseudonymise" in result.output
    assert cli("export", "somewhere", "--out", "x").exit_code == 2  # the key is required
