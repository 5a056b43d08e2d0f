"""The staff services: accounts made by an office admin, roles given and taken, all recorded."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied

from layan.core.audit import audit_of
from layan.core.nip import nip_clean, nip_problem
from layan.offices.models import Membership, Office, Role
from layan.offices.rights import Right, may
from layan.offices.selectors import staff_history, staff_of_office, users_in_scope
from layan.offices.services import (
    StaffDetails,
    StaffError,
    membership_deactivate,
    role_grant,
    role_revoke,
    staff_create,
    staff_password_link,
    staff_update,
)

NIP = "198503122010011004"  # born 12 March 1985, TMT January 2010, man, number 4


@pytest.fixture
def bone(seeded):
    return Office.objects.get(slug="bone")


@pytest.fixture
def bone_admin(make_user):
    return make_user("admin.bone", bone=["admin"])


def _create(office, actor, username="ani", roles=("petugas",), **details):
    details.setdefault("full_name", "Ani Rahmawati")
    return staff_create(
        office=office,
        actor=actor,
        username=username,
        details=StaffDetails(**details),
        roles=list(roles),
    )


# ---- NIP ---------------------------------------------------------------------------------


def test_a_nip_written_in_groups_is_its_digits():
    assert nip_clean("19850312 201001 1 004") == NIP
    assert nip_problem(NIP) is None


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("19850312201001100", "18 digit"),
        ("1985031220100110O4", "18 digit"),
        ("198502302010011004", "tanggal lahir"),
        ("198503122010131004", "bulan TMT"),
        ("198503121984011004", "sesudah tanggal lahir"),
        ("198503122010013004", "jenis kelamin"),
        ("198503122010011000", "nomor urut"),
    ],
)
def test_a_nip_out_of_shape_says_which_part(nip, reason):
    problem = nip_problem(nip)
    assert problem is not None and reason in problem


# ---- Creating accounts -------------------------------------------------------------------


def test_admin_creates_an_account_with_roles_and_no_password(bone, bone_admin):
    user = _create(
        bone, bone_admin, username="Ani.Loket", nip=NIP, email="ani@bone.go.id",
        phone="+6281234567890", position="Pengelola Layanan", roles=["petugas", "operator"],
    )  # fmt: skip
    assert user.username == "ani.loket"  # stored lowercased
    assert not user.has_usable_password()
    assert (user.full_name, user.nip, user.email) == ("Ani Rahmawati", NIP, "ani@bone.go.id")
    roles = Membership.objects.filter(user=user, office=bone, is_active=True)
    assert sorted(roles.values_list("role", flat=True)) == ["operator", "petugas"]
    assert set(roles.values_list("position", flat=True)) == {"Pengelola Layanan"}
    actions = [event.action for event in audit_of(user)]
    assert actions == ["user.create", "membership.grant", "membership.grant"]
    assert all(event.actor == bone_admin and event.office == bone for event in audit_of(user))


def test_a_username_differing_only_by_case_is_taken(bone, bone_admin):
    _create(bone, bone_admin, username="ani")
    with pytest.raises(StaffError, match="sudah dipakai") as refused:
        _create(bone, bone_admin, username="ANI", full_name="Ani Lain")
    assert refused.value.field == "username"
    assert get_user_model().objects.filter(username__iexact="ani").count() == 1


def test_a_nip_already_held_is_refused_without_naming_its_holder(bone, bone_admin, make_user):
    other = make_user("orang.bima", bima=["petugas"])
    other.nip = NIP
    other.save()
    with pytest.raises(StaffError, match="sudah terdaftar pada akun lain") as refused:
        _create(bone, bone_admin, nip=NIP)
    assert "orang.bima" not in str(refused.value)
    assert not get_user_model().objects.filter(username="ani").exists()


def test_a_bad_nip_and_no_role_are_refused_and_nothing_is_written(bone, bone_admin):
    with pytest.raises(StaffError, match="NIP"):
        _create(bone, bone_admin, nip="198503122010013004")
    with pytest.raises(StaffError, match="sedikitnya satu peran"):
        _create(bone, bone_admin, roles=[])
    assert not get_user_model().objects.filter(username="ani").exists()


def test_only_an_admin_of_the_office_creates_accounts(bone, make_user):
    petugas = make_user("petugas.bone", bone=["petugas"])
    bima_admin = make_user("admin.bima", bima=["admin"])
    for actor in (petugas, bima_admin):
        with pytest.raises(PermissionDenied):
            _create(bone, actor)
    assert not get_user_model().objects.filter(username="ani").exists()


def test_the_admin_role_brings_the_django_admin_and_losing_it_takes_it(bone, bone_admin):
    user = _create(bone, bone_admin, roles=["admin"])
    assert user.is_staff
    role_revoke(office=bone, actor=bone_admin, user=user, role="admin")
    user.refresh_from_db()
    assert not user.is_staff


# ---- Giving and taking roles -------------------------------------------------------------


def test_grant_and_revoke_are_recorded_with_before_and_after(bone, bone_admin):
    user = _create(bone, bone_admin)
    role_grant(office=bone, actor=bone_admin, user=user, role="kabid")
    assert may(user, bone, Right.ACT)
    role_revoke(office=bone, actor=bone_admin, user=user, role="kabid")
    assert not Membership.objects.get(user=user, role="kabid").is_active  # the row stays
    role_grant(office=bone, actor=bone_admin, user=user, role="kabid")  # the old row again
    events = [(e.action, e.before, e.after) for e in staff_history(bone, user)][-3:]
    assert events == [
        ("membership.grant", {}, {"role": "kabid", "active": True}),
        (
            "membership.revoke",
            {"role": "kabid", "active": True},
            {"role": "kabid", "active": False},
        ),
        ("membership.grant", {"role": "kabid", "active": False}, {"role": "kabid", "active": True}),
    ]


def test_a_role_already_held_or_not_held_says_so(bone, bone_admin):
    user = _create(bone, bone_admin)
    with pytest.raises(StaffError, match="sudah memegang peran Petugas layanan"):
        role_grant(office=bone, actor=bone_admin, user=user, role="petugas")
    with pytest.raises(StaffError, match="tidak memegang peran Kepala dinas"):
        role_revoke(office=bone, actor=bone_admin, user=user, role="kadin")


def test_nobody_grants_or_changes_their_own_roles(bone, bone_admin):
    for change in (role_grant, role_revoke):
        with pytest.raises(StaffError, match="peran Anda sendiri"):
            change(office=bone, actor=bone_admin, user=bone_admin, role="kadin")
    with pytest.raises(StaffError, match="peran Anda sendiri"):
        membership_deactivate(office=bone, actor=bone_admin, user=bone_admin)
    assert set(Membership.objects.filter(user=bone_admin).values_list("role", flat=True)) == {
        "admin"
    }
    assert not audit_of(bone_admin).exists()


def test_a_user_of_another_office_cannot_be_attached(bone, bone_admin, make_user):
    bima_petugas = make_user("petugas.bima", bima=["petugas"])
    with pytest.raises(StaffError, match="kantor lain") as refused:
        role_grant(office=bone, actor=bone_admin, user=bima_petugas, role="petugas")
    assert refused.value.field == "user"
    assert not Membership.objects.filter(user=bima_petugas, office__slug="bone").exists()
    # Nor someone who once worked there: their history is that office's.
    Membership.objects.filter(user=bima_petugas).update(is_active=False)
    with pytest.raises(StaffError, match="kantor lain"):
        role_grant(office=bone, actor=bone_admin, user=bima_petugas, role="petugas")


def test_another_offices_admin_cannot_change_our_staff(bone, bone_admin, make_user):
    user = _create(bone, bone_admin)
    bima_admin = make_user("admin.bima", bima=["admin"])
    with pytest.raises(PermissionDenied):
        role_grant(office=bone, actor=bima_admin, user=user, role="kadin")
    bima = Office.objects.get(slug="bima")
    with pytest.raises(StaffError, match="kantor lain"):
        role_grant(office=bima, actor=bima_admin, user=user, role="kadin")
    assert not Membership.objects.filter(user=user, role="kadin").exists()


def test_a_superuser_is_never_in_an_admins_scope(bone, bone_admin):
    root = get_user_model().objects.create_superuser("root", password="akar-panjang-123")
    Membership.objects.create(user=root, office=bone, role=Role.ADMIN)
    assert root not in users_in_scope([bone])
    with pytest.raises(StaffError):
        role_revoke(office=bone, actor=bone_admin, user=root, role="admin")


def test_the_scope_holds_our_staff_and_our_new_accounts_only(bone, bone_admin, make_user):
    ours = make_user("petugas.bone", bone=["petugas"])
    both = make_user("dua.kantor", bone=["petugas"], bima=["petugas"])
    theirs = make_user("petugas.bima", bima=["petugas"])
    stray = make_user("tanpa.kantor")  # no role anywhere, not made by Bone
    new = _create(bone, bone_admin, roles=["petugas"])
    role_revoke(office=bone, actor=bone_admin, user=new, role="petugas")
    scope = set(users_in_scope([bone]))
    assert {ours, new, bone_admin} <= scope
    assert not {both, theirs, stray} & scope
    # The list shows everyone with a role here; those also at another office read-only.
    listed = {row.user: row.managed for row in staff_of_office(bone)}
    assert listed == {ours: True, new: True, bone_admin: True, both: False}


def test_deactivating_ends_every_role_at_the_office(bone, bone_admin):
    user = _create(bone, bone_admin, roles=["petugas", "kabid"])
    assert membership_deactivate(office=bone, actor=bone_admin, user=user) == ["kabid", "petugas"]
    assert not Membership.objects.filter(user=user, is_active=True).exists()
    last = staff_history(bone, user)[-1]
    assert (last.action, last.before, last.after) == (
        "membership.deactivate",
        {"roles": ["kabid", "petugas"]},
        {"roles": []},
    )
    with pytest.raises(StaffError, match="sudah tidak aktif"):
        membership_deactivate(office=bone, actor=bone_admin, user=user)


def test_details_are_corrected_and_the_change_recorded(bone, bone_admin):
    user = _create(bone, bone_admin, position="Staf")
    staff_update(
        office=bone, actor=bone_admin, user=user,
        details=StaffDetails(full_name="Ani Rahmawati, S.Sos.", nip=NIP, position="Staf"),
    )  # fmt: skip
    user.refresh_from_db()
    assert user.full_name == "Ani Rahmawati, S.Sos." and user.nip == NIP
    last = staff_history(bone, user)[-1]
    assert last.action == "user.update"
    assert last.before == {"full_name": "Ani Rahmawati", "nip": ""}
    assert last.after == {"full_name": "Ani Rahmawati, S.Sos.", "nip": NIP}


# ---- The set-password link ---------------------------------------------------------------


def test_the_link_is_for_one_use_and_a_reset_voids_the_old_password(bone, bone_admin, make_user):
    user = make_user("petugas.bone", bone=["petugas"])
    assert user.has_usable_password()
    link = staff_password_link(office=bone, actor=bone_admin, user=user)
    user.refresh_from_db()
    assert not user.has_usable_password()  # the owner notices: the old one stops working
    assert default_token_generator.check_token(user, link.token)
    user.set_password("kata-sandi-baru-2026")
    user.save()
    assert not default_token_generator.check_token(user, link.token)
    assert audit_of(user).last().action == "user.password_link"


def test_no_link_for_oneself_or_another_offices_staff(bone, bone_admin, make_user):
    with pytest.raises(StaffError):
        staff_password_link(office=bone, actor=bone_admin, user=bone_admin)
    theirs = make_user("petugas.bima", bima=["petugas"])
    with pytest.raises(StaffError):
        staff_password_link(office=bone, actor=bone_admin, user=theirs)
    theirs.refresh_from_db()
    assert theirs.has_usable_password()


def test_a_newer_link_voids_the_older_one(bone, bone_admin):
    user = _create(bone, bone_admin)
    first = staff_password_link(office=bone, actor=bone_admin, user=user)
    second = staff_password_link(office=bone, actor=bone_admin, user=user)
    user.refresh_from_db()
    assert not default_token_generator.check_token(user, first.token)
    assert default_token_generator.check_token(user, second.token)
