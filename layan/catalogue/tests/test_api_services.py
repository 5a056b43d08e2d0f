"""GET /api/v1/offices and /api/v1/offices/{office}/services: public, steps with their outcomes."""

import pytest

from layan.catalogue.models import Service


@pytest.fixture
def bone_services(client, seeded):
    response = client.get("/api/v1/offices/bone/services")
    assert response.status_code == 200
    return {service["code"]: service for service in response.json()}


def test_it_lists_the_offices_without_a_token(client, seeded):
    response = client.get("/api/v1/offices")
    assert response.status_code == 200
    offices = {office["slug"]: office for office in response.json()}
    assert set(offices) == {"banyuasin", "bima", "blitar", "bone", "mataram"}
    assert offices["bone"] == {
        "slug": "bone",
        "name": "Dinas Sosial Kabupaten Bone",
        "region_code": "73.08",
        "time_zone": "Asia/Makassar",
    }


def test_bone_offers_the_kip_recommendation(bone_services):
    kip = bone_services["rekomendasi-kip"]
    assert kip["name"] == "Rekomendasi Kartu Indonesia Pintar (KIP)"
    assert kip["version"] == 1
    assert kip["time_standard"] == "15 Menit"
    assert {"key": "petugas", "role": "petugas"}.items() <= next(
        a for a in kip["actors"] if a["key"] == "petugas"
    ).items()


def test_the_registry_check_step_names_its_role_and_outcomes(bone_services):
    steps = {step["key"]: step for step in bone_services["rekomendasi-kip"]["steps"]}
    step = steps["cek_dtks"]
    assert {k: step[k] for k in ("key", "kind", "actor", "role", "outcomes", "next", "end")} == {
        "key": "cek_dtks",
        "kind": "registry_check",
        "actor": "petugas",
        "role": "petugas",
        "outcomes": ["terdaftar", "tidak_terdaftar"],
        "next": None,
        "end": None,
    }
    # The system decides: nothing to choose, no data to give.
    assert step["choosable"] == [] and step["input_schema"]["properties"] == {}
    assert step["outcome_labels"] == {
        "terdaftar": "Terdaftar",
        "tidak_terdaftar": "Tidak terdaftar",
    }
    assert step["leads_to"] == {"terdaftar": "buat_surat", "tidak_terdaftar": "rujuk_desa"}


def test_the_listing_names_requirements_and_the_data_each_step_takes(bone_services):
    kip = bone_services["rekomendasi-kip"]
    papers = {r["key"]: r for r in kip["requirements"]}
    assert papers["kk"]["optional"] is False and papers["kk"]["registry"] is False
    assert papers["kk"]["label"].startswith("Kartu keluarga")
    steps = {step["key"]: step for step in kip["steps"]}
    checked = steps["periksa"]["input_schema"]["properties"]["checked"]
    assert checked["type"] == "array"
    assert set(checked["items"]["enum"]) == {k for k, r in papers.items() if not r["registry"]}
    assert steps["periksa"]["reason_required"] == ["tidak_lengkap"]
    assert "reason" in steps["periksa"]["input_schema"]["properties"]
    password = steps["ttd_kadin"]["input_schema"]["properties"]["password"]
    assert password["format"] == "password"
    assert steps["ttd_kadin"]["reason_required"] == ["kembalikan"]


def test_a_form_step_names_its_fields_and_the_attachments_it_needs(client, seeded):
    services = client.get("/api/v1/offices/banyuasin/services").json()
    steps = {step["key"]: step for step in services[0]["steps"]}
    survey = steps["survey_kriteria"]["input_schema"]["properties"]
    assert survey["foto_rumah"]["x-attachment"] == {
        "requirement": "foto_rumah", "required": True, "content_types": ["image/jpeg", "image/png"],
    }  # fmt: skip
    siksng = steps["input_siksng"]["input_schema"]
    assert siksng["required"] == ["id_usulan_siksng"]
    assert siksng["properties"]["id_usulan_siksng"]["type"] == "string"
    disposition = steps["disposisi_kadin"]["input_schema"]
    assert (
        disposition["required"] == ["to"]
        and "Sekretaris" in disposition["properties"]["to"]["examples"]
    )


def test_a_step_with_next_has_the_single_outcome_lanjut_and_end_steps_none(bone_services):
    steps = {step["key"]: step for step in bone_services["rekomendasi-kip"]["steps"]}
    assert steps["terima"]["outcomes"] == ["lanjut"]
    assert steps["terima"]["next"] == "periksa"
    assert steps["serahkan"]["outcomes"] == []
    assert steps["serahkan"]["end"] == "selesai"
    assert steps["rujuk_desa"]["end"] == "dirujuk"


def test_every_step_names_an_actor_of_the_service(bone_services):
    for service in bone_services.values():
        actors = {actor["key"]: actor["role"] for actor in service["actors"]}
        for step in service["steps"]:
            # The applicant's own steps are done for them by the front office (petugas).
            expected = "petugas" if actors[step["actor"]] == "pemohon" else actors[step["actor"]]
            assert step["role"] == expected


def test_unpublished_services_are_not_listed(client, seeded):
    Service.objects.filter(office__slug="bone", code="rekomendasi-kip").update(is_published=False)
    codes = [s["code"] for s in client.get("/api/v1/offices/bone/services").json()]
    assert "rekomendasi-kip" not in codes
    assert codes


def test_an_unknown_office_is_404_json(client, seeded):
    response = client.get("/api/v1/offices/atlantis/services")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Data tidak ditemukan.", "errors": []}
