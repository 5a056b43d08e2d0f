"""Every seed fact is findable from the home page by following links.

The crawler starts at "/", follows every link inside the site (not admin,
sign-in or static files) and collects the text of each page; each fact below
is a phrase from one of the five seed documents, worded as the seed words it.
"""

import html
import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest

FACTS = {
    "bone": [
        "Dinas Sosial Kabupaten Bone", "Jalan Andalas No 49", "92713", "0481-21029",
        "dinsos.bone.go.id", "dinsosbone.office@gmail.com", "dinsos_bone",
        "Dinas Sosial Kabupaten Bone", "04.2 TAHUN 2023",
        "Terdaftar dalam DTKS (Data Terpadu Kesejahteraan Sosial)",
        "Kartu Pelajar/Kartu Mahasiswa/ Surat Keterangan Aktif Belajar dari Pemohon",
        "Kartu keluarga/ KK", "KTP", "bagi yang sudah memiliki", "15 Menit", "Tidak dipungut biaya",
        "surat rekomendasi Kartu Indonesia Pintar (KIP)",
        "Penanggung jawab layanan", "Kepala Bidang Perlindungan dan Jaminan Sosial",
        "Front Office/Bagian Layanan", "Ayu Puspitasari, S.Sos", "+62 857-5624-2215",
        "Meilan Renisa Putri, SH", "+62 857-9637-7928", "A. Alam Darmawan Isma, S.H",
        "+62 877-5325-2848", "A. Batari Krisna, S.H", "+62 823-3557-0321", "Irwan, S.H",
        "+62 812-4148-3387", "Wulan Januandari, S.M.", "+62 823-9315-0018", "Sri Hartina",
        "+62 823-4833-4845", "A.Kiki Ria Rahma Lia, S.Pd", "+62 823-9545-1714",
        "Kotak pengaduan, saran dan masukan.",
        "Enumerator Desa/Kelurahan untuk diusulkan ke dalam DTKS pada aplikasi SIKS-NG",
        "Kepala Dinas Sosial Menerima dan menandatangani Surat Rekomendasi",
        "Pemohon memperoleh Rekomendasi",
        "BANTUAN SOSIAL BAGI PENYANDANG DISABILITAS/ LANJUT USIA/ PEMERLU PELAYANAN"
        " KESEJAHTERAAN SOSIAL LAINNYA",
        "Foto Calon Penerima Bantuan", "Sandang/", "Pangan/", "Alat Bantu", "1(satu) tahun",
        "GRATIS",
    ],
    "bima": [
        "Dinas Sosial Kota Bima", "460/28.1/DINSOS/1/2022", "12 Januari 2022",
        "REKOMENDASI PROGRAM INDONESIA PINTAR (PIP)",
        "BIDANG PENANGANAN FAKIR MISKIN DAN PEMBERDAYAAN KELEMBAGAAN SOSIAL",
        "UU No. 6 Tahun 1974 tentang Ketentuan-Ketentuan Pokok Kesejahteraan Sosial.",
        "UU No. 11 Tahun 2009 tentang Kesejahteraan Sosial.",
        "Permensos Nomor 5 dan 11 Tahun 2019 tentang Pengelolaan Data Terpadu"
        " Kesejahteraan Sosial.",
        "Permensos Nomor 3 Tahun 2021 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial.",
        "minimum SMA sederajat, mampu mengoperasikan komputer.",
        "UU No. 20 Tahun 2003 tentang Sistem Pendidikan Nasional.",
        "Permendikbud No. 10 Tahun 2020 PIP.", "Lembar Kerja dan Rencana Kerja",
        "Petunjuk Pelaksanaan", "Alat Tulis Kantor", "Jaringan Internet", "Komputer/laptop",
        "Printer", "Disimpan dalam bentuk salinan cetak dan salinan digital.",
        "Masyarakat/ Orangtua/Wali", "Operator Layanan", "Kepala Bidang PFM & PKS",
        "KK atau e-KTP atau identitas lain yang merangkan NIK", "1 Hari kerja", "2 Menit",
        "3 Menit", "5 Menit", "musyawarah Kelurahan", "NIK, aplikasi SIKS-NG", "Laporan",
        "Surat Rekomendasi", "Plt. Kepala Dinas Sosial Kota Bima", "Drs. Abdul Gawis",
        "19621231199103 1 181",
    ],
    "blitar": [
        "Dinas Sosial Kota Blitar", "012/410.105/SOP/2024", "5 Januari 2022", "4 Januari 2024",
        "9 Januari 2024",
        "Pelayanan Surat Keterangan Pengurusan Kartu Indonesia Pintar (KIP)",
        "UU No. 13 Tahun 2011 tentang Penanganan Fakir Miskin",
        "Permendikbud 10 tahun 2020 tentang Program Indonesia Pintar",
        "Permensos No.28 Tahun 2017",
        "Permensos No. 5 Tahun 2019 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial",
        "Memahami tugas dan bertanggung jawab",
        "Memiliki kemampuan dalam berkomunikasi dengan pemohon",
        "Memiliki kemampuan mengoperasikan komputer", "SOP Pelayanan Pengajuan DTKS",
        "Peraturan Perundangan Tata Naskah Dinas", "Komputer, Printer, Flashdisk, Internet",
        "Aplikasi SIKS-NG Kementerian Sosial",
        "harus valid sesuai dengan data termohon yang tercantum dalam data kependudukan",
        "Dicatat dan disimpan sebagai arsip dan dokumen", "Pekerja Sosial Ahli Muda",
        "30 menit", "45 menit", "105 menit", "120 menit", "90 menit", "8 jam (1 Hari Kerja)",
        "Data/Dokumen permohonan sesuai persyaratan",
        "Hasil pengecekan masuk/tidaknya dalam data DTKS",
        "Draft Lembar Surat Keterangan (rekomendasi)",
        "Legalitas Surat Keterangan (rekomendasi)",
        "merupakan kewenangan Dinas Pendidikan",
        "merupakan keputusan dari Pusdatin Kemensos",
    ],
    "mataram": [
        "Dinas Sosial Kota Mataram", "Jl. R. A. Kartini No. 3 Mataram", "83122", "(0370) 623037",
        "dinsos.mataramkota.go.id", "dinassosialmtrm@gmail.com",
        "Pelayanan Rekomendasi Data Terpadu Kesejahteraan Sosial (DTKS) Untuk Kartu Indonesia"
        " Pintar (KIP)",
        "Surat Keterangan Miskin/tidak mampu", "Fotocopy KTP/KIA/Akte Kelahiran", "Fotocopy KK",
        "Fotocopy KTP Orang Tua", "Masuk dalam DTKS",
        "ALUR PELAYANAN PENGADUAN PROGRAM SEMBAKO & PELAYANAN DTKS UNTUK KARTU INDONESIA PINTAR",
        "pengantar dari Kelurahan yang ditujukan ke Dinas Sosial Kota Mataram Melalui SLRT",
        "(Pendidikan, BPNT, PKH, Santunan Kematian dll.)",
        "penanganan dilanjutkan ke Back Office",
        "1 (satu) jam Kerja (jika berkas lengkap dan benar)", "Tidak dipungut biaya",
        "Surat Rekomendasi Data Terpadu Kesejahteraan Sosial (DTKS) Untuk Kartu Indonesia Pintar"
        " (KIP)",
        "Kantor Dinas Sosial Kota Mataram Jalan Kartini No. 3", "SP4N-LAPOR", "www.lapor.go.id",
        "Form Survei Kepuasan Masyarakat", "Kotak Saran",
    ],
    "banyuasin": [
        "Dinas Sosial Kabupaten Banyuasin",
        "Komplek Perkantoran Pemerintah Kabupaten Banyuasin Jalan Ishak Usman No 27",
        "Pangkalan Balai", "30911", "07117690082", "www.banyuasinkab.go.id",
        "Usulan Baru DTKS dan Bantuan Sosial (PKH, SEMBAKO/ BPNT, PBI-JK)",
        "001/KPTS/DINSOS/2024", "Fotocopy KTP", "Fotocopy KK",
        "Surat Keterangan Miskin dari Desa/Lurah yang diketahui Camat",
        "Foto Rumah Full Tampak Depan", "Pengisian Survey Kriteria",
        "Sekretaris mendisposisikan ke bidang",
        "memberikan disposisi kepada Supervisor SIKS-NG",
        "Operator melakukan penginputan data melalui Aplikasi Siks-NG",
        "surat pengesahan yang ditujukan kepada Kemensos",
        "Kepala Dinas menanda tangani surat apabila setuju dan dikembalikan apabila tidak"
        " disetujui",
        "15 Menit", "Tidak dipungut biaya", "dinassosial.kab.ba@gmail.com",
        "Dinas Sosial Banyuasin", "Dinsos_Banyuasin", "dinsos@banyuasinkab.go.id",
        "082265367430",
    ],
}  # fmt: skip

SKIP_PREFIXES = ("/admin/", "/masuk/", "/keluar/", "/staf/", "/static/", "/api/")


def _text_of(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _crawl(client) -> dict[str, str]:
    """Every HTML page reachable from "/", by path, as plain text."""
    seen: dict[str, str] = {}
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        if not response["Content-Type"].startswith("text/html"):
            seen[path] = ""
            continue
        page = response.content.decode()
        seen[path] = _text_of(page)
        for href in re.findall(r'href="([^"#]+)', page):
            target = urlparse(urljoin(path, html.unescape(href)))
            if target.netloc or not target.path.startswith("/"):
                continue
            if not target.path.startswith(SKIP_PREFIXES):
                queue.append(target.path)
    return seen


@pytest.fixture
def site_text(seeded, client) -> dict[str, str]:
    return _crawl(client)


@pytest.mark.parametrize("office", FACTS)
def test_every_seed_fact_is_reachable_from_home(site_text, office):
    pages = {path: text for path, text in site_text.items() if path.startswith(f"/{office}/")}
    everything = " ".join(pages.values())
    missing = [fact for fact in FACTS[office] if " ".join(fact.split()) not in everything]
    assert missing == [], f"{office}: not found on {sorted(pages)}"


def test_crawl_reaches_every_service_sop_and_pdf(site_text):
    from layan.catalogue.models import Service

    for service in Service.objects.select_related("office"):
        base = f"/{service.office.slug}/layanan/{service.code}/"
        assert base in site_text
        assert f"{base}sop/" in site_text
        assert f"{base}sop.pdf" in site_text
