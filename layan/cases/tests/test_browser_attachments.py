"""Scans at the counter in headless Chromium on a 360 px phone: a scan ticks its paper at
the checklist, the officer takes a tick off and puts it back, a file over the limit is
stopped before it is sent."""

import os

import pytest

from layan.cases.services import Applicant, case_create
from layan.core.testing import scan_image, scan_pdf
from layan.offices.models import Office

PASSWORD = "kata-sandi-loket-2026"
pytestmark = pytest.mark.browser
SHOTS = os.environ.get("LAYAN_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scans(tmp_path):
    """Files on disk, as a phone's file picker would give them."""
    files = {
        "kk": tmp_path / "KK Ibu Sari.pdf",
        "kartu": tmp_path / "kartu pelajar.jpg",
        "huge": tmp_path / "foto besar.png",
    }
    files["kk"].write_bytes(scan_pdf())
    files["kartu"].write_bytes(scan_image("JPEG", (600, 400)))
    files["huge"].write_bytes(scan_image("PNG") + b"\x00" * 3_000_000)
    return files


@pytest.fixture
def case(office_register, make_user, settings):
    """Made before the browser starts: the test body makes no ORM calls."""
    settings.CASE_MAX_ATTACHMENT_BYTES = 2_000_000
    ani = make_user("ani", password=PASSWORD, bone=["petugas"])
    return case_create(
        office=Office.objects.get(slug="bone"),
        service_code="rekomendasi-kip",
        user=ani,
        applicant=Applicant(name="Ibu Sari", nik=office_register["bone"]["registered"]),
    )


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _upload(page, requirement: str, path) -> None:
    page.get_by_label("Lampiran untuk").select_option(value=requirement)
    page.get_by_label("Berkas", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Unggah").click()
    # The fresh case is swapped in, with the scan listed under its paper and in the list.
    page.get_by_role("link", name=path.name).first.wait_for()


def test_a_scan_ticks_its_paper_and_the_officer_decides(live_server, case, scans, page):
    page.goto(live_server.url + f"/masuk/?next=/staf/bone/permohonan/{case.pk}/")
    page.get_by_label("Nama pengguna").fill("ani")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("heading", name="Permohonan").wait_for()

    kk = page.get_by_label("Kartu keluarga/ KK")
    kartu = page.get_by_label("Kartu Pelajar/Kartu Mahasiswa/ Surat Keterangan Aktif Belajar")
    assert not kk.is_checked() and not kartu.is_checked()
    assert page.get_by_text("PDF, JPEG atau PNG, paling besar 2 MB").is_visible()

    # Over the limit: the browser says so and nothing is sent.
    file_input = page.get_by_label("Berkas", exact=True)
    file_input.set_input_files(str(scans["huge"]))
    message = file_input.evaluate("input => input.validationMessage")
    assert message == "Berkas lebih dari 2 MB; perkecil dulu sebelum diunggah."
    page.get_by_role("button", name="Unggah").click()
    assert page.get_by_text("Lampiran disimpan.").count() == 0

    _upload(page, "kk", scans["kk"])
    assert page.get_by_label("Kartu keluarga/ KK").is_checked()
    assert not kartu.is_checked()
    _upload(page, "kartu_pelajar", scans["kartu"])
    assert kk.is_checked() and kartu.is_checked()
    assert page.locator("fieldset.checks .attached").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The officer finds the student card unreadable and takes its tick off; the scan stays.
    kartu.uncheck()
    assert kk.is_checked() and not kartu.is_checked()
    page.locator("fieldset.checks").scroll_into_view_if_needed()
    _shot(page, "attach-checklist-360")
    assert page.get_by_role("link", name="kartu pelajar.jpg").first.is_visible()

    # Put back, the form sends both ticks and the case goes on.
    kartu.check()
    page.get_by_role("button", name="Lengkap", exact=True).click()
    page.get_by_text("Pemeriksaan kelengkapan: Lengkap.").wait_for()
    assert page.get_by_role("button", name="Periksa DTKS/DTSEN").is_visible()
    _shot(page, "attach-after-lengkap-360")


@pytest.fixture
def admin(office_register, make_user, settings):
    settings.REGISTRY_MAX_UPLOAD_BYTES = 1_000_000
    return make_user("admin.bone", password=PASSWORD, bone=["admin"])


def test_a_register_file_over_the_limit_gets_the_page_that_says_so(
    live_server, admin, tmp_path, page
):
    big = tmp_path / "dtks-bone.csv"
    big.write_bytes(b"nik;nama\n" + b"7308011209630011;Ibu Sari\n" * 120_000)  # ~3 MB
    page.goto(live_server.url + "/masuk/?next=/staf/bone/register/impor/")
    page.get_by_label("Nama pengguna").fill("admin.bone")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Berkas ekspor (CSV atau XLSX)").set_input_files(str(big))
    page.get_by_label("Periode data (YYYY-MM)").fill("2026-09")
    page.get_by_role("button", name="Unggah dan impor").click()
    page.get_by_role("heading", name="Berkas terlalu besar").wait_for()
    assert page.get_by_text("Berkas terlalu besar: paling besar 1 MB.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, "attach-413-register-360")
    page.get_by_role("link", name="Kembali ke halaman sebelumnya").click()
    page.get_by_role("button", name="Unggah dan impor").wait_for()
