"""Indonesian phone numbers (layan.core.phone): the ways people write them, one stored form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layan.core.phone import PhoneError, phone_normalized, phone_problem


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("+62 857-5624-2215", "+6285756242215"),  # as the Bone seed prints its officers
        ("0812.3456.789", "+628123456789"),
        ("  0812345678 ", "+62812345678"),
        ("(0370) 623037", "+62370623037"),  # Mataram's office line
        ("0481-21029", "+6248121029"),  # Bone's office line
        ("021-12345678", "+622112345678"),
        ("", ""),
    ],
)
def test_every_way_of_writing_a_number_is_stored_as_plus_62(written, stored):
    assert phone_problem(written) is None
    assert phone_normalized(written) == stored


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("+60 12-345 6789", "bukan nomor Indonesia"),  # Malaysia
        ("+1 202 555 0100", "bukan nomor Indonesia"),
        ("812345678901", "tidak dikenali"),  # no 0 or 62 in front
        ("08123", "harus 10 sampai 13 digit"),
        ("08123456789012", "harus 10 sampai 13 digit"),
        ("0370 12", "harus 9 sampai 12 digit"),
        ("0812-3456-789O", "tidak dikenali"),  # a letter O
        ("nomor saya 0812", "tidak dikenali"),
        ("0112345678", "tidak dikenali"),  # no area code starts with 1
        ("62", "tidak dikenali"),
        ("+", "bukan nomor Indonesia"),
        ("٠٨١٢٣٤٥٦٧٨٩٠", "tidak dikenali"),  # Arabic-Indic digits
    ],
)
def test_what_is_not_an_indonesian_number_is_refused_with_the_reason(written, says):
    problem = phone_problem(written)
    assert problem is not None and says in problem
    assert f"'{written.strip()}'" in problem  # names what was written
    assert "08…" in problem  # and how to write it
    with pytest.raises(PhoneError) as info:
        phone_normalized(written)
    assert info.value.reason == problem


@given(st.text(alphabet="0123456789 -+().", max_size=20))
def test_a_number_accepted_is_stored_in_one_form_that_is_accepted_again(written):
    if phone_problem(written) is not None:
        return
    stored = phone_normalized(written)
    if stored:
        assert stored.startswith("+62") and stored[1:].isdigit()
        assert phone_normalized(stored) == stored
