"""The kadin signs on the case page and the public checks the letter, in headless Chromium."""

import pytest

from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind

pytestmark = pytest.mark.browser


@pytest.fixture
def at_signature(walk, tmp_path):
    """A Bone KIP case at the kadin's signature (ORM work done before the browser starts)."""
    case, user = walk("bone", until=StepKind.SIGN, name="Wati")
    return case, user


def test_kadin_signs_and_the_public_verifies_the_pdf(live_server, at_signature, page, tmp_path):
    case, user = at_signature
    page.goto(f"{live_server.url}/masuk/?next=/staf/bone/permohonan/{case.pk}/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_label("Kata sandi Anda").fill("bukan-ini")
    page.get_by_role("button", name="Setuju").click()
    page.get_by_text("Kata sandi salah").wait_for()
    page.get_by_label("Kata sandi Anda").fill(PASSWORD)
    page.get_by_role("button", name="Setuju").click()
    page.locator("#surat").get_by_text("Terbit (sah)").wait_for()

    with page.expect_download() as download:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 's.pdf';"
            " document.body.appendChild(a); a.click(); }",
            page.get_by_role("link", name="Unduh / cetak surat (PDF)").get_attribute("href"),
        )
    pdf = tmp_path / "surat.pdf"
    download.value.save_as(pdf)

    page.get_by_role("link", name="Halaman verifikasi").click()
    page.get_by_text("SAH").first.wait_for()
    page.get_by_label("Berkas PDF surat").set_input_files(str(pdf))
    page.get_by_role("button", name="Periksa berkas").click()
    page.get_by_text("Berkas ASLI").wait_for()
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == []
    assert page.errors == []
