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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from layan.cases.engine import choosable_outcomes, step_outcomes
from layan.cases.forms import WalkInForm, action_data
from layan.cases.models import Case, CaseState, Referral, StepRecord
from layan.cases.presenting import (
    Due,
    actor_label,
    due_of,
    expected_finish,
    nik_masked,
    outcome_label,
    register_data_label,
    step_label,
)
from layan.cases.selectors import case_for_staff, queue, referrals_fulfilled
from layan.cases.services import (
    CaseConflict,
    CaseError,
    attachment_add,
    case_act,
    case_create,
    case_doc,
    case_pause,
    case_resume,
    roles_of,
)
from layan.catalogue.schema import ServiceDoc, Step, StepKind
from layan.catalogue.selectors import services_published
from layan.core.qr import qr_svg
from layan.offices.models import Office, Role
from layan.offices.selectors import office_for_staff

QUEUE_PAGE_SIZE = 50
# The intake step is recorded in the front office's role, so only it registers walk-ins.
REGISTER_ROLES = {Role.PETUGAS}
# The one button of a step without a choice, by kind.
BUTTON_LABELS = {
    StepKind.INTAKE: "Terima permohonan",
    StepKind.REGISTRY_CHECK: "Periksa DTKS/DTSEN",
    StepKind.FORM: "Simpan isian",
    StepKind.DISPOSITION: "Teruskan disposisi",
    StepKind.DRAFT_LETTER: "Surat sudah dibuat",
    StepKind.HANDOVER: "Serahkan kepada pemohon",
    StepKind.END: "Selesaikan",
}
CHOICE_LABELS = {"setuju": "Setuju", "kembalikan": "Kembalikan"}
NOTE_LABELS = {
    StepKind.CHECKLIST: "Catatan (wajib bila tidak lengkap)",
    StepKind.APPROVE: "Catatan (wajib bila dikembalikan)",
    StepKind.SIGN: "Catatan (wajib bila dikembalikan)",
    StepKind.REFER: "Alasan rujukan",
}
CONFLICT_NOTICE = (
    "Langkah ini sudah dikerjakan orang lain. Keadaan terbaru permohonan ditampilkan di bawah."
)


def _error_status(request: HttpRequest, status: int) -> int:
    # htmx does not swap 4xx responses by default; it must get the form back with a 200.
    return 200 if request.htmx else status


def _case_of(request: HttpRequest, office: str, pk: int) -> tuple[Office, Case]:
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


@login_required
def case_queue(request: HttpRequest, office: str) -> HttpResponse:
    """Open cases at my roles' steps, or all open steps of the office; overdue first."""
    office_obj = office_for_staff(request.user, office)
    mine = request.GET.get("tab") != "semua"
    roles = roles_of(request.user, office_obj) if mine else None
    cases = queue(office=office_obj, roles=roles)
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("halaman"))
    now = timezone.now()
    rows = [_queue_row(case, now) for case in page.object_list]
    context = {"office": office_obj, "mine": mine, "page": page, "rows": rows}
    template = "cases/queue.html#queue" if request.htmx else "cases/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def referrals_back(request: HttpRequest, office: str) -> HttpResponse:
    """People the office referred who are now in the register: to invite back."""
    office_obj = office_for_staff(request.user, office)
    page = Paginator(referrals_fulfilled(office=office_obj), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(request, "cases/referrals_back.html", {"office": office_obj, "page": page})


def _queue_row(case: Case, now: datetime) -> QueueRow:
    doc = case_doc(case)
    return QueueRow(
        case=case,
        step=step_label(doc, case.current_step),
        actor=actor_label(doc, case.current_step),
        nik=nik_masked(case.applicant_nik),
        due=due_of(case, case.step_deadline, now),
    )


# ---- Walk-in registration ------------------------------------------------------------


@login_required
def case_new(request: HttpRequest, office: str) -> HttpResponse:
    """Register an applicant at the counter; the case page follows."""
    office_obj = office_for_staff(request.user, office, roles=REGISTER_ROLES)
    services = services_published(office=office_obj)
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
            )
        except CaseError as exc:
            form.add_case_error(exc)
        else:
            messages.success(request, f"Permohonan terdaftar. Kode lacak: {case.tracking_code}.")
            url = reverse("case-detail", args=[office_obj.slug, case.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    status = _error_status(request, 422) if form.errors else 200
    template = "cases/new.html#walkin" if request.htmx else "cases/new.html"
    return render(request, template, {"office": office_obj, "form": form}, status=status)


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
    """What the form of the current step shows: inputs by kind, a note, and its buttons."""

    step: Step
    kind: str
    label: str
    text: str
    buttons: list[tuple[str, str]]
    note_label: str = "Catatan"
    errors: dict = field(default_factory=dict)
    requirements: list[dict] = field(default_factory=list)
    fields: list[dict] = field(default_factory=list)
    route: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


# Higher apps add a section to the case page (letters: the letter and its actions)
# without this app importing them: a function (request, case) -> context with a
# "template" key, or None when it has nothing to show.
CasePanel = Callable[[HttpRequest, Case], dict | None]
_PANELS: list[CasePanel] = []


def case_panel_register(panel: CasePanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def case_panels(request: HttpRequest, case: Case) -> list[dict]:
    return [shown for panel in _PANELS if (shown := panel(request, case))]


@login_required
def case_detail(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """One case: who, what, where it stands, its history, papers and the next action."""
    office_obj, case = _case_of(request, office, pk)
    return render(request, "cases/detail.html", _case_context(request, office_obj, case))


def _case_page(
    request: HttpRequest, office: Office, pk: int, *, status: int = 200, **extra
) -> HttpResponse:
    """The case as it is now (re-read: another officer may have moved it), with messages."""
    case = case_for_staff(request.user, pk)
    context = _case_context(request, office, case, **extra)
    template = "cases/detail.html#case" if request.htmx else "cases/detail.html"
    return render(request, template, context, status=_error_status(request, status))


def _after_change(request: HttpRequest, office: Office, pk: int) -> HttpResponse:
    """htmx swaps the fresh case in; a plain form post gets redirected (no re-post on reload)."""
    if request.htmx:
        return _case_page(request, office, pk)
    return redirect("case-detail", office=office.slug, pk=pk)


def _case_context(
    request: HttpRequest,
    office: Office,
    case: Case,
    *,
    errors: dict | None = None,
    posted: QueryDict | None = None,
    notice: str = "",
) -> dict:
    doc = case_doc(case)
    errors = errors or {}
    now = timezone.now()
    step = doc.step_map.get(case.current_step) if case.is_open else None
    can_act = (
        step is not None
        and case.state == CaseState.OPEN
        and case.current_role in roles_of(request.user, office)
    )
    attachments = list(case.attachments.select_related("uploaded_by"))
    records = list(case.records.select_related("user").order_by("seq"))
    upload_choices = _upload_choices(doc)
    labels = dict(upload_choices)
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
        "action": _action(doc, step, case, errors.get("act", {}), posted) if can_act else None,
        "timeline": [_timeline_entry(doc, record) for record in records],
        "checklist": _checklist(doc, case, records, attachments),
        "attachments": [(a, labels.get(a.requirement, a.requirement)) for a in attachments],
        "upload_choices": upload_choices,
        "upload_selected": request.GET.get("persyaratan", ""),
        "referral": Referral.objects.filter(case=case).first(),
        "errors": errors,
        "notice": notice,
        "posted_note": posted.get("note", "") if posted else "",
        "panels": case_panels(request, case),
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
    data = record.data or {}
    if record.kind == StepKind.REGISTRY_CHECK:
        found = "Terdaftar" if data.get("found") else "Tidak terdaftar"
        return f"{found}, {register_data_label(data.get('source'), data.get('period'))}"
    if record.kind == StepKind.CHECKLIST:
        labels = {r.key: r.label for r in doc.requirements}
        missing = [labels.get(key, key) for key in data.get("missing", [])]
        return f"Belum ada: {'; '.join(missing)}" if missing else "Semua persyaratan wajib ada"
    if record.kind == StepKind.DISPOSITION and data.get("to"):
        return f"Diteruskan kepada: {data['to']}"
    if record.kind == StepKind.FORM:
        step = doc.step_map.get(record.step)
        labels = {f.key: f.label for f in step.fields} if step else {}
        values = data.get("fields", {})
        return "; ".join(f"{labels.get(k, k)}: {_shown(v)}" for k, v in values.items())
    if data.get("number"):
        return f"Surat nomor {data['number']}"
    if data.get("bersama"):
        return f"Bersama permohonan {data['bersama']} (surat kolektif)"
    return ""


def _shown(value) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return str(value)


def _checklist(
    doc: ServiceDoc, case: Case, records: list[StepRecord], attachments: list
) -> list[ChecklistItem]:
    """The definition's requirements, each with what is known about it on this case."""
    checked_once = any(r.kind == StepKind.CHECKLIST for r in records)
    checks = [r for r in records if r.kind == StepKind.REGISTRY_CHECK]
    items = []
    for requirement in doc.requirements:
        if requirement.registry:
            status = "diperiksa sistem"
            if checks:
                status += f": {_record_summary(doc, checks[-1])}"
            present = bool(checks[-1].data.get("found")) if checks else None
        elif requirement.key in case.requirements_checked:
            status, present = "ada", True
        elif requirement.optional and checked_once:
            status, present = "tidak dibawa", None  # optional: nothing is missing
        else:
            status = "tidak ada" if checked_once else "belum diperiksa"
            present = False if checked_once else None
        items.append(
            ChecklistItem(
                key=requirement.key,
                label=requirement.label,
                note=requirement.note,
                optional=requirement.optional,
                registry=requirement.registry,
                status=status,
                present=present,
                attachments=[a for a in attachments if a.requirement == requirement.key],
            )
        )
    return items


def _upload_choices(doc: ServiceDoc) -> list[tuple[str, str]]:
    """What a scan may be attached to: papers people bring, and forms' photo/file fields."""
    choices = {r.key: r.label for r in doc.requirements if not r.registry}
    for step in doc.steps:
        for form_field in step.fields:
            if form_field.type in ("photo", "file"):
                choices.setdefault(form_field.key, form_field.label)
    return list(choices.items())


def _action(
    doc: ServiceDoc, step: Step, case: Case, errors: dict, posted: QueryDict | None
) -> Action:
    """The form for the current step, filled with what was posted when it came back."""
    action = Action(
        step=step,
        kind=step.kind.value,
        label=step_label(doc, step.key),
        text=step.text,
        buttons=_buttons(step),
        note_label=NOTE_LABELS.get(step.kind, "Catatan"),
        errors=errors,
    )
    if step.kind == StepKind.CHECKLIST:
        ticked = posted.getlist("checked") if posted else case.requirements_checked
        action.requirements = [
            {"key": r.key, "label": r.label, "optional": r.optional, "checked": r.key in ticked}
            for r in doc.requirements
            if not r.registry
        ]
    elif step.kind == StepKind.FORM:
        attached = set(case.attachments.values_list("requirement", flat=True))
        action.fields = [_form_field(f, posted, attached, errors) for f in step.fields]
    elif step.kind == StepKind.DISPOSITION:
        action.route = [doc.actors[key].label for key in step.route if key in doc.actors]
        default = action.route[0] if action.route else ""
        action.values["to"] = posted.get("to", "") if posted else default
    return action


def _buttons(step: Step) -> list[tuple[str, str]]:
    """(outcome, label) per button; one unnamed button when the step has no choice."""
    outcomes = choosable_outcomes(step)
    if len(outcomes) > 1:
        return [(o, CHOICE_LABELS.get(o) or outcome_label(step.kind, o)) for o in outcomes]
    if step.kind == StepKind.REFER:
        return [("", f"Rujuk ke {step.to}")]
    single = step_outcomes(step)
    fallback = outcome_label(step.kind, single[0]) if single else "Selesai"
    return [("", BUTTON_LABELS.get(step.kind, fallback))]


def _form_field(form_field, posted: QueryDict | None, attached: set, errors: dict) -> dict:
    name = f"field_{form_field.key}"
    return {
        "key": form_field.key,
        "name": name,
        "label": form_field.label,
        "type": form_field.type,
        "required": form_field.required,
        "choices": form_field.choices,
        "value": posted.get(name, "") if posted else "",
        "attached": form_field.key in attached,
        "error": errors.get(form_field.key, ""),
    }


def _act_error_key(field_name: str) -> str:
    """Where a CaseError of case_act is shown: 'data.checked' -> 'checked', etc."""
    name = field_name.removeprefix("data.")
    return name if name and name not in ("data", "outcome", "step") else "form"


@login_required
@require_POST
def case_act_view(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """Do the current step: case_act with the outcome, note and data of the posted form."""
    office_obj, case = _case_of(request, office, pk)
    posted_step = request.POST.get("step", "")
    step = case_doc(case).step_map.get(posted_step)
    try:
        record = case_act(
            case_id=case.pk,
            user=request.user,
            step=posted_step,
            outcome=request.POST.get("outcome") or None,
            note=request.POST.get("note", ""),
            data=action_data(step, request.POST),
            seen_seq=_seen_seq(request),
        )
    except CaseConflict:
        return _case_page(request, office_obj, case.pk, status=409, notice=CONFLICT_NOTICE)
    except CaseError as exc:
        errors = {"act": {_act_error_key(exc.field): str(exc)}}
        return _case_page(
            request, office_obj, case.pk, status=422, errors=errors, posted=request.POST
        )
    label = step_label(case_doc(case), record.step)
    messages.success(request, f"{label}: {outcome_label(record.kind, record.outcome)}.")
    return _after_change(request, office_obj, case.pk)


def _seen_seq(request: HttpRequest) -> int | None:
    """The step counter the form was shown at (checked by case_act under the row lock)."""
    seq = request.POST.get("seq", "")
    return int(seq) if seq.isdigit() else None


@login_required
@require_POST
def case_pause_view(request: HttpRequest, office: str, pk: int) -> HttpResponse:
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
def case_resume_view(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    office_obj, case = _case_of(request, office, pk)
    try:
        case_resume(case_id=case.pk, user=request.user)
    except CaseConflict as exc:
        return _case_page(request, office_obj, case.pk, status=409, notice=str(exc))
    messages.success(request, "Permohonan dilanjutkan.")
    return _after_change(request, office_obj, case.pk)


# ---- Attachments ---------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request: HttpRequest, office: str, pk: int) -> HttpResponse:
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


@login_required
def attachment_file(request: HttpRequest, office: str, pk: int, attachment: int) -> FileResponse:
    """A scan, to this office's staff only: attachments have no public media URL."""
    _office, case = _case_of(request, office, pk)
    item = get_object_or_404(case.attachments, pk=attachment)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Berkas lampiran tidak ada.") from exc
    response = FileResponse(handle, content_type=item.content_type, filename=item.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


# ---- Printed pages -------------------------------------------------------------------


def _tracking_url(request: HttpRequest, case: Case) -> str:
    return request.build_absolute_uri(reverse("track-case", args=[case.tracking_code]))


@login_required
def case_receipt(request: HttpRequest, office: str, pk: int) -> HttpResponse:
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
def case_referral_slip(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """The slip the applicant takes to whoever the case referred them to."""
    office_obj, case = _case_of(request, office, pk)
    referral = Referral.objects.filter(case=case).first()
    if referral is None:
        raise Http404("Permohonan ini tidak dirujuk.")
    tracking_url = _tracking_url(request, case)
    check = case.records.filter(kind=StepKind.REGISTRY_CHECK).order_by("-seq").first()
    context = {
        "office": office_obj,
        "case": case,
        "referral": referral,
        # Without a note from the officer, the register's answer is the reason.
        "reason": _record_summary(case_doc(case), check) if check else "",
        "person_name": case.subject_name or case.applicant_name,
        "tracking_url": tracking_url,
        "qr": qr_svg(tracking_url, label=f"QR kode lacak {case.tracking_code}"),
    }
    return render(request, "cases/referral_slip.html", context)
