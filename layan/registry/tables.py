"""Reading an export file as a header and a stream of rows, whatever its format.

CSV in any delimiter, UTF-8 (with or without BOM) or Windows-1252, quoted
fields; XLSX through calamine. Rows are yielded one at a time with their line
number in the file, so memory stays flat however large the file is.

A file can also be read in parts (consecutive runs of whole rows), so that
several processes each parse only their own parts of one file.
"""

import codecs
import csv
import hashlib
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from layan.registry.layouts import LayoutError

DELIMITERS = ",;\t|"
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    encoding: str  # for CSV: "utf-8-sig" or "cp1252"


def file_fingerprint(path: Path) -> Fingerprint:
    """SHA-256 and size of a file, and (for text) the encoding it decodes in, in one pass."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, size = True, 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
            # ASCII is UTF-8, and checking it costs far less than decoding; only a
            # block after a character cut in two must still go through the decoder.
            if utf8 and not (block.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return Fingerprint(digest.hexdigest(), size, "utf-8-sig" if utf8 else "cp1252")


@dataclass(frozen=True)
class Part:
    """A run of whole rows of a file: bytes start..end of a CSV, rows start..end of a sheet."""

    start: int
    end: int
    # CSV: the line breaks before `start`, so rows keep the line numbers of the file.
    lines_before: int = 0


class PartMisaligned(Exception):
    """A CSV part did not end between two rows: a stray quote misled the split."""


class Table:
    """Headers, rows with line numbers, and how far the reading has come."""

    headers: list[str]
    size: int

    def parts(self, *, part_bytes: int, part_rows: int) -> Iterator[Part]:
        """The file cut into parts of about part_bytes (CSV) or part_rows (sheet), in order."""
        raise NotImplementedError

    def rows(self, part: Part | None = None) -> Iterator[tuple[int, list[str]]]:
        """Rows of the whole file, or of one part; parts must be asked for in file order."""
        raise NotImplementedError

    def position(self) -> int:
        """Bytes read so far (approximate), for a progress bar."""
        return 0

    def close(self) -> None:
        pass


class CsvTable(Table):
    def __init__(self, path: Path, encoding: str):
        self.path = path
        self.encoding = encoding
        self.size = path.stat().st_size
        self._range: _RangeReader | None = None  # of the part csv is reading
        self._split_end = 0  # of the part last split
        with path.open(encoding=encoding, newline="") as text:
            first = text.readline()
            text.seek(0)
            self.delimiter = max(DELIMITERS, key=first.count) if first else ","
            try:
                # newline="" lets csv keep line breaks inside quoted fields.
                header = next(csv.reader(text, delimiter=self.delimiter))
            except StopIteration:
                raise LayoutError("Berkas kosong: tidak ada baris judul kolom.") from None
        self.headers = [h.strip() for h in header]

    def parts(self, *, part_bytes: int, part_rows: int) -> Iterator[Part]:
        return csv_parts(self.path, part_bytes)

    def rows(self, part: Part | None = None) -> Iterator[tuple[int, list[str]]]:
        if part is not None and part.end - part.start <= SPLIT_PART_MAX_BYTES:
            split = self._lines_of(part)
            if split is not None:
                yield from self._split_rows(part, *split)
                return
        part = part or Part(0, self.size)
        bounded = part.end < self.size
        self._range = _RangeReader(self.path, part.start, part.end, PART_END if bounded else b"")
        text = io.TextIOWrapper(io.BufferedReader(self._range, 1 << 16), self.encoding, newline="")
        try:
            reader = csv.reader(text, delimiter=self.delimiter)
            if part.start == 0:
                next(reader, None)  # the header
            offset = part.lines_before
            width = len(self.headers)
            for values in reader:
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue  # blank line
                if len(values) < width:
                    if values == [PART_END_TEXT]:
                        return  # the part ended between two rows, as it should
                    values += [""] * (width - len(values))
                yield offset + reader.line_num, values
            if bounded:
                raise PartMisaligned(f"bytes {part.start}-{part.end} do not end between rows")
        finally:
            text.close()

    def _lines_of(self, part: Part) -> tuple[list[str], list[list[str]]] | None:
        """The part's lines and its quoted rows, if every line is a whole row; else None.

        Register exports put no line break inside a field: then a row is a line, and
        a line with no quote is its fields between delimiters, which str.split finds
        at a fraction of the csv module's cost. The lines with a quote are given to
        csv as a list, then a marker line: csv makes exactly one row of each, and of
        the marker, only if no field of theirs runs on past its line (a run-on field
        would take in the next item). Otherwise, and with NUL or a lone CR, which csv
        reads its own way, csv reads the part as a stream.
        """
        data = lf_lines(self.part_data(part))
        if data is None:
            return None
        text = data.decode(self.encoding)
        lines = text.split("\n")
        if part.start == 0:
            del lines[0]  # the header
        if '"' not in text:
            return lines, []
        with_quotes = [line for line in lines if '"' in line]
        quoted = list(csv.reader([*with_quotes, PART_END_TEXT], delimiter=self.delimiter))
        if len(quoted) != len(with_quotes) + 1:  # a field ran on into the next item
            return None
        quoted.pop()  # the marker's
        return lines, quoted

    def part_data(self, part: Part) -> bytes:
        """The bytes of a part, read whole (the reading position moves to its end)."""
        with self.path.open("rb") as handle:
            handle.seek(part.start)
            data = handle.read(part.end - part.start)
        self._range, self._split_end = None, part.end
        return data

    def _split_rows(
        self, part: Part, lines: list[str], quoted: list[list[str]]
    ) -> Iterator[tuple[int, list[str]]]:
        delimiter, width = self.delimiter, len(self.headers)
        line = part.lines_before + (part.start == 0)  # the header's line
        quoted_rows = iter(quoted)
        for row in lines:
            line += 1
            values = next(quoted_rows) if '"' in row else row.split(delimiter)
            if len(values) < width:
                if len(values) == 1 and not values[0].strip():
                    continue  # blank line, or the end of the last one
                values += [""] * (width - len(values))
            yield line, values

    def position(self) -> int:
        return self._range.position if self._range else self._split_end


def lf_lines(data: bytes) -> bytes | None:
    """CSV bytes with every line ending in LF (CR LF made LF), for reading by lines.

    None when they hold a NUL or a lone CR, which csv reads its own way.
    """
    if b"\x00" in data:
        return None
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            return None
    return data


# Parts are about a chunk's rows (pipeline.ROW_BYTES); one misled by a stray quote
# can be most of the file, which is read through csv, a block at a time.
SPLIT_PART_MAX_BYTES = 32_000_000

# Appended to a part that ends before the file does: read as a row of its own only
# when the part ends between rows; inside a quoted field it becomes field text.
PART_END_TEXT = "\x1eLAYAN-BATAS-BAGIAN\x1e"
PART_END = PART_END_TEXT.encode() + b"\n"


class _RangeReader(io.RawIOBase):
    """Bytes start..end of a file, then `tail`; `position` is how far it has read."""

    def __init__(self, path: Path, start: int, end: int, tail: bytes):
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = end - start
        self._tail = tail
        self.position = start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left > 0:
            data = self._file.read(min(len(buffer), self._left))
            self._left -= len(data) if data else self._left
            self.position += len(data)
        else:
            data, self._tail = self._tail[: len(buffer)], self._tail[len(buffer) :]
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()


PART_BLOCK_BYTES = 1 << 20


def csv_parts(path: Path, part_bytes: int) -> Iterator[Part]:
    """A CSV file cut after line breaks outside quoted fields, about every part_bytes.

    A line break is outside quotes when an even number of quote characters comes
    before it, which holds for every file that quotes as RFC 4180 does. A stray
    quote inside an unquoted field breaks that count; such a part is caught when
    it is read (PartMisaligned) and the importer then reads the file in one piece.
    Counting is done by bytes.count, in C, a block at a time; parts are given as
    soon as they are found, so reading the first ones need not wait for the scan.
    """
    size = path.stat().st_size
    start = lines_at_start = 0
    quotes = lines = 0  # quote characters and line breaks before the block
    offset = 0  # of the block in the file
    with path.open("rb") as handle:
        while block := handle.read(PART_BLOCK_BYTES):
            if block.endswith(b"\r"):
                block += handle.read(1)  # never split a CR LF between two blocks
            while start + part_bytes < offset + len(block):
                cut = _cut_in(block, max(start + part_bytes - offset, 0), quotes)
                if cut is None:
                    break
                yield Part(start, offset + cut, lines_at_start)
                start, lines_at_start = offset + cut, lines + _line_breaks(block, 0, cut)
            quotes += block.count(b'"')
            lines += _line_breaks(block, 0, len(block))
            offset += len(block)
    yield Part(start, size, lines_at_start)


def _cut_in(block: bytes, start: int, quotes_before: int) -> int | None:
    """Offset just after the first line break from `start` outside quotes, if in the block."""
    at = block.find(b"\n", start)
    while at >= 0:
        if (quotes_before + block.count(b'"', 0, at)) % 2 == 0:
            return at + 1
        at = block.find(b"\n", at + 1)
    return None


def _line_breaks(data: bytes, start: int, end: int) -> int:
    """Lines ended in data[start:end] as text mode with newline="" ends them: LF, CR LF, CR."""
    lines = data.count(b"\n", start, end)
    if data.find(b"\r", start, end) >= 0:  # a fast scan; most exports end lines with LF
        lines += data.count(b"\r", start, end) - data.count(b"\r\n", start, end)
    return lines


class XlsxTable(Table):
    """The first sheet of a workbook; calamine reads it in native code."""

    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook

        self.size = path.stat().st_size
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own error types per format
            raise LayoutError(f"Berkas spreadsheet tidak dapat dibaca: {exc}") from exc
        self._iter = iter(sheet.iter_rows())
        self._done = 0
        self._next_line = 2
        try:
            self.headers = [_cell_text(c).strip() for c in next(self._iter)]
        except StopIteration:
            raise LayoutError("Lembar kerja kosong: tidak ada baris judul kolom.") from None
        self._total_rows = max(sheet.total_height, 1)

    def parts(self, *, part_bytes: int, part_rows: int) -> Iterator[Part]:
        # Data rows are lines 2..total; the last part runs to the end, whatever its height.
        starts = range(2, max(self._total_rows, 2) + 1, part_rows)
        ends = [*starts[1:], sys.maxsize]
        return (Part(start, end) for start, end in zip(starts, ends, strict=True))

    def rows(self, part: Part | None = None) -> Iterator[tuple[int, list[str]]]:
        # One pass over the sheet serves every part: rows before the part are passed
        # over unconverted, so parts must come in file order.
        start, end = (part.start, part.end) if part else (2, None)
        width = len(self.headers)
        while end is None or self._next_line < end:
            cells = next(self._iter, None)
            if cells is None:
                return
            line = self._next_line
            self._next_line += 1
            self._done = line
            if line < start:
                continue
            values = [_cell_text(c) for c in cells]
            if not any(v.strip() for v in values):
                continue
            if len(values) < width:
                values += [""] * (width - len(values))
            yield line, values

    def position(self) -> int:
        return int(self.size * self._done / self._total_rows)


def _cell_text(cell) -> str:
    """Cells as the text a CSV would hold: whole numbers without '.0', dates in ISO."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10]
    return str(cell)


def parts_ahead(path: Path, part_bytes: int) -> Iterator[Part] | None:
    """The parts of a CSV, cut from its bytes alone, as CsvTable.parts cuts them.

    None for a sheet: its parts are row numbers that only reading it gives.
    """
    return None if _is_sheet(path) else csv_parts(path, part_bytes)


def table_open(path: Path, encoding: str) -> Table:
    if _is_sheet(path):
        return XlsxTable(path)
    return CsvTable(path, encoding)


def _is_sheet(path: Path) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES
