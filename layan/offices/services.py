"""Creating and updating offices from their seed files; an office's staff and their roles."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pydantic import BaseModel, ConfigDict, Field

from layan.core.audit import audit_record
from layan.core.models import User
from layan.core.nip import nip_problem
from layan.offices.models import (
    Acting,
    ComplaintChannel,
    ContactOfficer,
    CutiBersama,
    Membership,
    Office,
    Role,
    Unit,
)
from layan.offices.rights import Right, require
from layan.offices.selectors import (
    MEMBERSHIP_DEACTIVATE,
    MEMBERSHIP_GRANT,
    MEMBERSHIP_REVOKE,
    MEMBERSHIP_UPDATE,
    USER_CREATE,
    USER_PASSWORD_LINK,
    USER_UPDATE,
    users_in_scope,
)


class _Seed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HeadSeed(_Seed):
    title: str = ""
    name: str = ""
    nip: str = ""
    acting: Acting = Acting.DEFINITIVE


class UnitSeed(_Seed):
    name: str
    short_name: str = ""
    children: list["UnitSeed"] = []


class ChannelSeed(_Seed):
    kind: str
    label: str
    value: str = ""
    url: str = ""


class OfficerSeed(_Seed):
    name: str
    duty: str = ""
    phone: str = ""


class OfficeSeed(_Seed):
    """The seed file of one office (layan/offices/seed/<slug>.yaml)."""

    slug: str
    name: str
    short_name: str = ""
    government: str
    region_code: str
    region_name: str
    province_name: str = ""
    time_zone: str
    address: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    social_accounts: list[dict[str, str]] = []
    letterhead: dict = {}
    head: HeadSeed = HeadSeed()
    maklumat: str = ""
    complaints_note: str = ""
    # Where applicants are served, in the seed's own words; left out where it says nothing.
    counter_location: str = ""
    units: list[UnitSeed] = []
    channels: list[ChannelSeed] = []
    officers: list[OfficerSeed] = Field(default_factory=list)


# PermenPANRB 15/2014, Lampiran: the standard wording of a maklumat pelayanan.
DEFAULT_MAKLUMAT = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
    "pelayanan yang telah ditetapkan dan apabila tidak menepati janji ini, kami siap "
    "menerima sanksi sesuai peraturan perundang-undangan yang berlaku."
)


def _units_save(office: Office, units: list[UnitSeed], parent: Unit | None = None) -> None:
    for seed in units:
        unit, _ = Unit.objects.update_or_create(
            office=office,
            name=seed.name,
            defaults={"short_name": seed.short_name, "parent": parent},
        )
        _units_save(office, seed.children, unit)


@transaction.atomic
def office_load_seed(*, path: Path) -> Office:
    """Create or update one office, its units, channels and officers from a seed file."""
    seed = OfficeSeed.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    office, _ = Office.objects.update_or_create(
        slug=seed.slug,
        defaults={
            "name": seed.name,
            "short_name": seed.short_name,
            "government": seed.government,
            "region_code": seed.region_code,
            "region_name": seed.region_name,
            "province_name": seed.province_name,
            "time_zone": seed.time_zone,
            "address": seed.address,
            "postal_code": seed.postal_code,
            "phone": seed.phone,
            "email": seed.email,
            "website": seed.website,
            "social_accounts": seed.social_accounts,
            "letterhead": seed.letterhead,
            "head_title": seed.head.title,
            "head_name": seed.head.name,
            "head_nip": seed.head.nip,
            "head_acting": seed.head.acting,
            "maklumat": seed.maklumat or DEFAULT_MAKLUMAT,
            "complaints_note": seed.complaints_note,
            "counter_location": seed.counter_location,
        },
    )
    office.full_clean()
    _units_save(office, seed.units)
    # Channels and officers are lists in the seed: replace them as a whole.
    office.channels.all().delete()
    ComplaintChannel.objects.bulk_create(
        ComplaintChannel(office=office, order=i, **c.model_dump())
        for i, c in enumerate(seed.channels)
    )
    office.officers.all().delete()
    ContactOfficer.objects.bulk_create(
        ContactOfficer(office=office, order=i, **o.model_dump())
        for i, o in enumerate(seed.officers)
    )
    return office


class CutiBersamaDaySeed(_Seed):
    date: date
    name: str = Field(min_length=1, max_length=200)
    decree: str = Field(default="", max_length=300)


class CutiBersamaSeed(_Seed):
    """The national cuti bersama file (layan/offices/seed/calendar/cuti_bersama.yaml)."""

    days: list[CutiBersamaDaySeed]


CUTI_BERSAMA_SEED = Path(__file__).resolve().parent / "seed" / "calendar" / "cuti_bersama.yaml"


@transaction.atomic
def cuti_bersama_load(*, path: Path = CUTI_BERSAMA_SEED) -> int:
    """Create or update the national cuti bersama days of a seed file; returns how many."""
    seed = CutiBersamaSeed.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    for day in seed.days:
        CutiBersama.objects.update_or_create(
            date=day.date, office=None, defaults={"name": day.name, "decree": day.decree}
        )
    return len(seed.days)


# ---- Staff of an office ---------------------------------------------------------------
#
# An office admin creates accounts and gives roles at their own office only. Every change
# is written to the audit log in its transaction, with the person's account as the target,
# so one read (`staff_history`) gives the whole story of a person at an office.


class StaffError(Exception):
    """A staff change that breaks a rule (HTTP 422); `field` names the input at fault."""

    def __init__(self, message: str, *, field: str = "") -> None:
        self.field = field
        super().__init__(message)


SELF_REFUSAL = (
    "Anda tidak dapat memberi, mencabut atau mengubah peran Anda sendiri; "
    "mintalah admin kantor lain atau admin sistem."
)
OUT_OF_SCOPE = (
    "Akun ini memegang peran di kantor lain (atau adalah admin sistem). "
    "Pemindahan pegawai antarkantor dilakukan oleh admin sistem."
)


def _manager_check(*, actor: User, office: Office) -> None:
    """PermissionDenied (403) unless the actor may manage the office's staff."""
    if not actor.is_superuser:
        require(actor, office, Right.STAFF)


def _target_check(*, actor: User, office: Office, user: User) -> None:
    """StaffError unless the actor may change this person's roles at the office.

    Nobody changes their own roles: an admin who could would make themselves kadin
    and sign letters. The installation's superuser alone is exempt.
    """
    if actor.is_superuser:
        return
    if user.pk == actor.pk:
        raise StaffError(SELF_REFUSAL, field="user")
    if not users_in_scope([office]).filter(pk=user.pk).exists():
        raise StaffError(OUT_OF_SCOPE, field="user")


def membership_check(*, actor: User, office: Office, user: User) -> None:
    """Both checks, for forms that want the refusal before they save (the Django admin)."""
    _manager_check(actor=actor, office=office)
    _target_check(actor=actor, office=office, user=user)


def _role_of(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise StaffError(f"Peran '{role}' tidak dikenal.", field="role") from None


def _unit_check(office: Office, unit: Unit | None) -> None:
    if unit is not None and unit.office_id != office.pk:
        raise StaffError("Bidang ini milik kantor lain.", field="unit")


def _admin_flag_sync(user: User) -> None:
    """Office admins use the Django admin for the office's settings: is_staff follows the role."""
    if user.is_superuser:
        return
    is_admin = Membership.objects.filter(user=user, role=Role.ADMIN, is_active=True).exists()
    if user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])


def _role_record(membership: Membership, *, active: bool) -> dict:
    return {"role": membership.role, "active": active}


def _grant(
    *, office: Office, actor: User, user: User, role: Role, unit, position: str
) -> Membership:
    membership = (
        Membership.objects.select_for_update().filter(user=user, office=office, role=role).first()
    )
    if membership is not None and membership.is_active:
        raise StaffError(f"{user} sudah memegang peran {role.label}.", field="role")
    if membership is None:
        # The person's unit and jabatan at the office carry over to the new role.
        current = Membership.objects.filter(user=user, office=office).order_by("-is_active").first()
        membership = Membership.objects.create(
            user=user,
            office=office,
            role=role,
            unit=unit if unit is not None else (current.unit if current else None),
            position=position or (current.position if current else ""),
        )
        before: dict = {}
    else:
        before = _role_record(membership, active=False)
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit_record(
        office=office,
        actor=actor,
        action=MEMBERSHIP_GRANT,
        target=user,
        summary=f"{role.label} diberikan kepada {user}",
        before=before,
        after=_role_record(membership, active=True),
    )
    return membership


@transaction.atomic
def role_grant(
    *,
    office: Office,
    actor: User,
    user: User,
    role: str,
    unit: Unit | None = None,
    position: str = "",
) -> Membership:
    """Give a person a role at the office (a new row, or their old one made active again)."""
    _manager_check(actor=actor, office=office)
    _target_check(actor=actor, office=office, user=user)
    _unit_check(office, unit)
    membership = _grant(
        office=office, actor=actor, user=user, role=_role_of(role), unit=unit, position=position
    )
    _admin_flag_sync(user)
    return membership


@transaction.atomic
def role_revoke(*, office: Office, actor: User, user: User, role: str) -> Membership:
    """Take one role from a person at the office; the row stays, inactive, as the record."""
    _manager_check(actor=actor, office=office)
    _target_check(actor=actor, office=office, user=user)
    held = _role_of(role)
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, office=office, role=held, is_active=True)
        .first()
    )
    if membership is None:
        raise StaffError(f"{user} tidak memegang peran {held.label}.", field="role")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        office=office,
        actor=actor,
        action=MEMBERSHIP_REVOKE,
        target=user,
        summary=f"{held.label} dicabut dari {user}",
        before=_role_record(membership, active=True),
        after=_role_record(membership, active=False),
    )
    _admin_flag_sync(user)
    return membership


@transaction.atomic
def membership_deactivate(*, office: Office, actor: User, user: User) -> list[str]:
    """End all of a person's roles at the office (they left, or are suspended); returns them."""
    _manager_check(actor=actor, office=office)
    _target_check(actor=actor, office=office, user=user)
    active = Membership.objects.select_for_update().filter(user=user, office=office, is_active=True)
    roles = sorted(active.values_list("role", flat=True))
    if not roles:
        raise StaffError(f"{user} sudah tidak aktif di kantor ini.")
    active.update(is_active=False)
    audit_record(
        office=office,
        actor=actor,
        action=MEMBERSHIP_DEACTIVATE,
        target=user,
        summary=f"{user} dinonaktifkan",
        before={"roles": roles},
        after={"roles": []},
    )
    _admin_flag_sync(user)
    return roles


@transaction.atomic
def membership_update(
    *, actor: User, membership: Membership, unit: Unit | None, position: str, is_active: bool
) -> Membership:
    """Change a role row's unit, jabatan or state (the Django admin's change form)."""
    office, user = membership.office, membership.user
    _manager_check(actor=actor, office=office)
    _target_check(actor=actor, office=office, user=user)
    _unit_check(office, unit)
    # The admin's form has already written its values onto `membership`: compare with the row.
    stored = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=membership.pk)
    )
    if is_active != stored.is_active:
        role_change = role_grant if is_active else role_revoke
        role_change(office=office, actor=actor, user=user, role=stored.role)
    before = {"unit": stored.unit.name if stored.unit else "", "position": stored.position}
    after = {"unit": unit.name if unit else "", "position": position}
    if before != after:
        Membership.objects.filter(pk=membership.pk).update(unit=unit, position=position)
        audit_record(
            office=office,
            actor=actor,
            action=MEMBERSHIP_UPDATE,
            target=user,
            summary=f"Bidang/jabatan {user} diubah",
            before=before,
            after=after,
        )
    membership.refresh_from_db()
    return membership


@transaction.atomic
def membership_delete(*, actor: User, membership: Membership) -> None:
    """Delete a role row outright: the installation superuser only (admins deactivate)."""
    if not actor.is_superuser:
        raise StaffError("Hanya admin sistem yang dapat menghapus peran; nonaktifkan saja.")
    audit_record(
        office=membership.office,
        actor=actor,
        action=MEMBERSHIP_REVOKE,
        target=membership.user,
        summary=f"{membership.get_role_display()} dihapus dari {membership.user}",
        before=_role_record(membership, active=membership.is_active),
        after={},
    )
    user = membership.user
    membership.delete()
    _admin_flag_sync(user)


@dataclass(frozen=True)
class StaffDetails:
    """What an admin writes about a person: their account fields and their post at the office."""

    full_name: str
    nip: str = ""
    email: str = ""
    phone: str = ""
    position: str = ""
    unit: Unit | None = None


def _details_check(office: Office, details: StaffDetails, *, user: User | None = None) -> None:
    if not details.full_name.strip():
        raise StaffError("Nama lengkap wajib diisi.", field="full_name")
    if details.nip:
        problem = nip_problem(details.nip)
        if problem:
            raise StaffError(f"NIP: {problem}.", field="nip")
        others = get_user_model().objects.filter(nip=details.nip)
        if user is not None:
            others = others.exclude(pk=user.pk)
        if others.exists():
            # Whose it is stays unsaid: the other account may be at another office.
            raise StaffError("NIP ini sudah terdaftar pada akun lain.", field="nip")
    _unit_check(office, details.unit)


def username_taken(username: str) -> bool:
    """Sign-in ignores case, so 'Ani' and 'ani' would be one name: taken in any case."""
    return get_user_model().objects.filter(username__iexact=username).exists()


@transaction.atomic
def staff_create(
    *, office: Office, actor: User, username: str, details: StaffDetails, roles: list[str]
) -> User:
    """A new account for the office, with its roles and no password yet.

    The account cannot sign in until its owner sets a password through the one-time
    link of `staff_password_link`: the admin never knows it, and nobody uses a
    password that was printed or sent in a chat.
    """
    _manager_check(actor=actor, office=office)
    username = username.strip().lower()
    if not username:
        raise StaffError("Nama pengguna wajib diisi.", field="username")
    if username_taken(username):
        raise StaffError(
            f"Nama pengguna '{username}' sudah dipakai (huruf besar dan kecil tidak dibedakan).",
            field="username",
        )
    _details_check(office, details)
    if not roles:
        raise StaffError("Pilih sedikitnya satu peran.", field="roles")
    held = [_role_of(role) for role in roles]
    user = get_user_model()(
        username=username,
        full_name=details.full_name.strip(),
        nip=details.nip,
        email=details.email,
        phone=details.phone,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name saved a moment ago by someone else
        raise StaffError(f"Nama pengguna '{username}' sudah dipakai.", field="username") from None
    audit_record(
        office=office,
        actor=actor,
        action=USER_CREATE,
        target=user,
        summary=f"Akun {username} dibuat untuk {user}",
        after={
            "username": username,
            "full_name": user.full_name,
            "nip": user.nip,
            "email": user.email,
            "phone": user.phone,
        },
    )
    for role in held:
        _grant(
            office=office,
            actor=actor,
            user=user,
            role=role,
            unit=details.unit,
            position=details.position,
        )
    _admin_flag_sync(user)
    return user


@transaction.atomic
def staff_update(*, office: Office, actor: User, user: User, details: StaffDetails) -> User:
    """Correct a person's name, NIP, contacts, unit and jabatan at the office."""
    _manager_check(actor=actor, office=office)
    if not actor.is_superuser and not users_in_scope([office]).filter(pk=user.pk).exists():
        raise StaffError(OUT_OF_SCOPE, field="user")
    _details_check(office, details, user=user)
    fields = {
        "full_name": details.full_name.strip(),
        "nip": details.nip,
        "email": details.email,
        "phone": details.phone,
    }
    before = {
        name: getattr(user, name) for name, value in fields.items() if getattr(user, name) != value
    }
    after = {name: fields[name] for name in before}
    for name, value in after.items():
        setattr(user, name, value)
    if after:
        user.save(update_fields=list(after))
    rows = Membership.objects.filter(user=user, office=office)
    current = rows.select_related("unit").first()
    post_before = {
        "unit": current.unit.name if current and current.unit else "",
        "position": current.position if current else "",
    }
    post_after = {"unit": details.unit.name if details.unit else "", "position": details.position}
    if post_before != post_after:
        rows.update(unit=details.unit, position=details.position)
        before |= post_before
        after |= post_after
    if after:
        audit_record(
            office=office,
            actor=actor,
            action=USER_UPDATE,
            target=user,
            summary=f"Data {user} diubah",
            before=before,
            after=after,
        )
    return user


@dataclass(frozen=True)
class PasswordLink:
    """The parts of a one-time set-password link (Django's password-reset token)."""

    uidb64: str
    token: str


@transaction.atomic
def staff_password_link(*, office: Office, actor: User, user: User) -> PasswordLink:
    """A one-time link with which the person sets their own password.

    The token is Django's password-reset token: it stops working once a password is
    set, when a newer link is made, and after settings.PASSWORD_RESET_TIMEOUT. A person
    who already has a password loses it here, so a reset by the admin never goes
    unnoticed by its owner.
    """
    _manager_check(actor=actor, office=office)
    _target_check(actor=actor, office=office, user=user)
    if user.has_usable_password():
        state = {"password": "diatur ulang; kata sandi lama tidak berlaku"}
    else:
        state = {"password": "belum diatur"}
    # A fresh unusable password also voids every link made before this one.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(
        office=office,
        actor=actor,
        action=USER_PASSWORD_LINK,
        target=user,
        summary=f"Tautan atur kata sandi untuk {user}",
        after=state,
    )
    return PasswordLink(
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
