"""The upload page reads an export's header before queueing it, and refuses what it cannot read.

A refusal names the reason in words an office admin knows (the file's real type,
the missing columns by field and by column), never a command-line option; a
failed import says nothing was imported, with no count that says otherwise.
"""

import io
import os
import re
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layan.registry.layouts import LayoutError
from layan.registry.models import Upload, UploadState
from layan.registry.synthetic import synthetic_people, write_xlsx
from layan.registry.tables import XlsxTable, headers_peek
from layan.registry.tests.factories import DTKS_HEADER, people, write_dtks
from layan.registry.tests.test_upload import run_worker  # noqa: F401 (a fixture)


@pytest.fixture
def bone_admin(seeded, make_user, client):
    admin = make_user("admin.bone", bone=["admin"])
    client.force_login(admin)
    return admin


def _post(client, name: str, content: bytes, office: str = "bone", **fields):
    data = {
        "file": SimpleUploadedFile(name, content), "source": "dtks", "period": "2026-09", **fields,
    }  # fmt: skip
    return client.post(reverse("registry-upload-new", args=[office]), data)


def _refused(client, name: str, content: bytes, capture, **fields) -> str:
    """The page's answer to a file it must refuse; nothing is stored or queued."""
    with capture(execute=True) as queued:
        response = _post(client, name, content, **fields)
    page = response.content.decode()
    assert response.status_code == 422, page
    assert not Upload.objects.exists() and not queued
    assert "--mapping" not in page
    return page


def _sheet(path: Path, rows: list[list[str]], **options) -> bytes:
    """A workbook written by xlsxwriter (shared strings unless constant_memory)."""
    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    workbook.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("data.csv", b"%PDF-1.7\n1 0 obj", "Isi berkas bukan CSV melainkan berkas PDF"),
        ("data.csv", b"PK\x03\x04\x14\x00rest", "spreadsheet XLSX atau arsip ZIP"),
        ("data.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "spreadsheet Excel lama (XLS)"),
        ("data.csv", b"nik,nama\x00\x01\x02", "berkas biner"),
        ("data.xlsx", b"nik,nama\n1,2\n", "Berkas bernama .xlsx tetapi isinya bukan XLSX"),
        ("data.xlsx", b"PK\x03\x04 not really a zip", "Spreadsheet XLSX tidak dapat dibaca"),
        ("data.pdf", b"%PDF-1.7", "Berkas harus CSV atau XLSX (berkas ini .pdf)"),
        ("data.csv", b"\n7308011209630001,7308010101010001\n", "Baris pertama kosong"),
        (
            "data.csv",
            b"7308011209630001,7308010101010001,WARGA\n",
            "Baris pertama berisi data (mis. 7308011209630001), bukan judul kolom",
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_its_reason(
    client, bone_admin, django_capture_on_commit_callbacks, name, content, reason
):
    page = _refused(client, name, content, django_capture_on_commit_callbacks)
    assert reason in page


def test_an_unknown_layout_names_the_missing_fields_as_people_know_them(
    client, bone_admin, django_capture_on_commit_callbacks
):
    page = _refused(
        client, "lain.csv", b"no,nama,alamat\n1,A,B\n", django_capture_on_commit_callbacks
    )
    assert "Kolom wajib tidak ada: NIK (kolom nik), Nomor Kartu Keluarga (kolom no_kk)" in page
    assert "tanggal lahir (kolom tanggal_lahir)" in page
    assert "kode kabupaten/kota (4 digit) (kolom kode_kabupaten)" in page
    assert "berkas pemetaan kolom" in page  # what the form offers, not a command option


def test_a_mapping_is_checked_against_the_files_header(
    client, bone_admin, tmp_path, django_capture_on_commit_callbacks
):
    mapping = (
        b'{"columns": {"nik": "NO_INDUK", "no_kk": "KK", "name": "NAMA", "sex": "JK",'
        b' "birth_date": "LAHIR", "regency_code": "KAB"}}'
    )
    page = _refused(
        client, "lain.csv", b"NO_INDUK,KK,NAMA,JK,LAHIR\n", django_capture_on_commit_callbacks,
        mapping=SimpleUploadedFile("pemetaan.json", mapping),
    )  # fmt: skip
    assert "Kolom wajib tidak ada: kode kabupaten/kota (4 digit) (kolom KAB)." in page


def test_a_workbook_without_a_required_column_is_refused(
    client, bone_admin, tmp_path, django_capture_on_commit_callbacks
):
    header = [h for h in DTKS_HEADER if h != "jenis_kelamin"]
    content = _sheet(tmp_path / "a.xlsx", [header, ["x"] * len(header)])
    page = _refused(client, "a.xlsx", content, django_capture_on_commit_callbacks)
    assert "Kolom wajib tidak ada: jenis kelamin (L/P) (kolom jenis_kelamin)." in page


def test_good_files_are_queued(client, bone_admin, tmp_path, django_capture_on_commit_callbacks):
    csv_file = write_dtks(tmp_path / "bone.csv", people(5)).read_bytes()
    xlsx_file = _sheet(tmp_path / "bone.xlsx", [DTKS_HEADER, ["1"] * len(DTKS_HEADER)])
    for name, content in (("bone.csv", csv_file), ("bone.xlsx", xlsx_file)):
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = _post(client, name, content)
        assert response.status_code == 302, response.content.decode()
        assert len(queued) == 1
    assert Upload.objects.count() == 2


@pytest.mark.parametrize("constant_memory", [False, True])
def test_the_streamed_header_of_a_workbook_is_the_one_calamine_reads(tmp_path, constant_memory):
    """Shared strings (the usual workbook) and inline strings (xlsxwriter's streaming mode)."""
    header = ["NIK", "NOKK", "", "NAMA", "KDKAB"]
    path = tmp_path / "h.xlsx"
    _sheet(path, [header, ["7308011209630001", "1", "", "A", "7308"]],
           constant_memory=constant_memory)  # fmt: skip
    table = XlsxTable(path)
    with path.open("rb") as handle:
        assert headers_peek(handle, "h.xlsx") == table.headers == header
    table.close()


def test_the_streamed_header_of_a_synthetic_export_matches(tmp_path):
    path = tmp_path / "dtsen.xlsx"
    write_xlsx(synthetic_people(region_code="73.08", count=50, seed=1), path,
               layout="dtsen", period="2026-09")  # fmt: skip
    table = XlsxTable(path)
    with path.open("rb") as handle:
        handle.seek(10)
        assert headers_peek(handle, path.name) == table.headers
        assert handle.tell() == 10  # the caller's position is kept
    table.close()


def test_a_csv_header_is_read_from_its_first_bytes_in_either_encoding():
    text = "NIK;NOKK;NAMA;ALAMAT\r\n7308011209630001;1;A;Jl. Ké\r\n"
    for encoding in ("utf-8-sig", "cp1252"):
        handle = io.BytesIO(text.encode(encoding))
        assert headers_peek(handle, "x.csv") == ["NIK", "NOKK", "NAMA", "ALAMAT"]
    with pytest.raises(LayoutError, match="Baris pertama kosong"):
        headers_peek(io.BytesIO(b"   \r\nNIK\r\n"), "x.csv")


def test_a_failed_import_says_nothing_was_imported_without_a_count_saying_otherwise(
    client,
    seeded,
    make_user,
    tmp_path,
    django_capture_on_commit_callbacks,
    run_worker,  # noqa: F811
):
    """Bone's rows uploaded at Bima are all outside its region: the import fails as a whole."""
    client.force_login(make_user("admin.bima", bima=["admin"]))
    content = write_dtks(tmp_path / "bone.csv", people(40)).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, "bone.csv", content, office="bima")
    run_worker()
    upload = Upload.objects.get()
    assert upload.state == UploadState.FAILED
    assert upload.snapshot.rows_imported == 0  # its rows were dropped with its table
    page = client.get(reverse("registry-upload", args=["bima", upload.pk])).content.decode()
    assert "Tidak ada data yang diimpor." in page
    assert "seluruh berkas tidak diimpor" in page  # the reason
    assert not re.search(r"\d[\d.,]* diimpor", page)  # no "2,384 diimpor", no "0 diimpor"
    assert "40 baris dibaca, 40 di antaranya ditolak" in page
    assert "Unduh laporan 40 baris yang ditolak (CSV)" in page
    assert "WITA" in page  # Bima keeps Asia/Makassar time
    home = client.get(reverse("registry-home", args=["bima"])).content.decode()
    assert "Gagal" in home and '<td class="num">0</td>' in home


@pytest.mark.browser
def test_the_upload_page_refuses_a_bad_file_on_a_phone(
    live_server, seeded, make_user, tmp_path, page
):
    make_user("admin.bone", password="rahasia-panjang-123", bone=["admin"])
    shots = Path(os.environ.get("LAYAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    bad = tmp_path / "register-september.csv"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    page.goto(live_server.url + "/masuk/?next=/staf/bone/register/impor/")
    page.get_by_label("Nama pengguna").fill("admin.bone")
    page.get_by_label("Kata sandi").fill("rahasia-panjang-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Berkas ekspor (CSV atau XLSX)").set_input_files(str(bad))
    page.get_by_label("Sumber").select_option("dtks")
    page.get_by_label("Periode data (YYYY-MM)").fill("2026-09")
    page.get_by_role("button", name="Unggah dan impor").click()
    error = page.get_by_text("Isi berkas bukan CSV melainkan berkas PDF")
    error.wait_for()
    assert "--mapping" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(shots / "upload-refused-360.png"), full_page=True)
    # The refusal is a 422, which the browser logs; nothing else went wrong.
    assert [e for e in page.errors if "422" not in e] == []


def test_the_command_line_keeps_its_own_hint_for_another_layout(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "lain.csv"
    path.write_text("no,nama\n1,A\n")
    with pytest.raises(CommandError, match=r"Tata letak lain: --mapping pemetaan\.json"):
        call_command("import_registry", str(path), source="dtks", period="2026-09")
    path.write_bytes(b"")
    with pytest.raises(CommandError) as empty:
        call_command("import_registry", str(path), source="dtks", period="2026-09")
    assert "--mapping" not in str(empty.value)  # an empty file needs no other layout
