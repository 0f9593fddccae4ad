"""Ingest and validation: every row is accepted or quarantined with its reason."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from resolver.errors import ConfigError, InputError
from resolver.ingest import read_source
from resolver.mapping import SourceSpec, discover_sources, load_mapping
from resolver.schema import SOURCES

WATCHLIST_HEADER = "subject_id,forenames,surname,dob,nationality,category,since\n"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(textwrap.dedent(text), encoding=encoding)
    return path


def _watchlist(tmp_path: Path, body: str) -> SourceSpec:
    path = _write(tmp_path / "watchlist.csv", WATCHLIST_HEADER + textwrap.dedent(body))
    return SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist")


def test_bad_rows_are_quarantined_with_reasons_and_counts_reconcile(tmp_path: Path) -> None:
    spec = _watchlist(
        tmp_path,
        """\
        W1,Anh,Nguyen,1980-02-03,VNM,ocg_member,2020-01-01
        ,Bao,Tran,1981-01-01,VNM,ocg_member,2020-01-01
        W1,Chi,Le,1982-01-01,VNM,ocg_member,2020-01-01
        W4,Dung,Pham,1983-02-30,VNM,ocg_member,2020-01-01
        W5,Em,Vu,03/04/1984,VNM,ocg_member,2020-01-01
        W6,,,1985-01-01,VNM,ocg_member,2020-01-01
        W7,Giang,Do,2021-01-01,VNM,ocg_member,2020-01-01
        W8,Hoa,Bui,,VNM,ocg_member,
        """,
    )
    table = read_source(spec)
    assert table.rows_read == 8
    assert len(table.records) + len(table.rejected) == 8
    assert table.records["record_id"].tolist() == ["W1", "W8"]
    assert table.records["_row"].tolist() == [1, 8]
    reasons = dict(zip(table.rejected["row"], table.rejected["reason"], strict=True))
    columns = dict(zip(table.rejected["row"], table.rejected["column"], strict=True))
    assert reasons[2] == "missing id"
    assert reasons[3].startswith("duplicate id (first seen at row 1")
    assert "unparseable or impossible date '1983-02-30'" in reasons[4]
    assert columns[4] == "dob"
    assert "'03/04/1984'" in reasons[5] and "expected YYYY-MM-DD" in reasons[5]
    assert reasons[6] == "no name recorded for the subject"
    assert reasons[7] == "dob is after since"
    assert set(table.rejected["source"]) == {"watchlist"}
    assert '"Giang"' in table.rejected.set_index("row").loc[7, "raw"]


def test_empty_dates_are_not_recorded_rather_than_bad(tmp_path: Path) -> None:
    table = read_source(_watchlist(tmp_path, "W1,Anh,Nguyen,,,,\n"))
    assert len(table.records) == 1 and table.rejected.empty
    assert table.records["dob"].isna().all()


def test_missing_required_column_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "watchlist.csv", "subject_id,forenames\nW1,Anh\n")
    spec = SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist")
    with pytest.raises(InputError, match=r"watchlist\.csv.*missing required column.*surname"):
        read_source(spec)


def test_wrong_delimiter_gets_a_hint(tmp_path: Path) -> None:
    path = _write(tmp_path / "watchlist.csv", WATCHLIST_HEADER.replace(",", ";") + "W1;A;B;;;;\n")
    spec = SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist")
    with pytest.raises(InputError, match="';'-delimited"):
        read_source(spec)


def test_latin1_file_is_a_clear_error_unless_mapped(tmp_path: Path) -> None:
    path = _write(tmp_path / "watchlist.csv", WATCHLIST_HEADER + "W1,Zoë,Brontë,,,,\n", "latin-1")
    with pytest.raises(InputError, match="not valid utf-8 text"):
        read_source(SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist"))
    mapped = read_source(
        SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist", encoding="latin-1")
    )
    assert mapped.records["forenames"].tolist() == ["Zoë"]


def test_bom_and_quoted_newlines_are_read(tmp_path: Path) -> None:
    text = WATCHLIST_HEADER + 'W1,"Anh\nMinh",Nguyen,,,,\nW2,Bao,Tran,,,,\n'
    path = tmp_path / "watchlist.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = read_source(SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist"))
    assert table.records["record_id"].tolist() == ["W1", "W2"]
    assert table.records["_row"].tolist() == [1, 2]


def test_lines_with_wrong_field_count_are_quarantined(tmp_path: Path) -> None:
    spec = _watchlist(tmp_path, "W1,Anh,Nguyen,,,,\nW2,Bao,Tran,,,,,extra,more\nW3,Chi,Le,,,,\n")
    table = read_source(spec)
    assert table.records["record_id"].tolist() == ["W1", "W3"]
    assert table.records["_row"].tolist() == [1, 3]
    assert table.rejected["row"].tolist() == [2]
    assert "wrong number of fields" in table.rejected["reason"].iloc[0]
    assert table.rows_read == 3


def test_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "watchlist.csv", "")
    with pytest.raises(InputError, match="empty"):
        read_source(SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist"))


def test_unknown_file_in_data_folder_is_named(tmp_path: Path) -> None:
    _write(tmp_path / "births.csv", "registration_id\n")
    _write(tmp_path / "notes.csv", "a\n")
    with pytest.raises(InputError, match=r"notes\.csv: unknown source file"):
        discover_sources(tmp_path)


def test_mapping_renames_joins_parses_dates_and_sets_constants(tmp_path: Path) -> None:
    _write(
        tmp_path / "people.csv",
        """\
        rec,given,family,born,num,street
        r1,Anh,Nguyen,03/04/1990,12,High Street
        """,
    )
    mapping = _write(
        tmp_path / "map.yaml",
        """\
        sources:
          - file: people.csv
            kind: person
            name: people
            date_format: "%d/%m/%Y"
            columns:
              person_id: rec
              forenames: given
              surname: family
              dob: born
              address: [num, street]
            constants:
              nationality: VNM
        """,
    )
    [spec] = load_mapping(mapping)
    table = read_source(spec)
    row = table.records.iloc[0]
    assert row["person_id"] == "r1" and row["forenames"] == "Anh"
    assert str(row["dob"].date()) == "1990-04-03"
    assert row["address"] == "12 High Street"
    assert row["nationality"] == "VNM"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("sources: [", "not valid YAML"),
        ("other: 1", "top-level 'sources:' list"),
        ("sources:\n  - file: a.csv\n    kind: passports\n", "unknown kind 'passports'"),
        (
            "sources:\n  - file: a.csv\n    kind: person\n    columns: {shoe_size: x}\n",
            "'shoe_size'",
        ),
        ("sources:\n  - kind: person\n", "'file' is required"),
    ],
)
def test_mapping_errors_name_the_file_and_entry(
    tmp_path: Path, document: str, message: str
) -> None:
    mapping = _write(tmp_path / "map.yaml", document)
    with pytest.raises(ConfigError, match=message):
        load_mapping(mapping)


def test_placeholder_names_make_no_mention_and_no_nameless_principal(tmp_path: Path) -> None:
    from resolver.mentions import build_mentions

    columns = SOURCES["births"].columns
    rows = [
        {"registration_id": "B1", "child_forenames": "Amy", "child_surname": "Cole",
         "mother_forenames": "Jo", "mother_surname": "Cole", "father_forenames": "UNKNOWN",
         "father_surname": "UNKNOWN"},
        {"registration_id": "B2", "child_forenames": "Ben", "child_surname": "Hale",
         "mother_forenames": "Kim", "mother_surname": "Hale", "father_forenames": "N/A",
         "father_surname": "-"},
        {"registration_id": "B3", "child_forenames": "Not known", "child_surname": "-",
         "mother_forenames": "Liv", "mother_surname": "Ray"},
    ]  # fmt: skip
    body = ",".join(columns) + "\n"
    body += "".join(",".join(row.get(c, "") for c in columns) + "\n" for row in rows)
    data = tmp_path / "data"
    data.mkdir()
    _write(data / "births.csv", body)
    table = read_source(discover_sources(data)[0])
    assert list(table.rejected["record_id"]) == ["B3"]
    assert "no name recorded for the child" in table.rejected["reason"].iloc[0]
    mentions = build_mentions([table])
    assert sorted(mentions["role"]) == ["child", "child", "mother", "mother"]
