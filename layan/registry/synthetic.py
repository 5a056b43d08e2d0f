"""Synthetic register data: invented people of one regency, and writers for the import layouts.

Tests and benchmarks of the register import need large registers, and real ones
are personal data that must never leave a Dinas Sosial. `synthetic_people`
invents a register of any size: households living in invented districts and
villages of one regency, with structurally valid NIK and No KK (layan.core.nik),
unique over the whole output, deterministic for a seed, generated in constant
memory. `write_csv` and `write_xlsx` stream rows into the two layouts Layan reads
out of the box (DTKS as exported by SIKS-NG, and DTSEN; see
/work/shared/samples/README.md and the header constants below).

All names (of people, districts, villages, hamlets) are built from syllables;
no row is a real person. Birth places and street names use real city names and
the national heroes streets are named after, as real registers do.
"""

from __future__ import annotations

import csv
import datetime
import os
import random
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from layan.core.nik import FEMALE_DAY_OFFSET, PROVINCE_CODES

__all__ = [
    "AS_OF",
    "DTKS_HEADER",
    "DTSEN_HEADER",
    "LAYOUTS",
    "XLSX_MAX_ROWS",
    "Layout",
    "synthetic_people",
    "write_csv",
    "write_xlsx",
]

# "Today" for the generated register: ages, birth dates and KK issue dates end
# here. Fixed, not date.today(), so that a seed gives the same rows every year.
AS_OF = datetime.date(2025, 9, 30)

DTKS_HEADER: list[str] = [
    "id_art", "periode", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa",
    "nama_kecamatan", "nama_desa", "alamat", "rt", "rw", "no_kk", "nik", "nama",
    "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hub_keluarga", "desil",
    "status_keberadaan", "pkh", "bpnt", "pbi",
]  # fmt: skip
DTSEN_HEADER: list[str] = [
    "PERIODE", "KDPROV", "KDKAB", "KDKEC", "KDDESA", "NMKEC", "NMDESA", "ALAMAT", "RT", "RW",
    "NOKK", "NIK", "NAMA", "JNS_KEL", "TMPT_LHR", "TGL_LHR", "HUB_KRT", "DESIL_NASIONAL",
    "STATUS", "PKH", "SEMBAKO", "PBI_JK",
]  # fmt: skip

# --- Dates ---------------------------------------------------------------------------------

# Birth dates span exactly 100 years ending AS_OF. NIK years have no century, so
# within this window every NIK date (DDMMYY, women's day + 40) belongs to one day
# only, and a per-(district, sex, day) serial counter makes the NIK unique.
_BIRTH_FIRST = datetime.date(AS_OF.year - 100, AS_OF.month, AS_OF.day) + datetime.timedelta(1)
_BIRTH_DAYS = (AS_OF - _BIRTH_FIRST).days + 1
# KK numbers carry their issue date; electronic KKs start around 2005.
_KK_FIRST = datetime.date(2005, 1, 1)
_KK_DAYS = (AS_OF - _KK_FIRST).days + 1

_YEAR = 365.25  # days, for turning ages in years into day counts
_ADULT_DAYS = int(17 * _YEAR)
_MAX_SERIAL = 9999


@dataclass(frozen=True, slots=True)
class _BirthDay:
    date: datetime.date
    male_ddmmyy: str
    female_ddmmyy: str


@cache
def _birth_days() -> tuple[_BirthDay, ...]:
    """Every day of the birth window, oldest first, with its NIK date digits."""
    days = []
    for offset in range(_BIRTH_DAYS):
        day = _BIRTH_FIRST + datetime.timedelta(offset)
        mmyy = f"{day.month:02d}{day.year % 100:02d}"
        days.append(
            _BirthDay(day, f"{day.day:02d}{mmyy}", f"{day.day + FEMALE_DAY_OFFSET:02d}{mmyy}")
        )
    return tuple(days)


@cache
def _kk_days() -> tuple[str, ...]:
    """DDMMYY of every day a KK may have been issued, oldest first."""
    return tuple(
        (_KK_FIRST + datetime.timedelta(offset)).strftime("%d%m%y") for offset in range(_KK_DAYS)
    )


@cache
def _serials() -> tuple[str, ...]:
    """Serials as text, 0000 to 9999, so that building a NIK is string concatenation only."""
    return tuple(f"{serial:04d}" for serial in range(_MAX_SERIAL + 1))


# --- Invented names ------------------------------------------------------------------------

_PLACE_SYLLABLES = (
    "BU", "RI", "TA", "MA", "LA", "PA", "SI", "BO", "NE", "WA", "JE", "KA", "LO", "RU", "SA",
    "TE", "PI", "TANG", "RANG", "PPA", "KKA", "NNA", "LLE", "NGE", "AJANG", "CE", "LU", "BA",
    "MO", "RE", "BON", "SAL", "PE", "TO", "DA", "WE",
)  # fmt: skip
_NAME_STEMS = (
    "RA", "HI", "MA", "DI", "SA", "LA", "NA", "RU", "FI", "ZA", "BU", "TA", "JA", "KU", "YA",
    "HA", "DA", "WA", "AS", "AR", "AL", "IR", "UM", "SU", "RO", "MU", "NUR", "SYA", "FA", "KA",
)  # fmt: skip
_MALE_ENDINGS = (
    "UDDIN", "IN", "AN", "AR", "IF", "AL", "MAN", "DI", "TO", "ANTO", "WAN", "SYAH", "IM",
    "AT", "IR", "ING", "ULLAH", "MAT", "SAN", "LAN", "RUL", "DIN",
)  # fmt: skip
_FEMALE_ENDINGS = (
    "AH", "IAH", "NI", "WATI", "NA", "TI", "SIH", "MI", "YANI", "RA", "SARI", "LIA", "INAH",
    "MAH", "NAH", "TA", "DAH", "YATI",
)  # fmt: skip
# Name prefixes common in South Sulawesi and Buton registers (LA and WA are
# Butonese male and female markers; ANDI is Bugis nobility).
_MALE_PREFIXES = ("MUHAMMAD", "ABD.", "LA", "ANDI", "H.", "M.")
_FEMALE_PREFIXES = ("SITI", "NUR", "WA", "ANDI", "HJ.", "ST.")
_NAME_POOL = 4096  # given names per sex; two words from it give ~16 million full names

_CITIES = (
    "MAKASSAR", "JAKARTA", "SURABAYA", "MEDAN", "BANDUNG", "KENDARI", "PALU", "SAMARINDA",
    "AMBON", "MANADO", "KUPANG", "MATARAM", "DENPASAR", "PONTIANAK", "PALEMBANG", "PADANG",
    "JAYAPURA", "BALIKPAPAN", "GORONTALO", "YOGYAKARTA",
)  # fmt: skip
_STREETS = (
    "MERDEKA", "AHMAD YANI", "SUDIRMAN", "DIPONEGORO", "KARTINI", "POROS", "PENDIDIKAN",
    "KESEHATAN", "PAHLAWAN", "MAWAR", "MELATI", "ANGGREK", "ARUNG PALAKKA", "MH THAMRIN",
    "SAM RATULANGI", "PETTARANI", "VETERAN", "KEMERDEKAAN",
)  # fmt: skip


def _place_name(rng: random.Random, taken: set[str]) -> str:
    """A new invented place name (2-3 syllables), unique within `taken`."""
    while True:
        name = "".join(rng.choice(_PLACE_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if name not in taken and len(name) <= 16:
            taken.add(name)
            return name


def _given_names(rng: random.Random, endings: Sequence[str]) -> tuple[str, ...]:
    names: set[str] = set()
    while len(names) < _NAME_POOL:
        stem = "".join(rng.choice(_NAME_STEMS) for _ in range(rng.choice((1, 1, 2))))
        names.add(stem + rng.choice(endings))
    return tuple(sorted(names))


@cache
def _name_pools() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(male, female) given names; the same for every seed, people pick from them."""
    rng = random.Random("layan-synthetic-names")
    return _given_names(rng, _MALE_ENDINGS), _given_names(rng, _FEMALE_ENDINGS)


# --- Geography -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Village:
    district_index: int
    district_code: str
    district_name: str
    code: str
    name: str
    is_kelurahan: bool  # urban: street addresses; otherwise a desa with hamlets (dusun)
    hamlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Region:
    province_code: str
    regency_code: str
    district_names: tuple[str, ...]
    villages: tuple[_Village, ...]


def _parse_region_code(region_code: str) -> tuple[str, str]:
    province, _, regency = region_code.partition(".")
    if not (
        len(province) == 2
        and len(regency) == 2
        and (province + regency).isascii()
        and (province + regency).isdigit()
        and province in PROVINCE_CODES
        and regency != "00"
    ):
        raise ValueError(
            f"region_code must look like '73.08' (province.regency), not {region_code!r}"
        )
    return province, province + regency


@cache
def _region(region_code: str) -> _Region:
    """Invented districts and villages of a regency; the same for every seed.

    Codes follow Kemendagri's layout: district = regency + 2 digits, village =
    district + 1 (kelurahan) or 2 (desa) + 3 digits.
    """
    province_code, regency_code = _parse_region_code(region_code)
    rng = random.Random(f"layan-synthetic-region-{regency_code}")
    taken: set[str] = set()
    district_names = []
    villages = []
    for index in range(rng.randint(12, 24)):
        district_code = f"{regency_code}{index + 1:02d}"
        district_name = _place_name(rng, taken)
        district_names.append(district_name)
        kelurahan_count = rng.choice((0, 0, 1, 2, 4))
        for number in range(1, rng.randint(8, 20) + 1):
            is_kelurahan = number <= kelurahan_count
            kind = 1 if is_kelurahan else 2
            serial = number if is_kelurahan else number - kelurahan_count
            hamlets = tuple(_place_name(rng, taken) for _ in range(rng.randint(3, 6)))
            villages.append(
                _Village(
                    district_index=index,
                    district_code=district_code,
                    district_name=district_name,
                    code=f"{district_code}{kind}{serial:03d}",
                    name=_place_name(rng, taken),
                    is_kelurahan=is_kelurahan,
                    hamlets=hamlets,
                )
            )
    return _Region(province_code, regency_code, tuple(district_names), tuple(villages))


def _address(rng: random.Random, village: _Village) -> str:
    if village.is_kelurahan:
        address = f"JL. {rng.choice(_STREETS)} NO. {rng.randint(1, 300)}"
        if rng.random() < 0.3:
            address += f", LINGK. {rng.choice(village.hamlets)}"
        return address
    address = f"DUSUN {rng.choice(village.hamlets)}"
    if rng.random() < 0.25:
        address += f", DESA {village.name}"
    return address


# --- Households ----------------------------------------------------------------------------


def _weighted_table(weights: dict, size: int = 1000) -> tuple:
    """A lookup table: table[int(random() * len(table))] draws by the weights, in one call.

    random.choices per draw costs ten times more, and the generator draws a few
    times per person.
    """
    total = sum(weights.values())
    table = []
    for value, weight in weights.items():
        table.extend([value] * round(weight * size / total))
    return tuple(table)


_HOUSEHOLD_SIZES = _weighted_table({1: 10, 2: 15, 3: 20, 4: 22, 5: 16, 6: 10, 7: 7})
# The register is built for the poor: lower deciles are more frequent.
_DESILS = _weighted_table({1: 18, 2: 15, 3: 13, 4: 12, 5: 10, 6: 9, 7: 7, 8: 6, 9: 5, 10: 5})
# Chance of each programme by desil 1..10 (index 0 unused): the poorer, the likelier.
_PKH_CHANCE = (0, 0.45, 0.38, 0.30, 0.20, 0.12, 0.06, 0.03, 0.02, 0.01, 0.01)
_BPNT_CHANCE = (0, 0.70, 0.60, 0.50, 0.35, 0.20, 0.10, 0.05, 0.03, 0.02, 0.01)
_PBI_CHANCE = (0, 0.92, 0.88, 0.80, 0.70, 0.60, 0.45, 0.30, 0.20, 0.10, 0.05)
_HOUSEHOLD_PRESENCE = _weighted_table({"DITEMUKAN": 965, "PINDAH": 20, "TIDAK DITEMUKAN": 15})
_RT = tuple(f"{number:03d}" for number in range(1, 13))
_RW = tuple(f"{number:03d}" for number in range(1, 7))

_HEAD = "KEPALA KELUARGA"


@dataclass(slots=True)
class _Member:
    relationship: str
    female: bool
    age_days: int


def _members(rng: random.Random, size: int) -> list[_Member]:
    """Relationships, sexes and ages (in days) of one household, head first."""
    random_ = rng.random
    head_female = random_() < 0.15  # female heads are mostly widows
    # Sum of two uniforms: heads 20-80 years old, most around 50.
    head_age = int(_YEAR * (20 + 30 * (random_() + random_())))
    members = [_Member(_HEAD, head_female, head_age)]
    youngest_parent = head_age
    if size > 1 and random_() < (0.12 if head_female else 0.88):
        if head_female:
            spouse = _Member("SUAMI", False, head_age + int(_YEAR * (random_() * 11 - 3)))
        else:
            spouse = _Member("ISTRI", True, head_age + int(_YEAR * (random_() * 11 - 8)))
        spouse.age_days = max(spouse.age_days, _ADULT_DAYS)
        members.append(spouse)
        youngest_parent = min(head_age, spouse.age_days)
    while len(members) < size:
        members.append(_relative(rng, head_age, youngest_parent))
    return members


def _relative(rng: random.Random, head_age: int, youngest_parent: int) -> _Member:
    """A member other than head and spouse: mostly a child."""
    random_ = rng.random
    female = random_() < 0.5
    roll = random_()
    child_span = min(youngest_parent - _ADULT_DAYS, int(40 * _YEAR))
    if roll < 0.86 and child_span > 0:
        return _Member("ANAK", female, int(random_() * child_span))
    if roll < 0.92 and head_age < int(60 * _YEAR):  # parents stay under 100
        return _Member("ORANG TUA", female, head_age + int(_YEAR * (18 + 20 * random_())))
    if roll < 0.96 and head_age > int(40 * _YEAR):
        return _Member("CUCU", female, int(random_() * min(head_age - int(38 * _YEAR), 7000)))
    return _Member("FAMILI LAIN", female, int(random_() * 60 * _YEAR))


def _presence(rng: random.Random, household_presence: str, age_days: int) -> str:
    if household_presence != "DITEMUKAN":
        return household_presence
    death_chance = 0.10 if age_days > 70 * _YEAR else 0.01
    return "MENINGGAL" if rng.random() < death_chance else "DITEMUKAN"


class _SerialCounters:
    """Next NIK or KK serial per (district, date), in one flat array.

    This is what keeps every number unique without remembering the numbers:
    the size is fixed by the region (about 4 MB for 24 districts), not by how
    many rows are generated. When a date is full (9999 serials used), the
    number moves to the day before, as a register clerk would never do but a
    test generator may.
    """

    def __init__(self, keys: int, days: int, start_serial: int) -> None:
        self.days = days
        self.next = array("H", [start_serial]) * (keys * days)

    def take(self, key: int, day: int) -> tuple[int, int]:
        """(day actually used, serial) for a number of `key` issued on `day`."""
        counters = self.next
        base = key * self.days
        for _ in range(self.days):
            serial = counters[base + day]
            if serial <= _MAX_SERIAL:
                counters[base + day] = serial + 1
                return day, serial
            day = day - 1 if day > 0 else self.days - 1
        raise OverflowError("every date of this district has used all 9999 serials")


def synthetic_people(
    *, region_code: str, count: int, seed: int = 1, start_serial: int = 1
) -> Iterator[dict]:
    """Yield `count` invented persons of regency `region_code` ("73.08"), household by household.

    Each row is a dict keyed by layan.registry.fields.FIELD_NAMES. Households of
    1-7 persons share no_kk, address, village, desil and programmes. NIK and
    No KK are structurally valid (layan.core.nik): the region digits are the
    household's district, the date is the birth (women + 40) or KK issue date,
    and the serial counts up from `start_serial` per district and date, so
    every NIK and every No KK of one call is unique. Two calls with the same
    region and seed but `start_serial` values further apart than any serial
    used (a few hundred at ten million rows) give disjoint NIKs: that is how a
    test makes "new people" for an existing register.

    Deterministic for (region_code, seed, start_serial); districts and villages
    depend on region_code only. Memory stays flat whatever `count` is: the
    last household is cut short when `count` is reached.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if not 1 <= start_serial <= _MAX_SERIAL:
        raise ValueError(f"start_serial must be 1..{_MAX_SERIAL}")
    region = _region(region_code)
    return _generate(
        region, count, random.Random(f"{region_code}:{seed}:{start_serial}"), start_serial
    )


def _generate(region: _Region, count: int, rng: random.Random, start_serial: int) -> Iterator[dict]:
    # The loop body runs once per row; everything it touches is a local.
    random_ = rng.random
    male_names, female_names = _name_pools()
    names_count = len(male_names)
    birth_days = _birth_days()
    last_day = _BIRTH_DAYS - 1
    kk_days = _kk_days()
    serials = _serials()
    villages = region.villages
    district_names = region.district_names
    # NIK counters per (district, sex); KK counters per district.
    nik_counters = _SerialCounters(len(district_names) * 2, _BIRTH_DAYS, start_serial)
    kk_counters = _SerialCounters(len(district_names), _KK_DAYS, start_serial)
    province_code, regency_code = region.province_code, region.regency_code

    produced = 0
    while produced < count:
        village = villages[int(random_() * len(villages))]
        district = village.district_index
        members = _members(rng, _HOUSEHOLD_SIZES[int(random_() * len(_HOUSEHOLD_SIZES))])
        # A KK is reissued whenever a member is added, so it is no older than the youngest.
        youngest_birth = last_day - min(member.age_days for member in members)
        earliest_issue = max(0, youngest_birth - (_BIRTH_DAYS - _KK_DAYS))
        issue_day, kk_serial = kk_counters.take(
            district, earliest_issue + int(random_() * (_KK_DAYS - earliest_issue))
        )
        no_kk = village.district_code + kk_days[issue_day] + serials[kk_serial]
        address = _address(rng, village)
        rt = _RT[int(random_() * len(_RT))]
        rw = _RW[int(random_() * len(_RW))]
        desil = _DESILS[int(random_() * len(_DESILS))]
        pkh = random_() < _PKH_CHANCE[desil]
        bpnt = random_() < _BPNT_CHANCE[desil]
        pbi_household = random_() < _PBI_CHANCE[desil]
        household_presence = _HOUSEHOLD_PRESENCE[int(random_() * len(_HOUSEHOLD_PRESENCE))]

        for member in members[: count - produced]:
            female = member.female
            day, serial = nik_counters.take(district * 2 + female, last_day - member.age_days)
            birth = birth_days[day]
            if female:
                nik = village.district_code + birth.female_ddmmyy + serials[serial]
                names = female_names
            else:
                nik = village.district_code + birth.male_ddmmyy + serials[serial]
                names = male_names
            name = _full_name(random_, names[int(random_() * names_count)], names, female)
            # Most were born in their district, some elsewhere in the regency, a few far away.
            roll = random_()
            if roll < 0.55:
                birth_place = village.district_name
            elif roll < 0.75:
                birth_place = district_names[int(random_() * len(district_names))]
            else:
                birth_place = _CITIES[int(random_() * len(_CITIES))]
            yield {
                "nik": nik,
                "no_kk": no_kk,
                "name": name,
                "sex": "P" if female else "L",
                "birth_place": birth_place,
                "birth_date": birth.date,
                "relationship": member.relationship,
                "address": address,
                "rt": rt,
                "rw": rw,
                "province_code": province_code,
                "regency_code": regency_code,
                "district_code": village.district_code,
                "district_name": village.district_name,
                "village_code": village.code,
                "village_name": village.name,
                "desil": desil,
                "presence": _presence(rng, household_presence, member.age_days),
                "pkh": pkh,
                "bpnt": bpnt,
                # PBI-JK is per person: now and then a member is left out.
                "pbi": pbi_household and random_() < 0.97,
            }
        produced += len(members)


def _full_name(
    random_: Callable[[], float], given: str, pool: tuple[str, ...], female: bool
) -> str:
    """One to three words: a given name, maybe a prefix, maybe a second name."""
    shape = random_()
    if shape < 0.35:
        return given
    if shape < 0.75:
        return f"{given} {pool[int(random_() * len(pool))]}"
    prefixes = _FEMALE_PREFIXES if female else _MALE_PREFIXES
    prefix = prefixes[int(random_() * len(prefixes))]
    if shape < 0.9:
        return f"{prefix} {given}"
    return f"{prefix} {given} {pool[int(random_() * len(pool))]}"


# --- Writers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """One import layout: header, CSV dialect and how each register value is written."""

    header: list[str]
    delimiter: str
    encoding: str
    lineterminator: str
    sex: dict  # "L"/"P" -> the layout's word or digit
    flag: dict  # bool -> the layout's yes/no
    date_format: str  # strftime format of dates (birth dates are written as text)
    with_row_number: bool  # DTKS carries id_art, a running number


LAYOUTS: dict[str, Layout] = {
    "dtks": Layout(
        header=DTKS_HEADER,
        delimiter=",",
        encoding="utf-8",
        lineterminator="\n",
        sex={"L": "LAKI-LAKI", "P": "PEREMPUAN"},
        flag={True: "1", False: "0"},
        date_format="%Y-%m-%d",
        with_row_number=True,
    ),
    "dtsen": Layout(
        header=DTSEN_HEADER,
        delimiter=";",
        encoding="cp1252",
        lineterminator="\r\n",
        sex={"L": "1", "P": "2"},
        flag={True: "Ya", False: "Tidak"},
        date_format="%d/%m/%Y",
        with_row_number=False,
    ),
}


def _layout(layout: str) -> Layout:
    try:
        return LAYOUTS[layout]
    except KeyError:
        raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}") from None


def _record_maker(layout: Layout, period: str) -> Callable[[dict, int], list]:
    """A function turning one register row (and its 1-based number) into the layout's values.

    Both layouts list the same register fields in the same order; DTKS starts
    with id_art, a running number.
    """
    sex_text, flag_text = layout.sex, layout.flag
    date_text = _date_formatter(layout.date_format)
    with_row_number = layout.with_row_number

    def record(row: dict, number: int) -> list:
        sex, pkh, bpnt, pbi = row["sex"], row["pkh"], row["bpnt"], row["pbi"]
        values = [str(number), period] if with_row_number else [period]
        values += (
            row["province_code"],
            row["regency_code"],
            row["district_code"],
            row["village_code"],
            row["district_name"],
            row["village_name"],
            row["address"],
            row["rt"],
            row["rw"],
            row["no_kk"],
            row["nik"],
            row["name"],
            sex_text.get(sex, sex),
            row["birth_place"],
            date_text(row["birth_date"]),
            row["relationship"],
            _text(row["desil"]),
            row["presence"],
            flag_text.get(pkh, pkh),
            flag_text.get(bpnt, bpnt),
            flag_text.get(pbi, pbi),
        )
        return values

    return record


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _date_formatter(date_format: str) -> Callable[[object], str]:
    """Dates as text in the layout's format, remembered: a register has few distinct dates."""
    memo: dict[object, str] = {None: ""}

    def date_text(value: object) -> str:
        text = memo.get(value)
        if text is None:
            text = value.strftime(date_format) if isinstance(value, datetime.date) else str(value)
            memo[value] = text
        return text

    return date_text


def _check_period(period: str) -> None:
    # Both layouts write the period as YYYY-MM (e.g. 2025-09).
    if not (len(period) == 7 and period[4] == "-" and (period[:4] + period[5:]).isdigit()):
        raise ValueError(f"period must look like '2025-09', not {period!r}")


def write_csv(rows: Iterable[dict], path: str | os.PathLike, *, layout: str, period: str) -> int:
    """Write register rows as CSV in `layout` ("dtks" or "dtsen"); return the rows written.

    Streams: rows are written as they come, never held. Values that the
    layout's encoding cannot hold (cp1252 for DTSEN) raise UnicodeEncodeError
    rather than being silently replaced.
    """
    spec = _layout(layout)
    _check_period(period)
    record = _record_maker(spec, period)
    written = 0
    with open(path, "w", encoding=spec.encoding, newline="", buffering=1 << 20) as file:
        writer = csv.writer(file, delimiter=spec.delimiter, lineterminator=spec.lineterminator)
        writer.writerow(spec.header)
        for written, row in enumerate(rows, start=1):
            writer.writerow(record(row, written))
    return written


# One sheet holds 1,048,576 rows, the header included.
XLSX_MAX_ROWS = 1_048_575


def write_xlsx(rows: Iterable[dict], path: str | os.PathLike, *, layout: str, period: str) -> int:
    """Write register rows as one XLSX sheet in `layout`; return the rows written.

    Same header and values as write_csv, every cell as text (NIK and No KK have
    16 digits, more than a spreadsheet number keeps). xlsxwriter's
    constant_memory mode flushes each row, so memory stays flat.
    """
    import xlsxwriter  # only the XLSX writer needs it

    spec = _layout(layout)
    _check_period(period)
    record = _record_maker(spec, period)
    written = 0
    workbook = xlsxwriter.Workbook(os.fspath(path), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet(layout.upper())
        for column, title in enumerate(spec.header):
            sheet.write_string(0, column, title)
        for written, row in enumerate(rows, start=1):
            if written > XLSX_MAX_ROWS:
                raise ValueError(f"an XLSX sheet holds at most {XLSX_MAX_ROWS} rows")
            for column, value in enumerate(record(row, written)):
                sheet.write_string(written, column, value if type(value) is str else _text(value))
    finally:
        workbook.close()
    return written
