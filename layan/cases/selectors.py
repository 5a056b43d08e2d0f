"""Reading cases: work queues, one case for a staff member, the public view of a case."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from layan.cases.models import (
    END_STATES,
    OPEN_STATES,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Case,
    CaseState,
    Referral,
)
from layan.cases.services import CORRECT_ACTION, CORRECTABLE, Change
from layan.core.audit import audit_of
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


@dataclass(frozen=True)
class Correction:
    """One correction of a case's data: who made it, when, and each value before and after."""

    at: datetime
    by: str
    changes: list[Change]


def case_corrections(case: Case) -> list[Correction]:
    """The case's corrections, oldest first (page and API alike)."""
    shown = []
    for event in audit_of(case).filter(action=CORRECT_ACTION):
        changes = [
            Change(
                field=name,
                label=CORRECTABLE[name].label if name in CORRECTABLE else name,
                before=str(event.before.get(name, "")),
                after=str(after),
            )
            for name, after in event.after.items()
        ]
        shown.append(
            Correction(event.at, event.actor.name_with_nip if event.actor else "sistem", changes)
        )
    return shown


def queue(*, office: Office, roles: set[str] | None = None) -> QuerySet[Case]:
    """Open cases of an office, at steps of the given roles (all roles when None).

    Cases sent back for revision first; then overdue and soonest-due first; steps
    without a standard time come last.
    """
    # finished_at IS NULL is the same rows as the open states (a constraint) and what the
    # index reads: SQLite will not use an index for a condition it gets as parameters.
    cases = Case.objects.filter(office=office, finished_at__isnull=True, state__in=OPEN_STATES)
    if roles is not None:
        cases = cases.filter(current_role__in=roles)
    # Returned cases first (the oldest return first), then by deadline: the order of case_queue.
    # A row reads its labels from the version's definition, cached by id (version_doc):
    # the definition's own text is not decoded again for each row.
    cases = cases.select_related("office", "service", "version", "return_record__user")
    return cases.defer("version__data", "version__source_text").order_by(
        F("returned_at").asc(nulls_last=True), F("step_deadline").asc(nulls_last=True), "created_at"
    )


# ---- Searching an office's cases ---------------------------------------------------------

SEARCH_MAX_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_NIK = re.compile(r"[0-9]{16}")
_CODE = re.compile(f"[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}")


@dataclass(frozen=True)
class Search:
    """What a search text names: a tracking code, a NIK, a name, or (eight letters of
    the code alphabet, such as "KADAFKAR") a code or a name."""

    kind: str  # "code", "nik", "name" or "code_or_name"
    value: str  # the code as stored, the NIK, or the name as typed (spaces tidied)
    name: str = ""  # for "code_or_name": the text as a name


def search_of(text: str) -> Search | None:
    """Read a search box: a tracking code with or without its dash in any case, a NIK
    (16 digits, spaces allowed as printed on the card), else part of a name."""
    text = _SPACES.sub(" ", _CONTROL.sub("", text)).strip()[:SEARCH_MAX_LENGTH]
    if not text:
        return None
    packed = text.replace(" ", "").replace("-", "")
    if _NIK.fullmatch(packed):
        return Search("nik", packed)
    code = tracking_code_of(text)
    if code:
        # A name has no digits and no dash in its fifth place; letters alone may be either.
        is_code = any(c.isdigit() for c in code) or text[4:5] == "-"
        return Search("code", code) if is_code else Search("code_or_name", code, text)
    return Search("name", text)


def tracking_code_of(text: str) -> str | None:
    """A typed tracking code as stored ("k7qd3mxa" -> "K7QD-3MXA"), or None if it is not one."""
    packed = text.strip().upper().replace(" ", "").replace("-", "")
    return f"{packed[:4]}-{packed[4:]}" if _CODE.fullmatch(packed) else None


def cases_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The cases a search text names (all of them for an empty text).

    A code is the unique tracking code; a NIK is the applicant's or the subject's,
    exactly (an index each); a name is part of the applicant's or
    the subject's name in any case, read over the cases `cases` already narrowed
    to (an office's tab): see docs/design/cases.md.
    """
    search = search_of(text)
    if search is None:
        return cases
    name = search.name or search.value
    by_name = Q(applicant_name__icontains=name) | Q(subject_name__icontains=name)
    if search.kind == "nik":
        # A NIK has a handful of cases. Read first, their ids keep the tab's query on the
        # primary key: SQLite (never ANALYZEd) would rather scan the office's cases than
        # use the NIK indexes under "office = x AND (applicant_nik = y OR subject_nik = y)".
        of_nik = Case.objects.filter(Q(applicant_nik=search.value) | Q(subject_nik=search.value))
        return cases.filter(pk__in=list(of_nik.values_list("pk", flat=True)))
    if search.kind == "code":
        return cases.filter(tracking_code=search.value)
    if search.kind == "code_or_name":
        return cases.filter(Q(tracking_code=search.value) | by_name)
    return cases.filter(by_name)


# ---- Ended cases ---------------------------------------------------------------------


def finished_between(time_zone: str, since: date | None, until: date | None) -> Q:
    """Cases ended from `since` to `until` (whole days, both included) on the office's clock.

    A bound at the far end of the calendar is no bound: its day has no instant to convert.
    """
    zone = ZoneInfo(time_zone)
    period = Q()
    if since is not None and since > date.min:
        period &= Q(finished_at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until is not None and until < date.max:
        next_day = until + timedelta(days=1)
        period &= Q(finished_at__lt=datetime.combine(next_day, time.min, tzinfo=zone))
    return period


def cases_finished(
    *,
    office: Office,
    since: date | None = None,
    until: date | None = None,
    service: str = "",
    outcome: str = "",
) -> QuerySet[Case]:
    """The office's ended cases (selesai, ditolak, dirujuk), newest first, in a period of
    the office's days, of one service and one end state when given."""
    cases = Case.objects.filter(office=office, state__in=sorted(END_STATES))
    cases = cases.filter(finished_between(office.time_zone, since, until))
    if service:
        cases = cases.filter(service__code=service)
    if outcome:
        cases = cases.filter(state=outcome)
    return cases.select_related("office", "service", "version").order_by("-finished_at", "-pk")


def case_by_tracking_code(code: str) -> Case:
    """The case behind a public tracking code (case-insensitive, dash optional), or 404."""
    stored = tracking_code_of(code)
    if stored is None:
        raise Http404("Kode lacak tidak ditemukan.")
    case = (
        Case.objects.select_related("office", "service", "version")
        .filter(tracking_code=stored)
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

    `filters` has office, state, service, step, mine, overdue, q and the ended cases'
    finished, finished_from and finished_to (the API's query).
    """
    memberships = list(memberships_of(user).values_list("office_id", "role", "office__time_zone"))
    zones = {office: zone for office, _, zone in memberships}
    cases = Case.objects.filter(office__in=set(zones))
    if filters.office:
        chosen = office_for_staff(user, filters.office)
        cases = cases.filter(office=chosen)
        zones = {chosen.pk: chosen.time_zone}
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.service:
        cases = cases.filter(service__code=filters.service)
    if filters.step:
        cases = cases.filter(current_step=filters.step)
    if filters.mine:
        at_my_roles = Q(pk__in=[])
        for office, role, _ in memberships:
            at_my_roles |= Q(office_id=office, current_role=role)
        cases = cases.filter(at_my_roles, state__in=OPEN_STATES)
    if filters.overdue:
        # A paused case's clock stands still: it is not overdue while it waits.
        cases = cases.filter(Q(step_deadline__lt=now) | Q(deadline__lt=now), state=CaseState.OPEN)
    if filters.finished or filters.finished_from or filters.finished_to:
        # Each office's days are its own: a period is read on each office's clock.
        in_period = Q(pk__in=[])
        for office, zone in zones.items():
            period = finished_between(zone, filters.finished_from, filters.finished_to)
            in_period |= Q(office_id=office) & period
        cases = cases.filter(in_period, state__in=sorted(END_STATES))
    cases = cases_search(cases, filters.q)
    # Open cases are exactly those without finished_at (a database constraint), so
    # "finished_at desc, nulls first" puts them first, then the latest ended.
    # Among the open ones, returned cases first, as in the work queue. A returned row reads
    # its step labels from the version's definition (cached by id): not its text per row.
    cases = cases.select_related("office", "service", "version", "return_record__user")
    return cases.defer("version__data", "version__source_text").order_by(
        F("finished_at").desc(nulls_first=True),
        F("returned_at").asc(nulls_last=True),
        F("step_deadline").asc(nulls_last=True),
        "created_at",
        "pk",
    )
