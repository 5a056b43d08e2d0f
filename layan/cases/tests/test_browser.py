"""The front office at work in headless Chromium (Debian's package, via Playwright), on a phone."""

import pytest

PASSWORD = "kata-sandi-loket-2026"
pytestmark = pytest.mark.browser


@pytest.fixture
def ani(office_register, make_user):
    """Front office at Bone, made before the browser starts: the test body makes no ORM calls."""
    return make_user("ani", password=PASSWORD, bone=["petugas"])


def _overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_front_office_registers_a_walk_in_and_checks_the_papers(
    live_server, office_register, ani, page
):
    parent, child = office_register["bone"]["unknown"], office_register["bone"]["registered"]

    page.goto(live_server.url + "/masuk/?next=/staf/bone/permohonan/baru/")
    page.get_by_label("Nama pengguna").fill("ani")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("heading", name="Pendaftaran pemohon baru").wait_for()
    page.get_by_label("Layanan").select_option("rekomendasi-kip")
    page.get_by_label("Nama pemohon").fill("Ibu Sari")
    page.get_by_label("NIK pemohon").fill(parent)
    # The child's fields open with the guardian box, by CSS alone (no inline script).
    child_name = page.get_by_label("Nama anak/yang diwakili")
    assert not child_name.is_visible()
    page.get_by_label("Pemohon adalah orang tua/wali").check()
    assert child_name.is_visible()
    child_name.fill("Budi")
    page.get_by_label("NIK anak/yang diwakili").fill(child)
    page.get_by_label("Sekolah").fill("SDN 1 Watampone")
    assert not _overflows(page)
    page.get_by_role("button", name="Daftarkan").click()

    # htmx follows HX-Redirect to the case page.
    page.get_by_text("Permohonan terdaftar. Kode lacak:").wait_for()
    assert page.get_by_role("heading", name="Permohonan").is_visible()
    assert page.get_by_text("SDN 1 Watampone").is_visible()
    page.get_by_label("Kartu Pelajar/Kartu Mahasiswa/ Surat Keterangan Aktif Belajar").check()
    page.get_by_label("Kartu keluarga/ KK").check()
    page.get_by_role("button", name="Lengkap", exact=True).click()

    page.get_by_text("Pemeriksaan kelengkapan: Lengkap.").wait_for()
    assert page.get_by_role("button", name="Periksa DTKS/DTSEN").is_visible()
    facts = page.locator(".case-head dl").inner_text()
    assert "Pengecekan DTKS/DTSEN — Petugas Layanan" in facts
    assert not _overflows(page)

    # The receipt: QR drawn inline, print button revealed by the project's script.
    page.get_by_role("link", name="Tanda terima").click()
    assert page.locator("svg.qr").is_visible()
    assert page.get_by_role("button", name="Cetak").is_visible()
    assert page.errors == []  # e.g. a CSP violation (inline style or script) shows here
