"""The one rule that turns a published contact into a link (wa.me, tel:, mailto:)."""

import pytest

from layan.offices.contacts import contact_href, officer_href, phone_62
from layan.offices.models import ChannelKind


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("+62 857-5624-2215", "6285756242215"),  # Bone's officers, as the seed writes them
        ("082265367430", "6282265367430"),  # Banyuasin's WhatsApp
        ("0481-21029", "6248121029"),  # Bone's office line, area code 0481
        ("(0370) 623037", "62370623037"),  # Mataram's office line
        ("07117690082", "627117690082"),  # Banyuasin's office line
        ("62 812 4148 3387", "6281241483387"),
        ("+62 (0)812-4148-3387", "6281241483387"),  # the trunk 0 after +62 is dropped
        ("0812.4148.3387", "6281241483387"),
    ],
)
def test_an_indonesian_number_becomes_its_62_form(written, digits):
    assert phone_62(written) == digits


@pytest.mark.parametrize(
    "written",
    [
        "",
        "lihat daftar petugas",
        "petugas pengaduan (lihat daftar petugas)",
        "+1 202 555 0100",  # not an Indonesian number
        "0812",  # too short to be a number
        "0812-4148-3387-9999-1",  # too long
        "0812 4148 3387 ext. 2",
        "21029",  # no area code: cannot be dialled from a mobile
    ],
)
def test_what_is_not_an_indonesian_number_gives_none(written):
    assert phone_62(written) is None


def test_whatsapp_numbers_open_wa_me():
    assert contact_href(ChannelKind.WHATSAPP, "082265367430") == "https://wa.me/6282265367430"


def test_a_whatsapp_channel_that_is_not_a_number_has_no_link():
    assert contact_href(ChannelKind.WHATSAPP, "lihat daftar petugas") is None


def test_phones_are_tel_links_in_international_form():
    assert contact_href(ChannelKind.PHONE, "(0370) 623037") == "tel:+62370623037"


def test_emails_are_mailto_links():
    assert contact_href(ChannelKind.EMAIL, " dinsosbone.office@gmail.com ") == (
        "mailto:dinsosbone.office@gmail.com"
    )


@pytest.mark.parametrize("value", ["", "dinas sosial", "a@b", "two words@x.id", "x@y.id?cc=z"])
def test_what_is_not_an_email_address_has_no_mailto(value):
    assert contact_href(ChannelKind.EMAIL, value) is None


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (ChannelKind.FACEBOOK, "Dinas Sosial Kabupaten Bone"),
        (ChannelKind.BOX, ""),
        (ChannelKind.DIRECT, "Kantor Dinas Sosial Kota Mataram Jalan Kartini No. 3 Mataram"),
        (ChannelKind.LETTER, "ditujukan kepada Kepala Dinas Sosial Kabupaten Banyuasin"),
        ("tidak-dikenal", "0812-4148-3387"),
    ],
)
def test_other_channels_get_no_link_from_their_text(kind, value):
    assert contact_href(kind, value) is None


def test_an_officers_mobile_number_opens_whatsapp_and_a_landline_is_dialled():
    assert officer_href("+62 823-4833-4845") == "https://wa.me/6282348334845"
    assert officer_href("0481-21029") == "tel:+6248121029"
    assert officer_href("") is None
