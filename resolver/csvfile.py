"""Read a delimited text file exactly: every physical line ends up in a record, a malformed
row, or the count of blank lines, and the file's SHA-256 is taken over the bytes parsed.

The reader is strict about quoting. A record that spans several lines and still comes out
malformed (almost always a quote opened and never closed) is reported as its first line
alone, and the lines it swallowed are read again on their own, so one stray quote costs one
row rather than the rest of the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from resolver.errors import InputError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long fields are rejected by validation

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Malformed:
    """A row that could not be split into the header's fields."""

    row: int  # data row number (1 = first row after the header)
    line: int  # physical line number in the file (1 = the header line)
    reason: str
    text: str  # the line as read, without its line ending


@dataclass
class DelimitedFile:
    """The parsed content of one delimited file."""

    header: list[str]
    rows: list[list[str]]  # one per well-formed record, each as wide as the header
    row_numbers: list[int]
    line_numbers: list[int]
    malformed: list[Malformed] = field(default_factory=list)
    blank_lines: int = 0
    sha256: str = ""


def read_delimited(path: Path, *, encoding: str, delimiter: str) -> DelimitedFile:
    """Parse ``path``; raise :class:`InputError` (naming file and line) for whole-file faults."""
    codec = _codec(encoding, path)
    with path.open("rb") as raw:
        start = raw.read(4)
        raw.seek(0)
        if codec in ("utf-8", "utf-8-sig") and start.startswith(_UTF16_BOMS):
            raise InputError(
                "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it "
                "as UTF-8, or set 'encoding: utf-16' for it in a mapping file",
                path=str(path),
            )
        hashing = _HashingReader(raw)
        buffered = io.BufferedReader(hashing)
        text = io.TextIOWrapper(buffered, encoding=codec, errors="strict", newline="")
        try:
            parsed = _parse(_Lines(text), delimiter, path)
            text.read()  # hash every byte, including anything after the last record
        except UnicodeDecodeError as exc:
            raise _decode_error(path, codec, encoding) from exc
        parsed.sha256 = hashing.digest.hexdigest()
    return parsed


def _codec(encoding: str, path: Path) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}", path=str(path)) from exc
    return "utf-8-sig" if name == "utf-8" else name


class _HashingReader(io.RawIOBase):
    """A binary reader that hashes what passes through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self.digest.update(data)
        return len(data)


class _Lines:
    """Physical lines with their numbers; the lines of the current record can be re-read."""

    def __init__(self, source: Iterator[str]) -> None:
        self._source = source
        self._pushed: list[tuple[int, str]] = []
        self._count = 0
        self.taken: list[tuple[int, str]] = []
        self.feed = self._generate()

    def _generate(self) -> Iterator[str]:
        pushed = self._pushed
        while pushed:
            number, again = pushed.pop()
            self.taken.append((number, again))
            yield again
        for line in self._source:
            self._count += 1
            self.taken.append((self._count, line))
            yield line

    def start_record(self) -> None:
        """Forget the lines of the previous record."""
        self.taken = []

    def read_again(self, lines: list[tuple[int, str]]) -> None:
        """Put ``lines`` back, to be read next in their order (through a new ``feed``)."""
        self._pushed.extend(reversed(lines))
        self.feed = self._generate()


def _parse(lines: _Lines, delimiter: str, path: Path) -> DelimitedFile:
    reader = csv.reader(lines.feed, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    out = DelimitedFile(header=[], rows=[], row_numbers=[], line_numbers=[])
    row = 0
    while True:
        lines.start_record()
        error: str | None = None
        try:
            fields: list[str] | None = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            fields, error = None, str(exc)
        taken = lines.taken
        if not taken:  # the reader gave up at the end of the file
            break
        first_line, first_text = taken[0]
        if fields == []:
            out.blank_lines += 1
            continue
        if header is None:
            if fields is None:
                raise InputError(f"the header row cannot be read: {error}", path=str(path))
            header = _header(fields, path)
            out.header = header
            continue
        row += 1
        width = len(header)
        if fields is not None and len(fields) > width and all(f == "" for f in fields[width:]):
            fields = fields[:width]  # trailing empty fields hold no data
        if fields is not None and len(fields) == width:
            out.rows.append(fields)
            out.row_numbers.append(row)
            out.line_numbers.append(first_line)
            continue
        reason = _malformed_reason(fields, error, width, taken)
        if len(taken) > 1:
            lines.read_again(taken[1:])
            reader = csv.reader(lines.feed, delimiter=delimiter, strict=True)
        out.malformed.append(Malformed(row, first_line, reason, first_text.rstrip("\r\n")))
    if header is None:
        raise InputError("file is empty (no header row)", path=str(path))
    return out


def _malformed_reason(
    fields: list[str] | None, error: str | None, width: int, taken: list[tuple[int, str]]
) -> str:
    spans = len(taken) > 1
    if error is not None and "end of data" in error:
        return "a quote opened on this line is never closed; the lines after it are read again"
    if error is not None:
        what = f"bad quoting ({error})"
    else:
        assert fields is not None
        what = f"wrong number of fields ({len(fields)}, expected {width})"
    if spans:
        return (
            f"{what} in a row running over lines {taken[0][0]}-{taken[-1][0]}: probably an "
            "unbalanced quote; the lines after the first are read again"
        )
    return f"{what}; check quoting and the delimiter"


def _header(fields: list[str], path: Path) -> list[str]:
    names = [f.strip() or f"unnamed_{i}" for i, f in enumerate(fields, start=1)]
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        key = name.casefold()
        if key in seen:
            raise InputError(
                f"column {name!r} (position {position}) repeats column "
                f"{names[seen[key] - 1]!r} (position {seen[key]}); column names must be unique, "
                "ignoring case",
                path=str(path),
            )
        seen[key] = position
    return names


def _decode_error(path: Path, codec: str, encoding: str) -> InputError:
    """Locate the first undecodable byte by line, for a message the user can act on."""
    decoder_name = "utf-8" if codec == "utf-8-sig" else codec
    where = ""
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    line.decode(decoder_name)
                except UnicodeDecodeError as exc:
                    bad = line[exc.start : exc.end].hex(" ")
                    where = f"line {number}, byte {exc.start + 1} of the line (0x{bad}): "
                    break
    except OSError:
        pass
    return InputError(
        f"{where}not valid {encoding} text; convert the file to UTF-8, or set 'encoding' "
        "(e.g. latin-1 or cp1252) for it in a mapping file",
        path=str(path),
    )
