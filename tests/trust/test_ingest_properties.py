"""Property: whatever rows a file holds, every row read is accepted or rejected, exactly once,
and an accepted record holds exactly what the file said (nothing invented or altered)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolver.ingest import read_source
from resolver.mapping import SourceSpec
from resolver.schema import SOURCES

COLUMNS = SOURCES["watchlist"].columns  # subject_id, forenames, surname, dob, ...
PROPERTY_SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow])

# Text that stresses the reader: delimiters, quotes, line breaks, BOMs, controls, any script.
nasty = st.text(
    alphabet=st.one_of(
        st.sampled_from([",", '"', "\n", "\r", ";", " ", "\t", "\ufeff", "\x00", "'"]),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=12,
)
ids = st.one_of(st.sampled_from(["W1", "W2", " W3 ", "", "W;4"]), st.text(max_size=6))
dates = st.one_of(
    st.just(""),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["1983-02-30", "03/04/1984", "1850-01-01", "2020-13-01", "x"]),
)
rows = st.lists(
    st.tuples(ids, nasty, nasty, dates, nasty, nasty, dates).map(list), min_size=0, max_size=25
)


def _read(body: bytes) -> tuple[object, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "watchlist.csv"
        path.write_bytes(body)
        table = read_source(SourceSpec(path=path, kind=SOURCES["watchlist"], name="watchlist"))
    return table, table.rows_read


@PROPERTY_SETTINGS
@given(rows)
def test_well_formed_rows_are_all_accounted_for_and_kept_verbatim(data: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(data)
    table, read = _read(buffer.getvalue().encode("utf-8"))
    assert read == len(data)
    accepted, rejected = table.records, table.rejected  # type: ignore[attr-defined]
    assert len(accepted) + len(rejected) == read
    numbers = sorted([*accepted["_row"], *rejected["row"]])
    assert numbers == list(range(1, read + 1)), "a row lost, counted twice or invented"
    for record in accepted.to_dict("records"):
        source = data[int(record["_row"]) - 1]
        assert record["record_id"] == source[0].strip()
        for column, value in zip(COLUMNS[1:], source[1:], strict=True):
            if column in ("dob", "since"):
                continue  # parsed into dates
            assert record[column] == value, (column, value)


lines = st.lists(
    st.text(alphabet=st.sampled_from(list("ab1,;  -\t")), max_size=30), min_size=0, max_size=30
)


@PROPERTY_SETTINGS
@given(lines)
def test_every_unquoted_line_is_a_row_or_blank(data: list[str]) -> None:
    body = ",".join(COLUMNS) + "\n" + "".join(line + "\n" for line in data)
    table, read = _read(body.encode("utf-8"))
    blank = sum(1 for line in data if line == "")
    assert read + blank == len(data)
    assert table.blank_lines == blank  # type: ignore[attr-defined]
    assert len(table.records) + len(table.rejected) == read  # type: ignore[attr-defined]


@PROPERTY_SETTINGS
@given(st.lists(st.text(alphabet=st.sampled_from(list('ab,"\n\r ')), max_size=20), max_size=20))
def test_stray_quotes_never_crash_or_lose_count(data: list[str]) -> None:
    body = ",".join(COLUMNS) + "\n" + "\n".join(data)
    table, read = _read(body.encode("utf-8"))
    assert len(table.records) + len(table.rejected) == read  # type: ignore[attr-defined]
    numbers = sorted([*table.records["_row"], *table.rejected["row"]])  # type: ignore[attr-defined]
    assert numbers == list(range(1, read + 1))
