"""Public pages: offices, service standards, SOP documents, 404s in Bahasa Indonesia."""

import subprocess

import pytest

from layan.catalogue.models import Service
from layan.core.testing import require_tool

# A fact only each office's own page carries (address, phone or leader).
OWN_FACTS = {
    "bone": "Jalan Andalas No 49",
    "bima": "Drs. Abdul Gawis",
    "blitar": "Pemerintah Kota Blitar",
    "mataram": "Jl. R. A. Kartini No. 3 Mataram",
    "banyuasin": "Jalan Ishak Usman No 27",
}


def test_home_lists_every_office(client, seeded):
    page = client.get("/").content.decode()
    for slug in OWN_FACTS:
        assert f'href="/{slug}/"' in page


@pytest.mark.parametrize("slug", OWN_FACTS)
def test_office_page_carries_its_own_facts_and_no_other_offices(client, seeded, slug):
    page = client.get(f"/{slug}/").content.decode()
    assert OWN_FACTS[slug] in page
    for other, fact in OWN_FACTS.items():
        if other != slug:
            assert fact not in page, f"{slug} page shows {other}'s {fact!r}"
    for service in Service.objects.filter(office__slug=slug):
        assert service.name in page
    for service in Service.objects.exclude(office__slug=slug):
        assert f"/{service.office.slug}/layanan/" not in page
    assert "Maklumat pelayanan" in page


def test_office_page_shows_maklumat_and_complaint_channels(client, seeded):
    page = client.get("/mataram/").content.decode()
    assert "sanggup menyelenggarakan pelayanan sesuai standar pelayanan" in page
    assert "SP4N-LAPOR" in page
    assert "Form Survei Kepuasan Masyarakat" in page


def test_service_standard_has_the_six_components(client, seeded):
    page = client.get("/bone/layanan/rekomendasi-kip/").content.decode()
    for heading in (
        "1. Persyaratan",
        "2. Sistem, mekanisme dan prosedur",
        "3. Jangka waktu penyelesaian",
        "4. Biaya/tarif",
        "5. Produk pelayanan",
        "6. Penanganan pengaduan, saran dan masukan",
    ):
        assert heading in page
    assert "15 Menit" in page


def test_sop_page_has_identity_block_and_one_column_per_actor(client, seeded):
    page = client.get("/blitar/layanan/surat-keterangan-kip/sop/").content.decode()
    assert "012/410.105/SOP/2024" in page
    for actor in ("Petugas/ Staf", "Pekerja Sosial Ahli Muda", "Kabid", "Kadin"):
        assert f'<th class="actor" scope="col">{actor}</th>' in page
    assert "Mutu baku" in page
    assert 'class="decision"' in page
    assert "8 jam (1 Hari Kerja)" in page


def test_sop_page_keeps_the_seed_row_numbers(client, seeded):
    page = client.get("/bima/layanan/rekomendasi-pip/sop/").content.decode()
    # Bima's SOP numbers its rows 1, 2, 4, 5, 6: there is no row 3.
    assert "<td>4</td>" in page
    assert "<td>3</td>" not in page


def test_sop_pdf_is_a_pdf_with_the_step_table(client, seeded, tmp_path):
    response = client.get("/bima/layanan/rekomendasi-pip/sop.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = require_tool("pdftotext")
    path = tmp_path / "sop.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "460/28.1/DINSOS/1/2022" in text
    assert "Operator" in text
    assert "musyawarah" in text
    assert "2 Menit" in text


@pytest.mark.parametrize(
    "path",
    [
        "/atlantis/",
        "/bone/layanan/tidak-ada/",
        "/bone/layanan/tidak-ada/sop/",
        "/bone/layanan/tidak-ada/sop.pdf",
        "/atlantis/layanan/rekomendasi-kip/",
        "/bima/layanan/rekomendasi-kip/",  # Bone's service asked for at Bima
        "/bone/sembarang/jalan/",
    ],
)
def test_unknown_office_or_service_gives_an_indonesian_404(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Halaman tidak ditemukan" in page
    assert "Kembali ke daftar kantor Dinas Sosial" in page


def test_unpublished_service_is_not_shown(client, seeded):
    Service.objects.filter(office__slug="bone", code="rekomendasi-kip").update(is_published=False)
    assert client.get("/bone/layanan/rekomendasi-kip/").status_code == 404
    assert "rekomendasi-kip" not in client.get("/bone/").content.decode()


def test_demo_banner_only_in_demo_mode(client, seeded, settings):
    settings.DEMO_MODE = True
    assert "DEMO" in client.get("/").content.decode()
    settings.DEMO_MODE = False
    assert "demo-banner" not in client.get("/").content.decode()


def test_pages_work_without_javascript(client, seeded):
    """Everything is in the HTML; scripts only add a print button."""
    page = client.get("/bone/layanan/rekomendasi-kip/sop/").content.decode()
    assert "data-print hidden" in page
    assert "Kepala Dinas Sosial Menerima dan menandatangani Surat Rekomendasi" in page


def test_admin_shows_the_demo_banner_in_demo_mode(client, seeded, settings):
    from django.contrib.auth import get_user_model

    settings.DEMO_MODE = True
    root = get_user_model().objects.create_superuser("root", password="akar-panjang-123")
    client.force_login(root)
    assert "layan-demo-banner" in client.get("/admin/").content.decode()
    settings.DEMO_MODE = False
    assert "layan-demo-banner" not in client.get("/admin/").content.decode()


def test_every_page_links_to_public_tracking(client, seeded):
    page = client.get("/").content.decode()
    assert 'href="/lacak/"' in page
