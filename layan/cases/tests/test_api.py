"""The cases API: create, read, act, list, public tracking; every office sees only its own."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from layan.cases.models import Case, CaseState
from layan.core.api_auth import token_issue
from layan.demo.services import demo_accounts_ensure
from layan.offices.models import Membership, Office

CASES = "/api/v1/cases"
BONE_KIP_DOCS = {"checked": ["kartu_pelajar", "kk"]}


@pytest.fixture
def staff(make_user):
    """staff("bone", "kabid") -> a user holding that one role at that office."""
    made = {}

    def get(slug: str, role: str):
        if (slug, role) not in made:
            made[slug, role] = make_user(f"{slug}.{role}.api", **{slug: [role]})
        return made[slug, role]

    return get


@pytest.fixture
def api(client):
    """api(user).get(url) / .post(url, body): the test client with the user's bearer token."""

    class Caller:
        def __init__(self, user):
            self.headers = {"Authorization": f"Bearer {token_issue(user=user)}"} if user else {}

        def get(self, url, **params):
            return client.get(url, params, headers=self.headers)

        def post(self, url, body):
            return client.post(url, body, content_type="application/json", headers=self.headers)

    return Caller


def _create(api, user, nik, *, office="bone", service="rekomendasi-kip", **extra):
    body = {
        "office": office,
        "service": service,
        "applicant": {"nik": nik, "name": "Ibu Sari Api", "phone": "0812-3456-7801"},
        **extra,
    }
    return api(user).post(CASES, body)


@pytest.fixture
def bone_case(api, staff, office_register):
    """A Bone KIP case for a registered NIK, created over the API, at its `periksa` step."""
    response = _create(api, staff("bone", "petugas"), office_register["bone"]["registered"])
    assert response.status_code == 201, response.json()
    return response.json()


def _act(api, user, case_id, step, outcome=None, **extra):
    if outcome == "setuju" and "data" not in extra:  # a paraf or signature is confirmed
        extra["data"] = {"password": "rahasia-panjang-123"}
    body = {"step": step, **({"outcome": outcome} if outcome else {}), **extra}
    return api(user).post(f"{CASES}/{case_id}/act", body)


# --- create --------------------------------------------------------------------------------


def test_create_answers_201_with_the_case(bone_case, office_register):
    assert bone_case["id"] == Case.objects.get().pk
    assert len(bone_case["tracking_code"]) == 9 and bone_case["tracking_code"][4] == "-"
    assert bone_case["office"] == "bone"
    assert bone_case["service"] == "rekomendasi-kip"
    assert bone_case["version"] == 1
    assert bone_case["state"] == "berjalan"
    assert bone_case["step"]["key"] == "periksa"
    assert bone_case["step"]["kind"] == "checklist"
    assert bone_case["step"]["role"] == "petugas"
    assert bone_case["applicant"] == {
        "name": "Ibu Sari Api",
        "nik": office_register["bone"]["registered"],
        "phone": "+6281234567801",  # as written "0812-3456-7801"
        "address": "",
        "relation": "",
        "data": {},
    }
    assert bone_case["subject"] is None
    assert [r["step"] for r in bone_case["history"]] == ["terima"]
    assert bone_case["history"][0]["user"] == "bone.petugas.api"
    assert bone_case["can_act"] is True
    assert bone_case["outcomes"] == ["lengkap", "tidak_lengkap"]
    assert bone_case["referral"] is None and bone_case["finished_at"] is None


def test_create_keeps_the_subject_and_its_extra_keys_as_data(api, staff, office_register):
    child = {
        "name": "Budi Anak",
        "nik": office_register["bone"]["unknown"],
        "relation": "anak",
        "sekolah": "SDN 1 Watampone",
    }
    response = _create(
        api, staff("bone", "petugas"), office_register["bone"]["registered"], subject=child
    )
    assert response.status_code == 201
    subject = response.json()["subject"]
    assert subject["name"] == "Budi Anak" and subject["relation"] == "anak"
    assert subject["data"] == {"sekolah": "SDN 1 Watampone"}
    assert Case.objects.get().subject_data == {"sekolah": "SDN 1 Watampone"}


def test_create_refuses_a_bad_nik_naming_the_field(api, staff, seeded):
    response = _create(api, staff("bone", "petugas"), "1234")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["applicant.nik"]
    assert not Case.objects.exists()


def test_create_refuses_an_unknown_service(api, staff, office_register):
    response = _create(
        api, staff("bone", "petugas"), office_register["bone"]["registered"], service="tidak-ada"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service"


def test_create_refuses_a_missing_applicant_name(api, staff, office_register):
    body = {
        "office": "bone",
        "service": "rekomendasi-kip",
        "applicant": {"nik": office_register["bone"]["registered"]},
    }
    response = api(staff("bone", "petugas")).post(CASES, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "applicant.name", "reason": "wajib diisi"}]


def test_create_at_another_office_is_not_found(api, staff, office_register):
    response = _create(api, staff("bima", "petugas"), office_register["bone"]["registered"])
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_anonymous_callers_get_401(client, bone_case):
    url = f"{CASES}/{bone_case['id']}"
    assert client.get(url).status_code == 401
    assert client.get(CASES).status_code == 401
    assert client.post(CASES, {}, content_type="application/json").status_code == 401
    act = client.post(f"{url}/act", {"step": "periksa"}, content_type="application/json")
    assert act.status_code == 401
    assert act.json()["detail"].startswith("Token tidak ada")


# --- read ----------------------------------------------------------------------------------


def test_read_offers_outcomes_only_to_the_steps_role(api, staff, bone_case):
    url = f"{CASES}/{bone_case['id']}"
    as_kabid = api(staff("bone", "kabid")).get(url).json()
    assert as_kabid["step"]["key"] == "periksa"
    assert as_kabid["outcomes"] == [] and as_kabid["can_act"] is False
    as_petugas = api(staff("bone", "petugas")).get(url).json()
    assert as_petugas["outcomes"] == ["lengkap", "tidak_lengkap"]
    assert as_petugas["can_act"] is True


def test_read_gives_the_service_deadline_in_working_time(api, staff, bone_case):
    from layan.offices.calendar import calendar_for

    case = Case.objects.get(pk=bone_case["id"])
    sla = api(staff("bone", "petugas")).get(f"{CASES}/{case.pk}").json()["sla"]
    # Bone's KIP promise is 15 minutes; its checklist step states no time of its own.
    expected = calendar_for(case.office).deadline_for(case.created_at, (15, "m"))
    assert sla["deadline"] is not None
    assert abs(datetime.fromisoformat(sla["deadline"]) - expected) < timedelta(seconds=1)
    assert sla["step_deadline"] is None and sla["remaining_minutes"] is None


def test_read_marks_a_passed_step_deadline_overdue(api, staff, bone_case):
    passed = timezone.now() - timedelta(hours=1)
    Case.objects.filter(pk=bone_case["id"]).update(step_deadline=passed)
    sla = api(staff("bone", "petugas")).get(f"{CASES}/{bone_case['id']}").json()["sla"]
    assert sla["overdue"] is True and sla["step_deadline"] is not None


def test_read_of_another_offices_case_is_not_found(api, staff, bone_case):
    response = api(staff("bima", "petugas")).get(f"{CASES}/{bone_case['id']}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Permohonan tidak ditemukan.", "errors": []}


def test_read_of_an_unknown_case_is_not_found(api, staff, seeded):
    assert api(staff("bone", "petugas")).get(f"{CASES}/999999").status_code == 404


# --- act -----------------------------------------------------------------------------------


def test_bone_kip_is_walked_to_selesai_by_the_right_roles(api, staff, bone_case):
    case_id = bone_case["id"]
    petugas, kabid, kadin = (staff("bone", role) for role in ("petugas", "kabid", "kadin"))
    walked = _act(api, petugas, case_id, "periksa", "lengkap", data=BONE_KIP_DOCS)
    assert walked.status_code == 200
    assert walked.json()["step"]["key"] == "cek_dtks"
    assert walked.json()["outcomes"] == []  # the system decides a registry check
    assert walked.json()["can_act"] is True

    checked = _act(api, petugas, case_id, "cek_dtks").json()
    record = checked["history"][-1]
    assert record["outcome"] == "terdaftar" and record["data"]["period"] == "2026-09"
    assert checked["step"]["key"] == "buat_surat" and checked["outcomes"] == ["lanjut"]

    assert _act(api, petugas, case_id, "buat_surat").json()["step"]["key"] == "paraf_kabid"
    paraf = api(kabid).get(f"{CASES}/{case_id}").json()
    assert paraf["step"]["role"] == "kabid" and paraf["outcomes"] == ["setuju", "kembalikan"]
    assert _act(api, kabid, case_id, "paraf_kabid", "setuju").json()["step"]["key"] == "ttd_kadin"
    signed = _act(api, kadin, case_id, "ttd_kadin", "setuju", note="OK").json()
    record = signed["history"][-1]
    assert (record["user"], record["role"], record["note"]) == ("bone.kadin.api", "kadin", "OK")
    done = _act(api, petugas, case_id, "serahkan").json()
    assert done["state"] == "selesai" and done["state_label"] == "Selesai"
    assert done["step"] is None and done["outcomes"] == [] and done["can_act"] is False
    assert done["finished_at"] is not None
    assert [r["step"] for r in done["history"]] == [
        "terima",
        "periksa",
        "cek_dtks",
        "buat_surat",
        "paraf_kabid",
        "ttd_kadin",
        "serahkan",
    ]
    assert [r["seq"] for r in done["history"]] == list(range(1, 8))


def test_an_outcome_given_for_a_registry_check_is_refused(api, staff, bone_case):
    petugas = staff("bone", "petugas")
    _act(api, petugas, bone_case["id"], "periksa", "lengkap", data=BONE_KIP_DOCS)
    response = _act(api, petugas, bone_case["id"], "cek_dtks", "terdaftar")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "outcome"
    assert Case.objects.get().current_step == "cek_dtks"


def test_bad_step_data_names_the_field(api, staff, bone_case):
    response = _act(
        api,
        staff("bone", "petugas"),
        bone_case["id"],
        "periksa",
        "lengkap",
        data={"checked": ["kk"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "data.checked"
    # The label people know, never the internal key.
    assert "Kartu Pelajar" in response.json()["detail"]
    assert "kartu_pelajar" not in response.json()["detail"]


def test_acting_without_the_steps_role_is_forbidden(api, staff, bone_case):
    response = _act(
        api, staff("bone", "kadin"), bone_case["id"], "periksa", "lengkap", data=BONE_KIP_DOCS
    )
    assert response.status_code == 403
    assert "petugas" in response.json()["detail"]
    assert Case.objects.get().current_step == "periksa"


def test_acting_on_another_offices_case_is_not_found(api, staff, bone_case):
    response = _act(
        api, staff("bima", "petugas"), bone_case["id"], "periksa", "lengkap", data=BONE_KIP_DOCS
    )
    assert response.status_code == 404
    assert Case.objects.get().current_step == "periksa"


def test_acting_on_a_step_that_is_not_current_is_a_conflict(api, staff, bone_case):
    petugas = staff("bone", "petugas")
    first = _act(api, petugas, bone_case["id"], "periksa", "lengkap", data=BONE_KIP_DOCS)
    assert first.status_code == 200
    again = _act(api, petugas, bone_case["id"], "periksa", "lengkap", data=BONE_KIP_DOCS)
    assert again.status_code == 409
    detail = again.json()["detail"]
    assert "Langkah Pemeriksaan kelengkapan (Petugas Layanan) bukan langkah saat ini" in detail
    assert "'periksa'" not in detail and again.json()["errors"] == []


def test_acting_on_an_ended_case_is_a_conflict(api, staff, bone_case):
    petugas = staff("bone", "petugas")
    rejected = _act(
        api,
        petugas,
        bone_case["id"],
        "periksa",
        "tidak_lengkap",
        data={"checked": [], "reason": "KK belum ada"},
    )
    assert rejected.json()["state"] == "ditolak"
    assert _act(api, petugas, bone_case["id"], "periksa", "lengkap").status_code == 409


def test_act_refuses_unknown_keys(api, staff, bone_case):
    response = api(staff("bone", "petugas")).post(
        f"{CASES}/{bone_case['id']}/act", {"step": "periksa", "hasil": "lengkap"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "hasil", "reason": "isian tidak dikenal"}]


# --- list ----------------------------------------------------------------------------------


@pytest.fixture
def listed(api, staff, office_register):
    """Three Bone cases (one at the kabid, one rejected, one new) and one Bima case."""
    petugas = staff("bone", "petugas")
    registered = office_register["bone"]["registered"]
    ids = {}
    for name in ("at_kabid", "rejected", "new"):
        again = "Uji: permohonan lain untuk orang yang sama"  # the same person thrice
        ids[name] = _create(api, petugas, registered, duplicate_reason=again).json()["id"]
    for step, outcome, extra in [
        ("periksa", "lengkap", {"data": BONE_KIP_DOCS}),
        ("cek_dtks", None, {}),
        ("buat_surat", None, {}),
    ]:
        assert _act(api, petugas, ids["at_kabid"], step, outcome, **extra).status_code == 200
    rejected = {"checked": [], "reason": "x"}
    _act(api, petugas, ids["rejected"], "periksa", "tidak_lengkap", data=rejected)
    ids["bima"] = _create(
        api,
        staff("bima", "petugas"),
        office_register["bima"]["registered"],
        office="bima",
        service="rekomendasi-pip",
    ).json()["id"]
    return ids


def _ids(response):
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def test_list_shows_only_the_callers_offices_open_cases_first(api, staff, listed):
    response = api(staff("bone", "kadin")).get(CASES)
    assert response.json()["count"] == 3
    ids = _ids(response)
    assert ids[-1] == listed["rejected"]
    assert set(ids[:2]) == {listed["at_kabid"], listed["new"]}
    assert listed["bima"] not in ids
    row = response.json()["items"][-1]
    assert row["state"] == "ditolak" and row["step"] is None and row["role"] is None


def test_list_orders_open_cases_like_the_work_queue(api, staff, listed):
    now = timezone.now()
    Case.objects.filter(pk=listed["new"]).update(step_deadline=now - timedelta(minutes=5))
    Case.objects.filter(pk=listed["at_kabid"]).update(step_deadline=now + timedelta(hours=2))
    ids = _ids(api(staff("bone", "kadin")).get(CASES))
    assert ids == [listed["new"], listed["at_kabid"], listed["rejected"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "ditolak"}, ["rejected"]),
        ({"state": "berjalan"}, ["at_kabid", "new"]),
        ({"step": "paraf_kabid"}, ["at_kabid"]),
        ({"service": "rekomendasi-kip"}, ["at_kabid", "rejected", "new"]),
        ({"service": "rekomendasi-pip"}, []),
        ({"office": "bone", "step": "periksa"}, ["new"]),
    ],
)
def test_list_filters(api, staff, listed, params, expected):
    ids = _ids(api(staff("bone", "kadin")).get(CASES, **params))
    assert sorted(ids) == sorted(listed[name] for name in expected)


def test_list_mine_is_the_steps_at_the_callers_roles(api, staff, listed):
    assert _ids(api(staff("bone", "kabid")).get(CASES, mine="true")) == [listed["at_kabid"]]
    assert _ids(api(staff("bone", "petugas")).get(CASES, mine="true")) == [listed["new"]]
    assert _ids(api(staff("bone", "kadin")).get(CASES, mine="true")) == []


def test_list_overdue_leaves_out_paused_and_ended_cases(api, staff, listed):
    passed = timezone.now() - timedelta(minutes=1)
    Case.objects.filter(pk=listed["new"]).update(step_deadline=passed)
    Case.objects.filter(pk=listed["at_kabid"]).update(
        deadline=passed, state=CaseState.WAITING, paused_at=passed
    )
    response = api(staff("bone", "kadin")).get(CASES, overdue="true")
    assert _ids(response) == [listed["new"]]
    assert response.json()["items"][0]["overdue"] is True


def test_list_pages(api, staff, listed):
    kadin = api(staff("bone", "kadin"))
    first = kadin.get(CASES, limit=2)
    second = kadin.get(CASES, limit=2, offset=2)
    assert first.json()["count"] == second.json()["count"] == 3
    assert len(_ids(first)) == 2 and len(_ids(second)) == 1
    assert set(_ids(first)) | set(_ids(second)) == {
        listed["at_kabid"],
        listed["rejected"],
        listed["new"],
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 101}, "limit"), ({"offset": -1}, "offset"), ({"state": "hilang"}, "state")],
)
def test_list_refuses_bad_parameters(api, staff, listed, params, field):
    response = api(staff("bone", "kadin")).get(CASES, **params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_list_of_another_office_is_not_found(api, staff, listed):
    assert api(staff("bone", "kadin")).get(CASES, office="bima").status_code == 404


def test_list_for_someone_of_no_office_is_empty(api, make_user, listed):
    response = api(make_user("tamu")).get(CASES)
    assert response.json() == {"count": 0, "items": []}


# --- public tracking -----------------------------------------------------------------------


def test_tracking_shows_progress_without_personal_data(client, api, staff, office_register):
    petugas = staff("bone", "petugas")
    nik = office_register["bone"]["unknown"]
    case = _create(api, petugas, nik).json()
    _act(api, petugas, case["id"], "periksa", "lengkap", data=BONE_KIP_DOCS, note="catatan-rahasia")
    _act(api, petugas, case["id"], "cek_dtks")
    code = case["tracking_code"]
    response = client.get(f"/api/v1/track/{code.lower().replace('-', '')}")
    assert response.status_code == 200
    text = response.content.decode()
    for private in (nik, "Ibu Sari Api", "81234567801", "catatan-rahasia", "petugas.api", "found"):
        assert private not in text
    body = response.json()
    assert body["tracking_code"] == code
    assert body["office"] == "Dinas Sosial Kabupaten Bone"
    assert body["service"] == "Rekomendasi Kartu Indonesia Pintar (KIP)"
    assert body["state"] == "berjalan"
    assert [s["outcome"] for s in body["steps"]] == ["lanjut", "lengkap", "tidak_terdaftar"]
    assert body["steps"][2]["label"] == "Pengecekan DTKS/DTSEN"
    assert body["steps"][2]["outcome_label"] == "Tidak terdaftar"
    assert "Enumerator" in body["current_step"]
    assert body["referral"] is None


def test_tracking_shows_the_referral(client, api, staff, office_register):
    petugas = staff("bone", "petugas")
    case = _create(api, petugas, office_register["bone"]["unknown"]).json()
    _act(api, petugas, case["id"], "periksa", "lengkap", data=BONE_KIP_DOCS)
    _act(api, petugas, case["id"], "cek_dtks")
    referred = _act(api, petugas, case["id"], "rujuk_desa", note="layak diusulkan").json()
    assert referred["state"] == "dirujuk"
    assert referred["referral"]["to"] == "Enumerator Desa/Kelurahan"
    assert referred["referral"]["nik"] == office_register["bone"]["unknown"]
    body = client.get(f"/api/v1/track/{case['tracking_code']}").json()
    assert body["state_label"] == "Dirujuk" and body["current_step"] is None
    assert body["referral"] == {
        "to": "Enumerator Desa/Kelurahan",
        "fulfilled": False,
        "bring": ["Kartu keluarga/ KK", "KTP"],
    }
    assert office_register["bone"]["unknown"] not in str(body)


def test_tracking_an_unknown_code_is_not_found(client, seeded):
    for code in ("AAAA-AAAA", "x"):
        response = client.get(f"/api/v1/track/{code}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Kode lacak tidak ditemukan.", "errors": []}


# --- the service listing names roles the API's users hold ----------------------------------


def test_service_listing_roles_are_roles_of_the_demo_accounts(client, seeded):
    for office in Office.objects.all():
        demo_accounts_ensure(office=office, password="demo-rahasia-123")
    demo_roles = set(Membership.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert demo_roles == {
        "petugas",
        "operator",
        "supervisor",
        "peksos",
        "kabid",
        "sekretaris",
        "kadin",
        "admin",
    }
    listed = set()
    for office in Office.objects.all():
        for service in client.get(f"/api/v1/offices/{office.slug}/services").json():
            listed |= {(service["code"], step["key"], step["role"]) for step in service["steps"]}
    assert listed
    assert {entry for entry in listed if entry[2] not in demo_roles} == set()
