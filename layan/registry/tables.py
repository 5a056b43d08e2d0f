"""Reading an export file as a header and a stream of rows, whatever its format.

CSV in any delimiter, UTF-8 (with or without BOM) or Windows-1252, quoted
fields; XLSX through calamine. Rows are yielded one at a time with their line
number in the file, so memory stays flat however large the file is.
"""

import codecs
import csv
import hashlib
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


class Table:
    """Headers, rows with line numbers, and how far the reading has come."""

    headers: list[str]
    size: int

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError

    def position(self) -> int:
        """Bytes read so far (approximate), for a progress bar."""
        return 0

    def close(self) -> None:
        pass


class CsvTable(Table):
    def __init__(self, path: Path, encoding: str):
        self.size = path.stat().st_size
        # newline="" lets csv keep line breaks inside quoted fields.
        self._text = path.open(encoding=encoding, newline="")
        first = self._text.readline()
        self._text.seek(0)
        delimiter = max(DELIMITERS, key=first.count) if first else ","
        self._reader = csv.reader(self._text, delimiter=delimiter)
        try:
            self.headers = [h.strip() for h in next(self._reader)]
        except StopIteration:
            raise LayoutError("Berkas kosong: tidak ada baris judul kolom.") from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        width = len(self.headers)
        for values in reader:
            if not values or (len(values) == 1 and not values[0].strip()):
                continue  # blank line
            if len(values) < width:
                values += [""] * (width - len(values))
            yield reader.line_num, values

    def position(self) -> int:
        return self._text.buffer.tell()

    def close(self) -> None:
        self._text.close()


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
        try:
            self.headers = [_cell_text(c).strip() for c in next(self._iter)]
        except StopIteration:
            raise LayoutError("Lembar kerja kosong: tidak ada baris judul kolom.") from None
        self._total_rows = max(sheet.total_height, 1)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.headers)
        for line, cells in enumerate(self._iter, start=2):
            self._done = line
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


def table_open(path: Path, encoding: str) -> Table:
    if path.suffix.lower() in XLSX_SUFFIXES:
        return XlsxTable(path)
    return CsvTable(path, encoding)
