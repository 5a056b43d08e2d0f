"""The rules a row of a register export meets to be stored: one list, read by both roads.

An import checks rows on one of two roads: row by row (converting.py) or a
column at a time (columnar.py, the fast road for PostgreSQL). Each rule is
written here once: the field it reads, the reason a row breaking it is
rejected with (Bahasa Indonesia, officers read it) and the check itself. A
rule of few distinct cells (a CellRule) reads a cell with a function both
roads call once per distinct cell; the other rules (CheckRules) are checks of
a row's values, which the columnar road runs as Arrow kernels (columnar._BY_COLUMNS)
and hands every row it is not sure of to the row road. RULES is in the order
the checks run: a row is rejected for the first rule it breaks (REQUIRED is
checked on each of its fields just before that field's own rules).

Imported by the import's validator children, which run without Django's app
registry: nothing here touches a model.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from layan.core.nik import kk_problem, nik_problem, sex_problem
from layan.registry.fields import FLAG_FIELDS
from layan.registry.layouts import Layout
from layan.registry.scope import in_region


@dataclass(frozen=True, order=True)
class RowRejection:
    """A row left out of a snapshot: its line, the column and value at fault, and why."""

    line: int
    column: str
    value: str
    reason: str


class _Invalid:
    """What a cell rule reads from a cell it refuses (None is a valid empty desil)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

EARLIEST_BIRTH = date(1900, 1, 1)

CheckT = TypeVar("CheckT", bound=Callable[..., Any])


@dataclass(frozen=True, eq=False)
class RowRule:
    """One rule of RULES: the fields it reads and why a row breaking it is rejected.

    `reason` may name facts of the row in braces ({region}); None: the rule's
    check words the reason itself (core.nik's checks). A plain RowRule is
    checked by the database, when the rows are indexed (`by_database`); the
    roads check a CheckRule's `check` or read a CellRule's cells.
    """

    name: str
    fields: tuple[str, ...]
    reason: str | None
    by_database: bool = field(default=False, kw_only=True)

    def rejection(
        self, line: int, column: str, value: str, words: str | None = None, **facts
    ) -> RowRejection:
        """The rejection of a row breaking this rule; `words`: the reason its check gave."""
        if self.reason is not None:
            return RowRejection(line, column, value, self.reason.format(**facts))
        if words is None:
            raise TypeError(f"rule {self.name} has no reason of its own: pass its check's words")
        return RowRejection(line, column, value, words)


@dataclass(frozen=True, eq=False)
class CheckRule(RowRule, Generic[CheckT]):
    """A rule checked on a row's values by `check` (the columnar road: as Arrow kernels)."""

    check: CheckT = field(kw_only=True)


@dataclass(frozen=True, eq=False)
class CellRule(RowRule):
    """A rule of few distinct cells, read one distinct cell at a time.

    `reader`: given the file's layout, the function of one cell giving what is
    stored for it, or INVALID (`cells` keeps its answers).
    """

    reader: Callable[[Layout], Callable[[str], Any]] = field(kw_only=True)

    def cells(self, layout: Layout) -> "Cells":
        """This rule's answers for one file, each distinct cell read once."""
        return Cells(self.reader(layout))


def filled(cell: str) -> bool:
    """A required cell holds more than spaces."""
    return bool(cell.strip())


def area_valid(area: str) -> bool:
    """An area code (converting.area_code) names at least a regency, in digits."""
    return len(area) >= 4 and area.isdigit()


def sex_reader(layout: Layout) -> Callable[[str], str]:
    """The file's sex cell -> 'L' or 'P', or INVALID."""
    words = layout.sex
    # Exports write the same few words: the raw cell is looked up before it is normalised.
    exact = {**{k.title(): v for k, v in words.items()}, **words}

    def read(raw: str) -> str:
        return exact.get(raw) or words.get(raw.strip().upper()) or INVALID

    return read


def flag_reader(layout: Layout) -> Callable[[str], bool]:
    """A programme flag cell -> True / False, or INVALID."""
    words = layout.flags
    exact = {**{k.title(): v for k, v in words.items()}, **words}

    def read(raw: str) -> bool:
        value = exact.get(raw)
        if value is None:
            value = words.get(raw.strip().upper(), INVALID)
        return value

    return read


def desil_read(raw: str) -> int | None:
    """A desil cell -> 1 to 10, None when empty, or INVALID."""
    text = raw.strip()
    if not text:
        return None
    # isdecimal: the digits int() reads (isdigit also takes e.g. '²').
    if not text.isdecimal() or not 1 <= int(text) <= 10:
        return INVALID
    return int(text)


# Where the year, month and day sit in a zero-padded date of each common format:
# such text is read by slicing, which gives what strptime gives at a tenth of its
# cost (a register holds tens of thousands of distinct birth dates).
_FIXED_FORMATS = {
    "%Y-%m-%d": ("-", 4, 7, slice(0, 4), slice(5, 7), slice(8, 10)),
    "%d/%m/%Y": ("/", 2, 5, slice(6, 10), slice(3, 5), slice(0, 2)),
    "%d-%m-%Y": ("-", 2, 5, slice(6, 10), slice(3, 5), slice(0, 2)),
}


def date_read(text: str, fmt: str) -> date | None:
    """The date `text` holds in format `fmt`, or None when strptime would refuse it."""
    fixed = _FIXED_FORMATS.get(fmt)
    if fixed and len(text) == 10 and text.isascii():
        sep, first, second, year, month, day = fixed
        digits = text[year] + text[month] + text[day]
        if text[first] == sep and text[second] == sep and digits.isdigit():
            try:
                return date(int(text[year]), int(text[month]), int(text[day]))
            except ValueError:
                return None
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def birth_reader(layout: Layout) -> Callable[[str], str]:
    """A birth-date cell -> ISO text, or INVALID when it is not a real date from 1900 to today."""
    formats, today = layout.date_formats, date.today()

    def read(raw: str) -> str:
        text = raw.strip()
        for fmt in formats:
            parsed = date_read(text, fmt)
            if parsed is not None:
                return parsed.isoformat() if EARLIEST_BIRTH <= parsed <= today else INVALID
        return INVALID

    return read


class Cells(dict[str, Any]):
    """Raw cell -> what a cell rule reads from it; each distinct cell is read once.

    A file writes few distinct cells of these fields (tens of thousands of birth
    dates at most), so on most rows a rule costs one dict lookup, in C.
    """

    def __init__(self, read: Callable[[str], Any]):
        super().__init__()
        self.read = read

    def __missing__(self, raw: str) -> Any:
        value = self[raw] = self.read(raw)
        return value


NIK = CheckRule("nik", ("nik",), None, check=nik_problem)
NO_KK = CheckRule("no_kk", ("no_kk",), None, check=kk_problem)
REQUIRED = CheckRule("required", ("name", "birth_date"), "kolom wajib kosong", check=filled)
SEX = CellRule("sex", ("sex",), "jenis kelamin tidak dikenal", reader=sex_reader)
SEX_OF_NIK = CheckRule("sex_of_nik", ("sex", "nik"), None, check=sex_problem)
BIRTH_DATE = CellRule(
    "birth_date", ("birth_date",), "tanggal lahir tidak mungkin", reader=birth_reader
)
# Both name the regency column: the area code may come from the village, district
# or regency column (converting.area_code), and the regency is the one every file has.
AREA = CheckRule("area", ("regency_code",), "kode wilayah tidak sah", check=area_valid)
REGION = CheckRule("region", ("regency_code",), "di luar wilayah {region}", check=in_region)
DESIL = CellRule(
    "desil", ("desil",), "desil harus angka 1 sampai 10", reader=lambda layout: desil_read
)
FLAGS = CellRule(
    "flags", tuple(FLAG_FIELDS), "tanda program harus Ya/Tidak atau 1/0", reader=flag_reader
)
# The unique index on nik, built once every row is in (storage.indexes_build).
DUPLICATE_NIK = RowRule(
    "duplicate_nik", ("nik",), "NIK ganda dalam berkas (sama dengan baris {first_line})",
    by_database=True,
)  # fmt: skip

RULES: tuple[RowRule, ...] = (
    NIK, NO_KK, REQUIRED, SEX, SEX_OF_NIK, BIRTH_DATE, AREA, REGION, DESIL, FLAGS, DUPLICATE_NIK,
)  # fmt: skip
