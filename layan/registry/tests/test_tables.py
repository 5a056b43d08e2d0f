"""Reading a file in parts gives exactly the rows, and line numbers, of reading it whole."""

import itertools
import random

import pytest

from layan.registry import importing, tables
from layan.registry.importing import registry_import
from layan.registry.tables import PartMisaligned, table_open
from layan.registry.tests.factories import DTKS_HEADER, people, write_dtks


def _rows_whole(path, encoding="utf-8-sig") -> list[tuple[int, list[str]]]:
    return list(table_open(path, encoding).rows())


def _rows_in_parts(path, part_bytes, encoding="utf-8-sig", part_rows=7) -> tuple[list, list]:
    table = table_open(path, encoding)
    parts = list(table.parts(part_bytes=part_bytes, part_rows=part_rows))
    return [row for part in parts for row in table.rows(part)], parts


def _awkward_people(count: int, seed: int = 5) -> list:
    """People whose addresses hold quotes, delimiters and line breaks of every kind."""
    rng = random.Random(seed)
    rows = people(count)
    pieces = ['JL. "MAWAR"', "RT 1,\nRW 2", "BLOK A\r\nNO 3", '""', "GG. ;|\t", "\n\n", "BIASA"]
    for row in rows:
        row.extra = {"alamat": "".join(rng.choices(pieces, k=rng.randint(1, 4)))}
    return rows


@pytest.mark.parametrize("part_bytes", [1, 97, 500, 4096])
def test_parts_of_a_csv_hold_its_rows_once_with_their_line_numbers(tmp_path, part_bytes):
    path = write_dtks(tmp_path / "a.csv", _awkward_people(120))
    whole = _rows_whole(path)
    in_parts, parts = _rows_in_parts(path, part_bytes)
    assert in_parts == whole
    assert len(whole) == 120
    assert whole[-1][0] > 121  # line breaks inside quoted fields count as lines
    if part_bytes < 4096:
        assert len(parts) > 5
    # Parts tile the file: each starts where the previous one ended.
    assert parts[0].start == 0 and parts[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))


def test_parts_of_a_crlf_windows_1252_file(tmp_path):
    rows = _awkward_people(60, seed=9)
    for row in rows:
        row.nama = "SITI ÁÉ"
    path = tmp_path / "w.csv"
    text = write_dtks(tmp_path / "u.csv", rows).read_text(encoding="utf-8")
    path.write_bytes(text.replace(",", ";").encode("cp1252"))
    in_parts, parts = _rows_in_parts(path, 150, encoding="cp1252")
    assert len(parts) > 5
    assert in_parts == _rows_whole(path, "cp1252")
    assert in_parts[0][1][DTKS_HEADER.index("nama")] == "SITI ÁÉ"


def _stray_quote_file(tmp_path):
    """A quote inside an unquoted field, then a field with line breaks: parity misleads."""
    rows = people(40)
    rows[2].extra = {"alamat": "JL. 5~ BESAR"}
    for row in rows[3:]:
        row.extra = {"alamat": "BLOK C,\nNO 9\nDEKAT PASAR"}
    path = write_dtks(tmp_path / "stray.csv", rows)
    # Python's csv would quote it; other programs write such a quote as it is.
    path.write_bytes(path.read_bytes().replace(b"5~ BESAR", b'5" BESAR'))
    return path


def test_a_part_cut_inside_a_quoted_field_is_caught(tmp_path):
    path = _stray_quote_file(tmp_path)
    assert b'5" BESAR' in path.read_bytes()
    table = table_open(path, "utf-8-sig")
    with pytest.raises(PartMisaligned):
        for part in table.parts(part_bytes=300, part_rows=7):
            list(table.rows(part))


def test_a_misleading_stray_quote_still_imports_every_row(db, tmp_path, monkeypatch):
    restarts = []
    restart = importing._restart
    monkeypatch.setattr(importing, "_restart", lambda s: restarts.append(s.pk) or restart(s))
    path = _stray_quote_file(tmp_path)
    serial = registry_import(path=path, source="dtks", period="2026-06", parallel=False)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes() + b"\n")
    parallel = registry_import(
        path=copy, source="dtks", period="2026-09", parallel=True, chunk_rows=2
    )
    assert parallel.rows_imported == serial.rows_imported == 40
    assert parallel.rows_rejected == serial.rows_rejected == 0
    assert restarts == [parallel.pk]  # read in parts first, then again in one piece


def test_csv_parts_never_cut_between_cr_and_lf(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "PART_BLOCK_BYTES", 64)
    path = tmp_path / "crlf.csv"
    text = write_dtks(tmp_path / "u.csv", _awkward_people(30, seed=3)).read_bytes()
    path.write_bytes(text)
    for part_bytes in (1, 50, 333):
        in_parts, _ = _rows_in_parts(path, part_bytes)
        assert in_parts == _rows_whole(path)


def _sheet(path, rows, *, blank_after: int | None = None):
    """A DTKS workbook of `rows`; with `blank_after`, an empty row follows that one."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, DTKS_HEADER)
    for index, row in enumerate(rows, start=1):
        gap = blank_after is not None and index > blank_after
        sheet.write_row(index + gap, 0, row.values(index))
    workbook.close()
    return path


def test_parts_of_a_sheet_hold_its_rows_once(tmp_path):
    path = _sheet(tmp_path / "dtks.xlsx", people(50), blank_after=20)  # a blank row 22
    table = table_open(path, "")
    parts = list(table.parts(part_bytes=0, part_rows=7))
    assert len(parts) == 8
    rows = [row for part in parts for row in table.rows(part)]
    assert rows == _rows_whole(path, "")
    assert [line for line, _ in rows] == [*range(2, 22), *range(23, 53)]


def test_a_reader_child_that_dies_fails_the_import_at_once(tmp_path):
    import multiprocessing
    import os
    import signal
    import time

    from layan.registry import pipeline
    from layan.registry.layouts import DTKS

    path = write_dtks(tmp_path / "a.csv", people(300))
    source = pipeline.Source(path, "utf-8-sig", DTKS, "", chunk_rows=10)
    chunks = pipeline.chunks_parallel(source, shares=2)
    assert next(chunks).count > 0
    for child in multiprocessing.active_children():
        os.kill(child.pid, signal.SIGKILL)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="berhenti tiba-tiba"):
        for _ in chunks:
            pass
    assert time.monotonic() - start < pipeline.CHILD_WAIT_SECONDS / 10


def _rows_of_chunks(chunks) -> list[tuple]:
    return [row for chunk in chunks for row in chunk.rows]


def test_the_importer_cuts_a_csv_once_and_each_child_reads_the_parts_dealt_to_it(
    tmp_path, monkeypatch
):
    from layan.registry import pipeline
    from layan.registry.layouts import DTKS

    path = write_dtks(tmp_path / "a.csv", _awkward_people(120))
    source = pipeline.Source(path, "utf-8-sig", DTKS, "", chunk_rows=10)
    every = list(tables.csv_parts(path, source.part_bytes))
    assert len(every) > 4
    cuts = []

    def first_three(path, part_bytes):  # in the importer's process only
        cuts.append(path)
        return iter(every[:3])

    monkeypatch.setattr(pipeline, "parts_ahead", first_three)
    lines = [row[-1] for row in _rows_of_chunks(pipeline.chunks_parallel(source, shares=2))]
    # The rows of those three parts, and no others: a child that cut the file itself
    # would read every part.
    table = table_open(path, "utf-8-sig")
    assert lines == [line for part in every[:3] for line, _ in table.rows(part)]
    assert cuts == [path]
    assert 0 < len(lines) < 120


def test_a_csv_that_cannot_be_cut_fails_the_import_naming_why(tmp_path, monkeypatch):
    from layan.registry import pipeline
    from layan.registry.layouts import DTKS

    path = write_dtks(tmp_path / "a.csv", people(200))
    source = pipeline.Source(path, "utf-8-sig", DTKS, "", chunk_rows=10)

    def cut_then_fail(path, part_bytes):
        parts = tables.csv_parts(path, part_bytes)
        yield next(parts)
        raise OSError("disk hilang")

    monkeypatch.setattr(pipeline, "parts_ahead", cut_then_fail)
    with pytest.raises(RuntimeError, match=r"Pembagian berkas gagal.*disk hilang"):
        _rows_of_chunks(pipeline.chunks_parallel(source, shares=2))


def test_a_sheet_read_by_children_gives_the_rows_of_reading_it_whole(tmp_path):
    from layan.registry import pipeline
    from layan.registry.layouts import DTKS

    path = _sheet(tmp_path / "dtks.xlsx", people(90))
    source = pipeline.Source(path, "", DTKS, "", chunk_rows=10)
    assert tables.parts_ahead(path, source.part_bytes) is None  # each child cuts it
    parallel = _rows_of_chunks(pipeline.chunks_parallel(source, shares=2))
    assert parallel == _rows_of_chunks(pipeline.chunks_read(source))
    assert len(parallel) == 90


def _lines_export(tmp_path, *, line_end: str, encoding: str, delimiter: str, bom: bool) -> bytes:
    """An export whose fields hold no line break: blank lines, a short row, quoted fields
    (delimiters and doubled quotes inside) on some lines, no final line break."""
    rows = people(50)
    addresses = ["DUSUN UJI RT 1", f"DUSUN UJI{delimiter} RT 2", 'JL. "MAWAR" NO 3']
    for number, row in enumerate(rows):
        row.nama = f"SITI ÁÉ {number}" if encoding == "cp1252" else f"SITI ÄŞ {number}"
        row.extra = {"alamat": addresses[number % 3]}
    source = write_dtks(tmp_path / "plain-source.csv", rows, delimiter=delimiter)
    lines = source.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines[10:10] = ["", "   "]  # blank lines are passed over, and still counted
    lines[20] = delimiter.join(lines[20].split(delimiter)[:5])  # a short row
    data = line_end.join(lines).encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


@pytest.mark.parametrize(
    ("line_end", "encoding", "delimiter", "bom"),
    [("\n", "utf-8", ",", False), ("\r\n", "utf-8", ";", True), ("\r\n", "cp1252", "\t", False)],
)
def test_parts_whose_lines_are_rows_are_split_as_csv_reads_them(
    tmp_path, monkeypatch, line_end, encoding, delimiter, bom
):
    path = tmp_path / "plain.csv"
    path.write_bytes(_lines_export(tmp_path, line_end=line_end, encoding=encoding,
                                   delimiter=delimiter, bom=bom))  # fmt: skip
    read_as = "cp1252" if encoding == "cp1252" else "utf-8-sig"
    whole = _rows_whole(path, read_as)
    split = []
    monkeypatch.setattr(tables.CsvTable, "_split_rows", _spy(tables.CsvTable._split_rows, split))
    for part_bytes in (1, 700, 100_000):
        in_parts, parts = _rows_in_parts(path, part_bytes, encoding=read_as)
        assert in_parts == whole
        assert len(split) == len(parts)  # every part was split, none read by csv
        split.clear()
    assert len(whole) == 50 and whole[-1][0] == 53  # header + 2 blank lines + 50 rows
    assert whole[17][1][5:] == [""] * (len(DTKS_HEADER) - 5)
    alamat = DTKS_HEADER.index("alamat")
    assert [values[alamat] for _, values in whole[:3]] == [
        "DUSUN UJI RT 1",
        f"DUSUN UJI{delimiter} RT 2",
        'JL. "MAWAR" NO 3',
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"DUSUN UJI RT 1", b"DUSUN UJI\r RT 1"),  # a lone CR
        (b"DUSUN UJI RT 1", b"DUSUN\x00UJI RT 1"),
        (b'"DUSUN UJI, RT 2"', b'"DUSUN UJI,\nRT 2"'),  # a line break inside quotes
        # A stray quote, then a quoted field that runs on: even counts, but one row.
        (b'"DUSUN UJI, RT 2"', b'DUSUN 5" UJI,"RT\n2"'),
    ],
)
def test_a_part_whose_lines_are_not_rows_is_read_by_csv(tmp_path, monkeypatch, old, new):
    path = tmp_path / "odd.csv"
    data = _lines_export(tmp_path, line_end="\n", encoding="utf-8", delimiter=",", bom=False)
    path.write_bytes(data.replace(old, new, 1))
    split = []
    monkeypatch.setattr(tables.CsvTable, "_split_rows", _spy(tables.CsvTable._split_rows, split))
    table = table_open(path, "utf-8-sig")
    (part,) = table.parts(part_bytes=1_000_000, part_rows=7)
    assert list(table.rows(part)) == _rows_whole(path)
    assert split == []


def test_a_quoted_field_left_open_on_the_last_line_is_read_by_csv(tmp_path, monkeypatch):
    path = tmp_path / "open.csv"
    data = _lines_export(tmp_path, line_end="\n", encoding="utf-8", delimiter=",", bom=False)
    path.write_bytes(data + b'\n99,2026-09,5" STRAY,"OPEN')
    split = []
    monkeypatch.setattr(tables.CsvTable, "_split_rows", _spy(tables.CsvTable._split_rows, split))
    table = table_open(path, "utf-8-sig")
    (part,) = table.parts(part_bytes=1_000_000, part_rows=7)
    rows = list(table.rows(part))
    assert rows == _rows_whole(path) and rows[-1][1][3] == "OPEN"
    assert split == []


def _spy(method, calls: list):
    def spied(self, part, *args):
        calls.append(part)
        return method(self, part, *args)

    return spied
