"""One export row -> one stored row, or the rule it breaks (rules.py).

This is the hot loop of an import (a million rows a file), so the converter
is built once per file with its column positions resolved, and each check is
a set lookup or a cached parse. The checks are the rules of rules.RULES, in
their order, written out inline with per-file memos rather than looped over as
objects, which would add calls to every row (docs/design/registry.md).
"""

from collections.abc import Callable
from operator import itemgetter

from layan.registry import rules
from layan.registry.layouts import Layout
from layan.registry.rules import INVALID, RowRejection
from layan.registry.storage import COPY_NULL, DETAIL_FIELDS, DETAIL_SEP, FLAG_BITS, copy_escape

Converter = Callable[[int, list[str]], tuple | str | RowRejection]


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
    flag_at = [(index[f], FLAG_BITS[f]) for f in rules.FLAGS.fields if f in index]
    details_of = itemgetter(*detail_at)
    join = DETAIL_SEP.join
    nik_problem, kk_problem = rules.NIK.check, rules.NO_KK.check
    sex_problem = rules.SEX_OF_NIK.check
    filled, area_valid, in_region = rules.REQUIRED.check, rules.AREA.check, rules.REGION.check
    sex_of, flag_of = rules.SEX.cells(layout), rules.FLAGS.cells(layout)
    birth_of, desil_of = rules.BIRTH_DATE.cells(layout), rules.DESIL.cells(layout)
    invalid = INVALID  # read on every row: a closure's cell costs less than a global

    flag_indexes = [i for i, _ in flag_at]
    # The raw flag cells of a row in one C call (one index gives the bare cell).
    flags_of = itemgetter(*flag_indexes) if flag_indexes else lambda values: ()
    flags_known: dict[object, int] = {}

    def reject(rule: rules.RowRule, line: int, field: str, value: str, words=None, **facts):
        return rule.rejection(line, header[field], value, words, **facts)

    # Per-file memos of the hot loop: the rows of one household follow each other
    # (same No KK, same village), and a file writes few distinct sex and desil
    # cells; each is checked once, then looked up (rules.Cells).
    kk_ok = ""
    area_seen: str | None = None  # the last row's village code
    areas_ok: set[str] = set()  # the area codes that passed (a file has a few thousand)
    sex_known: dict[str, str] = {}  # sex cell + the NIK's day-tens digit -> "L"/"P"

    def convert(line: int, values: list[str]) -> tuple | str | RowRejection:
        nonlocal kk_ok, area_seen
        nik = values[i_nik].strip()
        if problem := nik_problem(nik):
            return reject(rules.NIK, line, "nik", nik, problem)
        no_kk = values[i_kk].strip()
        if no_kk != kk_ok:
            if problem := kk_problem(no_kk):
                return reject(rules.NO_KK, line, "no_kk", no_kk, problem)
            kk_ok = no_kk
        name = values[i_name].strip()
        if not name:
            return reject(rules.REQUIRED, line, "name", "")
        raw_sex = values[i_sex]
        sex = sex_known.get(raw_sex + nik[6])
        if sex is None:
            sex = sex_of[raw_sex]
            if sex is invalid:
                return reject(rules.SEX, line, "sex", raw_sex)
            if problem := sex_problem(nik, sex):
                return reject(rules.SEX_OF_NIK, line, "sex", raw_sex, problem)
            sex_known[raw_sex + nik[6]] = sex
        raw_birth = values[i_birth]
        birth = birth_of[raw_birth]
        if birth is invalid:
            rule = rules.BIRTH_DATE if filled(raw_birth) else rules.REQUIRED
            return reject(rule, line, "birth_date", raw_birth)
        # A village code of digits is the usual case, read without the call.
        area = values[i_village] if i_village is not None else ""
        if area != area_seen:
            if not area.isdigit():
                area = area_code(values, i_province, i_regency, i_district, i_village)
            if area not in areas_ok:
                if not area_valid(area):
                    return reject(rules.AREA, line, "regency_code", values[i_regency])
                if not in_region(area, region):
                    return reject(rules.REGION, line, "regency_code", area[:4], region=region)
                areas_ok.add(area)
            if i_village is not None and area == values[i_village]:
                area_seen = area
        desil = None
        if i_desil is not None:
            raw_desil = values[i_desil]
            desil = desil_of[raw_desil]
            if desil is invalid:
                return reject(rules.DESIL, line, "desil", raw_desil.strip())
        # A file spells its programme flags in a handful of combinations: each one's
        # bits are worked out once.
        raw_flags = flags_of(values)
        flags = flags_known.get(raw_flags)
        if flags is None:
            flags = 0
            for i, bit in flag_at:
                value = flag_of[values[i]]
                if value is invalid:
                    return rules.FLAGS.rejection(line, headers[i], values[i])
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


def area_code(values, i_province, i_regency, i_district, i_village) -> str:
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
