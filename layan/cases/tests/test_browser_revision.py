"""A return and its revision in headless Chromium on a 360 px phone: the kabid sends a draft
back with a reason, the front office finds it first in the queue, corrects the child's name
and drafts again, the kabid initials, the kadin signs, and the letter names the child right."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from layan.cases.testing import PASSWORD, walk
from layan.cases.tests.revision import kip_case
from layan.core.testing import require_tool

pytestmark = pytest.mark.browser
REASON = "Nama anak salah ketik: di KK tertulis Budi Santoso."
SHOTS = Path(os.environ.get("LAYAN_SCREENSHOTS", "/tmp"))
# caret="initial": Playwright hides the caret by writing style="" on every input, which
# htmx's settle then copies across a swap, and the CSP rightly refuses.
SHOT = {"full_page": True, "caret": "initial"}


@pytest.fixture
def at_paraf(office_register, bone_staff):
    """An older case waiting at the checklist, and a drafted one at the kabid's paraf."""
    older = kip_case(office_register, bone_staff, child="Citra Lestari")
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="paraf_kabid")
    return case, older


def _sign_in(page, base: str, username: str, path: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/masuk/?next={path}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def _overflowing(page) -> list[str]:
    """Elements reaching past the screen's right edge (the queue's clipped header aside)."""
    return page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => !e.closest('thead')"
        " && e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )


def test_a_returned_case_is_revised_and_the_letter_carries_the_correction(
    live_server, at_paraf, bone_staff, page, tmp_path
):
    case, older = at_paraf
    base, case_path = live_server.url, f"/staf/bone/permohonan/{case.pk}/"

    # The kabid sends the draft back with a reason.
    _sign_in(page, base, bone_staff["kabid"].username, case_path)
    page.get_by_label("Catatan (wajib bila dikembalikan)").fill(REASON)
    page.get_by_role("button", name="Kembalikan").click()
    page.get_by_text("Paraf: Dikembalikan.").wait_for()

    # The front office finds it first in its queue, marked, with the reason shortened.
    _sign_in(page, base, bone_staff["petugas"].username, "/staf/bone/permohonan/")
    page.get_by_role("heading", name="Antrian kerja").wait_for()
    rows = page.locator(".queue-table tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    assert first.get_by_role("link").inner_text() == case.tracking_code
    assert "Dikembalikan" in first.inner_text() and "Nama anak salah ketik" in first.inner_text()
    assert older.tracking_code in rows.nth(1).inner_text()
    assert "Dikembalikan" not in rows.nth(1).inner_text()
    assert _overflowing(page) == []
    page.screenshot(path=str(SHOTS / "revision-queue-360.png"), **SHOT)

    # The case page opens with the reason, then the correction and the redraft.
    first.get_by_role("link").click()
    banner = page.locator(".returned")
    banner.wait_for()
    assert REASON in banner.inner_text()
    assert "Paraf" in banner.inner_text() and "Andi Kepala Bidang" in banner.inner_text()
    box = banner.bounding_box()
    assert (
        box is not None
        and box["y"] < page.get_by_role("heading", name="Permohonan").bounding_box()["y"]
    )
    assert _overflowing(page) == []
    page.screenshot(path=str(SHOTS / "revision-case-returned-360.png"), **SHOT)

    page.locator("summary", has_text="Koreksi data").click()
    child = page.get_by_label("Nama anak/yang diwakili")
    assert child.input_value() == "Budi Santosa"
    child.fill("Budi Santoso")
    assert _overflowing(page) == []
    page.screenshot(path=str(SHOTS / "revision-correction-form-360.png"), **SHOT)
    page.get_by_role("button", name="Simpan koreksi").click()
    page.get_by_text("Data dikoreksi: Nama anak/yang diwakili.").wait_for()
    history = page.locator(".corrections").inner_text()
    assert "Ani Rahmawati" in history and "Budi Santosa" in history and "Budi Santoso" in history
    page.screenshot(path=str(SHOTS / "revision-case-corrected-360.png"), **SHOT)
    # The officer makes the draft again and reads it before sending it on (letters panel).
    page.get_by_role("button", name=re.compile(r"^Buat (ulang )?draf$")).click()
    page.get_by_text("Draf surat dibuat").wait_for()
    page.get_by_role(
        "button", name="Kirim draf ke Kepala Bidang Perlindungan dan Jaminan Sosial untuk paraf"
    ).click()
    page.get_by_text("Pembuatan surat: Surat dibuat.").wait_for()
    assert page.locator(".returned").count() == 0

    # The kabid initials it, the kadin signs it.
    for role in ("kabid", "kadin"):
        _sign_in(page, base, bone_staff[role].username, case_path)
        page.get_by_label("Kata sandi Anda").fill(PASSWORD)
        page.get_by_role("button", name="Setuju").click()
        page.get_by_text(": Setuju.").wait_for()
    page.locator("#surat").get_by_text("Terbit (sah)").wait_for()

    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 's.pdf';"
            " document.body.appendChild(a); a.click(); }",
            page.get_by_role("link", name="Unduh / cetak surat (PDF)").get_attribute("href"),
        )
    pdf = tmp_path / "surat.pdf"
    download.value.save_as(pdf)
    text = subprocess.run([require_tool("pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Budi Santoso" in text and "Budi Santosa" not in text
    assert page.errors == [], "\n".join(page.errors)
