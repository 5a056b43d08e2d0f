"""A public service page driven in headless Chromium (Debian's package, via Playwright)."""

import pytest

pytestmark = pytest.mark.browser


def test_citizen_finds_a_service_and_its_sop(live_server, seeded, page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Dinas Sosial Kabupaten Bone").click()
    page.get_by_role("link", name="Rekomendasi Kartu Indonesia Pintar (KIP)").first.click()
    assert page.get_by_role("heading", name="1. Persyaratan").is_visible()
    assert page.get_by_text("15 Menit").first.is_visible()
    # Styles came from the project (CSP allows nothing else): the banner-less header is laid out.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "flex"
    )

    page.get_by_role("link", name="Lihat SOP").click()
    assert page.get_by_role("columnheader", name="Kepala Dinas Sosial").is_visible()
    # JavaScript (served from the project) reveals the print button.
    assert page.get_by_role("button", name="Cetak").is_visible()
    # Nothing overflows the phone's width except inside the scrollable table wrapper.
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    assert page.errors == []  # e.g. a CSP violation would be reported here


def test_sop_pdf_link_serves_a_pdf(live_server, seeded, page):
    page.goto(live_server.url + "/blitar/layanan/surat-keterangan-kip/sop/")
    href = page.get_by_role("link", name="Unduh PDF").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_unknown_service_shows_indonesian_404(live_server, seeded, page):
    response = page.goto(live_server.url + "/bone/layanan/tidak-ada/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Halaman tidak ditemukan").is_visible()
