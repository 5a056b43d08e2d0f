"""The Django admin shows an office admin their own office only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from layan.offices.models import Membership, Office


@pytest.fixture
def bone_admin(seeded, make_user):
    user = make_user("admin.bone", bone=["admin"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def bone_petugas(seeded, make_user):
    user = make_user("petugas.bone", bone=["petugas"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_office_admin_sees_only_their_office(client, bone_admin):
    client.force_login(bone_admin)
    page = client.get(reverse("admin:offices_office_changelist")).content.decode()
    assert "Dinas Sosial Kabupaten Bone" in page
    assert "Dinas Sosial Kota Bima" not in page


def test_office_admin_can_change_their_office(client, bone_admin):
    client.force_login(bone_admin)
    bone = Office.objects.get(slug="bone")
    assert client.get(reverse("admin:offices_office_change", args=[bone.pk])).status_code == 200


def test_office_admin_cannot_open_another_office(client, bone_admin):
    client.force_login(bone_admin)
    bima = Office.objects.get(slug="bima")
    response = client.get(reverse("admin:offices_office_change", args=[bima.pk]))
    # The admin answers an out-of-scope object by redirecting to the index with a message.
    assert response.status_code == 302
    assert "Dinas Sosial Kota Bima" not in client.get(response["Location"]).content.decode()


def test_office_admin_sees_only_their_memberships_and_services(client, bone_admin, make_user):
    make_user("petugas.bima", bima=["petugas"])
    client.force_login(bone_admin)
    memberships = client.get(reverse("admin:offices_membership_changelist")).content.decode()
    assert "admin.bone" in memberships
    assert "petugas.bima" not in memberships
    services = client.get(reverse("admin:catalogue_service_changelist")).content.decode()
    assert "Rekomendasi Kartu Indonesia Pintar (KIP)" in services
    assert "Penerbitan Rekomendasi" not in services  # Bima's service
    assert "Usulan Baru DTKS" not in services


def test_office_admin_cannot_add_membership_at_another_office(client, bone_admin, make_user):
    other = make_user("calon")
    client.force_login(bone_admin)
    bima = Office.objects.get(slug="bima")
    response = client.post(
        reverse("admin:offices_membership_add"),
        {"user": other.pk, "office": bima.pk, "role": "kadin", "is_active": "on"},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not Membership.objects.filter(user=other).exists()


def test_office_admin_cannot_move_office_region(client, bone_admin):
    client.force_login(bone_admin)
    bone = Office.objects.get(slug="bone")
    page = client.get(reverse("admin:offices_office_change", args=[bone.pk])).content.decode()
    assert 'name="region_code"' not in page


def test_staff_without_admin_role_cannot_use_office_admin(client, bone_petugas):
    client.force_login(bone_petugas)
    assert client.get(reverse("admin:offices_office_changelist")).status_code == 403


def test_anonymous_is_sent_to_admin_sign_in(client, seeded):
    response = client.get(reverse("admin:offices_office_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_superuser_sees_every_office(client, seeded):
    root = get_user_model().objects.create_superuser("root", password="akar-panjang-123")
    client.force_login(root)
    page = client.get(reverse("admin:offices_office_changelist")).content.decode()
    for name in ("Bone", "Bima", "Blitar", "Mataram", "Banyuasin"):
        assert name in page
