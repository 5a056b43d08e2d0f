"""Roles in the Django admin go through the staff services: never one's own or another office's."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from layan.core.audit import audit_of
from layan.offices.models import Membership, Office


@pytest.fixture
def bone_admin(seeded, make_user):
    user = make_user("bone.admin", bone=["admin"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def colleague(make_user):
    user = make_user("rina.bone", bone=["petugas"])
    user.full_name = "Rina Kartika"
    user.nip = "199001152015032002"
    user.save()
    return user


def _add(client, user, role="kadin", office="bone"):
    return client.post(
        reverse("admin:offices_membership_add"),
        {"user": user.pk, "office": Office.objects.get(slug=office).pk, "role": role},
    )


def test_the_admin_gives_a_colleague_a_role_and_it_is_recorded(client, bone_admin, colleague):
    client.force_login(bone_admin)
    response = _add(client, colleague, role="kabid")
    assert response.status_code == 302, response.content.decode()
    assert Membership.objects.get(user=colleague, role="kabid").is_active
    event = audit_of(colleague).get()
    assert (event.action, event.actor, event.after) == (
        "membership.grant",
        bone_admin,
        {"role": "kabid", "active": True},
    )


def test_the_add_form_speaks_indonesian_and_offers_only_our_people(
    client, bone_admin, colleague, make_user
):
    make_user("petugas.bima", bima=["petugas"])
    client.force_login(bone_admin)
    page = client.get(reverse("admin:offices_membership_add")).content.decode()
    assert "Pegawai" in page and "Kantor" in page and "Bidang/unit" in page
    assert "Rina Kartika, NIP 199001152015032002 — rina.bone</option>" in page
    assert "petugas.bima" not in page
    assert "— bone.admin</option>" not in page  # not oneself
    assert "raw_id" not in page and "vForeignKeyRawIdAdminField" not in page


def test_the_admin_cannot_grant_themselves_a_role(client, bone_admin):
    client.force_login(bone_admin)
    response = _add(client, bone_admin, role="kadin")
    assert response.status_code == 200  # the form comes back with an error
    assert not Membership.objects.filter(user=bone_admin, role="kadin").exists()
    assert not audit_of(bone_admin).exists()


def test_the_admin_cannot_change_or_delete_their_own_membership(client, bone_admin):
    client.force_login(bone_admin)
    own = Membership.objects.get(user=bone_admin)
    change = reverse("admin:offices_membership_change", args=[own.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="is_active"' not in page.content.decode()
    response = client.post(change, {"unit": "", "position": "Kepala", "is_active": ""})
    assert response.status_code == 403
    delete = reverse("admin:offices_membership_delete", args=[own.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    own.refresh_from_db()
    assert own.is_active and own.position == ""


def test_the_admin_cannot_attach_a_user_of_another_office(client, bone_admin, make_user):
    theirs = make_user("petugas.bima", bima=["petugas"])
    client.force_login(bone_admin)
    response = _add(client, theirs, role="petugas")
    assert response.status_code == 200
    assert not Membership.objects.filter(user=theirs, office__slug="bone").exists()


def test_the_admin_cannot_change_a_person_who_also_works_elsewhere(client, bone_admin, make_user):
    both = make_user("dua.kantor", bone=["petugas"], bima=["petugas"])
    client.force_login(bone_admin)
    row = Membership.objects.get(user=both, office__slug="bone")
    change = reverse("admin:offices_membership_change", args=[row.pk])
    response = client.post(change, {"unit": "", "position": "", "is_active": ""})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.is_active


def test_unticking_active_revokes_the_role_through_the_service(client, bone_admin, colleague):
    client.force_login(bone_admin)
    row = Membership.objects.get(user=colleague)
    change = reverse("admin:offices_membership_change", args=[row.pk])
    response = client.post(change, {"unit": "", "position": "Pengelola Layanan", "is_active": ""})
    assert response.status_code == 302, response.content.decode()
    row.refresh_from_db()
    assert not row.is_active and row.position == "Pengelola Layanan"
    actions = [event.action for event in audit_of(colleague)]
    assert actions == ["membership.revoke", "membership.update"]


def test_an_office_admin_deletes_no_rows(client, bone_admin, colleague):
    client.force_login(bone_admin)
    row = Membership.objects.get(user=colleague)
    delete = reverse("admin:offices_membership_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=row.pk).exists()


def test_the_superuser_deletes_and_it_is_recorded(client, seeded, colleague):
    root = get_user_model().objects.create_superuser("root", password="akar-panjang-123")
    client.force_login(root)
    row = Membership.objects.get(user=colleague)
    delete = reverse("admin:offices_membership_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=row.pk).exists()
    event = audit_of(colleague).get()
    assert event.action == "membership.revoke" and event.actor == root


def test_the_list_speaks_indonesian(client, bone_admin, colleague):
    client.force_login(bone_admin)
    page = client.get(reverse("admin:offices_membership_changelist")).content.decode()
    assert "Pegawai" in page and "Kantor" in page and "Rina Kartika" in page
    assert "199001152015032002" in page


def test_a_role_held_now_is_refused_in_plain_words(client, bone_admin, colleague):
    client.force_login(bone_admin)
    response = _add(client, colleague, role="petugas")
    assert response.status_code == 200
    assert "Rina Kartika sudah memegang peran Petugas layanan / front office" in (
        response.content.decode()
    )
    assert "tidak ada" not in response.content.decode()
    assert Membership.objects.filter(user=colleague).count() == 1


def test_a_role_held_before_is_given_again_on_its_old_row(client, bone_admin, colleague):
    row = Membership.objects.get(user=colleague)
    row.is_active = False
    row.save()
    client.force_login(bone_admin)
    response = _add(client, colleague, role="petugas")
    assert response.status_code == 302, response.content.decode()
    row.refresh_from_db()
    assert row.is_active and Membership.objects.filter(user=colleague).count() == 1
    event = audit_of(colleague).get()
    assert event.action == "membership.grant"
    assert event.before == {"role": "petugas", "active": False}
