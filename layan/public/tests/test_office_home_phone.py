"""The public office page as a phone shows it: services first, hours and counter, contacts as links.

The module is also the URL configuration of the test that gives Layan a survey page
(`urlpatterns` at the bottom), so `survey_url` can be seen to find it.
"""

import re

import pytest
from django.http import HttpResponse
from django.urls import include, path

from layan.core.local_time import DASH
from layan.offices.models import ChannelKind, ComplaintChannel, Office
from layan.public.links import survey_url


def dashed(text: str) -> str:
    return text.replace("-", DASH)


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_services_come_before_the_contacts(client, seeded):
    page = html(client, "/bone/")
    assert page.index('href="/bone/layanan/') < page.index("Alamat")
    assert page.index('href="/bone/layanan/') < page.index("Telepon")
    assert page.index('href="/bone/layanan/') < page.index("Maklumat pelayanan")


def test_the_page_shows_office_hours_with_the_zone_name(client, seeded):
    bone = html(client, "/bone/")
    assert "Jam pelayanan" in bone
    assert dashed("07.30-16.00 WITA, istirahat 12.00-13.00") in bone
    assert dashed("07.30-16.30 WITA, istirahat 11.30-13.00") in bone
    # Bone states no hours of its own: the page says whose hours these are.
    assert "Perpres 21/2023" in bone
    blitar = html(client, "/blitar/")
    assert dashed("07.30-16.00 WIB") in blitar
    assert "WITA" not in blitar


def test_the_page_shows_where_the_counter_is_only_where_the_seed_says(client, seeded):
    assert "Front Office/Bagian Layanan (Petugas Layanan)" in html(client, "/bone/")
    assert "Front Office Sistem Layanan dan Rujukan Terpadu (SLRT)" in html(client, "/mataram/")
    assert "Tempat pelayanan" not in html(client, "/blitar/")


def test_whatsapp_numbers_are_wa_me_links_that_do_not_wrap(client, seeded):
    page = html(client, "/bone/")
    link = re.search(r'<a class="number" href="https://wa.me/6285756242215">([^<]*)</a>', page)
    assert link, "Ayu Puspitasari's WhatsApp number is not a wa.me link"
    assert link.group(1) == "+62 857-5624-2215"
    assert 'href="tel:+6285756242215"' not in page
    # Banyuasin publishes one WhatsApp number as a channel.
    assert 'href="https://wa.me/6282265367430"' in html(client, "/banyuasin/")


def test_phones_are_tel_links_and_emails_mailto_links(client, seeded):
    page = html(client, "/mataram/")
    assert '<a class="number" href="tel:+62370623037">(0370) 623037</a>' in page
    assert 'href="mailto:dinassosialmtrm@gmail.com"' in page
    bone = html(client, "/bone/")
    assert '<a class="number" href="tel:+6248121029">0481-21029</a>' in bone
    assert 'href="mailto:dinsosbone.office@gmail.com"' in bone


def test_a_channel_whose_text_is_no_number_stays_text(client, seeded):
    page = html(client, "/bone/")
    assert "petugas pengaduan (lihat daftar petugas)" in page
    assert 'href="https://wa.me/"' not in page


def test_the_service_standard_links_the_officers_numbers_too(client, seeded):
    page = html(client, "/bone/layanan/rekomendasi-kip/")
    assert '<a class="number" href="https://wa.me/6282395451714">+62 823-9545-1714</a>' in page
    assert '<a class="number" href="tel:+6248121029">0481-21029</a>' in page
    assert 'href="mailto:dinsosbone.office@gmail.com"' in page


def test_the_survey_channel_is_text_while_layan_has_no_survey(client, seeded):
    mataram = Office.objects.get(slug="mataram")
    assert survey_url(mataram) is None
    page = html(client, "/mataram/")
    assert "<strong>Form Survei Kepuasan Masyarakat</strong>" in page
    assert "/survei/" not in page


def survey_stub(request, office):
    return HttpResponse("survei")


urlpatterns = [
    path("<slug:office>/survei/", survey_stub, name="survey"),
    path("", include("layan.urls")),
]


@pytest.mark.urls(__name__)
def test_the_survey_channel_links_to_the_survey_once_it_exists(client, seeded):
    mataram = Office.objects.get(slug="mataram")
    assert survey_url(mataram) == "/mataram/survei/"
    page = html(client, "/mataram/")
    assert '<a href="/mataram/survei/">Form Survei Kepuasan Masyarakat</a>' in page
    # On the service standard too, where the catalogue lists the channel.
    assert 'href="/mataram/survei/"' in html(client, "/mataram/layanan/rekomendasi-dtks-kip/")


def test_a_seeded_link_wins_over_the_derived_one(client, seeded):
    bone = Office.objects.get(slug="bone")
    ComplaintChannel.objects.create(
        office=bone, kind=ChannelKind.WHATSAPP, label="WA grup", value="0812-0000-1111",
        url="https://chat.whatsapp.com/contoh", order=99,
    )  # fmt: skip
    page = html(client, "/bone/")
    assert 'href="https://chat.whatsapp.com/contoh"' in page
    assert "wa.me/6281200001111" not in page


# ---- Chromium at 360 x 740 --------------------------------------------------------------

FIRST_SERVICE_Y = (
    "document.querySelector('main a[href*=\"/layanan/\"]').getBoundingClientRect().top"
)


@pytest.mark.browser
@pytest.mark.parametrize("slug", ["bone", "mataram", "banyuasin"])
def test_the_first_service_is_on_the_first_screen(live_server, seeded, page, slug):
    page.goto(live_server.url + f"/{slug}/")
    assert page.evaluate("window.scrollY") == 0
    # Measured before this change: Bone 914 px, Mataram 795 px, Banyuasin 926 px down.
    assert page.evaluate(FIRST_SERVICE_Y) < 400
    assert page.errors == []


@pytest.mark.browser
def test_no_phone_number_wraps_on_a_phone(live_server, seeded, page):
    page.goto(live_server.url + "/bone/")
    numbers = page.locator("main a.number")
    assert numbers.count() >= 9  # the office line and eight officers
    for i in range(numbers.count()):
        link = numbers.nth(i)
        assert link.evaluate("a => getComputedStyle(a).whiteSpace") == "nowrap"
        assert link.evaluate("a => a.getClientRects().length") == 1, link.inner_text()
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
