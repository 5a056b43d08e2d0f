"""One export row -> one stored row, or the reason it is rejected.

This is the hot loop of an import (a million rows a file), so the converter
is built once per file with its column positions resolved, and each check is
a set lookup or a cached parse.
"""

from collections.abc import Callable
from datetime import date, datetime
from operator import itemgetter

from layan.core.nik import kk_problem, nik_problem, nik_sex
from layan.registry.layouts import Layout
from layan.registry.storage import COPY_NULL, DETAIL_FIELDS, DETAIL_SEP, FLAG_BITS, copy_escape

# A rejection: (line, column header, value, reason in Bahasa Indonesia).
Rejected = tuple[int, str, str, str]
Converter = Callable[[int, list[str]], tuple | str | Rejected]

EARLIEST_BIRTH = date(1900, 1, 1)


# Where the year, month and day sit in a zero-padded date of each common format:
# such text is read by slicing, which gives what strptime gives at a tenth of its
# cost (a register holds tens of thousands of distinct birth dates).
_FIXED_FORMATS = {
    "%Y-%m-%d": ("-", 4, 7, slice(0, 4), slice(5, 7), slice(8, 10)),
    "%d/%m/%Y": ("/", 2, 5, slice(6, 10), slice(3, 5), slice(0, 2)),
    "%d-%m-%Y": ("-", 2, 5, slice(6, 10), slice(3, 5), slice(0, 2)),
}


def _date_read(text: str, fmt: str) -> date | None:
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


class BirthDates(dict):
    """Raw birth-date cell -> ISO text, or None when it is not a real, past date.

    A dict that works out a cell the first time it is asked for it: a file holds
    tens of thousands of distinct dates, so most rows are one lookup in C.
    """

    def __init__(self, formats: tuple[str, ...]):
        super().__init__()
        self.formats = formats
        self.today = date.today()

    def __missing__(self, raw: str) -> str | None:
        value = None
        text = raw.strip()
        for fmt in self.formats:
            parsed = _date_read(text, fmt)
            if parsed is None:
                continue
            if EARLIEST_BIRTH <= parsed <= self.today:
                value = parsed.isoformat()
            break
        self[raw] = value
        return value


def _digits(raw: str) -> str:
    return raw.replace(".", "").replace(" ", "")


def field_positions(layout: Layout, headers: list[str]) -> tuple[dict[str, int], list[int]]:
    """Each mapped field's column, and the columns the details text is joined from.

    The details text: DETAIL_FIELDS in order (an absent field reads position
    len(headers), the empty cell appended to every row), then the columns no
    field maps.
    """
    position = {h.strip().lower(): i for i, h in enumerate(headers)}
    index = {f: position[c.lower()] for f, c in layout.columns.items() if c.lower() in position}
    blank = len(headers)
    mapped = set(index.values())
    detail_at = [index.get(f, blank) for f in DETAIL_FIELDS]
    detail_at += [i for i in range(len(headers)) if i not in mapped]
    return index, detail_at


def converter_build(
    layout: Layout,
    headers: list[str],
    *,
    region: str = "",
    as_copy: bool = False,
    regencies: set[str] | None = None,
) -> Converter:
    """A function turning one row of this file into a stored row or a rejection.

    With `as_copy` a stored row comes as one line of PostgreSQL's COPY text format
    (a str, the columns of storage.COLUMNS) instead of a tuple: written straight
    from the validated text, it saves building and then formatting a tuple.
    Each stored row's regency code (4 digits) is added to `regencies` when given.
    """
    regency_add = regencies.add if regencies is not None else None
    index, detail_at = field_positions(layout, headers)
    header = {f: headers[i] for f, i in index.items()}
    get = index.get
    i_nik, i_kk, i_name, i_sex, i_birth = (
        index["nik"], index["no_kk"], index["name"], index["sex"], index["birth_date"],
    )  # fmt: skip
    i_regency, i_province = index["regency_code"], get("province_code")
    i_district, i_village = get("district_code"), get("village_code")
    i_desil = get("desil")
    flag_at = [(get(f), FLAG_BITS[f]) for f in ("pkh", "bpnt", "pbi") if get(f) is not None]
    details_of = itemgetter(*detail_at)
    join = DETAIL_SEP.join
    sex_words, flag_words = layout.sex, layout.flags
    birth_dates = BirthDates(layout.date_formats)
    region_prefix = region.replace(".", "")

    # Exports write the same few words for sex and flags; looking the raw cell up
    # first saves normalising it on every row.
    sex_exact = {**{k.title(): v for k, v in sex_words.items()}, **sex_words}
    flag_exact = {**{k.title(): v for k, v in flag_words.items()}, **flag_words}

    flag_indexes = [i for i, _ in flag_at]
    # The raw flag cells of a row in one C call (one index gives the bare cell).
    flags_of = itemgetter(*flag_indexes) if flag_indexes else lambda values: ()
    flags_known: dict[object, int] = {}

    def reject(line: int, field: str, value: str, reason: str) -> Rejected:
        return (line, header[field], value, reason)

    # Per-file memos of the hot loop: the rows of one household follow each other
    # (same No KK, same village), and a file writes few distinct sex and desil
    # cells; each is checked once, then looked up (birth dates: BirthDates).
    kk_ok = ""
    area_seen: str | None = None  # a village code already checked
    sex_known: dict[str, str] = {}  # sex cell + the NIK's day-tens digit -> "L"/"P"
    desil_known: dict[str, int | None] = {"": None}

    def convert(line: int, values: list[str]) -> tuple | str | Rejected:
        nonlocal kk_ok, area_seen
        nik = values[i_nik].strip()
        if problem := nik_problem(nik):
            return reject(line, "nik", nik, problem)
        no_kk = values[i_kk].strip()
        if no_kk != kk_ok:
            if problem := kk_problem(no_kk):
                return reject(line, "no_kk", no_kk, problem)
            kk_ok = no_kk
        name = values[i_name].strip()
        if not name:
            return reject(line, "name", "", "kolom wajib kosong")
        raw_sex = values[i_sex]
        sex = sex_known.get(raw_sex + nik[6])
        if sex is None:
            sex = sex_exact.get(raw_sex) or sex_words.get(raw_sex.strip().upper())
            if sex is None:
                return reject(line, "sex", raw_sex, "jenis kelamin tidak dikenal")
            if sex != nik_sex(nik):
                return reject(line, "sex", raw_sex, _sex_reason(sex))
            sex_known[raw_sex + nik[6]] = sex
        raw_birth = values[i_birth]
        birth = birth_dates[raw_birth]
        if birth is None:
            reason = "tanggal lahir tidak mungkin" if raw_birth.strip() else "kolom wajib kosong"
            return reject(line, "birth_date", raw_birth, reason)
        # A village code of digits is the usual case, read without the call.
        area = values[i_village] if i_village is not None else ""
        if area != area_seen:
            if not area.isdigit():
                area = _area_code(values, i_province, i_regency, i_district, i_village)
            if len(area) < 4 or not area.isdigit():
                return reject(line, "regency_code", values[i_regency], "kode wilayah tidak sah")
            if region_prefix and not area.startswith(region_prefix):
                return reject(line, "regency_code", area[:4], f"di luar wilayah {region}")
            if i_village is not None and area == values[i_village]:
                area_seen = area
        desil = None
        if i_desil is not None:
            raw_desil = values[i_desil]
            try:
                desil = desil_known[raw_desil]
            except KeyError:
                text = raw_desil.strip()
                # isdecimal: the digits int() reads (isdigit also takes e.g. '²').
                if text and (not text.isdecimal() or not 1 <= int(text) <= 10):
                    return reject(line, "desil", text, "desil harus angka 1 sampai 10")
                desil = desil_known[raw_desil] = int(text) if text else None
        # A file spells its programme flags in a handful of combinations: each one's
        # bits are worked out once.
        raw_flags = flags_of(values)
        flags = flags_known.get(raw_flags)
        if flags is None:
            flags = 0
            for i, bit in flag_at:
                raw = values[i]
                value = flag_exact.get(raw)
                if value is None:
                    value = flag_words.get(raw.strip().upper())
                    if value is None:
                        return (line, headers[i], raw, "tanda program harus Ya/Tidak atau 1/0")
                if value:
                    flags |= bit
            flags_known[raw_flags] = flags
        values.append("")
        if regency_add is not None:  # a stored row's regency, not a rejected one's
            regency_add(area[:4])
        details = join(details_of(values))
        if as_copy:
            # In the order of storage.COLUMNS; nik, no_kk, birth and area are digits
            # (and dashes) already, so only the free text needs COPY's escapes.
            if "\\" in name or "\t" in name or "\n" in name or "\r" in name:
                name = copy_escape(name)
            if "\\" in details or "\t" in details or "\n" in details or "\r" in details:
                details = copy_escape(details)
            return (
                f"{nik}\t{no_kk}\t{name}\t{sex}\t{birth}\t{area}\t"
                f"{COPY_NULL if desil is None else desil}\t{flags}\t{details}\t{line}\n"
            )
        # In the order of storage.COLUMNS.
        return (int(nik), int(no_kk), name, sex, birth, area, desil, flags, details, line)

    return convert


def _sex_reason(sex: str) -> str:
    shown = "laki-laki" if sex == "P" else "perempuan"
    return f"jenis kelamin {sex} tidak sesuai NIK (NIK menunjukkan {shown})"


def _area_code(values, i_province, i_regency, i_district, i_village) -> str:
    """The most precise region code of a row: village, else district, else regency."""
    for i in (i_village, i_district):
        if i is not None:
            code = values[i]
            if code.isdigit():
                return code
            if code := _digits(code.strip()):
                return code
    regency = _digits(values[i_regency].strip())
    if len(regency) == 2 and i_province is not None:
        regency = _digits(values[i_province].strip()) + regency
    return regency


def extra_headers(layout: Layout, headers: list[str]) -> list[str]:
    mapped = {c.lower() for c in layout.columns.values()}
    return [h for h in headers if h.strip().lower() not in mapped]
