"""Reading offices, scoped to who asks."""

from collections.abc import Collection

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from layan.core.caching import ProcessCache
from layan.core.db import rows_prepared
from layan.core.errors import Refusal
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
