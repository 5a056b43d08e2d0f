"""Structure checks for NIK and No KK (nomor Kartu Keluarga).

Both numbers are 16 digits laid out by Dukcapil (Permendagri on NIK and KK):

    PP RR DD  TTBBYY  NNNN
    |  |  |   |       +-- serial, never 0000
    |  |  |   +---------- NIK: birth date, day + 40 for women; KK: issue date
    |  |  +-------------- district (kecamatan)
    |  +----------------- regency/city (kabupaten/kota)
    +-------------------- province

Only the structure is checked: the province must exist and the date must be a
real date; regency and district are not looked up, and the NIK's region need
not match anything else (people move, the NIK stays).

`nik_problem` and `kk_problem` run once per row of a register import of a
million rows, so they only slice strings and look them up in sets built once
at import time: no regex, no datetime. Reasons are in Bahasa Indonesia
because officers read them.
"""

from __future__ import annotations

__all__ = [
    "PROVINCE_CODES",
    "NikError",
    "kk_check",
    "kk_problem",
    "nik_birth_date",
    "nik_check",
    "nik_problem",
    "nik_sex",
    "sex_problem",
]

# The 38 provinces, including the Papua provinces created in 2022 (92-96 besides 91).
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        *("11", "12", "13", "14", "15", "16", "17", "18", "19"),  # Sumatra
        "21",  # Kepulauan Riau
        *("31", "32", "33", "34", "35", "36"),  # Java
        *("51", "52", "53"),  # Bali, Nusa Tenggara
        *("61", "62", "63", "64", "65"),  # Kalimantan
        *("71", "72", "73", "74", "75", "76"),  # Sulawesi
        *("81", "82"),  # Maluku
        *("91", "92", "93", "94", "95", "96"),  # Papua
    }
)

# Women's NIK carry the day of birth plus 40.
FEMALE_DAY_OFFSET = 40

# Longest month lengths; 29 February is then refused in non-leap years separately.
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _ddmm_set(day_offset: int) -> frozenset[str]:
    return frozenset(
        f"{day + day_offset:02d}{month:02d}"
        for month, days in enumerate(_MONTH_DAYS, start=1)
        for day in range(1, days + 1)
    )


_MALE_DDMM = _ddmm_set(0)
_FEMALE_DDMM = _ddmm_set(FEMALE_DAY_OFFSET)
_NIK_DDMM = _MALE_DDMM | _FEMALE_DDMM
_KK_DDMM = _MALE_DDMM
_FEB_29 = frozenset({"2902", f"{29 + FEMALE_DAY_OFFSET}02"})
# The century is not in the number; any YY divisible by 4 may carry 29 February
# (2000 was a leap year, and 1900 is older than anyone in a register).
_LEAP_YY = frozenset(f"{yy:02d}" for yy in range(0, 100, 4))
_FEMALE_DAY_TENS = frozenset("4567")


class NikError(ValueError):
    """A NIK or No KK that is not structurally valid; `reason` is for officers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _shape_problem(value: str, label: str) -> str:
    """Why `value` is not 16 ASCII digits (called only once that is known)."""
    if not value:
        return f"{label} kosong"
    if len(value) != 16:
        return f"{label} harus 16 digit angka (terisi {len(value)} karakter)"
    bad = next(ch for ch in value if not ("0" <= ch <= "9"))
    shown = "spasi" if bad.isspace() else repr(bad)
    return f"{label} harus 16 digit angka (ada karakter bukan angka: {shown})"


def nik_problem(nik: str) -> str | None:
    """None when `nik` is a structurally valid NIK, else why not (Bahasa Indonesia)."""
    # isascii() first: isdigit() alone accepts e.g. Arabic-Indic or superscript digits.
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        return _shape_problem(nik, "NIK")
    if nik[:2] not in PROVINCE_CODES:
        return f"kode provinsi NIK '{nik[:2]}' tidak ada"
    ddmm = nik[6:10]
    if ddmm not in _NIK_DDMM or (ddmm in _FEB_29 and nik[10:12] not in _LEAP_YY):
        return f"tanggal lahir pada NIK '{nik[6:12]}' bukan tanggal yang sah"
    if nik[12:] == "0000":
        return "nomor urut NIK 0000 tidak sah"
    return None


def kk_problem(no_kk: str) -> str | None:
    """None when `no_kk` is a structurally valid No KK, else why not (Bahasa Indonesia)."""
    if len(no_kk) != 16 or not no_kk.isascii() or not no_kk.isdigit():
        return _shape_problem(no_kk, "No KK")
    if no_kk[:2] not in PROVINCE_CODES:
        return f"kode provinsi No KK '{no_kk[:2]}' tidak ada"
    ddmm = no_kk[6:10]
    if ddmm not in _KK_DDMM or (ddmm == "2902" and no_kk[10:12] not in _LEAP_YY):
        return f"tanggal terbit pada No KK '{no_kk[6:12]}' bukan tanggal yang sah"
    if no_kk[12:] == "0000":
        return "nomor urut No KK 0000 tidak sah"
    return None


def nik_check(nik: str) -> None:
    """Raise NikError unless `nik` is a structurally valid NIK."""
    reason = nik_problem(nik)
    if reason is not None:
        raise NikError(reason)


def kk_check(no_kk: str) -> None:
    """Raise NikError unless `no_kk` is a structurally valid No KK."""
    reason = kk_problem(no_kk)
    if reason is not None:
        raise NikError(reason)


def nik_sex(nik: str) -> str:
    """The sex a valid NIK encodes: "P" when the day of birth is 41-71, else "L"."""
    return "P" if nik[6] in _FEMALE_DAY_TENS else "L"


def nik_birth_date(nik: str) -> tuple[int, int, int]:
    """(day, month, two-digit year) of birth encoded in a valid NIK.

    The century is not encoded; the caller decides it (e.g. from the age a
    register states, or by taking the latest year not in the future).
    """
    day = int(nik[6:8])
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
    return day, int(nik[8:10]), int(nik[10:12])


def sex_problem(nik: str, sex: str) -> str | None:
    """None when `sex` ("L"/"P") agrees with a valid NIK, else why not (Bahasa Indonesia)."""
    if sex not in ("L", "P"):
        return f"jenis kelamin '{sex}' tidak dikenal (harus L atau P)"
    encoded = nik_sex(nik)
    if sex == encoded:
        return None
    shown = "laki-laki" if encoded == "L" else "perempuan"
    return f"jenis kelamin {sex} tidak sesuai NIK (NIK menunjukkan {shown})"
