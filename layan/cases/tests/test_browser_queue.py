"""The work queue on a phone (Chromium, 360 px): search by name, then the Selesai tab."""

import os
from pathlib import Path

import pytest

from layan.cases.services import Applicant, Subject, case_create
from layan.cases.testing import step_act
from layan.offices.models import Office
from layan.registry.tests.factories import make_nik

PASSWORD = "kata-sandi-loket-2026"
pytestmark = pytest.mark.browser


@pytest.fixture
def desk(office_register, make_user):
    """Front office at Bone with three open cases and two it turned down; made before
    the browser starts (the test body makes no ORM calls)."""
    ani = make_user("ani", password=PASSWORD, bone=["petugas"])
    bone = Office.objects.get(slug="bone")
    nik = office_register["bone"]["registered"]
    child_nik = make_nik("7308", serial=78)

    def register(name: str, child: str = ""):
        return case_create(
            office=bone,
            service_code="rekomendasi-kip",
            user=ani,
            applicant=Applicant(name=name, nik=nik),
            subject=Subject(name=child, nik=child_nik, relation="anak") if child else None,
            duplicate_reason="uji: beberapa permohonan untuk orang yang sama",
        )

    cases = {
        "sari": register("Ibu Sari Wulandari", child="Budi Santoso"),
        "ahmad": register("Pak Ahmad Rahman"),
        "dewi": register("Ibu Dewi Lestari"),
    }
    for name in ("Pak Rudi Hidayat", "Ibu Fitri Maharani"):
        cases[name] = register(name)
        step_act(cases[name], user=ani, outcome="tidak_lengkap")
    return cases


def _overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def _shots(tmp_path: Path) -> Path:
    # LAYAN_SCREENSHOTS keeps them for a person to look at; else they go with the test.
    # (Screenshots keep the caret: hiding it injects a style the site's CSP refuses.)
    folder = Path(os.environ.get("LAYAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_front_office_searches_the_queue_and_opens_the_ended_cases(
    live_server, desk, page, tmp_path
):
    shots = _shots(tmp_path)
    page.goto(live_server.url + "/masuk/?next=/staf/bone/permohonan/")
    page.get_by_label("Nama pengguna").fill("Ani")  # as a phone capitalises it
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Antrian kerja").wait_for()
    rows = page.locator(".queue-table tbody tr")
    assert rows.count() == 3

    search = page.get_by_label("Cari kode lacak, NIK, atau nama")
    search.fill("wulan")
    search.press("Enter")
    page.wait_for_url("**/permohonan/?q=wulan")
    page.get_by_text("cocok dengan “wulan”").wait_for()
    assert rows.count() == 1
    found = rows.first.inner_text()
    assert desk["sari"].tracking_code in found and "untuk Budi Santoso" in found
    assert "layanan: sisa" in found or "layanan: terlambat" in found
    page.screenshot(path=str(shots / "queue-search-360.png"), full_page=True, caret="initial")
    assert page.errors == []
    assert not _overflows(page)

    # The search travels with the tab: no ended case is called Wulandari.
    page.get_by_role("link", name="Selesai", exact=True).click()
    page.wait_for_url("**/permohonan/?tab=selesai&q=wulan")
    page.get_by_text("Tidak ada permohonan yang cocok").wait_for()
    search = page.get_by_label("Cari kode lacak, NIK, atau nama")
    search.fill("")
    page.get_by_label("Hasil").select_option("ditolak")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**/permohonan/?tab=selesai*hasil=ditolak*")
    page.get_by_text("2 permohonan yang berakhir").wait_for()
    assert rows.count() == 2
    assert "Ditolak" in rows.first.inner_text()
    page.screenshot(path=str(shots / "queue-selesai-360.png"), full_page=True, caret="initial")
    assert not _overflows(page)
    page.set_viewport_size({"width": 1280, "height": 800})  # and on the desk's screen
    page.screenshot(path=str(shots / "queue-selesai-1280.png"), full_page=True, caret="initial")
    assert not _overflows(page)
    assert page.errors == []
