"""The converter's fast paths give exactly what the plain ones give."""

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from layan.registry.converting import converter_build
from layan.registry.layouts import DTKS
from layan.registry.rules import RowRejection, date_read
from layan.registry.storage import copy_text
from layan.registry.tests.factories import DTKS_HEADER, people, person

FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


def _strptime(text: str, fmt: str) -> date | None:
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        return None


@given(
    year=st.integers(0, 9999),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    fmt=st.sampled_from(FORMATS),
    style=st.sampled_from(["padded", "bare", "other"]),
)
def test_dates_read_by_slicing_are_what_strptime_reads(year, month, day, fmt, style):
    if style == "padded":
        text = f"{year:04d}-{month:02d}-{day:02d}"
        if fmt != "%Y-%m-%d":
            text = f"{day:02d}{fmt[2]}{month:02d}{fmt[2]}{year:04d}"
    elif style == "bare":
        text = f"{year}-{month}-{day}"
    else:
        text = f"{day:02d}.{month:02d}.{year:04d}"
    for candidate in FORMATS:
        assert date_read(text, candidate) == _strptime(text, candidate), (text, candidate)


def test_odd_date_texts_fall_back_to_strptime():
    for text in [
        "\uff11\uff19\uff16\uff13-09-12",  # full-width digits
        "1963-09-1x",
        "196a-09-12",
        "1963/09/12",
        "",
        "1963-09-12 ",
    ]:
        for fmt in FORMATS:
            assert date_read(text, fmt) == _strptime(text, fmt)


def test_copy_lines_are_the_copy_text_of_the_stored_tuples():
    rows = people(20)
    rows[2].extra = {"alamat": "JL. MAWAR\tNO. 1\\2\nRT 3", "tempat_lahir": "N\\A"}
    rows[3].nama = "ANI\\BUDI"
    rows[4].desil = ""
    rows.append(person(900, desil="12"))
    as_tuple = converter_build(DTKS, DTKS_HEADER)
    as_copy = converter_build(DTKS, DTKS_HEADER, as_copy=True)
    for line, row in enumerate(rows, start=2):
        stored = as_tuple(line, row.values(line))
        copied = as_copy(line, row.values(line))
        if isinstance(stored, RowRejection):  # a rejection reads the same either way
            assert copied == stored
        else:
            assert copied.encode() == copy_text([stored])


def test_a_desil_of_digits_int_cannot_read_is_rejected_not_a_crash():
    convert = converter_build(DTKS, DTKS_HEADER)
    rejected = convert(2, person(1, desil="²").values(2))  # isdigit() says yes, int() no
    assert rejected == RowRejection(2, "desil", "²", "desil harus angka 1 sampai 10")
    assert convert(3, person(2, desil="٤").values(3))[6] == 4  # Arabic-Indic 4 reads as 4
