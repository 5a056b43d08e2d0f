"""The office admin takes on a new petugas in headless Chromium, on a phone, and the petugas
starts work: account, role, one-time link, own password, sign-in, the work queue."""

import os
from pathlib import Path

import pytest

PASSWORD = "kata-sandi-admin-2026"
NEW_PASSWORD = "loket-watampone-pagi-7"
pytestmark = pytest.mark.browser


@pytest.fixture
def bone_admin(seeded, make_user):
    """Made before the browser starts: the test body makes no ORM calls."""
    user = make_user("bima.admin", password=PASSWORD, bone=["admin"])
    user.full_name = "Andi Baso, S.Kom."
    user.save()
    return user


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: LAYAN_SCREENSHOTS to keep them, else the test's tmp dir."""
    folder = Path(os.environ.get("LAYAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def _sign_in(page, base: str, username: str, password: str, next_path: str = "") -> None:
    page.goto(f"{base}/masuk/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_the_admin_takes_on_a_petugas_who_then_signs_in(live_server, bone_admin, shots, page):
    base = live_server.url
    _sign_in(page, base, "bima.admin", PASSWORD, "/staf/bone/pegawai/")
    page.get_by_role("heading", name="Pegawai").wait_for()
    assert page.get_by_text("Andi Baso, S.Kom.").is_visible()
    assert not _overflows(page)
    page.screenshot(path=str(shots / "staff-list.png"), full_page=True)

    page.get_by_role("link", name="Tambah pegawai").first.click()
    page.get_by_role("heading", name="Tambah pegawai").wait_for()
    page.get_by_label("Nama lengkap (dengan gelar)").fill("Ani Rahmawati")
    page.get_by_label("NIP").fill("19850312 201001 3 004")  # sex digit 3
    page.get_by_label("Jabatan").fill("Pengelola Layanan Operasional")
    page.get_by_label("Telepon/WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Nama pengguna").fill("Ani.Rahmawati")
    page.get_by_label("Petugas layanan / front office").check()
    page.get_by_role("button", name="Simpan dan buat tautan").click()

    page.get_by_text("digit jenis kelamin pada NIP harus 1 atau 2").wait_for()
    assert not _overflows(page)
    page.screenshot(path=str(shots / "staff-new-error.png"), full_page=True)
    page.get_by_label("NIP").fill("19850312 201001 2 004")
    page.get_by_label("Petugas layanan / front office").check()
    page.get_by_role("button", name="Simpan dan buat tautan").click()

    page.get_by_role("heading", name="Akun dibuat").wait_for()
    assert page.get_by_text("ani.rahmawati", exact=True).is_visible()
    link = page.locator(".handover-link a").inner_text()
    assert "/masuk/sandi/" in link
    assert not _overflows(page)
    page.screenshot(path=str(shots / "staff-handover.png"), full_page=True)
    page.get_by_role("link", name="Ke halaman pegawai").click()
    page.get_by_role("heading", name="Riwayat akun dan peran").wait_for()
    assert page.get_by_text("Peran diberikan").is_visible()
    assert not _overflows(page)
    page.screenshot(path=str(shots / "staff-detail.png"), full_page=True)
    page.get_by_role("button", name="Keluar").click()

    # The petugas, on their own phone, with the link the admin handed over.
    page.goto(link)
    page.get_by_role("heading", name="Atur kata sandi").wait_for()
    page.screenshot(path=str(shots / "password-set.png"), full_page=True)
    page.get_by_label("Sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Konfirmasi sandi baru").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()
    page.get_by_role("heading", name="Kata sandi tersimpan").wait_for()

    _sign_in(page, base, "ani.rahmawati", NEW_PASSWORD)
    page.get_by_role("heading", name="Selamat datang, Ani Rahmawati").wait_for()
    assert page.get_by_text("Petugas layanan / front office").is_visible()
    assert not _overflows(page)
    page.screenshot(path=str(shots / "petugas-first-page.png"), full_page=True)
    page.get_by_role("link", name="Antrian kerja").click()
    page.get_by_role("heading", name="Antrian kerja").wait_for()
    assert not _overflows(page)
    page.screenshot(path=str(shots / "petugas-queue.png"), full_page=True)
    # The only console error is the refused form's own 422 (Chromium logs every 4xx).
    assert [e for e in page.errors if "status of 422" not in e] == []
    assert len(page.errors) == 1
