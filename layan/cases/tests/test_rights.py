"""The rights table (offices/rights.py), asked through the staff pages and the API alike.

For every role, each right the table gives must work on both roads, and each it
withholds must be refused on both (403, the case untouched). Another office's
staff get 404 on both.
"""

import pytest
from django.urls import reverse

from layan.cases.models import CaseState
from layan.cases.services import Applicant, case_create
from layan.core.api_auth import token_issue
from layan.offices.models import Office, Role
from layan.offices.rights import RIGHTS, Right

ROLES = [role.value for role in Role]


@pytest.fixture
def bone_case(office_register, make_user):
    petugas = make_user("loket.bone", bone=["petugas"])
    nik = office_register["bone"]["registered"]
    return case_create(
        office=Office.objects.get(slug="bone"),
        service_code="rekomendasi-kip",
        applicant=Applicant(name="Ibu Hak", nik=nik),
        user=petugas,
    )


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_issue(user=user)}"}


@pytest.mark.parametrize("role", ROLES)
def test_registering_follows_the_table_on_page_and_api(client, office_register, make_user, role):
    user = make_user(f"daftar.{role}", bone=[role])
    allowed = Right.REGISTER in RIGHTS[role]
    client.force_login(user)
    page = client.get(reverse("case-new", args=["bone"]))
    assert page.status_code == (200 if allowed else 403)
    nik = office_register["bone"]["registered"]
    body = {
        "office": "bone",
        "service": "rekomendasi-kip",
        "applicant": {"nik": nik, "name": "Ibu Api"},
    }
    answer = client.post(
        "/api/v1/cases", body, content_type="application/json", headers=_bearer(user)
    )
    assert answer.status_code == (201 if allowed else 403), answer.content
    if not allowed:
        assert "Petugas layanan" in answer.json()["detail"]  # names who may


@pytest.mark.parametrize("role", ROLES)
def test_pausing_follows_the_table_on_page_and_api(client, bone_case, make_user, role):
    user = make_user(f"jeda.{role}", bone=[role])
    allowed = Right.PAUSE in RIGHTS[role]
    client.force_login(user)
    page = client.post(reverse("case-pause", args=["bone", bone_case.pk]), {"reason": "KK"})
    assert page.status_code == (302 if allowed else 403)
    bone_case.refresh_from_db()
    assert bone_case.state == (CaseState.WAITING if allowed else CaseState.OPEN)
    resumed = client.post(f"/api/v1/cases/{bone_case.pk}/resume", headers=_bearer(user))
    assert resumed.status_code == (200 if allowed else 403), resumed.content
    paused = client.post(
        f"/api/v1/cases/{bone_case.pk}/pause",
        {"reason": "KK"},
        content_type="application/json",
        headers=_bearer(user),
    )
    assert paused.status_code == (200 if allowed else 403), paused.content


@pytest.mark.parametrize("role", ROLES)
def test_acting_needs_the_right_and_the_steps_role_on_page_and_api(
    client, bone_case, make_user, role
):
    user = make_user(f"kerja.{role}", bone=[role])
    allowed = Right.ACT in RIGHTS[role] and role == bone_case.current_role
    client.force_login(user)
    detail = client.get(reverse("case-detail", args=["bone", bone_case.pk])).content.decode()
    assert ('name="step" value="periksa"' in detail) is allowed
    read = client.get(f"/api/v1/cases/{bone_case.pk}", headers=_bearer(user)).json()
    assert read["can_act"] is allowed
    assert bool(read["outcomes"]) is allowed
    body = {"step": "periksa", "outcome": "tidak_lengkap", "data": {"reason": "Tidak ada KK"}}
    answer = client.post(
        f"/api/v1/cases/{bone_case.pk}/act",
        body,
        content_type="application/json",
        headers=_bearer(user),
    )
    assert answer.status_code == (200 if allowed else 403), answer.content


def test_another_offices_staff_get_404_on_both(client, bone_case, make_user):
    outsider = make_user("orang.bima", bima=ROLES)
    client.force_login(outsider)
    assert client.get(reverse("case-detail", args=["bone", bone_case.pk])).status_code == 404
    page = client.post(reverse("case-pause", args=["bone", bone_case.pk]), {"reason": "KK"})
    assert page.status_code == 404
    for url in (f"/api/v1/cases/{bone_case.pk}", f"/api/v1/cases/{bone_case.pk}/attachments"):
        assert client.get(url, headers=_bearer(outsider)).status_code == 404
    answer = client.post(
        f"/api/v1/cases/{bone_case.pk}/pause",
        {"reason": "KK"},
        content_type="application/json",
        headers=_bearer(outsider),
    )
    assert answer.status_code == 404
    bone_case.refresh_from_db()
    assert bone_case.state == CaseState.OPEN


def test_every_role_has_a_row_and_every_right_a_holder():
    assert set(RIGHTS) == set(ROLES)
    for right in Right:
        assert any(right in rights for rights in RIGHTS.values()), right


@pytest.mark.parametrize("role", ROLES)
def test_register_rights_follow_the_table_on_page_and_api(client, office_register, make_user, role):
    from layan.registry.models import Snapshot

    user = make_user(f"register.{role}", bone=[role])
    rights = RIGHTS[role]
    snapshot = Snapshot.objects.get(region_code="73.08")
    client.force_login(user)
    lookup = client.post(
        reverse("registry-lookup", args=["bone"]), {"nik": office_register["bone"]["registered"]}
    )
    assert lookup.status_code == (200 if Right.LOOKUP in rights else 403)
    answer = client.post(
        "/api/v1/registry/lookup",
        {"nik": office_register["bone"]["registered"]},
        content_type="application/json",
        headers=_bearer(user),
    )
    assert answer.status_code == 200
    assert answer.json()["found"] is (Right.LOOKUP in rights)
    upload = client.get(reverse("registry-upload-new", args=["bone"]))
    assert upload.status_code == (200 if Right.IMPORT in rights else 403)
    rejected = client.get(reverse("registry-rejections", args=["bone", snapshot.pk]))
    assert rejected.status_code == (200 if Right.EXPORT in rights else 403)
