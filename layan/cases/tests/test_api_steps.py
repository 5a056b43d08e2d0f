"""Acting on steps over the API: `data` is checked against the step's input_schema, every
mistake is a 422 naming `data.<field>` in Bahasa Indonesia with labels; attachments can be
listed, uploaded and downloaded through the API."""

import pytest

from layan.cases.models import Attachment, Case, StepRecord
from layan.cases.services import Applicant, case_create
from layan.cases.testing import PASSWORD, scan_png, walk
from layan.core.api_auth import token_issue
from layan.offices.models import Office


@pytest.fixture
def people(office_register, make_user):
    roles = ["petugas", "kadin", "sekretaris", "kabid", "supervisor", "operator"]
    return {role: make_user(f"{role}.by", banyuasin=[role]) for role in roles}


@pytest.fixture
def api(client):
    class Caller:
        def __init__(self, user):
            self.headers = {"Authorization": f"Bearer {token_issue(user=user)}"}

        def get(self, url):
            return client.get(url, headers=self.headers)

        def act(self, case, body):
            return client.post(
                f"/api/v1/cases/{case.pk}/act",
                body,
                content_type="application/json",
                headers=self.headers,
            )

        def upload(self, case, requirement, content: bytes, name="scan.png"):
            from django.core.files.uploadedfile import SimpleUploadedFile

            file = SimpleUploadedFile(name, content)
            return client.post(
                f"/api/v1/cases/{case.pk}/attachments",
                {"requirement": requirement, "file": file},
                headers=self.headers,
            )

    return Caller


def _proposal(office_register, people, *, to: str):
    office = Office.objects.get(slug="banyuasin")
    case = case_create(
        office=office,
        service_code="usulan-baru-dtks-bansos",
        applicant=Applicant(name="Pak Usul", nik=office_register["banyuasin"]["unknown"]),
        user=people["petugas"],
    )
    return walk(case, staff=people, to=to)


def _errors(answer) -> dict:
    assert answer.status_code == 422, answer.content
    return {error["field"]: error["reason"] for error in answer.json()["errors"]}


def test_a_checklist_names_missing_papers_by_label_and_unknown_keys(api, office_register, people):
    case = _proposal(office_register, people, to="periksa")
    caller = api(people["supervisor"])
    errors = _errors(
        caller.act(case, {"step": "periksa", "outcome": "lengkap", "data": {"checked": ["ktp"]}})
    )
    assert "Fotocopy KK" in errors["data.checked"] and "'kk'" not in errors["data.checked"]
    errors = _errors(
        caller.act(case, {"step": "periksa", "outcome": "lengkap", "data": {"checked": ["paspor"]}})
    )
    assert errors["data.checked"].startswith("Persyaratan yang dibawa: pilihan tidak dikenal")
    errors = _errors(
        caller.act(case, {"step": "periksa", "outcome": "tidak_lengkap", "data": {"checked": []}})
    )
    assert "data.reason" in errors and "Tidak lengkap" in errors["data.reason"]
    errors = _errors(
        caller.act(
            case,
            {"step": "periksa", "outcome": "lengkap", "data": {"checked": [], "warna": "merah"}},
        )
    )
    assert errors["data.warna"] == "Isian 'warna' tidak dikenal untuk langkah ini."
    assert not case.records.filter(step="periksa").exists()  # nothing half-written
    answer = caller.act(
        case,
        {
            "step": "periksa",
            "outcome": "tidak_lengkap",
            "data": {"checked": ["ktp"], "reason": "KK belum dibawa"},
        },
    )
    assert answer.status_code == 200, answer.content
    record = case.records.get(step="periksa")
    # Told to the applicant (data.reason), not an officers' note.
    assert record.note == "" and record.data["reason"] == "KK belum dibawa"


def test_a_form_needs_its_attachments_and_its_fields(api, office_register, people):
    case = _proposal(office_register, people, to="survey_kriteria")
    caller = api(people["operator"])
    errors = _errors(caller.act(case, {"step": "survey_kriteria", "data": {}}))
    assert errors == {"data.survey_kriteria": "Pengisian Survey Kriteria belum dilampirkan."}
    for requirement in ("survey_kriteria", "foto_rumah"):
        answer = caller.upload(case, requirement, scan_png())
        assert answer.status_code == 201, answer.content
        assert answer.json()["requirement_label"] != requirement
    listed = caller.get(f"/api/v1/cases/{case.pk}/attachments").json()
    assert [item["requirement"] for item in listed] == ["survey_kriteria", "foto_rumah"]
    download = caller.get(f"/api/v1/cases/{case.pk}/attachments/{listed[0]['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == scan_png()
    assert download["Content-Type"] == "image/png"
    answer = caller.act(case, {"step": "survey_kriteria", "data": {"foto_rumah": 999999}})
    assert _errors(answer) == {
        "data.foto_rumah": "Foto Rumah Full Tampak Depan: lampiran 999999 tidak ada pada "
        "permohonan ini."
    }
    answer = caller.act(case, {"step": "survey_kriteria", "data": {}})
    assert answer.status_code == 200, answer.content
    errors = _errors(caller.act(case, {"step": "input_siksng", "data": {"id_usulan_siksng": " "}}))
    assert errors == {"data.id_usulan_siksng": "ID usulan SIKS-NG: wajib diisi."}
    answer = caller.act(case, {"step": "input_siksng", "data": {"id_usulan_siksng": "USL-1"}})
    assert answer.status_code == 200
    assert case.records.get(step="input_siksng").data == {"fields": {"id_usulan_siksng": "USL-1"}}


def test_uploads_are_judged_by_content_and_requirement(api, office_register, people):
    case = _proposal(office_register, people, to="survey_kriteria")
    caller = api(people["operator"])
    answer = caller.upload(case, "foto_rumah", b"MZ\x90\x00 not a picture", name="foto.png")
    assert _errors(answer) == {
        "file": "“foto.png” bukan PDF, JPEG atau PNG (diperiksa dari isinya, bukan dari namanya)."
    }
    answer = caller.upload(case, "paspor", scan_png())
    reason = _errors(answer)["requirement"]
    assert reason.startswith("Pilih persyaratan yang dilampiri:")
    assert "Foto Rumah Full Tampak Depan" in reason and "foto_rumah" not in reason
    assert not Attachment.objects.filter(case=case).exists()


def test_another_offices_staff_cannot_see_or_attach(api, office_register, people, make_user):
    case = _proposal(office_register, people, to="survey_kriteria")
    api(people["operator"]).upload(case, "foto_rumah", scan_png())
    outsider = api(make_user("orang.bone", bone=["operator", "petugas"]))
    assert outsider.get(f"/api/v1/cases/{case.pk}/attachments").status_code == 404
    item = Attachment.objects.get(case=case)
    assert outsider.get(f"/api/v1/cases/{case.pk}/attachments/{item.pk}").status_code == 404
    assert outsider.upload(case, "foto_rumah", scan_png()).status_code == 404
    assert Attachment.objects.filter(case=case).count() == 1


def test_a_signature_password_is_a_password_and_never_kept(api, office_register, people):
    case = _proposal(office_register, people, to="draft_pengesahan")
    caller = api(people["supervisor"])
    step = caller.get(f"/api/v1/cases/{case.pk}").json()["step"]
    assert step["input_schema"]["properties"]["password"]["format"] == "password"
    errors = _errors(caller.act(case, {"step": "draft_pengesahan", "data": {"password": "salah"}}))
    assert errors == {"data.password": "Kata sandi salah; paraf tidak dibuat."}
    answer = caller.act(case, {"step": "draft_pengesahan", "data": {"password": PASSWORD}})
    assert answer.status_code == 200, answer.content
    kept = StepRecord.objects.filter(case=case).values_list("data", flat=True)
    assert all(PASSWORD not in str(data) for data in kept)
    assert Case.objects.get(pk=case.pk).current_step == "paraf_kabid"
