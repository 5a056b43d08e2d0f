"""A petugas turns an application down on a phone (confirming first), and the applicant's
tracking page tells why and what to do next, with no personal data (headless Chromium)."""

import os
from pathlib import Path

import pytest

from layan.cases.services import Applicant, Subject, case_create
from layan.offices.models import Office

PASSWORD = "kata-sandi-loket-2026"
REASON = "Kartu pelajar belum dibawa; bawa kartu pelajar atau surat keterangan aktif belajar."
pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: LAYAN_SCREENSHOTS to keep them, else the test's tmp dir."""
    kept = os.environ.get("LAYAN_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def case(office_register, make_user):
    """A Bone KIP case at its checklist, made before the browser starts (no ORM calls after)."""
    ani = make_user("ani", password=PASSWORD, bone=["petugas"])
    niks = office_register["bone"]
    return case_create(
        office=Office.objects.get(slug="bone"),
        service_code="rekomendasi-kip",
        applicant=Applicant(
            name="Ibu Sari Wulandari",
            nik=niks["unknown"],
            phone="081234567890",
            address="Jl. Andalas 12, Watampone",
        ),
        subject=Subject(name="Budi Santoso", nik=niks["registered"], relation="anak"),
        user=ani,
    )


def _overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_rejection_is_confirmed_and_its_reason_reaches_the_tracking_page(
    live_server, case, shots, page
):
    page.goto(f"{live_server.url}/masuk/?next=/staf/bone/permohonan/{case.pk}/")
    page.get_by_label("Nama pengguna").fill("ani")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_label("Kartu keluarga/ KK").check()
    page.get_by_label("Alasan untuk pemohon").fill(REASON)
    page.get_by_label("Catatan internal").fill("Ibu Sari akan kembali besok")
    assert not _overflows(page)
    page.locator(".step-form").screenshot(path=str(shots / "reasons-form-360.png"), caret="initial")
    page.get_by_role("button", name="Tidak lengkap").click()

    # The confirmation: what the applicant will read, before anything is written.
    confirm = page.get_by_role("button", name="Ya, tolak permohonan")
    confirm.wait_for()
    told = page.locator(".confirm .told")
    assert REASON in told.inner_text()
    assert "Kartu Pelajar/Kartu Mahasiswa/ Surat Keterangan Aktif Belajar" in told.inner_text()
    assert not _overflows(page)
    page.locator(".confirm").screenshot(
        path=str(shots / "reasons-confirm-360.png"), caret="initial"
    )
    confirm.click()

    page.get_by_text("Pemeriksaan kelengkapan: Tidak lengkap.").wait_for()
    page.get_by_text(f"Alasan untuk pemohon: {REASON}").wait_for()

    # The applicant's view, signed out.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/lacak/{case.tracking_code}/")
    page.get_by_role("heading", name="Mengapa ditolak").wait_for()
    text = page.locator("main").inner_text()
    assert REASON in text
    assert "Kartu Pelajar/Kartu Mahasiswa/ Surat Keterangan Aktif Belajar dari Pemohon" in text
    assert "Lengkapi persyaratan yang belum ada" in text
    for private in (
        "Ibu Sari",
        "Budi Santoso",
        case.applicant_nik,
        case.subject_nik,
        "81234567890",
        "Andalas 12",
        "akan kembali besok",
    ):
        assert private not in text
    assert not _overflows(page)
    page.screenshot(path=str(shots / "reasons-tracking-360.png"), full_page=True, caret="initial")
    assert page.errors == []


@pytest.fixture
def referred(office_register, make_user):
    """A Bone KIP case of a person the register does not hold, standing at its referral."""
    from layan.cases.testing import walk

    budi = make_user("budi", password=PASSWORD, bone=["petugas"])
    case = case_create(
        office=Office.objects.get(slug="bone"),
        service_code="rekomendasi-kip",
        applicant=Applicant(name="Ibu Rina", nik=office_register["bone"]["unknown"]),
        user=budi,
    )
    return walk(case, user=budi, to="rujuk_desa")


def test_a_referral_is_confirmed_and_says_where_to_go_and_what_to_bring(
    live_server, referred, shots, page
):
    page.goto(f"{live_server.url}/masuk/?next=/staf/bone/permohonan/{referred.pk}/")
    page.get_by_label("Nama pengguna").fill("budi")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    # The register's answer is the reason unless the officer writes another.
    reason = page.get_by_label("Alasan untuk pemohon")
    assert reason.input_value() == "Tidak terdaftar, data DTKS per September 2026"
    page.get_by_role("button", name="Rujuk ke Enumerator Desa/Kelurahan").click()
    page.get_by_role("button", name="Ya, rujuk permohonan").click()
    page.get_by_text("Rujukan: Dirujuk.").wait_for()

    # The same person at the counter again: the open case is shown, going on needs a reason.
    page.goto(f"{live_server.url}/staf/bone/permohonan/baru/")
    page.get_by_label("Layanan").select_option("bansos-disabilitas-lansia-ppks")
    page.get_by_label("Nama pemohon").fill("Ibu Rina")
    page.get_by_label("NIK pemohon").fill(referred.applicant_nik)
    page.get_by_label("Telepon/WhatsApp").fill("0812 3456 7890")
    page.get_by_role("button", name="Daftarkan").click()
    page.get_by_text("Permohonan terdaftar. Kode lacak:").wait_for()  # another service
    page.goto(f"{live_server.url}/staf/bone/permohonan/baru/")
    page.get_by_label("Layanan").select_option("bansos-disabilitas-lansia-ppks")
    page.get_by_label("Nama pemohon").fill("Ibu Rina")
    page.get_by_label("NIK pemohon").fill(referred.applicant_nik)
    page.get_by_role("button", name="Daftarkan").click()
    page.get_by_role("heading", name="Sudah ada permohonan yang berjalan").wait_for()
    assert not _overflows(page)
    page.locator(".duplicate").screenshot(
        path=str(shots / "intake-duplicate-360.png"), caret="initial"
    )
    page.get_by_label("Alasan mendaftarkan permohonan baru").fill("Uji: berkas pertama rusak")
    page.get_by_role("button", name="Daftarkan").click()
    page.get_by_text("Didaftarkan walau permohonan").wait_for()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/lacak/{referred.tracking_code}/")
    page.get_by_role("heading", name="Mengapa dirujuk").wait_for()
    text = page.locator(".told").inner_text()
    assert "Tidak terdaftar, data DTKS per September 2026" in text
    assert "Enumerator Desa/Kelurahan" in text
    assert "Kartu keluarga/ KK" in text and "KTP" in text
    assert "Ibu Rina" not in page.locator("main").inner_text()
    assert referred.applicant_nik not in page.content()
    assert not _overflows(page)
    page.screenshot(
        path=str(shots / "reasons-referral-tracking-360.png"), full_page=True, caret="initial"
    )
    assert page.errors == []
