"""Staff pages of cases: the work queue, walk-in registration, the case page with its
actions and attachments, and the printable receipt and referral slip.

Every view goes through `office_for_staff` (and `_case_of` for one case): another
office's staff get 404, staff without the needed role 403, anonymous visitors are
sent to sign in. Writes go through the case services; a failed write re-renders
the case with the reason next to the field (422, or 200 for htmx, which swaps
only 2xx answers), a lost race says so (409).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from layan.cases.forms import CorrectionForm, QueueFilterForm, WalkInForm
from layan.cases.models import Case, Referral, StepRecord
from layan.cases.presenting import (
    Due,
    actor_label,
    due_of,
    expected_finish,
    nik_masked,
    outcome_label,
    promise_kept,
    returned_of,
    step_label,
)
from layan.cases.selectors import (
    attachment_response,
    case_corrections,
    case_for_staff,
    cases_finished,
    cases_search,
    queue,
    referrals_fulfilled,
)
from layan.cases.services import (
    REGISTERED_AGAIN,
    CaseConflict,
    CaseDuplicate,
    CaseError,
    attachment_add,
    attachment_choices,
    case_act,
    case_act_preview,
    case_can_act,
    case_can_correct,
    case_correct,
    case_create,
    case_doc,
    case_pause,
    case_resume,
)
from layan.cases.steps import kind_of
from layan.cases.steps.base import Button, Kind, RequirementState
from layan.cases.steps.registry_check import last_check_summary
from layan.cases.tracking import Told, told_of
from layan.catalogue import graph
from layan.catalogue.schema import ServiceDoc, Step
from layan.catalogue.selectors import services_published
from layan.core.audit import audit_of
from layan.core.http import StaffRequest
from layan.core.qr import qr_svg
from layan.core.uploads import SCAN_ACCEPT, megabytes, scan_hint
from layan.offices.models import Office, Role
from layan.offices.rights import Right, roles_of, roles_with
from layan.offices.selectors import office_for_staff

QUEUE_PAGE_SIZE = 50
CONFLICT_NOTICE = (
    "Langkah ini sudah dikerjakan orang lain. Keadaan terbaru permohonan ditampilkan di bawah."
)


def _error_status(request: StaffRequest, status: int) -> int:
    # htmx does not swap 4xx responses by default; it must get the form back with a 200.
    return 200 if request.htmx else status


def _case_of(request: StaffRequest, office: str, pk: int) -> tuple[Office, Case]:
    """The office (404 for outsiders) and one of its cases (404 for another office's)."""
    office_obj = office_for_staff(request.user, office)
    case = case_for_staff(request.user, pk)
    if case.office_id != office_obj.pk:
        raise Http404("Permohonan tidak ditemukan.")
    return office_obj, case


# ---- Work queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    case: Case
    step: str
    actor: str
    nik: str
    due: Due | None
    case_due: Due | None  # to the service's promise (the case's deadline)
    returned: str | None = None  # the reason, shortened, of a case sent back for revision

    @property
    def late(self) -> bool:
        return any(due is not None and due.late for due in (self.due, self.case_due))


@dataclass(frozen=True)
class FinishedRow:
    case: Case
    outcome: str
    nik: str
    kept: Due | None  # the promise against the end: "terlambat …" when it was broken


QUEUE_TAB_LABELS = {"saya": "Langkah saya", "semua": "Semua langkah terbuka", "selesai": "Selesai"}
# The query keys that belong to each tab, in the order page links carry them.
TAB_FILTERS = {
    "saya": ["q"],
    "semua": ["q"],
    "selesai": ["q", "dari", "sampai", "layanan", "hasil"],
}


@login_required
def case_queue(request: StaffRequest, office: str) -> HttpResponse:
    """Open cases at my roles' steps, all open steps of the office (overdue first), or
    the ended cases by period, service and outcome (newest first); each searchable."""
    office_obj = office_for_staff(request.user, office)
    tab = request.GET.get("tab", "saya")
    tab = tab if tab in QUEUE_TAB_LABELS else "saya"
    # Only the Selesai tab filters by service: the other tabs spare the query.
    services = services_published(office=office_obj) if tab == "selesai" else []
    form = QueueFilterForm(request.GET, services=services)
    form.is_valid()  # what reads is used; what does not is named on the page
    cases = cases_search(_tab_cases(request, office_obj, tab, form.cleaned_data), form.search)
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("halaman"))
    now = timezone.now()
    row = _finished_row if tab == "selesai" else partial(_queue_row, now=now)
    tabs = [
        {"label": label, "current": key == tab, "query": _tab_query(key, request.GET, ["q"])}
        for key, label in QUEUE_TAB_LABELS.items()
    ]
    context = {
        "office": office_obj,
        "tab": tab,
        "mine": tab == "saya",
        "form": form,
        "problems": form.problems(TAB_FILTERS[tab]),
        "tabs": tabs,
        "other_tabs": [t for t in tabs if not t["current"]],
        "base": reverse("case-queue", args=[office_obj.slug]),
        "page": page,
        "rows": [row(case) for case in page.object_list],
        "kept_query": _tab_query(tab, request.GET, TAB_FILTERS[tab]),
    }
    template = "cases/queue.html#queue" if request.htmx else "cases/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _tab_cases(request: StaffRequest, office: Office, tab: str, filters: dict) -> QuerySet[Case]:
    if tab == "selesai":
        return cases_finished(
            office=office,
            since=filters.get("dari"),
            until=filters.get("sampai"),
            service=filters.get("layanan", ""),
            outcome=filters.get("hasil", ""),
        )
    return queue(office=office, roles=roles_of(request.user, office) if tab == "saya" else None)


def _tab_query(tab: str, query: QueryDict, keys: list[str]) -> str:
    """A tab and those of its filters in `keys` as a link carries them ("tab=semua&q=sari")."""
    kept = QueryDict(mutable=True)
    if tab != "saya":
        kept["tab"] = tab
    for key in keys:
        value = query.get(key)
        if value:
            kept[key] = value
    return kept.urlencode()


@login_required
def referrals_back(request: StaffRequest, office: str) -> HttpResponse:
    """People the office referred who are now in the register: to invite back."""
    office_obj = office_for_staff(request.user, office)
    page = Paginator(referrals_fulfilled(office=office_obj), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(request, "cases/referrals_back.html", {"office": office_obj, "page": page})


def _queue_row(case: Case, *, now: datetime) -> QueueRow:
    doc = case_doc(case)
    return QueueRow(
        case=case,
        step=step_label(doc, case.current_step),
        actor=actor_label(doc, case.current_step),
        nik=nik_masked(case.applicant_nik),
        due=due_of(case, case.step_deadline, now),
        case_due=due_of(case, case.deadline, now),
        returned=returned.reason_short if (returned := returned_of(case)) else None,
    )


def _finished_row(case: Case) -> FinishedRow:
    return FinishedRow(
        case=case,
        outcome=case.get_state_display(),
        nik=nik_masked(case.applicant_nik),
        kept=promise_kept(case),
    )


# ---- Walk-in registration ------------------------------------------------------------


@login_required
def case_new(request: StaffRequest, office: str) -> HttpResponse:
    """Register an applicant at the counter; the case page follows."""
    office_obj = office_for_staff(request.user, office, roles=roles_with(Right.REGISTER))
    services = services_published(office=office_obj)
    duplicate: CaseDuplicate | None = None
    form = WalkInForm(
        request.POST or None,
        services=services,
        initial={"service": request.GET.get("layanan"), "subject_relation": "anak"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(
                office=office_obj,
                service_code=form.cleaned_data["service"],
                applicant=form.applicant(),
                subject=form.subject(),
                user=request.user,
                duplicate_reason=form.cleaned_data["duplicate_reason"],
            )
        except CaseDuplicate as exc:
            # The open case is shown beside the field; the field says what is asked.
            form.add_error("duplicate_reason", "Wajib diisi untuk mendaftarkan permohonan baru.")
            duplicate = exc
        except CaseError as exc:
            form.add_case_error(exc)
        else:
            messages.success(request, f"Permohonan terdaftar. Kode lacak: {case.tracking_code}.")
            url = reverse("case-detail", args=[office_obj.slug, case.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    status = _error_status(request, 422) if form.errors else 200
    template = "cases/new.html#walkin" if request.htmx else "cases/new.html"
    context = {"office": office_obj, "form": form, "duplicate": duplicate}
    return render(request, template, context, status=status)


# ---- Case page -----------------------------------------------------------------------


@dataclass
class TimelineEntry:
    record: StepRecord
    label: str
    actor: str
    role: str
    outcome: str
    summary: str = ""


@dataclass
class ChecklistItem:
    key: str
    label: str
    note: str
    optional: bool
    registry: bool
    status: str
    present: bool | None
    attachments: list = field(default_factory=list)


@dataclass
class Action:
    """The form of the current step: the kind's inputs, a note, and its buttons."""

    step: Step
    label: str
    text: str
    buttons: list[Button]
    note_label: str
    takes_note: bool
    template: str | None
    inputs: dict
    errors: dict = field(default_factory=dict)
    # An outcome here turns the applicant away: they read this reason on the tracking page.
    tells_reason: bool = False
    reason_label: str = ""
    reason: str = ""


@dataclass
class Confirmation:
    """Before a case is turned down or referred: what the applicant will be told, and the
    posted form again (hidden), so that confirming sends the same action."""

    outcome_label: str
    ends_as: str  # ditolak, dirujuk
    button: str
    told: Told | None
    posted: list[tuple[str, str]]


# Higher apps add a section to the case page (letters: the letter and its actions)
# without this app importing them: a function (request, case) -> context with a
# "template" key, or None when it has nothing to show.
CasePanel = Callable[[HttpRequest, Case], dict | None]
_PANELS: list[CasePanel] = []


def case_panel_register(panel: CasePanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def case_panels(request: StaffRequest, case: Case) -> list[dict]:
    return [shown for panel in _PANELS if (shown := panel(request, case))]


@login_required
def case_detail(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """One case: who, what, where it stands, its history, papers and the next action."""
    office_obj, case = _case_of(request, office, pk)
    return render(request, "cases/detail.html", _case_context(request, office_obj, case))


def _case_page(
    request: StaffRequest, office: Office, pk: int, *, status: int = 200, **extra
) -> HttpResponse:
    """The case as it is now (re-read: another officer may have moved it), with messages."""
    case = case_for_staff(request.user, pk)
    context = _case_context(request, office, case, **extra)
    template = "cases/detail.html#case" if request.htmx else "cases/detail.html"
    return render(request, template, context, status=_error_status(request, status))


def _after_change(request: StaffRequest, office: Office, pk: int) -> HttpResponse:
    """htmx swaps the fresh case in; a plain form post gets redirected (no re-post on reload)."""
    if request.htmx:
        return _case_page(request, office, pk)
    return redirect("case-detail", office=office.slug, pk=pk)


def _case_context(
    request: StaffRequest,
    office: Office,
    case: Case,
    *,
    errors: dict | None = None,
    posted: QueryDict | None = None,
    notice: str = "",
    correction: CorrectionForm | None = None,
    confirm: Confirmation | None = None,
) -> dict:
    doc = case_doc(case)
    errors = errors or {}
    now = timezone.now()
    step = doc.step_map.get(case.current_step) if case.is_open else None
    attachments = list(case.attachments.select_related("uploaded_by"))
    records = list(case.records.select_related("user").order_by("seq"))
    labels = attachment_choices(doc)
    return {
        "office": office,
        "case": case,
        "doc": doc,
        "step": step,
        "step_label": step_label(doc, case.current_step),
        "step_actor": actor_label(doc, case.current_step),
        "step_due": due_of(case, case.step_deadline, now),
        "case_due": due_of(case, case.deadline, now) if case.is_open else None,
        "expected": expected_finish(case, doc),
        "action": _action(doc, step, case, errors.get("act", {}), posted)
        if step and case_can_act(case, request.user)
        else None,
        "timeline": [_timeline_entry(doc, record) for record in records],
        "checklist": _checklist(doc, case, records, attachments),
        "attachments": [(a, labels.get(a.requirement, a.requirement)) for a in attachments],
        "upload_choices": list(labels.items()),
        "upload_selected": request.GET.get("persyaratan", ""),
        "upload": _upload_limits(),
        "referral": Referral.objects.filter(case=case).first(),
        "errors": errors,
        "notice": notice,
        "confirm": confirm,
        "registered_again": audit_of(case).filter(action=REGISTERED_AGAIN).first(),
        "posted_note": posted.get("note", "") if posted else "",
        "panels": case_panels(request, case),
        "returned": returned_of(case),
        "correction": correction
        or (CorrectionForm(case=case) if case_can_correct(case, request.user) else None),
        "corrections": case_corrections(case),
    }


def _timeline_entry(doc: ServiceDoc, record: StepRecord) -> TimelineEntry:
    try:
        role = Role(record.role).label
    except ValueError:
        role = record.role
    return TimelineEntry(
        record=record,
        label=step_label(doc, record.step),
        actor=actor_label(doc, record.step),
        role=role,
        outcome=outcome_label(record.kind, record.outcome),
        summary=_record_summary(doc, record),
    )


def _record_summary(doc: ServiceDoc, record: StepRecord) -> str:
    """What a step found or decided, in a line: register evidence, missing papers, fields."""
    return kind_of(record.kind).summary(doc, record)


def _checklist(
    doc: ServiceDoc, case: Case, records: list[StepRecord], attachments: list
) -> list[ChecklistItem]:
    """The definition's requirements, each with what the kinds' records say about it."""
    states = {}
    for kind in {record.kind for record in records}:
        own = [record for record in records if record.kind == kind]
        states.update(kind_of(kind).requirement_states(doc, case, own))
    unknown = RequirementState("belum diperiksa", None)
    return [
        ChecklistItem(
            key=requirement.key,
            label=requirement.label,
            note=requirement.note,
            optional=requirement.optional,
            registry=requirement.registry,
            status=states.get(requirement.key, unknown).status,
            present=states.get(requirement.key, unknown).present,
            attachments=[a for a in attachments if a.requirement == requirement.key],
        )
        for requirement in doc.requirements
    ]


def _action(
    doc: ServiceDoc, step: Step, case: Case, errors: dict, posted: QueryDict | None
) -> Action:
    """The form for the current step, filled with what was posted when it came back."""
    kind = kind_of(step.kind)
    tells = kind.tells_reason(step)
    if not tells and "reason" in errors:
        # A return's reason is typed in the note box.
        errors = {**errors, "note": errors["reason"]}
    reason = posted.get("reason", "") if posted else kind.default_reason(case, doc, step, {})
    return Action(
        step=step,
        label=kind.label,
        text=step.text,
        buttons=kind.buttons(step, doc),
        note_label=kind.note_label,
        takes_note=not kind.system_decided,
        template=kind.template,
        inputs=kind.form_context(doc, step, case, posted, errors),
        errors=errors,
        tells_reason=tells,
        reason_label=_reason_label(kind, step),
        reason=reason,
    )


def _reason_label(kind: Kind, step: Step) -> str:
    """'Alasan untuk pemohon', saying when it is needed if not for every outcome."""
    told = [o for o in kind.choosable(step) if graph.turns_away(step, o)]
    if len(told) == len(kind.choosable(step)):
        return "Alasan untuk pemohon"
    named = ", ".join(kind.outcome_label(o).lower() for o in told)
    return f"Alasan untuk pemohon (wajib bila {named})"


def _act_error_key(field_name: str) -> str:
    """Where a CaseError of case_act is shown: 'data.checked' -> 'checked', etc."""
    name = field_name.removeprefix("data.")
    return name if name and name not in ("data", "outcome", "step") else "form"


def _chosen(step: Step, outcome: str | None) -> str | None:
    """The outcome a form chose: its button's, or the only one of a step without a choice."""
    choosable = kind_of(step.kind).choosable(step)
    return outcome or (choosable[0] if len(choosable) == 1 else None)


def _confirmation(office: Office, doc: ServiceDoc, step: Step, record: StepRecord,
                  post: QueryDict) -> Confirmation:  # fmt: skip
    ending = graph.step_target(step, record.outcome)
    verb = "rujuk" if ending == "dirujuk" else "tolak"
    resent = [(key, value) for key in post for value in post.getlist(key)
              if key not in ("csrfmiddlewaretoken", "confirm", "edit")]  # fmt: skip
    return Confirmation(
        outcome_label=kind_of(step.kind).outcome_label(record.outcome),
        ends_as=ending,
        button=f"Ya, {verb} permohonan",
        told=told_of(office, doc, record),
        posted=resent,
    )


@login_required
@require_POST
def case_act_view(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """Do the current step: case_act with the outcome, note and data of the posted form."""
    office_obj, case = _case_of(request, office, pk)
    posted_step = request.POST.get("step", "")
    doc = case_doc(case)
    step = doc.step_map.get(posted_step)
    data = kind_of(step.kind).data_from_post(doc, step, request.POST) if step else {}
    if step and kind_of(step.kind).reason_field(step) and "reason" in request.POST:
        data["reason"] = request.POST["reason"]
    outcome = request.POST.get("outcome") or None
    if step and request.POST.get("edit"):  # back from the confirmation to the form
        return _case_page(request, office_obj, case.pk, posted=request.POST)
    chosen = _chosen(step, outcome) if step else None
    confirming = bool(
        step and chosen and not kind_of(step.kind).system_decided
        and graph.turns_away(step, chosen) and not request.POST.get("confirm")
    )  # fmt: skip
    act: dict[str, Any] = {
        "case_id": case.pk,
        "user": request.user,
        "step": posted_step,
        "outcome": outcome,
        "note": request.POST.get("note", ""),
        "data": data,
        "seen_seq": _seen_seq(request),
    }
    try:
        if confirming and step:
            # Checked in full and undone: the officer sees what the applicant will be told.
            preview = case_act_preview(**act)
            confirm = _confirmation(office_obj, doc, step, preview, request.POST)
            return _case_page(request, office_obj, case.pk, posted=request.POST, confirm=confirm)
        record = case_act(**act)
    except CaseConflict:
        return _case_page(request, office_obj, case.pk, status=409, notice=CONFLICT_NOTICE)
    except CaseError as exc:
        errors = {"act": {_act_error_key(exc.field): str(exc)}}
        return _case_page(
            request, office_obj, case.pk, status=422, errors=errors, posted=request.POST
        )
    label = step_label(doc, record.step)
    messages.success(request, f"{label}: {outcome_label(record.kind, record.outcome)}.")
    return _after_change(request, office_obj, case.pk)


def _seen_seq(request: StaffRequest) -> int | None:
    """The step counter the form was shown at (checked by case_act under the row lock)."""
    seq = request.POST.get("seq", "")
    return int(seq) if seq.isdigit() else None


@login_required
@require_POST
def case_pause_view(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """Stop the clock while the case waits for the applicant or someone else."""
    office_obj, case = _case_of(request, office, pk)
    try:
        case_pause(case_id=case.pk, user=request.user, reason=request.POST.get("reason", ""))
    except CaseError as exc:
        errors = {"pause": {"reason": str(exc)}}
        return _case_page(request, office_obj, case.pk, status=422, errors=errors)
    except CaseConflict as exc:
        return _case_page(request, office_obj, case.pk, status=409, notice=str(exc))
    messages.success(request, "Permohonan dijeda; waktu layanan tidak dihitung selama jeda.")
    return _after_change(request, office_obj, case.pk)


@login_required
@require_POST
def case_resume_view(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    office_obj, case = _case_of(request, office, pk)
    try:
        case_resume(case_id=case.pk, user=request.user)
    except CaseConflict as exc:
        return _case_page(request, office_obj, case.pk, status=409, notice=str(exc))
    messages.success(request, "Permohonan dilanjutkan.")
    return _after_change(request, office_obj, case.pk)


@login_required
@require_POST
def case_correct_view(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """Koreksi data: case_correct with the posted form; each problem next to its field."""
    office_obj, case = _case_of(request, office, pk)
    form = CorrectionForm(request.POST, case=case)
    if form.is_valid():
        try:
            changes = case_correct(
                case_id=case.pk,
                user=request.user,
                values=form.values(),
                seen_seq=_seen_seq(request),
            )
        except CaseConflict as exc:
            return _case_page(request, office_obj, case.pk, status=409, notice=str(exc))
        except CaseError as exc:
            form.add_case_error(exc)
        else:
            if changes:
                messages.success(
                    request, "Data dikoreksi: " + ", ".join(c.label for c in changes) + "."
                )
            else:
                messages.info(request, "Tidak ada data yang berubah.")
            return _after_change(request, office_obj, case.pk)
    return _case_page(request, office_obj, case.pk, status=422, correction=form)


# ---- Attachments ---------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """Keep a scan of a requirement; its type is judged from its content, not its name."""
    office_obj, case = _case_of(request, office, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise CaseError("Pilih berkas yang akan diunggah.", field="file")
        attachment_add(
            case_id=case.pk,
            user=request.user,
            requirement=request.POST.get("requirement", ""),
            upload=upload,
        )
    except CaseError as exc:
        errors = {"upload": {exc.field or "file": str(exc)}}
        return _case_page(request, office_obj, case.pk, status=422, errors=errors)
    except CaseConflict as exc:
        return _case_page(request, office_obj, case.pk, status=409, notice=str(exc))
    messages.success(request, "Lampiran disimpan.")
    return _after_change(request, office_obj, case.pk)


def _upload_limits() -> dict:
    """What the upload form says and checks before sending: the types and the largest size."""
    limit = settings.CASE_MAX_ATTACHMENT_BYTES
    return {
        "hint": scan_hint(limit),
        "accept": SCAN_ACCEPT,
        "max_bytes": limit,
        "too_large": f"Berkas lebih dari {megabytes(limit)}; perkecil dulu sebelum diunggah.",
    }


@login_required
def attachment_file(request: StaffRequest, office: str, pk: int, attachment: int) -> FileResponse:
    """A scan, to this office's staff only: attachments have no public media URL."""
    _office, case = _case_of(request, office, pk)
    return attachment_response(case, attachment)


# ---- Printed pages -------------------------------------------------------------------


def _tracking_url(request: StaffRequest, case: Case) -> str:
    return request.build_absolute_uri(reverse("track-case", args=[case.tracking_code]))


@login_required
def case_receipt(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """The tanda terima handed to the applicant: tracking code, papers received, QR."""
    office_obj, case = _case_of(request, office, pk)
    doc = case_doc(case)
    tracking_url = _tracking_url(request, case)
    labels = {r.key: r.label for r in doc.requirements}
    context = {
        "office": office_obj,
        "case": case,
        "doc": doc,
        "nik": nik_masked(case.applicant_nik),
        "received": [labels.get(key, key) for key in case.requirements_checked],
        "expected": expected_finish(case, doc),
        "tracking_url": tracking_url,
        "qr": qr_svg(tracking_url, label=f"QR kode lacak {case.tracking_code}"),
        "printed_at": timezone.now(),
    }
    return render(request, "cases/receipt.html", context)


@login_required
def case_referral_slip(request: StaffRequest, office: str, pk: int) -> HttpResponse:
    """The slip the applicant takes to whoever the case referred them to."""
    office_obj, case = _case_of(request, office, pk)
    referral = Referral.objects.filter(case=case).first()
    if referral is None:
        raise Http404("Permohonan ini tidak dirujuk.")
    tracking_url = _tracking_url(request, case)
    context = {
        "office": office_obj,
        "case": case,
        "referral": referral,
        # Without a note from the officer, the register's answer is the reason.
        "reason": last_check_summary(case),
        "person_name": case.subject_name or case.applicant_name,
        "tracking_url": tracking_url,
        "qr": qr_svg(tracking_url, label=f"QR kode lacak {case.tracking_code}"),
    }
    return render(request, "cases/referral_slip.html", context)
