"""On a phone, the officer makes the draft, reads it, and sends it on with a button that says
where it goes; the verification page names signatures by step and signer (Chromium, 360 px)."""

import os
from pathlib import Path

import pytest

from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind

pytestmark = pytest.mark.browser
SEND = "Kirim draf ke Kepala Bidang Perlindungan dan Jaminan Sosial untuk paraf"
SHOTS = Path(os.environ.get("LAYAN_SCREENSHOTS", "/tmp/layan-letters-shots"))


@pytest.fixture
def at_draft(walk):
    case, user = walk("bone", until=StepKind.DRAFT_LETTER, name="Sari")
    return case, user


def test_the_officer_reads_the_draft_before_sending_it(live_server, at_draft, page):
    case, user = at_draft
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/masuk/?next=/staf/bone/permohonan/{case.pk}/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_text("Belum ada draf").wait_for()
    page.get_by_role("button", name="Buat draf", exact=True).click()
    page.get_by_text("Draf surat dibuat").wait_for()
    link = page.get_by_role("link", name="lihat draf surat (PDF)", exact=True)
    assert link.get_attribute("href", timeout=5000).endswith("/berkas.pdf")
    page.locator("#surat").scroll_into_view_if_needed()
    _shot(page, "draft-made.png")
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")

    page.get_by_role("button", name=SEND).click()
    page.get_by_text("Paraf", exact=True).first.wait_for()
    _shot(page, "draft-sent.png")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == []
    assert page.errors == []


def _shot(page, name: str) -> None:
    # caret="initial": hiding the caret injects a style sheet, which the CSP refuses.
    page.screenshot(path=str(SHOTS / name), full_page=True, caret="initial")
