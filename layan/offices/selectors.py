"""Reading offices, scoped to who asks."""

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404

from layan.core.audit import audit_of
from layan.core.caching import ProcessCache
from layan.core.db import rows_prepared
from layan.core.errors import Refusal
from layan.core.models import AuditEvent, User
from layan.offices.models import Membership, Office, Role


def office_get_public(*, slug: str) -> Office:
    """An office by slug for the public pages, or 404."""
    return get_object_or_404(Office, slug=slug)


def offices_public() -> QuerySet[Office]:
    return Office.objects.order_by("name")


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True).select_related("office", "unit")


def offices_administered_by(user) -> QuerySet[Office]:
    """Offices whose configuration this user may change (all of them for a superuser)."""
    if user.is_superuser:
        return Office.objects.all()
    return Office.objects.filter(
        memberships__user=user, memberships__role=Role.ADMIN, memberships__is_active=True
    ).distinct()


def office_for_staff(user, slug: str, *, roles: Collection[str] | None = None) -> Office:
    """An office the signed-in user works at (optionally in one of `roles`).

    Another office's staff get 404 (the office's data is not theirs to know
    about); staff of this office without the needed role get 403.
    """
    memberships = memberships_of(user).filter(office__slug=slug)
    membership = memberships.first()
    if membership is None:
        raise Http404("Kantor tidak ditemukan.")
    if roles and not memberships.filter(role__in=roles).exists():
        labels = ", ".join(Role(role).label for role in sorted(roles))
        raise Refusal(f"Halaman ini hanya untuk {labels}.")
    return membership.office


# Offices change rarely and an API lookup needs one per request: the object is kept
# per process for OFFICE_CACHE_SECONDS.
OFFICE_CACHE_SECONDS = 60.0
_offices: ProcessCache[int, Office] = ProcessCache(OFFICE_CACHE_SECONDS)
# Which offices a user works at, kept OFFICE_IDS_CACHE_SECONDS for the API's choice of
# office only: whether they are staff of the office chosen is read fresh by every
# lookup itself, so a role taken away ends access at once.
OFFICE_IDS_CACHE_SECONDS = 10.0
_office_ids: ProcessCache[int, list[int]] = ProcessCache(OFFICE_IDS_CACHE_SECONDS)


def office_cache_clear() -> None:
    _offices.clear()
    _office_ids.clear()


def office_cached(pk: int) -> Office:
    return _offices.get(pk, lambda key: Office.objects.get(pk=key))


def office_ids_of(user_id: int) -> list[int]:
    """Ids of the offices where the user holds an active role (one indexed read)."""
    rows = rows_prepared(
        f"SELECT DISTINCT office_id FROM {Membership._meta.db_table} "
        "WHERE user_id = %(user)s AND is_active ORDER BY office_id",
        {"user": user_id},
    )
    return [row[0] for row in rows]


def office_ids_cached(user) -> list[int]:
    """office_ids_of, as read at most OFFICE_IDS_CACHE_SECONDS ago in this process."""
    return _office_ids.get(user.pk, office_ids_of)


# ---- Staff of an office ---------------------------------------------------------------

# The audit actions of accounts and roles (services.py writes them; the staff page reads them).
USER_CREATE = "user.create"
USER_UPDATE = "user.update"
USER_PASSWORD_LINK = "user.password_link"
MEMBERSHIP_GRANT = "membership.grant"
MEMBERSHIP_REVOKE = "membership.revoke"
MEMBERSHIP_DEACTIVATE = "membership.deactivate"
MEMBERSHIP_UPDATE = "membership.update"
STAFF_ACTIONS = {
    USER_CREATE: "Akun dibuat",
    USER_UPDATE: "Data pegawai diubah",
    USER_PASSWORD_LINK: "Tautan atur kata sandi dibuat",
    MEMBERSHIP_GRANT: "Peran diberikan",
    MEMBERSHIP_REVOKE: "Peran dicabut",
    MEMBERSHIP_DEACTIVATE: "Dinonaktifkan",
    MEMBERSHIP_UPDATE: "Bidang/jabatan diubah",
}


def users_in_scope(offices: QuerySet[Office] | Collection[Office]) -> QuerySet[User]:
    """The accounts an admin of `offices` may see and give roles to.

    Staff of these offices who hold no role (active or not) at any other office, and
    accounts with no role anywhere that were created at one of these offices. A
    person who works or worked at another office is that office's: moving someone
    between offices is the installation superuser's job. Superusers are never in scope.
    """
    roles = Membership.objects.filter(user=OuterRef("pk"))
    created_here = AuditEvent.objects.filter(
        action=USER_CREATE,
        target_type=User._meta.label_lower,
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
        office__in=offices,
    )
    return (
        get_user_model()
        .objects.filter(is_superuser=False)
        .exclude(Exists(roles.exclude(office__in=offices)))
        .filter(Exists(roles.filter(office__in=offices)) | (~Exists(roles) & Exists(created_here)))
    )


@dataclass(frozen=True)
class StaffRow:
    """One person on an office's staff list: their account and their roles there."""

    user: User
    memberships: list[Membership]
    # Whether this office's admin may change the person (see users_in_scope); someone
    # who also works at another office, or a superuser, is shown but not changed.
    managed: bool

    @property
    def active_roles(self) -> list[Membership]:
        return [m for m in self.memberships if m.is_active]

    @property
    def is_active(self) -> bool:
        return bool(self.active_roles)

    @property
    def position(self) -> str:
        return next((m.position for m in self.memberships if m.position), "")

    @property
    def unit(self):
        return next((m.unit for m in self.memberships if m.unit), None)


def _staff_rows(office: Office, users: QuerySet[User]) -> list[StaffRow]:
    """The office's people among `users`: anyone with a role row here, and its new accounts."""
    managed = users_in_scope([office])
    here = Membership.objects.filter(office=office)
    people = users.filter(
        Q(Exists(here.filter(user=OuterRef("pk")))) | Q(pk__in=managed.values("pk"))
    ).prefetch_related(
        Prefetch(
            "memberships", queryset=here.select_related("unit").order_by("role"), to_attr="here"
        )
    )
    managed_ids = set(managed.values_list("pk", flat=True))
    return [
        StaffRow(user=user, memberships=user.here, managed=user.pk in managed_ids)
        for user in people
    ]


def staff_of_office(office: Office) -> list[StaffRow]:
    """Everyone on the office's staff, active first, then by name."""
    rows = _staff_rows(office, get_user_model().objects.order_by("full_name", "username"))
    return sorted(rows, key=lambda row: not row.is_active)


def staff_member_get(office: Office, pk: int) -> StaffRow:
    """One person of the office's staff, or 404 (another office's people too)."""
    rows = _staff_rows(office, get_user_model().objects.filter(pk=pk))
    if not rows:
        raise Http404("Pegawai tidak ditemukan.")
    return rows[0]


def staff_history(office: Office, user: User) -> list[AuditEvent]:
    """A person's account and role changes at this office, oldest first."""
    return list(audit_of(user).filter(office=office))
