"""Reading cases: work queues, one case for a staff member, the public view of a case."""

from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from layan.cases.models import OPEN_STATES, Case, CaseState, Referral
from layan.offices.models import Office
from layan.offices.selectors import memberships_of, office_for_staff


def case_for_staff(user, case_id: int) -> Case:
    """A case of an office the user works at, or 404 (another office's case is not theirs)."""
    offices = memberships_of(user).values("office")
    case = (
        Case.objects.select_related("office", "service", "version")
        .filter(pk=case_id, office__in=offices)
        .first()
    )
    if case is None:
        raise Http404("Permohonan tidak ditemukan.")
    return case


def case_open_for_person(*, office: Office, service_id: int, nik: str) -> Case | None:
    """An open case of the office for the same service about the same person, if any.

    The person is the one the letter is about: the subject when there is one, else
    the applicant (`Case.subject_or_applicant_nik`).
    """
    about = Q(subject_nik=nik) | Q(subject_nik="", applicant_nik=nik)
    return (
        Case.objects.filter(about, office=office, service_id=service_id, state__in=OPEN_STATES)
        .select_related("version")
        .order_by("created_at")
        .first()
    )


def attachment_response(case: Case, attachment_id: int) -> FileResponse:
    """One scan of a case as a download that no cache keeps, or 404 (page and API alike)."""
    item = get_object_or_404(case.attachments, pk=attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Berkas lampiran tidak ada.") from exc
    response = FileResponse(handle, content_type=item.content_type, filename=item.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


def queue(*, office: Office, roles: set[str] | None = None) -> QuerySet[Case]:
    """Open cases of an office, at steps of the given roles (all roles when None).

    Overdue and soonest-due first; steps without a standard time come last.
    """
    cases = Case.objects.filter(office=office, state__in=OPEN_STATES)
    if roles is not None:
        cases = cases.filter(current_role__in=roles)
    return cases.select_related("office", "service", "version").order_by(
        F("step_deadline").asc(nulls_last=True), "created_at"
    )


def case_by_tracking_code(code: str) -> Case:
    """The case behind a public tracking code (case-insensitive, dash optional), or 404."""
    cleaned = code.strip().upper().replace(" ", "").replace("-", "")
    if len(cleaned) != 8:
        raise Http404("Kode lacak tidak ditemukan.")
    case = (
        Case.objects.select_related("office", "service", "version")
        .filter(tracking_code=f"{cleaned[:4]}-{cleaned[4:]}")
        .first()
    )
    if case is None:
        raise Http404("Kode lacak tidak ditemukan.")
    return case


def referrals_fulfilled(*, office: Office) -> QuerySet[Referral]:
    """People the office referred who are now in the register: to invite back."""
    return (
        Referral.objects.filter(office=office, fulfilled_at__isnull=False)
        .select_related("case__service", "fulfilled_snapshot")
        .order_by("-fulfilled_at")
    )


def cases_listed(user, filters, now: datetime) -> QuerySet[Case]:
    """The user's offices' cases, open ones first in work-queue order, then the latest ended.

    `filters` has office, state, service, step, mine and overdue (the API's query).
    """
    memberships = list(memberships_of(user).values_list("office_id", "role"))
    cases = Case.objects.filter(office__in={office for office, _ in memberships})
    if filters.office:
        cases = cases.filter(office=office_for_staff(user, filters.office))
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.service:
        cases = cases.filter(service__code=filters.service)
    if filters.step:
        cases = cases.filter(current_step=filters.step)
    if filters.mine:
        at_my_roles = Q(pk__in=[])
        for office, role in memberships:
            at_my_roles |= Q(office_id=office, current_role=role)
        cases = cases.filter(at_my_roles, state__in=OPEN_STATES)
    if filters.overdue:
        # A paused case's clock stands still: it is not overdue while it waits.
        cases = cases.filter(Q(step_deadline__lt=now) | Q(deadline__lt=now), state=CaseState.OPEN)
    # Open cases are exactly those without finished_at (a database constraint), so
    # "finished_at desc, nulls first" puts them first, then the latest ended.
    return cases.select_related("office", "service").order_by(
        F("finished_at").desc(nulls_first=True),
        F("step_deadline").asc(nulls_last=True),
        "created_at",
        "pk",
    )
