"""What a letter says: signer titles (Plt./Plh./a.n.), number patterns, masking."""

from datetime import date

import pytest

from layan.catalogue.schema import LetterNumbering, LetterTemplate, Signer
from layan.letters.content import name_masked, signatory
from layan.letters.numbering import number_format, number_period
from layan.offices.models import Acting, Office

pytestmark = pytest.mark.django_db
TEMPLATE = LetterTemplate(code="s", name="S")


def _doc(signer=None):
    from types import SimpleNamespace

    return SimpleNamespace(signer=signer)


@pytest.mark.parametrize(
    ("acting", "lines"),
    [
        (Acting.DEFINITIVE, ["Kepala Dinas Sosial Kabupaten Bone,"]),
        (Acting.PLT, ["Plt. Kepala Dinas Sosial Kabupaten Bone,"]),
        (Acting.PLH, ["Plh. Kepala Dinas Sosial Kabupaten Bone,"]),
    ],
)
def test_head_of_office_title_shows_plt_and_plh(seeded, acting, lines):
    office = Office.objects.get(slug="bone")
    office.head_acting, office.head_name, office.head_nip = acting, "Andi, S.Sos", "1970"
    office.save()
    sign = signatory(office, _doc(), TEMPLATE)
    assert sign.title_lines == lines and sign.name == "Andi, S.Sos" and sign.nip == "1970"
    assert sign.place == "Bone"


def test_signing_on_behalf_of_the_head_is_a_n(seeded):
    office = Office.objects.get(slug="blitar")
    signer = Signer(title="Sekretaris", name="Budi, S.H.", nip="1980", acting="a.n.")
    sign = signatory(office, _doc(signer), TEMPLATE)
    assert sign.title_lines == ["a.n. Kepala Dinas Sosial Kota Blitar", "Sekretaris,"]
    assert sign.name == "Budi, S.H." and sign.place == "Blitar"


def test_bima_head_is_plt_as_its_sop_says(seeded):
    sign = signatory(Office.objects.get(slug="bima"), _doc(), TEMPLATE)
    assert sign.title_lines == ["Plt. Kepala Dinas Sosial Kota Bima,"]
    assert sign.name == "Drs. Abdul Gawis"


@pytest.mark.parametrize(
    ("pattern", "reset", "seq", "on", "number", "period"),
    [
        ("{classification}/{seq}/{unit}/{roman_month}/{year}", "yearly", 7, date(2026, 11, 30),
         "460/7/DINSOS/XI/2026", "2026"),
        ("{classification}/{seq:03}/{unit}/{year}", "yearly", 7, date(2026, 1, 2),
         "460/007/DINSOS/2026", "2026"),
        ("{classification}/{seq}/{unit}/{month}/{year}", "monthly", 12, date(2026, 4, 1),
         "460/12/DINSOS/4/2026", "2026-04"),
        ("B-{seq}/{unit}", "never", 1, date(2027, 1, 1), "B-1/DINSOS", ""),
    ],
)  # fmt: skip
def test_number_patterns(pattern, reset, seq, on, number, period):
    numbering = LetterNumbering(pattern=pattern, classification="460", unit="DINSOS", reset=reset)
    assert number_format(numbering, seq, on) == number
    assert number_period(numbering, on) == period


def test_names_are_masked_to_initials():
    assert name_masked("Budi  Santoso") == "B*** S***"
    assert name_masked("") == ""
