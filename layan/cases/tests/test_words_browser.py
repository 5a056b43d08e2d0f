"""At 360 px: a case's history names people with their NIP and times in WITA; the public
service page says when it was updated, not which definition version or seed it came from."""

import os
from pathlib import Path

import pytest

from layan.cases.testing import PASSWORD
from layan.cases.tests.test_words import _walked_case, staff  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: LAYAN_SCREENSHOTS to keep them, else the test's own folder."""
    folder = Path(os.environ.get("LAYAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def walked(office_register, staff):  # noqa: F811
    """Made before the browser starts: the test body makes no ORM calls."""
    case = _walked_case(office_register, staff)
    for user in staff.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return case


def _overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_the_case_history_names_people_and_office_times_on_a_phone(
    live_server, walked, page, shots
):
    page.goto(f"{live_server.url}/masuk/?next=/staf/bone/permohonan/{walked.pk}/")
    page.get_by_label("Nama pengguna").fill("zq_petugas_7")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    history = page.locator("#riwayat")
    history.wait_for()
    text = history.inner_text()
    assert "Andi Saputra (NIP 19900312 201503 1 001)" in text
    assert "Muhammad Yusuf, S.Sos. (NIP 19780511 200312 1 001)" in text
    assert "WITA" in text and "zq_" not in page.content()
    assert not _overflows(page)
    history.scroll_into_view_if_needed()
    history.screenshot(path=str(shots / "case-history-360.png"))
    page.locator("#lampiran").screenshot(path=str(shots / "case-attachments-360.png"))
    assert page.errors == []


def test_the_public_service_page_has_no_technical_words_on_a_phone(
    live_server, seeded, page, shots
):
    page.goto(f"{live_server.url}/bone/layanan/rekomendasi-kip/")
    body = page.locator("main").inner_text()
    assert "Terakhir diperbarui" in body
    for word in ("Versi definisi", "seed", "sumber:"):
        assert word not in body
    assert not _overflows(page)
    page.screenshot(path=str(shots / "public-service-360.png"), full_page=True)
    page.goto(f"{live_server.url}/bone/layanan/rekomendasi-kip/sop/")
    assert "Versi definisi" not in page.locator("main").inner_text()
    assert page.errors == []
