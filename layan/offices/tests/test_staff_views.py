"""The staff pages under /staf/<office>/pegawai/, for the office admin and for everyone else."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layan.core.audit import audit_of
from layan.offices.models import Membership, Role

NIP = "198503122010011004"


@pytest.fixture
def bone_admin(seeded, make_user):
    user = make_user("admin.bone", bone=["admin"])
    user.full_name = "Andi Admin, S.Kom."
    user.save()
    return user


@pytest.fixture
def admin_client(client, bone_admin):
    client.force_login(bone_admin)
    return client


def _form(**change) -> dict:
    data = {
        "full_name": "Ani Rahmawati",
        "nip": "19850312 201001 1 004",
        "position": "Pengelola Layanan Operasional",
        "email": "ani@example.id",
        "phone": "0812-3456-7890",
        "username": "Ani.Loket",
        "roles": ["petugas"],
    }
    data.update(change)
    return {key: value for key, value in data.items() if value is not None}


def _new(client, **change):
    return client.post(reverse("staff-new", args=["bone"]), _form(**change))


# ---- The list ----------------------------------------------------------------------------


def test_the_list_shows_staff_with_role_labels_and_no_other_office(admin_client, make_user):
    make_user("petugas.bone", bone=["petugas"])
    make_user("petugas.bima", bima=["petugas"])
    page = admin_client.get(reverse("staff-list", args=["bone"])).content.decode()
    assert "Andi Admin, S.Kom." in page and "petugas.bone" in page
    assert "Admin kantor" in page and "Petugas layanan / front office" in page
    assert "petugas.bima" not in page
    assert ">petugas<" not in page  # a label, never the key


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMIN])
def test_staff_without_the_right_are_refused(client, seeded, make_user, role):
    client.force_login(make_user(f"x.{role}", bone=[role]))
    assert client.get(reverse("staff-list", args=["bone"])).status_code == 403
    assert _new(client).status_code == 403
    assert not get_user_model().objects.filter(username="ani.loket").exists()


def test_another_offices_admin_gets_not_found(client, seeded, make_user, bone_admin):
    client.force_login(make_user("admin.bima", bima=["admin"]))
    assert client.get(reverse("staff-list", args=["bone"])).status_code == 404
    assert client.get(reverse("staff-detail", args=["bone", bone_admin.pk])).status_code == 404
    # Nor does Bima's own page show Bone's people.
    response = client.get(reverse("staff-detail", args=["bima", bone_admin.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, seeded):
    response = client.get(reverse("staff-list", args=["bone"]))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# ---- Creating an account -----------------------------------------------------------------


def test_the_admin_creates_an_account_and_gets_a_one_time_link(admin_client, bone_admin):
    response = _new(admin_client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    user = get_user_model().objects.get(username="ani.loket")
    assert (user.nip, user.phone) == (NIP, "+6281234567890")
    assert not user.has_usable_password()
    page = response.content.decode()
    link = re.search(r'href="(http://testserver/masuk/sandi/[^"]+)"', page).group(1)
    assert "WITA" in page  # the link's expiry in Bone's zone
    assert Membership.objects.get(user=user).position == "Pengelola Layanan Operasional"
    assert [e.action for e in audit_of(user)] == [
        "user.create",
        "membership.grant",
        "user.password_link",
    ]

    # The owner follows it, sets a password, and signs in with it.
    admin_client.logout()
    form_page = admin_client.get(link, follow=True)
    assert "Nama pengguna Anda: <strong>ani.loket</strong>" in form_page.content.decode()
    password = "loket-bone-pagi-2026"
    done = admin_client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password-set-done")
    assert admin_client.login(username="ani.loket", password=password)
    # Used once, the link is dead.
    admin_client.logout()
    again = admin_client.get(link, follow=True).content.decode()
    assert "tidak berlaku lagi" in again


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"nip": "19850312 201001 3 004"}, "digit jenis kelamin pada NIP harus 1 atau 2"),
        ({"nip": "1985031220100110"}, "NIP harus 18 digit angka"),
        ({"nip": "198502302010011004"}, "tanggal lahir pada NIP"),
        ({"email": "ani@"}, "Masukkan alamat email yang valid"),
        ({"phone": "12345"}, "tidak dikenali"),
        ({"username": "ani loket"}, "Masukkan nama pengguna valid"),
        ({"username": ""}, "Nama pengguna wajib diisi"),
        ({"roles": []}, "Pilih sedikitnya satu peran"),
        ({"full_name": ""}, "Nama lengkap wajib diisi"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_saved(admin_client, change, field_error):
    response = _new(admin_client, **change)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Periksa kembali isian yang ditandai" in page
    assert field_error.lower() in page.lower()
    assert not get_user_model().objects.filter(username="ani.loket").exists()


def test_a_name_taken_in_another_case_is_refused(admin_client, make_user):
    make_user("ANI.loket", bima=["petugas"])
    response = _new(admin_client)
    assert response.status_code == 422
    assert "sudah dipakai (huruf besar dan kecil tidak dibedakan)" in response.content.decode()
    assert get_user_model().objects.filter(username__iexact="ani.loket").count() == 1


# ---- One person's roles ------------------------------------------------------------------


@pytest.fixture
def ani(admin_client):
    _new(admin_client)
    return get_user_model().objects.get(username="ani.loket")


def test_the_admin_gives_and_takes_a_role_and_the_page_tells_the_history(admin_client, ani):
    grant = reverse("staff-role-grant", args=["bone", ani.pk])
    assert admin_client.post(grant, {"role": "kabid"}).status_code == 302
    revoke = reverse("staff-role-revoke", args=["bone", ani.pk, "petugas"])
    assert admin_client.post(revoke).status_code == 302
    roles = Membership.objects.filter(user=ani, is_active=True).values_list("role", flat=True)
    assert list(roles) == ["kabid"]
    page = admin_client.get(reverse("staff-detail", args=["bone", ani.pk])).content.decode()
    assert "Peran dicabut" in page and "Peran diberikan" in page
    assert "Kepala bidang" in page and "Andi Admin, S.Kom." in page  # who, by full name
    assert re.search(r"\d{1,2} \w{3} 20\d\d \d\d\.\d\d WITA", page)  # when, in Bone's zone


def test_the_admin_cannot_change_their_own_roles_on_the_page(admin_client, bone_admin):
    page = admin_client.get(reverse("staff-detail", args=["bone", bone_admin.pk]))
    assert "akun Anda sendiri" in page.content.decode()
    assert "Beri peran" not in page.content.decode()
    grant = reverse("staff-role-grant", args=["bone", bone_admin.pk])
    response = admin_client.post(grant, {"role": "kadin"})
    assert response.status_code == 422
    assert "peran Anda sendiri" in response.content.decode()
    revoke = reverse("staff-role-revoke", args=["bone", bone_admin.pk, "admin"])
    assert admin_client.post(revoke).status_code == 422
    deactivate = reverse("staff-deactivate", args=["bone", bone_admin.pk])
    assert admin_client.post(deactivate).status_code == 422
    link = reverse("staff-password-link", args=["bone", bone_admin.pk])
    assert admin_client.post(link).status_code == 422
    roles = Membership.objects.filter(user=bone_admin, is_active=True)
    assert list(roles.values_list("role", flat=True)) == ["admin"]


def test_a_user_of_another_office_cannot_be_reached_or_attached(admin_client, make_user):
    theirs = make_user("petugas.bima", bima=["petugas"])
    assert admin_client.get(reverse("staff-detail", args=["bone", theirs.pk])).status_code == 404
    grant = reverse("staff-role-grant", args=["bone", theirs.pk])
    assert admin_client.post(grant, {"role": "petugas"}).status_code == 404
    link = reverse("staff-password-link", args=["bone", theirs.pk])
    assert admin_client.post(link).status_code == 404
    assert not Membership.objects.filter(user=theirs, office__slug="bone").exists()


def test_a_person_also_at_another_office_is_shown_but_not_changed(admin_client, make_user):
    both = make_user("dua.kantor", bone=["petugas"], bima=["petugas"])
    listed = admin_client.get(reverse("staff-list", args=["bone"])).content.decode()
    assert "dua.kantor" in listed and "diatur admin sistem" in listed
    page = admin_client.get(reverse("staff-detail", args=["bone", both.pk])).content.decode()
    assert "juga memegang peran di kantor lain" in page and "Beri peran" not in page
    grant = reverse("staff-role-grant", args=["bone", both.pk])
    response = admin_client.post(grant, {"role": "kadin"})
    assert response.status_code == 422 and "admin sistem" in response.content.decode()
    edit = reverse("staff-edit", args=["bone", both.pk])
    assert admin_client.post(edit, {"full_name": "Nama Lain"}).status_code == 422
    both.refresh_from_db()
    assert both.full_name == ""
    assert not Membership.objects.filter(user=both, role="kadin").exists()


def test_another_offices_admin_cannot_post_to_our_people(client, make_user, ani):
    client.force_login(make_user("admin.bima", bima=["admin"]))
    for office in ("bone", "bima"):
        grant = reverse("staff-role-grant", args=[office, ani.pk])
        assert client.post(grant, {"role": "kadin"}).status_code == 404
    assert not Membership.objects.filter(user=ani, role="kadin").exists()


def test_deactivating_ends_every_role_and_is_shown(admin_client, ani):
    response = admin_client.post(reverse("staff-deactivate", args=["bone", ani.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=ani, is_active=True).exists()
    page = admin_client.get(reverse("staff-list", args=["bone"])).content.decode()
    assert "Nonaktif" in page


def test_a_role_already_held_cannot_be_offered_twice(admin_client, ani):
    grant = reverse("staff-role-grant", args=["bone", ani.pk])
    response = admin_client.post(grant, {"role": "petugas"})
    assert response.status_code == 422
    assert Membership.objects.filter(user=ani).count() == 1


def test_the_details_are_corrected(admin_client, ani):
    edit = reverse("staff-edit", args=["bone", ani.pk])
    page = admin_client.get(edit).content.decode()
    assert "Pengelola Layanan Operasional" in page
    response = admin_client.post(
        edit, {"full_name": "Ani Rahmawati, S.Sos.", "nip": NIP, "position": "Analis"}
    )
    assert response.status_code == 302
    ani.refresh_from_db()
    assert ani.full_name == "Ani Rahmawati, S.Sos." and ani.phone == ""
    assert Membership.objects.get(user=ani).position == "Analis"
    bad = admin_client.post(edit, {"full_name": "Ani", "nip": "123"})
    assert bad.status_code == 422 and "18 digit" in bad.content.decode()


def test_a_new_link_voids_the_password_the_person_had(admin_client, make_user):
    person = make_user("petugas.bone", bone=["petugas"])
    response = admin_client.post(reverse("staff-password-link", args=["bone", person.pk]))
    assert response.status_code == 200
    assert "kata sandi lama sudah tidak berlaku" in response.content.decode()
    person.refresh_from_db()
    assert not person.has_usable_password()


# ---- Navigation and the import right -----------------------------------------------------


def test_the_staff_home_links_the_admin_to_the_staff_pages(admin_client):
    page = admin_client.get(reverse("staff-home")).content.decode()
    assert reverse("staff-list", args=["bone"]) in page


def test_the_staff_home_gives_others_no_staff_link(client, seeded, make_user):
    client.force_login(make_user("petugas.bone", bone=["petugas"]))
    page = client.get(reverse("staff-home")).content.decode()
    assert reverse("staff-list", args=["bone"]) not in page


def test_the_operator_may_open_the_register_import_and_the_petugas_may_not(
    client, seeded, make_user
):
    client.force_login(make_user("operator.bone", bone=["operator"]))
    assert client.get(reverse("registry-upload-new", args=["bone"])).status_code == 200
    home = client.get(reverse("staff-home")).content.decode()
    assert reverse("registry-upload-new", args=["bone"]) in home
    client.force_login(make_user("petugas.bone", bone=["petugas"]))
    response = client.get(reverse("registry-upload-new", args=["bone"]))
    assert response.status_code == 403


def test_the_list_reads_the_same_few_queries_however_many_people(admin_client, make_user):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("staff-list", args=["bone"])).status_code == 200
        return len(queries)

    make_user("satu.bone", bone=["petugas"])
    few = count()
    for n in range(8):
        make_user(f"orang{n}.bone", bone=["petugas", "kabid"])
    assert count() == few
