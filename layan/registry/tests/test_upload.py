"""Office admins upload an export on a page; the import runs in the task worker."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from layan.registry.models import SnapshotState, Upload, UploadState
from layan.registry.tests.factories import DTKS_HEADER, people, write_dtks


@pytest.fixture
def bone_admin(seeded, make_user):
    return make_user("admin.bone", bone=["admin"])


def _csv(tmp_path, rows=None, header=DTKS_HEADER) -> SimpleUploadedFile:
    path = write_dtks(tmp_path / "bone.csv", rows or people(40), header=header)
    return SimpleUploadedFile("bone-2026-09.csv", path.read_bytes(), content_type="text/csv")


def _post(client, file, **fields):
    data = {"file": file, "source": "dtks", "period": "2026-09", **fields}
    return client.post(reverse("registry-upload-new", args=["bone"]), data)


@pytest.fixture
def run_worker(monkeypatch):
    """The real database task worker, run to the end of its queue inside the test.

    Between tasks the worker drops connections that are not in autocommit mode;
    the test's own transaction is one, so that clean-up is switched off here.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_admin_uploads_and_the_worker_imports(
    client, bone_admin, tmp_path, django_capture_on_commit_callbacks, run_worker
):
    client.force_login(bone_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _csv(tmp_path))
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry-upload", args=["bone", upload.pk])
    assert upload.state == UploadState.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert "Menunggu" in page
    assert 'hx-trigger="every 2s"' in page  # the page polls while the import runs

    run_worker()
    upload.refresh_from_db()
    assert upload.state == UploadState.DONE
    assert upload.snapshot.state == SnapshotState.ACTIVE
    assert upload.snapshot.rows_imported == 40
    assert upload.snapshot.office.slug == "bone"
    assert upload.snapshot.region_code == "73.08"
    assert not upload.file  # the file with its NIKs is not kept once imported
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "Selesai" in partial and "40 diimpor" in partial
    assert "every 2s" not in partial


def test_a_file_without_a_required_column_is_refused_before_it_is_queued(
    client, bone_admin, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(bone_admin)
    header = [h for h in DTKS_HEADER if h != "nik"]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = _post(client, _csv(tmp_path, header=header))
    assert response.status_code == 422
    assert "Kolom wajib tidak ada: NIK (kolom nik)" in response.content.decode()
    assert not Upload.objects.exists() and not queued


def test_rows_of_another_region_are_rejected_for_the_office(
    client, seeded, make_user, tmp_path, django_capture_on_commit_callbacks, run_worker
):
    admin = make_user("admin.bima", bima=["admin"])
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registry-upload-new", args=["bima"]),
            {"file": _csv(tmp_path), "source": "dtks", "period": "2026-09"},
        )
    run_worker()
    upload = Upload.objects.get()
    assert upload.state == UploadState.FAILED
    assert "melebihi batas" in upload.message
    assert upload.snapshot.rejections.first().reason == "di luar wilayah 52.72"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period": "2026-13"}, "YYYY-MM"),
        ({"source": "bdt"}, "Sumber harus DTKS atau DTSEN."),
        ({"file": SimpleUploadedFile("data.pdf", b"%PDF-1.4")}, "CSV atau XLSX"),
        ({"file": SimpleUploadedFile("kosong.csv", b"")}, "kosong"),
        (
            {"mapping": SimpleUploadedFile("m.json", b'{"columns": {"umur": "U"}}')},
            "isian &#x27;umur&#x27; tidak dikenal",
        ),
        ({"mapping": SimpleUploadedFile("m.json", b"{bukan json")}, "bukan JSON"),
    ],
)
def test_bad_upload_names_the_problem_and_queues_nothing(
    client, bone_admin, tmp_path, change, message
):
    client.force_login(bone_admin)
    response = _post(client, change.pop("file", None) or _csv(tmp_path), **change)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Upload.objects.exists()


def test_only_roles_with_the_import_right_may_upload(client, seeded, make_user, tmp_path):
    client.force_login(make_user("petugas.bone", bone=["petugas"]))
    assert client.get(reverse("registry-upload-new", args=["bone"])).status_code == 403
    client.force_login(make_user("admin.bima", bima=["admin"]))
    assert client.get(reverse("registry-upload-new", args=["bone"])).status_code == 404
    client.logout()
    response = client.get(reverse("registry-upload-new", args=["bone"]))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_upload_of_another_office_is_not_found(client, seeded, make_user, bone_admin):
    upload = Upload.objects.create(
        office=bone_admin.memberships.get().office, user=bone_admin, original_name="x.csv",
        source="dtks", period="2026-09", file=SimpleUploadedFile("x.csv", io.BytesIO(b"").read()),
    )  # fmt: skip
    client.force_login(make_user("admin.bima", bima=["admin"]))
    assert client.get(reverse("registry-upload", args=["bima", upload.pk])).status_code == 404
