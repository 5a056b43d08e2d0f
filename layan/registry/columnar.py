"""Validating a CSV part a column at a time, with Arrow's compute kernels.

Row by row (converting.py) a row costs a few microseconds of Python, most of
an import's CPU. Here Arrow's CSV reader (C++) parses a whole part and each
check runs over a whole column; a row that passes every check goes into the
COPY text without a Python step. A row that any check does not pass, or is
not sure of, goes through the row converter, which gives its stored row or
its exact rejection: both roads store and reject the same rows, with the same
reasons. Both read their rules from rules.RULES: a rule of few distinct cells
(sex, birth date, desil, flags) is its reader, run once per distinct cell; the
others are checked here by Arrow kernels (_BY_COLUMNS).

Used for PostgreSQL (COPY text) and for parts whose every row is one line,
so that a row's line number is its position in the part. Anything else
(a field running over a line break, a row of the wrong width, bytes that do
not decode) leaves the part to the row converter (None).
"""

import io
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from layan.core.nik import _FEB_29, _KK_DDMM, _LEAP_YY, _NIK_DDMM, PROVINCE_CODES
from layan.registry import rules
from layan.registry.converting import Converter, field_positions
from layan.registry.layouts import Layout
from layan.registry.rules import EARLIEST_BIRTH, INVALID, RowRejection
from layan.registry.storage import COPY_NULL, FLAG_BITS
from layan.registry.tables import lf_lines


def _numbers(texts) -> pa.Array:
    return pa.array(sorted(int(text) for text in texts), pa.int64())


# core.nik's sets, as numbers: a NIK is read as one integer and its parts are
# taken by division, which costs a small share of slicing its text.
_PROVINCES = _numbers(PROVINCE_CODES)
_LEAP = _numbers(_LEAP_YY)
_NIK_DATES = (_numbers(_NIK_DDMM), _numbers(_FEB_29))
_KK_DATES = (_numbers(_KK_DDMM), _numbers(["2902"]))
_FEMALE_FROM_DDMM = 4000  # a woman's day of birth is 41-71
# Text of a fixed-width date format -> its ISO text (ISO itself needs none).
_TO_ISO = {
    "%d/%m/%Y": (r"^(\d\d)/(\d\d)/(\d\d\d\d)$", r"\3-\2-\1"),
    "%d-%m-%Y": (r"^(\d\d)-(\d\d)-(\d\d\d\d)$", r"\3-\2-\1"),
}
# What str.strip() strips: every character str.isspace() holds true (a test checks).
PYTHON_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# What COPY's text format must escape (storage.copy_escape).
_COPY_SPECIAL = r"[\\\t\n\r]"
# The rules _convert checks with Arrow kernels; the others are CellRules (their
# reader) or the database's. Were a rule in none of these, every part would go
# to the row converter (`usable`).
_BY_COLUMNS: frozenset[rules.RowRule] = frozenset(
    {rules.NIK, rules.NO_KK, rules.REQUIRED, rules.SEX_OF_NIK, rules.AREA, rules.REGION}
)


class ColumnarConverter:
    """Turns one CSV part (its bytes) into COPY text and rejections, or says it cannot."""

    def __init__(self, layout: Layout, headers: list[str], *, delimiter: str, encoding: str,
                 region: str, convert: Converter, regencies: set[str]):  # fmt: skip
        self.convert, self.regencies = convert, regencies
        self.delimiter, self.encoding = delimiter, encoding
        self.width = len(headers)
        self.names = [f"c{i}" for i in range(self.width)]
        self._numbers = pa.array([], pa.int64())
        index, detail_at = field_positions(layout, headers)
        self.index, self.detail_at = index, detail_at
        # Whether this file can be read by columns: a row's area is its village code.
        self.usable = "village_code" in index and all(
            isinstance(rule, rules.CellRule) or rule.by_database or rule in _BY_COLUMNS
            for rule in rules.RULES
        )
        area_valid, in_region = rules.AREA.check, rules.REGION.check

        def village_of(raw: str) -> str:
            # A village cell of digits is the row's area as it is (converting.area_code).
            if raw.isdigit() and area_valid(raw) and in_region(raw, region):
                return raw
            return INVALID

        # Each cell rule's reader, and how what it reads is written in COPY text.
        texts = {"desil": _desil_text, **{f: _flag_text(FLAG_BITS[f]) for f in rules.FLAGS.fields}}
        self.values = {
            field: _Distinct(rule.reader(layout), texts.get(field, str))
            for rule in rules.RULES if isinstance(rule, rules.CellRule)
            for field in rule.fields if field in index
        }  # fmt: skip
        self.values["village_code"] = _Distinct(village_of, str)
        (date_format,) = layout.date_formats if len(layout.date_formats) == 1 else (None,)
        # A single format whose dates are read by position: checked by columns.
        self.iso_date = date_format if date_format in {"%Y-%m-%d", *_TO_ISO} else None
        self.birth_range = (EARLIEST_BIRTH.isoformat(), date.today().isoformat())

    def part(
        self, data: bytes, first_line: int, *, header: bool
    ) -> tuple[bytes, int, list[RowRejection]] | None:
        """COPY text of the stored rows, their count, and the rejections; None: use rows.

        `first_line`: the line number of the part's first row (after the header
        line when `header`).
        """
        utf8 = self._utf8(data)
        if utf8 is None or utf8.count(b'"') % 2:
            return None  # a quote left open: how csv reads it depends on what follows
        try:
            table = self._read(utf8, header=header)
        except (pa.ArrowException, ValueError):
            return None
        if table.num_rows != _lines(utf8) - header:
            return None  # a blank line, or a quoted field holding a line break
        if table.num_rows == 0:
            return b"", 0, []
        # A backslash or a tab inside a field (a quoted one, in a tab-separated file)
        # needs COPY's escapes; most parts have none, which one scan of the bytes shows.
        tab_in_field = b"\t" in utf8 if self.delimiter != "\t" else b'"' in utf8
        return self._convert(table, first_line, escapes=b"\\" in utf8 or tab_in_field)

    def _utf8(self, data: bytes) -> bytes | None:
        """The part as UTF-8 with LF line ends; None when csv must read it (tables.lf_lines)."""
        lf = lf_lines(data)
        if lf is not None and self.encoding == "cp1252":
            try:
                return lf.decode("cp1252").encode()
            except UnicodeDecodeError:
                return None
        return lf

    def _read(self, data: bytes, *, header: bool) -> pa.Table:
        return pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(
                column_names=self.names, skip_rows=int(header), use_threads=False,
                block_size=max(len(data) + 1, 1 << 20),
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=self.delimiter, quote_char='"', double_quote=True,
                newlines_in_values=True, ignore_empty_lines=True,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in self.names},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )  # fmt: skip

    def _convert(
        self, table: pa.Table, first_line: int, *, escapes: bool
    ) -> tuple[bytes, int, list[RowRejection]]:
        columns = [c.combine_chunks() for c in table.columns]

        def column(field: str) -> pa.Array:
            return columns[self.index[field]]

        nik, no_kk, name = column("nik"), column("no_kk"), column("name")
        sex = self.values["sex"].of(column("sex"))
        birth = self._births(column("birth_date"))
        area = self.values["village_code"].of(column("village_code"))
        desil = self.values["desil"].of(column("desil")) if "desil" in self.values else None
        flags = self._flags(column)
        blank = pa.repeat("", table.num_rows)
        details = pc.binary_join_element_wise(
            *(columns[i] if i < self.width else blank for i in self.detail_at), "\x1f"
        )
        named = pc.greater(pc.binary_length(name), 0)
        nik_ok, nik_ddmm = _structure_ok(nik, *_NIK_DATES)
        female = pc.greater_equal(nik_ddmm, _FEMALE_FROM_DDMM)
        checks = [
            nik_ok,
            _structure_ok(no_kk, *_KK_DATES)[0],
            pc.and_(named, pc.equal(pc.utf8_trim(name, PYTHON_SPACES), name)),  # strip()ped
            pc.equal(sex, pc.if_else(female, "P", "L")),
            pc.is_valid(birth),
            pc.is_valid(area),
        ]
        if escapes:  # somewhere in the part: find the rows (a field holds no line break)
            checks.append(pc.invert(pc.match_substring_regex(name, _COPY_SPECIAL)))
            checks.append(pc.invert(pc.match_substring_regex(details, _COPY_SPECIAL)))
        if desil is not None:
            checks.append(pc.is_valid(desil))
        else:
            desil = pa.repeat(COPY_NULL, table.num_rows)
        if flags is not None:
            checks.append(pc.is_valid(flags))
        else:
            flags = pa.repeat("0", table.num_rows)
        good = checks[0]
        for check in checks[1:]:
            good = pc.and_(good, pc.fill_null(check, False))
        line = pc.cast(pc.add(self._counting(table.num_rows), first_line), pa.string())
        ends = pc.binary_join_element_wise(line, "", "\n")  # the line number, then LF
        text = pc.filter(
            pc.binary_join_element_wise(nik, no_kk, name, sex, birth, area, desil, flags,
                                        details, ends, "\t"),
            good,
        )  # fmt: skip
        regencies = pc.unique(pc.utf8_slice_codeunits(pc.filter(area, good), 0, 4))
        self.regencies.update(regencies.to_pylist())
        copy, count, rejected = [_string_bytes(text)], len(text), []
        for result in self._by_rows(table, pc.invert(good), first_line):
            if isinstance(result, RowRejection):
                rejected.append(result)
            else:
                copy.append(result.encode())
                count += 1
        return b"".join(copy), count, rejected

    def _births(self, raw: pa.Array) -> pa.Array:
        """ISO birth dates, null where unsure (the row converter then decides).

        A cell written exactly in the layout's fixed-width format, of a real date
        from 1900 to today, is what the row converter stores as it is (ISO) or
        rearranged; anything else (spaces, missing zeros, other formats) is left
        to it. Several formats, or another one: each distinct cell is read once.
        """
        if self.iso_date is None:
            return self.values["birth_date"].of(raw)
        iso, written = raw, None
        if self.iso_date in _TO_ISO:
            iso = pc.replace_substring_regex(raw, *_TO_ISO[self.iso_date])
            written = pc.not_equal(iso, raw)  # the cell was in the format (ISO is not)
        read = pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True)
        # Read back, a real date gives its own text again: 1963-02-30 would not.
        real = pc.fill_null(pc.equal(pc.cast(pc.cast(read, pa.date32()), pa.string()), iso), False)
        earliest, today = self.birth_range
        valid = pc.and_(real, pc.greater_equal(iso, earliest))
        valid = pc.and_(valid, pc.less_equal(iso, today))
        if written is not None:
            valid = pc.and_(valid, written)
        return pc.if_else(valid, iso, None)

    def _counting(self, count: int) -> pa.Array:
        """0, 1, … count - 1: made once (from a Python range it costs more than the rest)."""
        if len(self._numbers) < count:
            self._numbers = pa.array(range(max(count, 2 * len(self._numbers))), pa.int64())
        return self._numbers.slice(0, count)

    def _flags(self, column) -> pa.Array | None:
        total = None
        for field in rules.FLAGS.fields:
            if field not in self.values:
                continue
            bits = pc.cast(self.values[field].of(column(field)), pa.int8())
            total = bits if total is None else pc.add(total, bits)
        return None if total is None else pc.cast(total, pa.string())

    def _by_rows(self, table: pa.Table, mask: pa.Array, first_line: int):
        """The row converter's results for the rows the columns did not settle."""
        at = pc.indices_nonzero(mask)
        if len(at) == 0:
            return
        rows = table.take(at)
        columns = [rows.column(i).to_pylist() for i in range(self.width)]
        for offset, values in zip(at.to_pylist(), zip(*columns, strict=True), strict=True):
            yield self.convert(first_line + offset, list(values))


def _desil_text(desil: int | None) -> str:
    return COPY_NULL if desil is None else str(desil)


def _flag_text(bit: int):
    """A flag as the bit it adds to the row's flags (_flags sums them)."""

    def text(on: bool) -> str:
        return str(bit if on else 0)

    return text


class _Distinct(rules.Cells):
    """Raw cell -> its COPY text, or None where the rule refuses it (the row road says why)."""

    def __init__(self, read, text):
        super().__init__(lambda raw: None if (value := read(raw)) is INVALID else text(value))

    def of(self, column: pa.Array) -> pa.Array:
        """The column mapped cell by cell (a lookup per distinct cell of the column)."""
        encoded = pc.dictionary_encode(column)
        mapped = list(map(self.__getitem__, encoded.dictionary.to_pylist()))
        return pc.take(pa.array(mapped, pa.string()), encoded.indices)


def _structure_ok(
    numbers: pa.Array, dates: pa.Array, feb_29: pa.Array
) -> tuple[pa.Array, pa.Array]:
    """Where nik_problem / kk_problem is None, for a whole column; and each DDMM.

    16 ASCII digits PP RR DD DDMMYY NNNN: an existing province, a real day and
    month (29 February only in a YY divisible by 4), a serial other than 0000.
    """
    shaped = pc.and_(pc.equal(pc.binary_length(numbers), 16), pc.ascii_is_decimal(numbers))
    value = pc.cast(pc.if_else(shaped, numbers, "0"), pa.int64())

    def above(digits: int) -> pa.Array:  # the number without its last `digits` digits
        return pc.divide(value, 10**digits)

    def within(high: int, low: int) -> pa.Array:  # digits high..low, counted from the right
        return pc.subtract(above(low), pc.multiply(above(high), 10 ** (high - low)))

    ddmm, yy = within(10, 6), within(6, 4)
    ok = pc.and_(shaped, pc.is_in(above(14), value_set=_PROVINCES))
    ok = pc.and_(ok, pc.is_in(ddmm, value_set=dates))
    not_leap = pc.invert(pc.is_in(yy, value_set=_LEAP))
    ok = pc.and_not(ok, pc.and_(pc.is_in(ddmm, value_set=feb_29), not_leap))
    return pc.and_(ok, pc.not_equal(within(4, 0), 0)), ddmm


def _lines(data: bytes) -> int:
    """Lines of the text: its line breaks, and a last line with none."""
    return data.count(b"\n") + (bool(data) and not data.endswith(b"\n"))


def _string_bytes(strings: pa.Array) -> bytes:
    """The strings of an Arrow string array one after another: its data buffer's span."""
    if len(strings) == 0:
        return b""
    _, offsets, data = strings.buffers()
    at = memoryview(offsets).cast("i")
    start, end = at[strings.offset], at[strings.offset + len(strings)]
    return data.slice(start, end - start).to_pybytes()
