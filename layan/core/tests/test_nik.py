"""NIK and No KK structure checks (layan.core.nik); pure Python, no database."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layan.core.nik import (
    PROVINCE_CODES,
    NikError,
    kk_check,
    kk_problem,
    nik_birth_date,
    nik_check,
    nik_problem,
    nik_sex,
    sex_problem,
)

MAN = "7308011209630001"  # born 12 September (19)63
WOMAN = "7308015209630001"  # same date, day + 40
KK = "7308011101070001"  # issued 11 January (20)07


def nik(*, province: str = "73", ddmmyy: str = "120963", serial: str = "0001") -> str:
    return f"{province}0801{ddmmyy}{serial}"


def kk(*, province: str = "73", ddmmyy: str = "110107", serial: str = "0001") -> str:
    return f"{province}0801{ddmmyy}{serial}"


# --- NIK: valid ---------------------------------------------------------------------------


def test_valid_nik_of_a_man_and_a_woman():
    assert nik_problem(MAN) is None
    assert nik_problem(WOMAN) is None
    nik_check(MAN)
    nik_check(WOMAN)


def test_all_38_provinces_are_known():
    assert len(PROVINCE_CODES) == 38
    assert {"11", "21", "31", "36", "65", "76", "92", "96"} <= PROVINCE_CODES
    for code in PROVINCE_CODES:
        assert nik_problem(nik(province=code)) is None


@pytest.mark.parametrize("ddmmyy", ["010100", "311299", "310125", "300425", "280223"])
def test_real_dates_of_birth_pass_for_both_sexes(ddmmyy):
    woman = f"{int(ddmmyy[:2]) + 40}{ddmmyy[2:]}"
    assert nik_problem(nik(ddmmyy=ddmmyy)) is None
    assert nik_problem(nik(ddmmyy=woman)) is None


# --- NIK: shape ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (MAN[:15], "NIK harus 16 digit angka (terisi 15 karakter)"),
        (MAN + "1", "NIK harus 16 digit angka (terisi 17 karakter)"),
        ("", "NIK kosong"),
        ("73080112O9630001", "NIK harus 16 digit angka (ada karakter bukan angka: 'O')"),
        ("7308-11209630001", "NIK harus 16 digit angka (ada karakter bukan angka: '-')"),
        ("7308 11209630001", "NIK harus 16 digit angka (ada karakter bukan angka: spasi)"),
        (" 7308011209630001", "NIK harus 16 digit angka (terisi 17 karakter)"),
        ("7308011209630001\n", "NIK harus 16 digit angka (terisi 17 karakter)"),
        (" 308011209630001", "NIK harus 16 digit angka (ada karakter bukan angka: spasi)"),
    ],
)
def test_nik_must_be_16_ascii_digits(value, reason):
    assert nik_problem(value) == reason


def test_non_ascii_digits_are_refused():
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in MAN)
    fullwidth_last = MAN[:15] + "\uff11"
    assert arabic_indic.isdigit()
    assert "bukan angka" in nik_problem(arabic_indic)
    assert "bukan angka" in nik_problem(fullwidth_last)


# --- NIK: province ------------------------------------------------------------------------


@pytest.mark.parametrize("province", ["10", "99", "20", "00", "37", "97"])
def test_unknown_province_is_refused(province):
    assert nik_problem(nik(province=province)) == f"kode provinsi NIK '{province}' tidak ada"


# --- NIK: date of birth -------------------------------------------------------------------


@pytest.mark.parametrize(
    "ddmmyy",
    [
        "000163",  # day 00
        "320163",  # day 32
        "400163",  # day 40: neither a man's nor a woman's day
        "720163",  # day 72 = woman's 32
        "800163",
        "310463",  # 31 April
        "710463",  # 31 April, woman
        "300263",  # 30 February
        "120063",  # month 00
        "121363",  # month 13
        "290299",  # 29 February in a non-leap year
        "690299",  # same, woman
    ],
)
def test_impossible_date_of_birth_is_refused(ddmmyy):
    reason = f"tanggal lahir pada NIK '{ddmmyy}' bukan tanggal yang sah"
    assert nik_problem(nik(ddmmyy=ddmmyy)) == reason


@pytest.mark.parametrize("yy", ["00", "04", "96", "24"])
def test_29_february_passes_in_years_divisible_by_4(yy):
    assert nik_problem(nik(ddmmyy=f"2902{yy}")) is None
    assert nik_problem(nik(ddmmyy=f"6902{yy}")) is None


@pytest.mark.parametrize("yy", ["01", "99", "23", "02"])
def test_29_february_is_refused_in_other_years(yy):
    assert nik_problem(nik(ddmmyy=f"2902{yy}")) is not None
    assert nik_problem(nik(ddmmyy=f"6902{yy}")) is not None


def test_women_use_days_41_to_71_and_men_1_to_31():
    assert nik_problem(nik(ddmmyy="410163")) is None
    assert nik_problem(nik(ddmmyy="710163")) is None
    assert nik_problem(nik(ddmmyy="010163")) is None
    assert nik_problem(nik(ddmmyy="310163")) is None


# --- NIK: serial --------------------------------------------------------------------------


def test_serial_0000_is_refused():
    assert nik_problem(nik(serial="0000")) == "nomor urut NIK 0000 tidak sah"
    assert nik_problem(nik(serial="0001")) is None
    assert nik_problem(nik(serial="9999")) is None


def test_region_digits_are_not_checked_against_anything():
    assert nik_problem("7300001209630001") is None
    assert nik_problem("7399991209630001") is None


# --- NIK: raising, sex and date -----------------------------------------------------------


def test_nik_check_raises_with_the_reason():
    with pytest.raises(NikError) as caught:
        nik_check(nik(province="99"))
    assert caught.value.reason == "kode provinsi NIK '99' tidak ada"
    assert str(caught.value) == caught.value.reason
    assert isinstance(caught.value, ValueError)


def test_nik_sex_and_birth_date():
    assert nik_sex(MAN) == "L"
    assert nik_sex(WOMAN) == "P"
    assert nik_sex(nik(ddmmyy="710163")) == "P"
    assert nik_sex(nik(ddmmyy="310163")) == "L"
    assert nik_birth_date(MAN) == (12, 9, 63)
    assert nik_birth_date(WOMAN) == (12, 9, 63)
    assert nik_birth_date(nik(ddmmyy="690204")) == (29, 2, 4)


def test_sex_problem():
    assert sex_problem(MAN, "L") is None
    assert sex_problem(WOMAN, "P") is None
    assert sex_problem(MAN, "P") == "jenis kelamin P tidak sesuai NIK (NIK menunjukkan laki-laki)"
    assert sex_problem(WOMAN, "L") == "jenis kelamin L tidak sesuai NIK (NIK menunjukkan perempuan)"
    assert sex_problem(MAN, "X") == "jenis kelamin 'X' tidak dikenal (harus L atau P)"


# --- No KK --------------------------------------------------------------------------------


def test_valid_kk():
    assert kk_problem(KK) is None
    kk_check(KK)
    assert kk_problem(kk(ddmmyy="290204")) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (KK[:15], "No KK harus 16 digit angka (terisi 15 karakter)"),
        (KK + "0", "No KK harus 16 digit angka (terisi 17 karakter)"),
        ("", "No KK kosong"),
        ("7308011101O70001", "No KK harus 16 digit angka (ada karakter bukan angka: 'O')"),
        (kk(province="99"), "kode provinsi No KK '99' tidak ada"),
        (kk(province="10"), "kode provinsi No KK '10' tidak ada"),
        (kk(ddmmyy="510107"), "tanggal terbit pada No KK '510107' bukan tanggal yang sah"),
        (kk(ddmmyy="310407"), "tanggal terbit pada No KK '310407' bukan tanggal yang sah"),
        (kk(ddmmyy="290207"), "tanggal terbit pada No KK '290207' bukan tanggal yang sah"),
        (kk(ddmmyy="001307"), "tanggal terbit pada No KK '001307' bukan tanggal yang sah"),
        (kk(ddmmyy="110007"), "tanggal terbit pada No KK '110007' bukan tanggal yang sah"),
        (kk(serial="0000"), "nomor urut No KK 0000 tidak sah"),
    ],
)
def test_kk_problems(value, reason):
    assert kk_problem(value) == reason
    with pytest.raises(NikError) as caught:
        kk_check(value)
    assert caught.value.reason == reason


# --- properties ---------------------------------------------------------------------------

# Within 1900-2099 every real 29 February falls in a year with YY % 4 == 0, the rule a
# century-less NIK can apply (1900 had no 29 February; 2000 had one).
_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    region=st.integers(min_value=0, max_value=9999),
    born=_dates,
    sex=st.sampled_from("LP"),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_well_built_nik_is_accepted(province, region, born, sex, serial):
    day = born.day + (40 if sex == "P" else 0)
    value = f"{province}{region:04d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    assert nik_problem(value) is None
    assert nik_sex(value) == sex
    assert nik_birth_date(value) == (born.day, born.month, born.year % 100)
    assert sex_problem(value, sex) is None


@given(st.text(max_size=40).filter(lambda value: len(value) != 16))
def test_any_string_not_16_long_is_refused(value):
    assert nik_problem(value) is not None
    assert kk_problem(value) is not None


@given(st.text(min_size=16, max_size=16))
def test_any_16_character_string_gets_an_answer_without_crashing(value):
    problem = nik_problem(value)
    assert problem is None or isinstance(problem, str)
    if not (value.isascii() and value.isdigit()):
        assert problem is not None
