"""Comparing two snapshots of one region: who entered, who left, whose desil or programmes changed.

The rows come from the database in batches (`storage.diff_rows`) and leave as
they come, to a page, a CSV or an XLSX file: a diff of two million-row
snapshots is never held in memory.
"""

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

import xlsxwriter
from django.db import connection
from django.db.models import QuerySet

from layan.offices.models import Office
from layan.registry import storage
from layan.registry.models import Snapshot, SnapshotState
from layan.registry.scope import in_region, region_within
from layan.registry.selectors import Person, person_from_row, snapshots_of_office

KINDS = ("entered", "left", "changed")
KIND_LABELS = {"entered": "Masuk", "left": "Keluar", "changed": "Berubah"}
# States whose snapshot still has its table of people.
COMPARABLE_STATES = (SnapshotState.ACTIVE, SnapshotState.SUPERSEDED)

_WIDTH = len(storage.COLUMNS)
_DESIL = storage.COLUMNS.index("desil")
_FLAGS = storage.COLUMNS.index("flags")
_AREA = storage.COLUMNS.index("area_code")

HEADER = (
    "Perubahan", "NIK", "No KK", "Nama", "Jenis kelamin", "Tempat lahir", "Tanggal lahir",
    "Hubungan keluarga", "Alamat", "RT", "RW", "Kode wilayah", "Kecamatan", "Desa/kelurahan",
    "Desil lama", "Desil baru", "Program lama", "Program baru", "Keterangan", "Baris berkas",
)  # fmt: skip
# Columns that look like numbers but are identifiers: written as text in XLSX.
_TEXT_COLUMNS = {"NIK", "No KK", "Kode wilayah", "RT", "RW"}


@dataclass(frozen=True)
class DiffRow:
    """One person of a comparison, as they were (`before`) and are (`after`)."""

    kind: str
    before: Person | None
    after: Person | None

    @property
    def person(self) -> Person:
        """The person as the newer snapshot has them, or as they left."""
        if self.after is not None:
            return self.after
        if self.before is None:  # _diff_row makes every row with a person on one side
            raise ValueError("a diff row without a person")
        return self.before

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def desil_before(self) -> int | None:
        return self.before.desil if self.before else None

    @property
    def desil_after(self) -> int | None:
        return self.after.desil if self.after else None

    @property
    def programmes_before(self) -> list[str]:
        return self.before.programmes if self.before else []

    @property
    def programmes_after(self) -> list[str]:
        return self.after.programmes if self.after else []

    @property
    def changes(self) -> str:
        """'desil 3 → 5; PKH dihapus; PBI-JK ditambahkan' for a changed row, else ''."""
        if self.kind != "changed":
            return ""
        parts = []
        if self.desil_before != self.desil_after:
            parts.append(f"desil {_shown(self.desil_before)} → {_shown(self.desil_after)}")
        parts += [f"{p} dihapus" for p in self.programmes_before if p not in self.programmes_after]
        parts += [
            f"{p} ditambahkan" for p in self.programmes_after if p not in self.programmes_before
        ]
        return "; ".join(parts)


@dataclass
class DiffPreview:
    """How many rows of one kind there are, and the first few of them."""

    kind: str
    count: int = 0
    rows: list[DiffRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)


def _shown(desil: int | None) -> str:
    return "-" if desil is None else str(desil)


def _region_label(snapshot: Snapshot) -> str:
    return snapshot.region_code or "nasional"


def diff_check(old: Snapshot, new: Snapshot) -> None:
    """Raise ValueError (in Bahasa Indonesia) unless the two snapshots can be compared."""
    if old.pk == new.pk:
        raise ValueError("Pilih dua salinan register yang berbeda untuk dibandingkan.")
    if old.region_code != new.region_code:
        raise ValueError(
            "Hanya salinan register dari wilayah yang sama yang dapat dibandingkan: "
            f"salinan #{old.pk} berwilayah {_region_label(old)}, "
            f"salinan #{new.pk} berwilayah {_region_label(new)}."
        )
    # A superseded snapshot's table may have been dropped to free space.
    tables = None
    for snapshot in (old, new):
        if snapshot.state in COMPARABLE_STATES and snapshot.table_name:
            tables = tables or set(connection.introspection.table_names())
            if snapshot.table_name in tables:
                continue
        raise ValueError(
            f"Salinan #{snapshot.pk} ({snapshot.get_state_display().lower()}) "
            "tidak memiliki data yang dapat dibandingkan."
        )


def _raw_rows(old: Snapshot, new: Snapshot, kind: str, area: str) -> Iterator[tuple]:
    rows = storage.diff_rows(old.table_name, new.table_name, kind)
    if region_within(new.region_code, area):  # no row of the snapshot is outside the area
        return iter(rows)
    return (row for row in rows if in_region(row[_AREA] or "", area))


def _diff_row(kind: str, row: tuple) -> DiffRow:
    if kind == "entered":
        return DiffRow(kind, before=None, after=person_from_row(row))
    if kind == "left":
        return DiffRow(kind, before=person_from_row(row), after=None)
    # "changed" rows are the new row's columns followed by the old desil and flags.
    after, (old_desil, old_flags) = row[:_WIDTH], row[_WIDTH:]
    before = list(after)
    before[_DESIL], before[_FLAGS] = old_desil, old_flags
    return DiffRow(kind, before=person_from_row(tuple(before)), after=person_from_row(after))


def snapshot_diff(*, old: Snapshot, new: Snapshot, kind: str, area: str = "") -> Iterator[DiffRow]:
    """The people who entered, left or changed from `old` to `new`, in file order.

    `area` (an office's region code) keeps only people of that region, so an
    office comparing its province's snapshots sees its own people only.
    Raises ValueError at once (not on first iteration) for snapshots that
    cannot be compared.
    """
    if kind not in KINDS:
        raise ValueError(f"Jenis perbandingan '{kind}' tidak dikenal.")
    diff_check(old, new)
    return (_diff_row(kind, row) for row in _raw_rows(old, new, kind, area))


def diff_summary(old: Snapshot, new: Snapshot, *, area: str = "") -> dict[str, int]:
    """How many people entered, left and changed: {"entered": 3, "left": 1, "changed": 2}."""
    diff_check(old, new)
    return {kind: sum(1 for _ in _raw_rows(old, new, kind, area)) for kind in KINDS}


def diff_preview(
    old: Snapshot, new: Snapshot, *, area: str = "", limit: int = 200
) -> list[DiffPreview]:
    """Per kind, the count and the first `limit` rows, in one pass over each kind."""
    diff_check(old, new)
    previews = []
    for kind in KINDS:
        preview = DiffPreview(kind)
        for row in _raw_rows(old, new, kind, area):
            if preview.count < limit:
                preview.rows.append(_diff_row(kind, row))
            preview.count += 1
        previews.append(preview)
    return previews


def diff_default_pair(
    office: Office, *, new: Snapshot | None = None
) -> tuple[Snapshot | None, Snapshot | None]:
    """What to compare when nothing was picked: the active snapshot and the one before it."""
    choices = diff_choices(office)
    new = new or choices.filter(state=SnapshotState.ACTIVE).first()
    if new is None:
        return None, None
    old = (
        choices.filter(region_code=new.region_code, period__lte=new.period)
        .exclude(pk=new.pk)
        .exclude(period=new.period, started_at__gt=new.started_at)
        .order_by("-period", "-started_at")
        .first()
    )
    return old, new


def diff_choices(office: Office) -> QuerySet[Snapshot]:
    """The office's snapshots that still have their people, newest period first."""
    return (
        snapshots_of_office(office)
        .filter(state__in=COMPARABLE_STATES)
        .order_by("-period", "-started_at")
    )


def _record(row: DiffRow) -> list:
    """One output line, in the order of HEADER."""
    p = row.person
    return [
        row.kind_label, p.nik, p.no_kk, p.name, p.sex, p.birth_place, p.birth_date,
        p.relationship, p.address, p.rt, p.rw, p.area_code, p.district_name, p.village_name,
        row.desil_before, row.desil_after, ", ".join(row.programmes_before),
        ", ".join(row.programmes_after), row.changes, p.line,
    ]  # fmt: skip


class _Echo:
    """A file-like object whose write() hands the text back, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


# A cell Excel would run as a formula; exported files carry raw text from register exports.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and len(value) > 1 and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_chunks(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV text line by line, with a BOM so Excel reads the UTF-8 names right.

    Text that Excel would take for a formula gets a leading apostrophe (OWASP's
    advice against CSV injection).
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def diff_csv_chunks(old: Snapshot, new: Snapshot, *, area: str = "") -> Iterator[str]:
    """The whole comparison as CSV text, every kind in one file (column 'Perubahan')."""
    diff_check(old, new)
    rows = itertools.chain.from_iterable(
        snapshot_diff(old=old, new=new, kind=kind, area=area) for kind in KINDS
    )
    return csv_chunks(HEADER, (_record(row) for row in rows))


def diff_csv(old: Snapshot, new: Snapshot, stream: IO[str], *, area: str = "") -> None:
    """Write the comparison as CSV to a text stream."""
    for chunk in diff_csv_chunks(old, new, area=area):
        stream.write(chunk)


def diff_xlsx(old: Snapshot, new: Snapshot, path_or_stream, *, area: str = "") -> None:
    """Write the comparison as XLSX, one sheet per kind (Masuk, Keluar, Berubah).

    constant_memory flushes each row to disk as soon as the next one starts,
    so the workbook's size does not grow the process.
    """
    diff_check(old, new)
    workbook = xlsxwriter.Workbook(path_or_stream, {"constant_memory": True})
    try:
        bold = workbook.add_format({"bold": True})
        formats = _column_formats(workbook)
        for kind in KINDS:
            sheet = workbook.add_worksheet(KIND_LABELS[kind])
            sheet.write_row(0, 0, HEADER, bold)
            sheet.freeze_panes(1, 0)
            for column, (width, _) in enumerate(formats):
                sheet.set_column(column, column, width)
            count = 0
            for count, row in enumerate(snapshot_diff(old=old, new=new, kind=kind, area=area), 1):
                _xlsx_row(sheet, count, _record(row), formats)
            sheet.autofilter(0, 0, max(count, 1), len(HEADER) - 1)
    finally:
        workbook.close()


def _column_formats(workbook) -> list[tuple[int, object]]:
    """(width, cell format) per column; identifiers as text so Excel keeps every digit."""
    text = workbook.add_format({"num_format": "@"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    widths = {"NIK": 19, "No KK": 19, "Nama": 28, "Alamat": 28, "Keterangan": 30}
    return [
        (
            widths.get(name, 12),
            text if name in _TEXT_COLUMNS else day if name == "Tanggal lahir" else None,
        )
        for name in HEADER
    ]


def _xlsx_row(sheet, row_number: int, values: list, formats: list[tuple[int, object]]) -> None:
    for column, value in enumerate(values):
        cell_format = formats[column][1]
        if value is None or value == "":
            continue
        if isinstance(value, date):
            sheet.write_datetime(row_number, column, value, cell_format)
        elif isinstance(value, int):
            sheet.write_number(row_number, column, value, cell_format)
        else:
            sheet.write_string(row_number, column, str(value), cell_format)
