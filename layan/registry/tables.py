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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

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
            self.delimiter = delimiter_of(first)
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


def delimiter_of(first_line: str) -> str:
    """The delimiter of a CSV: the candidate its header line holds most of."""
    return max(DELIMITERS, key=first_line.count) if first_line else ","


# What an upload named .csv holds when it is not text, by its first bytes.
NOT_CSV = (
    (b"%PDF-", "berkas PDF"),
    (b"PK\x03\x04", "spreadsheet XLSX atau arsip ZIP (bila spreadsheet, beri nama .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "spreadsheet Excel lama (XLS)"),
    (b"\xff\xd8\xff", "gambar JPEG"),
    (b"\x89PNG", "gambar PNG"),
)
PEEK_BYTES = 64 * 1024


def headers_peek(handle: BinaryIO, name: str) -> list[str]:
    """The header row of an upload, from its first bytes (CSV) or first row (XLSX) only.

    Raises LayoutError saying why the file cannot be an export: its content is not
    the type its name says, or it is not CSV/XLSX at all. The caller's position is kept.
    """
    position = handle.tell()
    try:
        handle.seek(0)
        start = handle.read(PEEK_BYTES)
        handle.seek(0)
        if _is_sheet(Path(name)):
            if not start.startswith(b"PK\x03\x04"):
                raise LayoutError(f"Berkas bernama {Path(name).suffix} tetapi isinya bukan XLSX.")
            return xlsx_headers(handle)
        return _csv_headers(start)
    finally:
        handle.seek(position)


def _csv_headers(start: bytes) -> list[str]:
    for magic, what in NOT_CSV:
        if start.startswith(magic):
            raise LayoutError(f"Isi berkas bukan CSV melainkan {what}; unggah CSV atau XLSX.")
    if b"\x00" in start:
        raise LayoutError("Isi berkas bukan teks CSV (berkas biner); unggah CSV atau XLSX.")
    first = start.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        line = first.decode("cp1252", errors="replace")
    if not line.strip():
        raise LayoutError("Baris pertama kosong: berkas harus diawali baris judul kolom.")
    header = next(csv.reader([line], delimiter=delimiter_of(line)), [])
    return [h.strip() for h in header]


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def xlsx_headers(handle: BinaryIO) -> list[str]:
    """The first row of a workbook's first sheet, streamed from its XML.

    calamine loads a whole sheet before giving its first row; a check made while the
    officer waits reads only the start of the sheet and of its shared strings.
    """
    try:
        with zipfile.ZipFile(handle) as archive:
            cells = _first_row(archive, _first_sheet(archive))
            shared = [int(value) for kind, value in cells.values() if kind == "s"]
            strings = _shared_strings(archive, max(shared)) if shared else []
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, ElementTree.ParseError):
        raise LayoutError("Spreadsheet XLSX tidak dapat dibaca: berkasnya rusak.") from None
    if not cells:
        raise LayoutError("Lembar kerja kosong: tidak ada baris judul kolom.")
    width = max(cells) + 1
    texts = [""] * width
    for column, (kind, value) in cells.items():
        texts[column] = strings[int(value)] if kind == "s" else value
    return [_cell_text(_number_or_text(text)).strip() for text in texts]


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path in the archive of the workbook's first sheet (the one calamine reads)."""
    with archive.open("xl/workbook.xml") as workbook:
        sheet = next(
            el for _, el in ElementTree.iterparse(workbook) if el.tag == f"{_SHEET_NS}sheet"
        )
    target_id = sheet.attrib[f"{_REL_NS}id"]
    with archive.open("xl/_rels/workbook.xml.rels") as rels:
        for _, el in ElementTree.iterparse(rels):
            if el.tag == f"{_PKG_REL_NS}Relationship" and el.attrib.get("Id") == target_id:
                target = el.attrib["Target"]
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(target_id)


def _column_index(ref: str) -> int:
    letters = "".join(ch for ch in ref if ch.isalpha())
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


def _first_row(archive: zipfile.ZipFile, sheet: str) -> dict[int, tuple[str, str]]:
    """Column -> (cell type, raw value) of the sheet's first row with a value."""
    cells: dict[int, tuple[str, str]] = {}
    with archive.open(sheet) as stream:
        for _, el in ElementTree.iterparse(stream):
            if el.tag == f"{_SHEET_NS}c":
                kind = el.attrib.get("t", "n")
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in el.iter(f"{_SHEET_NS}t"))
                else:
                    found = el.find(f"{_SHEET_NS}v")
                    value = found.text or "" if found is not None else ""
                if value != "":
                    cells[_column_index(el.attrib.get("r", "A1"))] = (kind, value)
            elif el.tag == f"{_SHEET_NS}row":
                if cells:
                    return cells
                el.clear()
    return cells


def _shared_strings(archive: zipfile.ZipFile, last: int) -> list[str]:
    """The workbook's shared strings up to number `last`: a header's come first."""
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as stream:
        for _, el in ElementTree.iterparse(stream):
            if el.tag == f"{_SHEET_NS}si":
                strings.append("".join(t.text or "" for t in el.iter(f"{_SHEET_NS}t")))
                el.clear()
                if len(strings) > last:
                    break
    return strings


def _number_or_text(value: str) -> object:
    """A number cell's text as the number calamine would give (so '7308.0' reads '7308')."""
    try:
        return float(value) if any(ch in value for ch in ".eE") else value
    except ValueError:
        return value


def table_open(path: Path, encoding: str) -> Table:
    if _is_sheet(path):
        return XlsxTable(path)
    return CsvTable(path, encoding)


def _is_sheet(path: Path) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES
