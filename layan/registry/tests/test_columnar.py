"""Validating by columns stores and rejects exactly what validating row by row does."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layan.registry import columnar, pipeline
from layan.registry.layouts import DTKS, DTSEN, layout_from_mapping
from layan.registry.rules import RowRejection
from layan.registry.storage import DETAIL_FIELDS
from layan.registry.tables import table_open
from layan.registry.tests.factories import DTKS_HEADER, people, person, write_dtks
from layan.registry.tests.test_tables import _awkward_people, _lines_export


def _results(
    path: Path, *, region="", encoding="utf-8-sig", part_bytes=700, layout=DTKS
) -> tuple[tuple, tuple, int]:
    """Stored COPY lines, rejections and regencies of a file: by columns, and row by row.

    Both read the same parts as a validator child does; `used` counts the parts
    the columns settled (the rest went row by row).
    """
    source = pipeline.Source(path, encoding, layout, region, 20_000, as_copy=True)
    table = table_open(path, encoding)
    parts = list(table.parts(part_bytes=part_bytes, part_rows=7))
    table.close()
    used = []
    real_part = columnar.ColumnarConverter.part

    def counted(self, *args, **kwargs):
        done = real_part(self, *args, **kwargs)
        used.append(done is not None)
        return done

    def read(with_columns: bool):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(columnar.ColumnarConverter, "part", counted)
            if not with_columns:
                patch.setattr(pipeline, "_columnar_for", lambda *args: None)
            chunks = list(pipeline.chunks_read(source, 0, 2, iter(parts)))
        lines = sorted(b"".join(chunk.copy or b"" for chunk in chunks).decode().splitlines())
        rejected = sorted(r for chunk in chunks for r in chunk.rejected)
        regencies = set().union(*(chunk.regencies for chunk in chunks))
        assert sum(chunk.count for chunk in chunks) == len(lines)
        return lines, rejected, regencies

    by_columns = read(True)
    assert len(used) == len(parts)
    return by_columns, read(False), sum(used)


def _broken_people() -> list:
    """Valid people, and a row broken each way the importer rejects or must clean."""
    rows = people(30)
    female = person(900, female=True)
    changes: list[dict[str, Any]] = [
        {"nik": ""}, {"nik": rows[0].nik[:-1]}, {"nik": "99" + rows[0].nik[2:]},
        {"nik": rows[0].nik[:12] + "0000"}, {"nik": f" {rows[1].nik}"},
        {"no_kk": "x" * 16}, {"no_kk": rows[0].no_kk[:6] + "320107" + rows[0].no_kk[12:]},
        {"nama": ""}, {"nama": "  SITI  "}, {"nama": "SITI\x1f"}, {"nama": "BACK\\SLASH"},
        {"jenis_kelamin": "PEREMPUAN"}, {"jenis_kelamin": "X"}, {"jenis_kelamin": " l "},
        {"tanggal_lahir": "1963-02-30"}, {"tanggal_lahir": "1963-9-2"}, {"tanggal_lahir": ""},
        {"tanggal_lahir": "2999-01-01"}, {"desil": "11"}, {"desil": " 04"}, {"desil": ""},
        {"pkh": "mungkin"}, {"pkh": " Ya "}, {"bpnt": ""}, {"kode_kabupaten": "7371"},
        {"extra": {"kode_desa": "73O8012001"}}, {"extra": {"alamat": "TAB\tDI SINI"}},
    ]  # fmt: skip
    for number, change in enumerate(changes):
        rows.append(person(100 + number, **change))
    rows.append(female)
    rows.append(rows[3])  # a NIK twice: both stored here, the database rejects one
    return rows


@pytest.mark.parametrize("region", ["", "73.08"])
def test_every_rejection_reason_comes_out_the_same_by_columns(tmp_path, region):
    path = write_dtks(tmp_path / "broken.csv", _broken_people())
    by_columns, by_rows, used = _results(path, region=region)
    assert by_columns == by_rows
    lines, rejected, regencies = by_columns
    assert len(rejected) >= 15 and len(lines) >= 30 and "7308" in regencies
    assert used > 0  # the columns did settle parts, not only hand them to rows


@pytest.mark.parametrize(
    ("line_end", "encoding", "delimiter", "bom"),
    [("\n", "utf-8", ",", False), ("\r\n", "utf-8", ";", True), ("\r\n", "cp1252", "\t", False)],
)
def test_crlf_windows_1252_and_other_delimiters_come_out_the_same(
    tmp_path, line_end, encoding, delimiter, bom
):
    path = tmp_path / "plain.csv"
    path.write_bytes(_lines_export(tmp_path, line_end=line_end, encoding=encoding,
                                   delimiter=delimiter, bom=bom))  # fmt: skip
    read_as = "cp1252" if encoding == "cp1252" else "utf-8-sig"
    by_columns, by_rows, used = _results(path, encoding=read_as, part_bytes=900)
    assert by_columns == by_rows
    assert len(by_columns[0]) == 49 and len(by_columns[1]) == 1  # the short row: no NIK
    assert used > 0


def test_parts_whose_fields_hold_line_breaks_go_row_by_row(tmp_path):
    path = write_dtks(tmp_path / "awkward.csv", _awkward_people(60))
    by_columns, by_rows, used = _results(path, part_bytes=2_000)
    assert by_columns == by_rows and len(by_columns[0]) == 60
    assert used < 4  # most parts hold a quoted line break: not read by columns


@pytest.mark.parametrize(
    ("address", "width"),
    [
        ('"DUSUN,\nRT 2"', 0),  # a line break inside quotes
        ('"DUSUN,RT 2', 0),  # a quote left open
        ("DUSUN\rRT 2", 0),  # a lone CR
        ("DUSUN\x00", 0),
        ("DUSUN", -1),  # a short row
        ("DUSUN", 1),  # a long one
    ],
)
def test_a_part_the_columns_cannot_read_alike_is_left_to_rows(address, width):
    converter = columnar.ColumnarConverter(
        DTKS, DTKS_HEADER, delimiter=",", encoding="utf-8-sig", region="",
        convert=lambda line, values: RowRejection(line, "nik", "", "x"), regencies=set(),
    )  # fmt: skip

    def data(address: str, width: int = 0) -> bytes:
        row = person(1, extra={"alamat": address}).values(1)
        row = row[:width] if width < 0 else row + ["LEBIH"] * width
        return (",".join(row) + "\n").encode()

    assert converter.part(data(address, width), 2, header=False) is None
    assert converter.part(data("DUSUN") + b"\n", 2, header=False) is None  # a blank line
    stored, count, rejected = converter.part(data("DUSUN, RT 2".replace(",", "")), 2, header=False)
    assert count == 1 and rejected == [] and stored.endswith(b"\t2\n")


def _dtsen_export(path: Path, dates: list[str]) -> Path:
    """A DTSEN-layout export (semicolons, sex 1/2, dates DD/MM/YYYY unless given)."""
    rows = people(len(dates) + 10)
    dtsen_field = {column: field for field, column in DTSEN.columns.items()}
    header = ["PERIODE", *DTSEN.columns.values()]
    lines = [";".join(header)]
    for number, row in enumerate(rows, start=1):
        dtks = dict(zip(DTKS_HEADER, row.values(number), strict=True))
        cells = {h: dtks[DTKS.columns[dtsen_field[h]]] for h in header[1:]}
        year, month, day = cells["TGL_LHR"].split("-")
        cells["TGL_LHR"] = dates[number - 1] if number <= len(dates) else f"{day}/{month}/{year}"
        cells["JNS_KEL"] = "1" if cells["JNS_KEL"] == "LAKI-LAKI" else "2"
        lines.append(";".join(["2026-09", *(cells[h] for h in header[1:])]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_dates_of_the_dtsen_layout_come_out_the_same_by_columns(tmp_path):
    dates = ["12/09/1963", "1/9/1963", "31/02/1963", "29/02/1964", "29/02/1963", "12/09/2999",
             " 12/09/1963", "1963-09-12", "12-09-1963", "", "01/01/1900", "31/12/1899"]  # fmt: skip
    path = _dtsen_export(tmp_path / "dtsen.csv", dates)
    by_columns, by_rows, used = _results(path, layout=DTSEN, part_bytes=1_000)
    assert by_columns == by_rows and used > 0
    lines, rejected = by_columns[:2]
    # Rejected: 31/02, 29/02/1963, 2999, 1899, the ISO and dashed dates, the empty one.
    assert len(lines) == 22 - 7 and len(rejected) == 7
    assert any("\t1963-09-01\t" in line for line in lines)  # 1/9/1963, as strptime reads it


def test_a_mapped_layout_without_the_optional_fields_comes_out_the_same(tmp_path):
    """No desil, no flags, no descriptive fields: their stored cells come out empty."""
    layout = layout_from_mapping({
        "columns": {"nik": "NIK", "no_kk": "KK", "name": "NAMA", "sex": "JK",
                    "birth_date": "LAHIR", "regency_code": "KAB", "village_code": "DESA"},
        "date_format": "%d-%m-%Y",
    })  # fmt: skip
    lines = ["NIK|KK|NAMA|JK|LAHIR|KAB|DESA|CATATAN"]
    for number, row in enumerate(people(40), start=1):
        year, month, day = row.tanggal_lahir.split("-")
        born = f"{day}-{month}-{year}" if number % 7 else f"{day}/{month}/{year}"
        lines.append(f"{row.nik}|{row.no_kk}|{row.nama}|L|{born}|7308|7308012001|ke-{number}")
    path = tmp_path / "mapped.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_columns, by_rows, used = _results(path, layout=layout, part_bytes=800)
    assert by_columns == by_rows and used > 0
    stored, rejected = by_columns[:2]
    assert len(stored) == 35 and len(rejected) == 5  # every 7th date is in another format
    assert stored[0].split("\t")[6:9] == ["\\N", "0", "\x1f" * len(DETAIL_FIELDS) + "ke-1"]


def test_python_spaces_are_what_str_strip_strips():
    spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(columnar.PYTHON_SPACES) == spaces


# Cells a real export holds, and the odd ones an officer's spreadsheet makes.
_CELLS = {
    "nama": ["SITI", " SITI", "SITI\xa0", "\u3000SITI", "SITI\x1c", "É SITI", "A\\B", "A\tB",
             "", "A, B", 'A "B"', "\x85"],
    "jenis_kelamin": ["LAKI-LAKI", "PEREMPUAN", "L", "p", " Laki-Laki", "X", "", "1"],
    "tanggal_lahir": ["1963-09-12", "1963-9-12", " 1963-09-12", "1963-02-29", "1964-02-29",
                      "12/09/1963", "", "1899-12-31", "1963-09-12 "],
    "desil": ["1", "10", "", " 7 ", "0", "11", "07", "x", "²", "٤"],
    "pkh": ["1", "0", "Ya", "tidak", " Y ", "", "-", "2"],
    "kode_desa": ["7308012001", "730801", "7308", "730", "7371012001", " 7308012001",
                  "73.08.01.2001", "٧٣٠٨٠١٢٠٠١", ""],
    "alamat": ["DUSUN", "A\\B", "A\tB", "", 'JL "X"'],
}  # fmt: skip
_cell_changes = st.fixed_dictionaries({name: st.sampled_from(c) for name, c in _CELLS.items()})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.booleans(), _cell_changes), min_size=1, max_size=25),
       region=st.sampled_from(["", "73.08"]))  # fmt: skip
def test_any_mix_of_odd_cells_comes_out_the_same_by_columns(changes, region):
    rows = []
    for number, (female, cells) in enumerate(changes, start=1):
        row = person(number, female=female)
        row.extra = {"kode_desa": cells.pop("kode_desa"), "alamat": cells.pop("alamat")}
        for name, value in cells.items():
            setattr(row, name, value)
        rows.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = write_dtks(Path(folder) / "odd.csv", rows)
        by_columns, by_rows, used = _results(path, region=region, part_bytes=1_500)
    assert by_columns == by_rows
    assert used > 0


def test_a_web_worker_does_not_load_arrow():
    """Arrow (~40 MiB a process) is loaded by an import's validator children only."""
    code = "import django, sys; django.setup(); import layan.urls; print('pyarrow' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "layan.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
