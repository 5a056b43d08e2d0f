"""Staff pages of an office under /staf/<office>/pegawai/: the office admin's list of staff,
new accounts, a person's roles and their history.

Every view asks `office_for_staff` for the STAFF right: another office's staff get 404,
staff without the right 403, anonymous visitors are sent to sign in. A person outside
the admin's scope (staff of another office, a superuser) is 404 like any unknown id.
Writes go through the staff services, which refuse changes to one's own roles; a
refusal comes back next to the field it names (422).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from layan.core.http import StaffRequest
from layan.core.models import AuditEvent, User
from layan.offices.forms import RoleGrantForm, StaffCreateForm, StaffDetailsForm
from layan.offices.models import Office, Role
from layan.offices.rights import Right, roles_with
from layan.offices.selectors import (
    MEMBERSHIP_DEACTIVATE,
    MEMBERSHIP_GRANT,
    MEMBERSHIP_REVOKE,
    STAFF_ACTIONS,
    USER_CREATE,
    StaffRow,
    office_for_staff,
    staff_history,
    staff_member_get,
    staff_of_office,
)
from layan.offices.services import (
    PasswordLink,
    StaffError,
    membership_deactivate,
    role_grant,
    role_revoke,
    staff_create,
    staff_password_link,
    staff_update,
)


def _office_of(request: StaffRequest, office: str) -> Office:
    return office_for_staff(request.user, office, roles=roles_with(Right.STAFF))


@login_required
def staff_list(request: StaffRequest, office: str) -> HttpResponse:
    """Everyone on the office's staff: name, NIP, jabatan, roles and whether active."""
    office_obj = _office_of(request, office)
    context = {"office": office_obj, "rows": staff_of_office(office_obj)}
    return render(request, "offices/staff_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: StaffRequest, office: str) -> HttpResponse:
    """A new account with its roles; the answer is the one-time link to hand over."""
    office_obj = _office_of(request, office)
    form = StaffCreateForm(request.POST or None, office=office_obj)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_create(
                office=office_obj,
                actor=request.user,
                username=form.cleaned_data["username"],
                details=form.details(),
                roles=form.cleaned_data["roles"],
            )
        except StaffError as refused:
            form.add_staff_error(refused.field, str(refused))
        else:
            link = staff_password_link(office=office_obj, actor=request.user, user=user)
            return _handover(request, office_obj, user, link, created=True)
    status = 422 if form.errors else 200
    return render(
        request, "offices/staff_new.html", {"office": office_obj, "form": form}, status=status
    )


def _handover(
    request: StaffRequest, office: Office, user: User, link: PasswordLink, *, created: bool
) -> HttpResponse:
    """The page with the set-password link, shown once: never cached, never in history."""
    path = reverse("password-set", args=[link.uidb64, link.token])
    context = {
        "office": office,
        "person": user,
        "created": created,
        "link": request.build_absolute_uri(path),
        "valid_until": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    }
    response = render(request, "offices/staff_handover.html", context)
    add_never_cache_headers(response)
    return response


# ---- One person ---------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    """One change of a person's account or roles, as the staff page tells it."""

    at: datetime
    actor: str
    action: str
    detail: str


def _role_label(value: str) -> str:
    return Role(value).label if value in Role.values else value


def _history_detail(event: AuditEvent) -> str:
    if event.action in (MEMBERSHIP_GRANT, MEMBERSHIP_REVOKE):
        return _role_label((event.after or event.before).get("role", ""))
    if event.action == MEMBERSHIP_DEACTIVATE:
        return ", ".join(_role_label(role) for role in event.before.get("roles", []))
    if event.action == USER_CREATE:
        return f"nama pengguna {event.after.get('username', '')}"
    changed = [
        f"{FIELD_LABELS.get(name, name)}: {event.before.get(name) or '—'} → {value or '—'}"
        for name, value in event.after.items()
        if name in event.before
    ]
    return "; ".join(changed) or str(next(iter(event.after.values()), ""))


FIELD_LABELS = {
    "full_name": "nama lengkap",
    "nip": "NIP",
    "email": "email",
    "phone": "telepon",
    "unit": "bidang",
    "position": "jabatan",
}


def _history(office: Office, user: User) -> list[HistoryLine]:
    return [
        HistoryLine(
            at=event.at,
            actor=event.actor.name_with_nip if event.actor else "sistem",
            action=STAFF_ACTIONS.get(event.action, event.action),
            detail=_history_detail(event),
        )
        for event in staff_history(office, user)
    ]


def _person_page(
    request: StaffRequest,
    office: Office,
    row: StaffRow,
    *,
    grant: RoleGrantForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    held = {m.role for m in row.active_roles}
    context = {
        "office": office,
        "row": row,
        "person": row.user,
        "is_self": row.user.pk == request.user.pk,
        "grant": grant or RoleGrantForm(held=held),
        "error": error,
        "history": _history(office, row.user),
    }
    return render(request, "offices/staff_detail.html", context, status=status)


@login_required
def staff_detail(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """A person: their details, roles to give or take, and the history of their roles."""
    office_obj = _office_of(request, office)
    return _person_page(request, office_obj, staff_member_get(office_obj, pk))


def _done(request: StaffRequest, office: Office, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("staff-detail", office.slug, pk)


@login_required
@require_POST
def staff_role_grant(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    office_obj = _office_of(request, office)
    row = staff_member_get(office_obj, pk)
    form = RoleGrantForm(request.POST, held={m.role for m in row.active_roles})
    if not form.is_valid():
        return _person_page(request, office_obj, row, grant=form, status=422)
    role = form.cleaned_data["role"]
    try:
        role_grant(office=office_obj, actor=request.user, user=row.user, role=role)
    except StaffError as refused:
        return _person_page(request, office_obj, row, error=str(refused), status=422)
    return _done(request, office_obj, pk, f"Peran {_role_label(role)} diberikan.")


@login_required
@require_POST
def staff_role_revoke(request: StaffRequest, office: str, pk: int, role: str) -> HttpResponse:
    office_obj = _office_of(request, office)
    row = staff_member_get(office_obj, pk)
    try:
        role_revoke(office=office_obj, actor=request.user, user=row.user, role=role)
    except StaffError as refused:
        return _person_page(request, office_obj, row, error=str(refused), status=422)
    return _done(request, office_obj, pk, f"Peran {_role_label(role)} dicabut.")


@login_required
@require_POST
def staff_deactivate(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    office_obj = _office_of(request, office)
    row = staff_member_get(office_obj, pk)
    try:
        membership_deactivate(office=office_obj, actor=request.user, user=row.user)
    except StaffError as refused:
        return _person_page(request, office_obj, row, error=str(refused), status=422)
    return _done(request, office_obj, pk, f"{row.user} dinonaktifkan di kantor ini.")


@login_required
@require_POST
def staff_link(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """A new one-time link (a forgotten password too): the old password stops working."""
    office_obj = _office_of(request, office)
    row = staff_member_get(office_obj, pk)
    try:
        link = staff_password_link(office=office_obj, actor=request.user, user=row.user)
    except StaffError as refused:
        return _person_page(request, office_obj, row, error=str(refused), status=422)
    return _handover(request, office_obj, row.user, link, created=False)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """Correct a person's name, NIP, contacts, unit and jabatan."""
    office_obj = _office_of(request, office)
    row = staff_member_get(office_obj, pk)
    person = row.user
    initial = {
        "full_name": person.full_name,
        "nip": person.nip,
        "email": person.email,
        "phone": person.phone,
        "position": row.position,
        "unit": row.unit,
    }
    form = StaffDetailsForm(request.POST or None, office=office_obj, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            staff_update(office=office_obj, actor=request.user, user=person, details=form.details())
        except StaffError as refused:
            form.add_staff_error(refused.field, str(refused))
        else:
            return _done(request, office_obj, pk, "Data pegawai disimpan.")
    context = {"office": office_obj, "form": form, "person": person}
    status = 422 if form.errors else 200
    return render(request, "offices/staff_edit.html", context, status=status)
