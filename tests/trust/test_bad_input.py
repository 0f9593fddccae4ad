"""Bad input: each gives a clear message naming file, row and column, or a rejected row with
its reason; never a traceback, never a silently dropped or altered record."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from resolver.errors import ConfigError, InputError
from resolver.ingest import SourceTable, read_source
from resolver.mapping import SourceSpec, load_mapping
from resolver.schema import SOURCES
from tests.trust.conftest import WATCHLIST_HEADER, assert_user_error, cli, digests

GOOD = "W1,Anh,Nguyen,1980-02-03,VNM,ocg_member,2020-01-01\n"


def _file(folder: Path, body: str | bytes, name: str = "watchlist.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8", newline="")
    return path


def _read(path: Path, **spec: str) -> SourceTable:
    return read_source(SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist", **spec))  # type: ignore[arg-type]


def _rejected(table: SourceTable) -> dict[int, dict[str, object]]:
    """Rejected rows by data row number."""
    return {int(r["row"]): r for r in table.rejected.to_dict("records")}


def _reconciles(table: SourceTable) -> None:
    assert len(table.records) + len(table.rejected) == table.rows_read
    rows = [*table.records["_row"], *table.rejected["row"]]
    assert sorted(rows) == list(range(1, table.rows_read + 1)), "a row lost or counted twice"


def _resolve_error(tmp_path: Path, *fragments: str, mapping: Path | None = None) -> str:
    extra = ["--mapping", mapping] if mapping else []
    result = cli("resolve", tmp_path / "data", "--out", tmp_path / "run", *extra)
    message = assert_user_error(result, *fragments)
    assert not (tmp_path / "run").exists(), "nothing is written when a file is refused"
    return message


# --- whole-file problems: the run stops before anything is written ----------------------------


def test_empty_file(tmp_path: Path) -> None:
    _file(tmp_path / "data", "")
    _resolve_error(tmp_path, "watchlist.csv: file is empty (no header row)")


def test_header_only_file_reads_zero_rows(tmp_path: Path) -> None:
    table = _read(_file(tmp_path, WATCHLIST_HEADER))
    assert table.rows_read == 0 and table.records.empty and table.rejected.empty
    _file(tmp_path / "data", WATCHLIST_HEADER)
    _resolve_error(
        tmp_path, "data: no records: every source file is empty or holds only its header"
    )


def test_missing_column_is_named(tmp_path: Path) -> None:
    header = WATCHLIST_HEADER.replace(",surname", "")
    _file(tmp_path / "data", header + "W1,Anh,1980-02-03,VNM,ocg_member,2020-01-01\n")
    _resolve_error(tmp_path, "watchlist.csv: missing required column(s) for watchlist: surname")


def test_renamed_column_gets_a_hint(tmp_path: Path) -> None:
    header = WATCHLIST_HEADER.replace(",surname,", ",Last_Name,").replace(",dob,", ",DOB,")
    _file(tmp_path / "data", header + GOOD)
    _resolve_error(
        tmp_path,
        "watchlist.csv: missing required column(s) for watchlist: surname, dob",
        "(the file has 'Last_Name', 'DOB': rename to the contract's names",
        "map them with --mapping",
    )


def test_extra_columns_are_kept_and_ignored(tmp_path: Path) -> None:
    header = WATCHLIST_HEADER.rstrip("\n") + ',notes,"odd ""name"" here",\n'
    table = _read(_file(tmp_path, header + GOOD.rstrip("\n") + ",see file,x,\n"))
    assert table.rejected.empty
    record = table.records.iloc[0]
    assert record["notes"] == "see file" and record['odd "name" here'] == "x"
    assert record["unnamed_10"] == ""  # a trailing delimiter in the header names no column


def test_repeated_column_is_refused(tmp_path: Path) -> None:
    header = WATCHLIST_HEADER.rstrip("\n") + ",Surname\n"
    with pytest.raises(
        InputError, match=r"watchlist\.csv: column 'Surname' \(position 8\) repeats"
    ):
        _read(_file(tmp_path, header + GOOD.rstrip("\n") + ",x\n"))


def test_reserved_column_is_refused(tmp_path: Path) -> None:
    header = WATCHLIST_HEADER.rstrip("\n") + ",record_id\n"
    path = _file(tmp_path, header + GOOD.rstrip("\n") + ",x\n")
    with pytest.raises(InputError, match="'record_id' is a name reglink reserves"):
        _read(path)
    mapping = _file(
        tmp_path,
        "sources:\n  - file: watchlist.csv\n    kind: watchlist\n"
        "    columns: {subject_id: record_id}\n",
        "map.yaml",
    )
    [spec] = load_mapping(mapping)
    assert read_source(spec).records["subject_id"].tolist() == ["x"]  # mapped: no clash


def test_wrong_delimiter_gets_a_hint(tmp_path: Path) -> None:
    _file(tmp_path / "data", (WATCHLIST_HEADER + GOOD).replace(",", ";"))
    _resolve_error(tmp_path, "watchlist.csv: missing required column", "looks ';'-delimited")
    table = _read(tmp_path / "data" / "watchlist.csv", delimiter=";")
    assert table.records["surname"].tolist() == ["Nguyen"]


def test_latin1_names_the_line_and_byte(tmp_path: Path) -> None:
    body = WATCHLIST_HEADER + GOOD + "W2,Zoë,Brontë,,,,\n"
    _file(tmp_path / "data", body.encode("latin-1"))
    _resolve_error(
        tmp_path,
        "watchlist.csv: line 3, byte 6 of the line (0xeb): not valid utf-8 text",
        "set 'encoding' (e.g. latin-1 or cp1252)",
    )
    table = _read(tmp_path / "data" / "watchlist.csv", encoding="latin-1")
    assert table.records["forenames"].tolist() == ["Anh", "Zoë"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    table = _read(_file(tmp_path, b"\xef\xbb\xbf" + (WATCHLIST_HEADER + GOOD).encode()))
    assert table.records["subject_id"].tolist() == ["W1"]


def test_utf16_is_named(tmp_path: Path) -> None:
    _file(tmp_path / "data", (WATCHLIST_HEADER + GOOD).encode("utf-16"))
    _resolve_error(tmp_path, "watchlist.csv: the file is UTF-16 text", "encoding: utf-16")
    assert _read(tmp_path / "data" / "watchlist.csv", encoding="utf-16").rows_read == 1


# --- row problems: the row is quarantined with its reason ------------------------------------


def test_quoted_newlines_are_one_field_and_rows_stay_numbered(tmp_path: Path) -> None:
    body = (
        WATCHLIST_HEADER
        + 'W1,"Anh\nMinh",Nguyen,,,,\n'
        + 'W2,Bao,"Tran\r\nThi",,,,\nW3,Chi,Le,,,,\n'
    )
    table = _read(_file(tmp_path, body))
    assert table.records["forenames"].tolist() == ["Anh\nMinh", "Bao", "Chi"]
    assert table.records["surname"].tolist() == ["Nguyen", "Tran\r\nThi", "Le"]
    assert table.records["_row"].tolist() == [1, 2, 3]
    _reconciles(table)


def test_unclosed_quote_costs_one_row_not_the_rest_of_the_file(tmp_path: Path) -> None:
    body = WATCHLIST_HEADER + GOOD + 'W2,"Bao,Tran,,,,\nW3,Chi,Le,,,,\nW4,Dung,Pham,,,,\n'
    table = _read(_file(tmp_path, body))
    assert table.records["record_id"].tolist() == ["W1", "W3", "W4"]
    rejected = _rejected(table)[2]
    assert rejected["line"] == 3
    assert "a quote opened on this line is never closed" in str(rejected["reason"])
    assert json.loads(str(rejected["raw"])) == 'W2,"Bao,Tran,,,,'
    _reconciles(table)


def test_wrong_number_of_fields(tmp_path: Path) -> None:
    body = WATCHLIST_HEADER + GOOD + "W2,Bao\n" + "W3,Chi,Le,,,,,extra\n" + "W4,Dung,Pham,,,,,,\n"
    table = _read(_file(tmp_path, body))
    rejected = _rejected(table)
    assert (
        rejected[1 + 1]["reason"]
        == "wrong number of fields (2, expected 7); check quoting and the delimiter"
    )
    assert "wrong number of fields (8, expected 7)" in str(rejected[3]["reason"])
    assert table.records["record_id"].tolist() == ["W1", "W4"]  # surplus empty fields hold nothing
    _reconciles(table)


def test_blank_lines_are_counted_not_rows(tmp_path: Path) -> None:
    table = _read(_file(tmp_path, WATCHLIST_HEADER + "\n" + GOOD + "\r\n\nW2,Bao,Tran,,,,\n"))
    assert table.rows_read == 2 and table.blank_lines == 3
    assert table.records["_row"].tolist() == [1, 2]


def test_duplicate_ids(tmp_path: Path) -> None:
    body = WATCHLIST_HEADER + GOOD + GOOD + "W1,Anh,Ng,1980-02-03,VNM,ocg_member,2020-01-01\n"
    table = _read(_file(tmp_path, body))
    rejected = _rejected(table)
    assert rejected[2]["reason"] == (
        "duplicate id (first seen at row 1, an identical row; the first is kept)"
    )
    assert "with different values" in str(rejected[3]["reason"])
    assert rejected[3]["column"] == "subject_id" and rejected[3]["record_id"] == "W1"
    _reconciles(table)


@pytest.mark.parametrize(
    ("dob", "reason"),
    [
        ("03/02/1980", "unparseable or impossible date '03/02/1980' (expected YYYY-MM-DD)"),
        ("1983-02-30", "unparseable or impossible date '1983-02-30'"),
        ("1850-01-01", "unparseable or impossible date '1850-01-01'"),
        ("2021-01-01", "dob is after since"),
    ],
)
def test_bad_dates(tmp_path: Path, dob: str, reason: str) -> None:
    table = _read(_file(tmp_path, WATCHLIST_HEADER + GOOD.replace("1980-02-03", dob)))
    [row] = table.rejected.to_dict("records")
    assert reason in str(row["reason"]) and row["column"] == "dob" and row["line"] == 2


def test_very_long_field(tmp_path: Path) -> None:
    huge = "x" * 200_000  # beyond the csv module's default field limit
    table = _read(_file(tmp_path, WATCHLIST_HEADER + f"W0,Anh,Nguyen,,,{huge},\n" + GOOD))
    [row] = table.rejected.to_dict("records")
    assert row["reason"] == "field longer than 1000 characters" and row["column"] == "category"
    assert table.records["record_id"].tolist() == ["W1"] and table.rows_read == 2
    assert huge in str(row["raw"])  # the row is kept whole in rejected.csv


@pytest.mark.parametrize("names", [",", "  ,  ", "-,?", "-,--"])
def test_all_empty_names(tmp_path: Path, names: str) -> None:
    table = _read(_file(tmp_path, WATCHLIST_HEADER + f"W1,{names},1980-02-03,,,\n"))
    [row] = table.rejected.to_dict("records")
    assert row["reason"] == "no name recorded for the subject" and row["column"] == "forenames"


def test_a_name_in_any_script_counts(tmp_path: Path) -> None:
    table = _read(_file(tmp_path, WATCHLIST_HEADER + "W1,伟,王,,,,\nW2,,Ó Súilleabháin,,,,\n"))
    assert table.records["record_id"].tolist() == ["W1", "W2"]


def test_control_characters_and_bad_ids(tmp_path: Path) -> None:
    body = (
        WATCHLIST_HEADER + "W1,An\x00h,Nguyen,,,,\nW2;W3,Bao,Tran,,,,\n" + GOOD.replace("W1", "W4")
    )
    table = _read(_file(tmp_path, body))
    rejected = _rejected(table)
    assert (
        "control character" in str(rejected[1]["reason"]) and rejected[1]["column"] == "forenames"
    )
    assert "id holds ';'" in str(rejected[2]["reason"])
    assert table.records["record_id"].tolist() == ["W4"]


# --- mapping files with errors ---------------------------------------------------------------

ENTRY = "sources:\n  - file: w.csv\n    kind: watchlist\n"
MAPPING_ERRORS = [
    (ENTRY + "    kind: person\n", "not valid YAML at line 4, column 5: key 'kind' given twice"),
    (ENTRY + "    encoding: utf-9\n", "unknown encoding 'utf-9'"),
    (ENTRY + "    delimiter: ';;'\n", "delimiter must be one character"),
    (ENTRY + "    date_format: '%Y-%m-%'\n", "unusable date format"),
    (ENTRY + "    date_format: dd/mm/yyyy\n", "strptime format"),
    (ENTRY + "    columns: [a, b]\n", "'columns' must be a mapping"),
    (ENTRY + "    constants: {since: [1]}\n", "constants.since must be a single value"),
    (
        ENTRY + "    columns: {since: a}\n    constants: {since: x}\n",
        "'since' is both mapped and given a constant",
    ),
    (ENTRY + "    colums: {}\n", "unknown keys ['colums']"),
    (ENTRY + "  - {file: b.csv, kind: watchlist}\n", "source name 'watchlist' used twice"),
]


@pytest.mark.parametrize(("document", "message"), MAPPING_ERRORS)
def test_mapping_errors_name_the_file_and_entry(
    tmp_path: Path, document: str, message: str
) -> None:
    _file(tmp_path / "data", WATCHLIST_HEADER + GOOD, "w.csv")
    mapping = _file(tmp_path, document, "map.yaml")
    with pytest.raises(
        ConfigError, match=r"map\.yaml: (sources\[\d\]|source name|not valid YAML at line)"
    ):
        load_mapping(mapping)
    _resolve_error(tmp_path, "map.yaml", message, mapping=mapping)


def test_mapping_not_utf8_or_naming_absent_columns(tmp_path: Path) -> None:
    _file(tmp_path / "data", WATCHLIST_HEADER + GOOD, "w.csv")
    bad = _file(
        tmp_path,
        "sources:\n  - {file: w.csv, kind: watchlist} # café\n".encode("latin-1"),
        "m1.yaml",
    )
    _resolve_error(tmp_path, "m1.yaml: mapping file is not valid UTF-8", mapping=bad)
    absent = _file(
        tmp_path,
        "sources:\n  - file: w.csv\n    kind: watchlist\n    columns: {surname: SURNAME}\n",
        "m2.yaml",
    )
    _resolve_error(
        tmp_path,
        "w.csv: mapped input column(s) not in the file: SURNAME",
        "the file has 'surname'",
        mapping=absent,
    )
    missing = _file(tmp_path, "sources:\n  - {file: nowhere.csv, kind: watchlist}\n", "m3.yaml")
    _resolve_error(tmp_path, "nowhere.csv: file not found", mapping=missing)


# --- end to end: quarantined rows reach rejected.csv, counts reconcile, inputs untouched -----


def test_bad_rows_reach_rejected_csv_and_inputs_are_untouched(
    scenario: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(scenario, data)
    watchlist = data / "watchlist.csv"
    original = pd.read_csv(watchlist, dtype=str, keep_default_na=False)
    bad = textwrap.dedent(
        """\
        X1,Anh,Nguyen,1980-02-30,VNM,ocg_member,2020-01-01
        X2,"Bao,Tran,,,,
        X3,,,1980-01-01,VNM,ocg_member,2020-01-01

        X4,Chi
        """
    )
    with watchlist.open("a", encoding="utf-8", newline="") as handle:
        handle.write(bad + original.iloc[0].str.cat(sep=",") + "\n")  # and a duplicate id
    before = digests(data)
    result = cli("resolve", data, "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    assert digests(data) == before, "input files were changed"
    read = len(original) + 5
    assert (
        f"watchlist  read {read:>8}  accepted {len(original):>8}  rejected      5" in result.output
    )
    assert "(1 blank lines skipped)" in " ".join(result.output.split())
    rejected = pd.read_csv(tmp_path / "run" / "rejected.csv", dtype=str, keep_default_na=False)
    reasons = dict(
        zip(rejected["record_id"] + "@" + rejected["line"], rejected["reason"], strict=True)
    )
    n = len(original) + 1  # the header is line 1
    assert "unparseable or impossible date '1980-02-30'" in reasons[f"X1@{n + 1}"]
    assert "never closed" in reasons[f"@{n + 2}"]
    assert reasons[f"X3@{n + 3}"] == "no name recorded for the subject"
    assert reasons[f"@{n + 5}"].startswith("wrong number of fields (2, expected 7)")
    assert reasons[f"{original.iloc[0]['subject_id']}@{n + 6}"].startswith(
        "duplicate id (first seen at row 1, an identical row"
    )


def test_error_messages_keep_their_brackets(tmp_path: Path) -> None:
    _file(tmp_path / "data", WATCHLIST_HEADER + GOOD)
    config = _file(tmp_path, "[resolve]\nthreshhold = 0.9\n", "reglink.toml")
    result = cli("resolve", tmp_path / "data", "--out", tmp_path / "run", "--config", config)
    assert_user_error(result, "unknown [resolve] setting(s): threshhold")


def test_too_few_records_to_train_is_a_clear_error_and_a_saved_model_still_works(
    scenario: Path, flagged_run: Path, tmp_path: Path
) -> None:
    data = tmp_path / "tiny"
    data.mkdir()
    shutil.copy(scenario / "watchlist.csv", data)  # a handful of people, no two alike
    said = assert_user_error(
        cli("resolve", data, "--out", tmp_path / "run"),
        "too few records to train a model",
        "--model",
    )
    assert "mentions" in said
    assert not (tmp_path / "run").exists()
    result = cli("resolve", data, "--out", tmp_path / "run", "--model", flagged_run / "model.json")
    assert result.exit_code == 0, result.output
    watchlist = pd.read_csv(data / "watchlist.csv")
    assert len(pd.read_csv(tmp_path / "run" / "entities.csv")) == len(watchlist)
