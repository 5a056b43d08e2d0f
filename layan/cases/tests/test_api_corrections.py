"""PATCH /api/v1/cases/{id}: a partial, typed correction of a case's data; 403 for a role
that does not correct, 404 for another office, 409 when not correctable now, 422 naming
the field."""

import pytest

from layan.cases.models import Case
from layan.cases.services import CORRECTABLE
from layan.cases.testing import step_act, walk
from layan.cases.tests.revision import kip_case
from layan.core.api_auth import token_issue


@pytest.fixture
def patch(client):
    def send(user, case_id, body):
        token = token_issue(user=user)
        return client.patch(f"/api/v1/cases/{case_id}", body, content_type="application/json",
                            headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    return send


def test_a_partial_body_corrects_only_what_it_names(patch, returned_case, bone_staff):
    body = {"subject": {"name": "Budi Santoso", "data": {"sekolah": "SDN 2"}}}
    response = patch(bone_staff["petugas"], returned_case.pk, body)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["subject"]["name"] == "Budi Santoso"
    assert body["subject"]["data"] == {"sekolah": "SDN 2"}
    assert body["applicant"]["name"] == "Ibu Sari Wulandari"  # not named: kept
    [correction] = body["corrections"]
    assert correction["by"] == "Ani Rahmawati"
    assert correction["changes"] == [
        {"field": "subject.name", "label": "Nama anak/yang diwakili",
         "before": "Budi Santosa", "after": "Budi Santoso"},
        {"field": "subject.data.sekolah", "label": "Sekolah",
         "before": "SDN 1 Watampone", "after": "SDN 2"},
    ]  # fmt: skip
    assert body["returned"]["step_label"] == "Paraf"  # still standing returned


def test_a_bad_nik_is_a_422_naming_the_field_with_its_label(patch, returned_case, bone_staff):
    response = patch(bone_staff["petugas"], returned_case.pk, {"applicant": {"nik": "12345"}})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "applicant.nik"
    assert error["reason"].startswith("NIK pemohon: NIK harus 16 digit")


def test_an_unknown_field_is_a_422(patch, returned_case, bone_staff):
    response = patch(bone_staff["petugas"], returned_case.pk, {"subject": {"umur": "9"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "subject.umur"


def test_a_kabid_gets_403(patch, returned_case, bone_staff):
    response = patch(bone_staff["kabid"], returned_case.pk, {"subject": {"name": "X Y"}})
    assert response.status_code == 403
    assert "mengoreksi data permohonan" in response.json()["detail"]


def test_another_office_gets_404(patch, returned_case, bone_staff):
    response = patch(bone_staff["outsider"], returned_case.pk, {"subject": {"name": "X Y"}})
    assert response.status_code == 404


def test_not_at_a_front_office_step_is_409(patch, office_register, bone_staff):
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="ttd_kadin")
    response = patch(bone_staff["petugas"], case.pk, {"subject": {"name": "X Y"}})
    assert response.status_code == 409
    assert "Tanda tangan (Kepala Dinas Sosial)" in response.json()["detail"]


def test_a_finished_case_is_409(patch, returned_case, bone_staff):
    walk(returned_case, staff=bone_staff)
    response = patch(bone_staff["petugas"], returned_case.pk, {"subject": {"name": "X Y"}})
    assert response.status_code == 409


def test_a_stale_seq_is_409_and_the_current_one_is_taken(patch, returned_case, bone_staff):
    seq = returned_case.step_seq
    assert patch(bone_staff["petugas"], returned_case.pk,
                 {"seq": seq - 1, "subject": {"name": "X Y"}}).status_code == 409  # fmt: skip
    answer = patch(
        bone_staff["petugas"], returned_case.pk, {"seq": seq, "subject": {"name": "X Y"}}
    )
    assert answer.status_code == 200 and answer.json()["seq"] == seq  # a correction is no step


def test_nothing_to_change_is_200_with_no_correction(patch, returned_case, bone_staff):
    response = patch(bone_staff["petugas"], returned_case.pk, {"subject": {"name": "Budi Santosa"}})
    assert response.status_code == 200 and response.json()["corrections"] == []
    assert patch(bone_staff["petugas"], returned_case.pk, {}).status_code == 200


def test_the_redraft_after_an_api_correction_names_the_new_child(patch, returned_case, bone_staff):
    patch(bone_staff["petugas"], returned_case.pk, {"subject": {"name": "Budi Santoso"}})
    step_act(returned_case, user=bone_staff["petugas"])
    case = Case.objects.get(pk=returned_case.pk)
    assert case.current_step == "paraf_kabid" and case.returned_at is None
    from layan.letters.models import Letter

    assert Letter.objects.filter(case=case).latest("pk").subject_masked == "B*** S***"


def test_the_openapi_document_describes_the_correction(client, seeded):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/cases/{case_id}"]["patch"]
    assert set(operation["responses"]) >= {"200", "401", "403", "404", "409", "422", "500"}
    schemas = document["components"]["schemas"]
    assert set(schemas["CaseCorrectIn"]["properties"]) == {"applicant", "subject", "seq"}
    assert schemas["ApplicantPatch"]["properties"]["nik"]["title"] == "NIK pemohon"


def test_the_schema_names_exactly_the_correctable_fields(client, seeded):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    def paths(name: str, prefix: str = "") -> set[str]:
        found = set()
        for key, prop in schemas[name]["properties"].items():
            refs = [o["$ref"] for o in prop.get("anyOf", []) if "$ref" in o]
            if refs:
                found |= paths(refs[0].rsplit("/", 1)[1], f"{prefix}{key}.")
            elif key != "seq":
                found.add(f"{prefix}{key}")
        return found

    assert paths("CaseCorrectIn") == set(CORRECTABLE)
