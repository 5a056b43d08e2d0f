"""Cases over the API: create, read, act on a step, list the offices' cases, public tracking.

Staff see only the cases of offices they work at (another office's case is a
404); the public tracking answer carries no personal data at all.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from layan.cases import sla
from layan.cases.models import Attachment, Case, CaseState, Referral, StepRecord
from layan.cases.presenting import Returned, due_of, returned_of
from layan.cases.selectors import (
    SEARCH_MAX_LENGTH,
    attachment_response,
    case_corrections,
    case_for_staff,
    cases_listed,
)
from layan.cases.services import (
    Applicant,
    Subject,
    attachment_add,
    attachment_choices,
    case_act,
    case_can_act,
    case_correct,
    case_create,
    case_doc,
    case_pause,
    case_resume,
    current_step,
)
from layan.cases.steps import kind_of
from layan.cases.tracking import Tracking, case_tracking
from layan.catalogue.schema import ServiceDoc, Step
from layan.core.api_schema import BODY, responses
from layan.core.http import ApiRequest
from layan.core.uploads import SCAN_TYPES
from layan.offices.selectors import office_for_staff

router = Router()


MAX_LIMIT = 100
DUPLICATE_REASON_MAX = 300


# --- input ---------------------------------------------------------------------------------


class ApplicantIn(Schema):
    """Who applies; the NIK is checked by the service so its reason names `applicant.nik`."""

    model_config = ConfigDict(extra="forbid")

    nik: str = Field(max_length=40)
    name: str = Field(max_length=200)
    phone: str = Field(
        default="",
        max_length=30,
        description="Nomor Indonesia (08…, 628… atau +62 8…, boleh dengan spasi atau tanda "
        "hubung); disimpan sebagai +62…. Nomor lain ditolak (422, `applicant.phone`).",
    )
    address: str = Field(default="", max_length=300)


class SubjectIn(BaseModel):
    """The person the letter is about, when not the applicant; other keys are kept as data.

    A plain pydantic model: ninja's Schema drops the extra keys this one keeps.
    """

    model_config = ConfigDict(extra="allow")

    name: str = Field(default="", max_length=200)
    nik: str = Field(default="", max_length=40)
    relation: str = Field(default="", max_length=50)
    data: dict[str, Any] = {}

    def to_subject(self) -> Subject:
        return Subject(
            name=self.name,
            nik=self.nik,
            relation=self.relation,
            data={**self.data, **(self.model_extra or {})},
        )


class CaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    office: str = Field(max_length=50)
    service: str = Field(max_length=80)
    applicant: ApplicantIn
    subject: SubjectIn | None = None
    duplicate_reason: str = Field(
        default="",
        max_length=DUPLICATE_REASON_MAX,
        description="Alasan mendaftarkan permohonan baru walau orang yang sama (NIK yang "
        "dimohonkan, atau NIK pemohon bila tidak ada) masih punya permohonan berjalan untuk "
        "layanan yang sama di kantor ini. Tanpa alasan, jawabannya 422 dengan galat "
        "`duplicate_reason` yang menyebut kode lacak dan langkah permohonan itu.",
    )


class ActIn(Schema):
    """One action on the current step; a registry check takes no outcome."""

    model_config = ConfigDict(extra="forbid")

    step: str = Field(max_length=60)
    outcome: str | None = Field(default=None, max_length=40)
    note: str = Field(default="", max_length=4000)
    data: dict[str, Any] = {}


class PauseIn(Schema):
    """What the case waits for (the applicant's missing paper, another office's answer)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500)


class ApplicantPatch(Schema):
    """The applicant's values to correct; a field left out (or null) stays as it is."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, title="Nama pemohon")
    nik: str | None = Field(default=None, max_length=40, title="NIK pemohon")
    phone: str | None = Field(default=None, max_length=30, title="Telepon/WhatsApp")
    address: str | None = Field(default=None, max_length=300, title="Alamat")


class SubjectDataPatch(Schema):
    """The subject's data a letter reads (`{school}` is `sekolah`)."""

    model_config = ConfigDict(extra="forbid")

    sekolah: str | None = Field(default=None, max_length=200, title="Sekolah")


class SubjectPatch(Schema):
    """The child's or ward's values to correct; an empty name and NIK remove the subject."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, title="Nama anak/yang diwakili")
    nik: str | None = Field(default=None, max_length=40, title="NIK anak/yang diwakili")
    relation: str | None = Field(default=None, max_length=50, title="Hubungan dengan pemohon")
    data: SubjectDataPatch | None = None


class CaseCorrectIn(Schema):
    """A correction: only the fields given change. `seq` is the case's `seq` as last read:
    when given and the case has moved since, the answer is 409."""

    model_config = ConfigDict(extra="forbid")

    applicant: ApplicantPatch | None = None
    subject: SubjectPatch | None = None
    seq: int | None = Field(default=None, ge=0)

    def values(self) -> dict[str, str]:
        """The given values by field path ('subject.data.sekolah'), as case_correct takes them."""
        values: dict[str, str] = {}

        def flatten(prefix: str, part: dict[str, Any]) -> None:
            for key, value in part.items():
                if isinstance(value, dict):
                    flatten(f"{prefix}{key}.", value)
                elif value is not None:
                    values[f"{prefix}{key}"] = value

        flatten("", self.model_dump(exclude_none=True, exclude={"seq"}))
        return values


class CaseFilter(Schema):
    office: str = Field(default="", max_length=50)
    state: str = Field(default="", max_length=10)
    service: str = Field(default="", max_length=80)
    step: str = Field(default="", max_length=60)
    mine: bool = False
    overdue: bool = False
    q: str = Field(
        default="",
        max_length=SEARCH_MAX_LENGTH,
        description="Cari: kode lacak (dengan atau tanpa tanda hubung, huruf besar atau kecil), "
        "NIK pemohon atau yang dimohonkan (16 digit, persis), atau bagian nama pemohon atau "
        "yang dimohonkan (huruf besar/kecil sama).",
    )
    finished: bool = Field(
        default=False,
        description="Hanya permohonan yang berakhir (selesai, ditolak, dirujuk), terbaru dulu; "
        "hasilnya dipilih dengan `state`.",
    )
    finished_from: date | None = Field(
        default=None,
        description="Berakhir pada atau sesudah tanggal ini (zona waktu kantor); "
        "hanya permohonan yang berakhir.",
    )
    finished_to: date | None = Field(
        default=None,
        description="Berakhir pada atau sebelum tanggal ini (zona waktu kantor); "
        "hanya permohonan yang berakhir.",
    )
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0)

    @field_validator("office", "service", "step", "q")
    @classmethod
    def _no_control_characters(cls, text: str) -> str:
        # PostgreSQL refuses a NUL in a string outright (a server error, not an empty list).
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise PydanticCustomError("control_character", "tidak boleh memuat karakter kendali")
        return text

    @field_validator("finished_to")
    @classmethod
    def _period_in_order(cls, until: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("finished_from")
        if until is not None and since is not None and until < since:
            raise PydanticCustomError("period_order", "tidak boleh sebelum finished_from")
        return until

    @field_validator("state")
    @classmethod
    def _known_state(cls, state: str) -> str:
        if state and state not in CaseState.values:
            known = ", ".join(CaseState.values)
            raise PydanticCustomError("case_state", "pilih salah satu: {known}", {"known": known})
        return state


# --- output --------------------------------------------------------------------------------


class CaseStepOut(Schema):
    """The current step: `role` is the staff role that acts on it (never the applicant).

    `input_schema` is the JSON Schema of the `data` an action on it takes;
    `outcome_labels` names each outcome as the pages do. `data_initial` is what the
    page's form starts with on this case (at a checklist: the papers already ticked and
    those with a scan attached); the officer may change it, and it is applied only as
    sent in an action's `data`.
    """

    key: str
    kind: str
    label: str
    text: str
    actor: str
    actor_label: str
    role: str
    outcome_labels: dict[str, str]
    input_schema: dict[str, Any]
    data_initial: dict[str, Any]


class SlaOut(Schema):
    """Deadlines in the office's working time; null until a standard time applies.

    `remaining_minutes` counts working minutes to the step's deadline, negative
    once it has passed; the clock stands still while the case is paused.
    """

    step_deadline: datetime | None
    deadline: datetime | None
    overdue: bool
    remaining_minutes: int | None


class PersonOut(Schema):
    name: str
    nik: str
    phone: str = ""
    address: str = ""
    relation: str = ""
    data: dict[str, Any] = {}


class RecordOut(Schema):
    seq: int
    step: str
    kind: str
    role: str
    user: str | None = Field(description="Nama pengguna (akun) yang mengerjakan; null: sistem.")
    user_name: str | None = Field(
        default=None, description="Nama lengkap dan NIP-nya, seperti ditampilkan kepada orang."
    )
    started_at: datetime
    finished_at: datetime
    outcome: str
    note: str
    data: dict[str, Any]
    working_minutes: int | None


class ReturnOut(Schema):
    """Why the case was sent back to the step it stands at (in a list, the reason shortened)."""

    at: datetime
    step: str
    step_label: str
    actor: str
    by: str
    reason: str


class ChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str


class CorrectionOut(Schema):
    """One correction of the case's data: who, when, each value before and after."""

    at: datetime
    by: str
    changes: list[ChangeOut]


class ReferralOut(Schema):
    to: str
    nik: str
    fulfilled_at: datetime | None


class CaseOut(Schema):
    """A case as its office's staff see it; `outcomes` are what the caller may choose now."""

    id: int
    tracking_code: str
    office: str
    service: str
    service_name: str
    version: int
    state: str
    state_label: str
    seq: int
    step: CaseStepOut | None
    can_act: bool
    outcomes: list[str]
    returned: ReturnOut | None
    sla: SlaOut
    applicant: PersonOut
    subject: PersonOut | None
    history: list[RecordOut]
    corrections: list[CorrectionOut]
    created_at: datetime
    finished_at: datetime | None
    referral: ReferralOut | None


class CaseRowOut(Schema):
    """One line of the list: enough for a work queue, no history."""

    id: int
    tracking_code: str
    office: str
    service: str
    service_name: str
    state: str
    step: str | None
    role: str | None
    applicant_name: str
    created_at: datetime
    step_deadline: datetime | None
    deadline: datetime | None
    overdue: bool
    returned: ReturnOut | None
    step_remaining: str | None = Field(
        description="Sisa waktu kerja langkah ini, mis. 'sisa 1 jam 20 menit kerja' "
        "atau 'terlambat 35 menit kerja'; null tanpa batas langkah."
    )
    deadline_remaining: str | None = Field(
        description="Sisa waktu kerja sampai batas layanan (jangka waktu standar pelayanan); "
        "null tanpa batas atau setelah permohonan berakhir."
    )


class CaseListOut(Schema):
    count: int
    items: list[CaseRowOut]


class TrackStepOut(Schema):
    label: str
    text: str
    actor: str
    finished_on: date
    outcome: str
    outcome_label: str


class TrackReferralOut(Schema):
    """Where the case referred the person (`to`) and what they take there (`bring`)."""

    to: str
    fulfilled: bool
    bring: list[str] = []


class TrackOut(Schema):
    """What anyone holding the tracking code may know: no names, NIKs, notes or data.

    A case turned down (ditolak) or referred (dirujuk) says why in `reason`, written
    for the applicant without personal data (null for cases ended before reasons were
    told), the papers still missing in `missing` (requirement labels), and what to
    do next in `what_next`.
    """

    tracking_code: str
    office: str
    service: str
    state: str
    state_label: str
    steps: list[TrackStepOut]
    current_step: str | None
    expected_finish: datetime | None
    referral: TrackReferralOut | None
    reason: str | None = None
    missing: list[str] = []
    what_next: str | None = None


class AttachmentOut(Schema):
    id: int
    requirement: str
    requirement_label: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


# --- presenting ----------------------------------------------------------------------------


def step_input_out(doc: ServiceDoc, step: Step) -> dict[str, Any]:
    """What a client needs to act on a step: its outcomes' names and the schema of its data."""
    kind = kind_of(step.kind)
    return {
        "outcome_labels": {o: kind.outcome_label(o) for o in kind.choosable(step)},
        "input_schema": kind.input_schema(doc, step),
    }


def _step_out(case: Case, step: Step) -> CaseStepOut:
    doc = case_doc(case)
    return CaseStepOut(
        key=step.key,
        kind=step.kind.value,
        label=kind_of(step.kind).label,
        text=step.text,
        actor=step.actor,
        actor_label=doc.actors[step.actor].label,
        role=case.current_role,
        **step_input_out(doc, step),
        data_initial=kind_of(step.kind).data_initial(doc, step, case),
    )


def _signed_minutes(case: Case, start: datetime, end: datetime) -> int | None:
    if start <= end:
        return sla.working_minutes(case, start, end)
    minutes = sla.working_minutes(case, end, start)
    return None if minutes is None else -minutes


def _sla_out(case: Case) -> SlaOut:
    if not case.is_open:
        late = bool(case.deadline and case.finished_at and case.finished_at > case.deadline)
        return SlaOut(
            step_deadline=None, deadline=case.deadline, overdue=late, remaining_minutes=None
        )
    now = case.paused_at or timezone.now()
    overdue = any(d is not None and d < now for d in (case.step_deadline, case.deadline))
    remaining = _signed_minutes(case, now, case.step_deadline) if case.step_deadline else None
    return SlaOut(
        step_deadline=case.step_deadline,
        deadline=case.deadline,
        overdue=overdue,
        remaining_minutes=remaining,
    )


def _referral_of(case: Case) -> Referral | None:
    try:
        return case.referral
    except Referral.DoesNotExist:
        return None


def _return_out(returned: Returned | None, *, short: bool = False) -> ReturnOut | None:
    if returned is None:
        return None
    return ReturnOut(
        at=returned.at,
        step=returned.step,
        step_label=returned.step_label,
        actor=returned.actor,
        by=returned.by,
        reason=returned.reason_short if short else returned.reason,
    )


def _case_out(case: Case, user) -> CaseOut:
    """The case for `user`: the outcomes offered depend on the roles they hold at its office."""
    step = current_step(case)
    can_act = step is not None and case_can_act(case, user)
    records = case.records.select_related("user").order_by("seq")
    referral = _referral_of(case)
    subject = None
    if case.subject_name or case.subject_nik or case.subject_data:
        subject = PersonOut(
            name=case.subject_name,
            nik=case.subject_nik,
            relation=case.subject_relation,
            data=case.subject_data,
        )
    return CaseOut(
        id=case.pk,
        tracking_code=case.tracking_code,
        office=case.office.slug,
        service=case.service.code,
        service_name=case.service.name,
        version=case.version.number,
        state=case.state,
        state_label=case.get_state_display(),
        seq=case.step_seq,
        step=_step_out(case, step) if step else None,
        can_act=can_act,
        outcomes=kind_of(step.kind).choosable(step) if step and can_act else [],
        returned=_return_out(returned_of(case)),
        sla=_sla_out(case),
        applicant=PersonOut(
            name=case.applicant_name,
            nik=case.applicant_nik,
            phone=case.applicant_phone,
            address=case.applicant_address,
        ),
        subject=subject,
        history=[_record_out(r) for r in records],
        corrections=[
            CorrectionOut(
                at=item.at,
                by=item.by,
                changes=[ChangeOut(**vars(change)) for change in item.changes],
            )
            for item in case_corrections(case)
        ],
        created_at=case.created_at,
        finished_at=case.finished_at,
        referral=ReferralOut(to=referral.to, nik=referral.nik, fulfilled_at=referral.fulfilled_at)
        if referral
        else None,
    )


def _record_out(record: StepRecord) -> RecordOut:
    return RecordOut(
        seq=record.seq,
        step=record.step,
        kind=record.kind,
        role=record.role,
        user=record.user.username if record.user else None,
        user_name=record.user.name_with_nip if record.user else None,
        started_at=record.started_at,
        finished_at=record.finished_at,
        outcome=record.outcome,
        note=record.note,
        data=record.data,
        working_minutes=record.working_minutes,
    )


def _remaining(case: Case, deadline: datetime | None, now: datetime) -> str | None:
    due = due_of(case, deadline, now) if case.is_open else None
    return due.text if due else None


def _row_out(case: Case, now: datetime) -> CaseRowOut:
    overdue = case.state == CaseState.OPEN and any(
        d is not None and d < now for d in (case.step_deadline, case.deadline)
    )
    return CaseRowOut(
        id=case.pk,
        tracking_code=case.tracking_code,
        office=case.office.slug,
        service=case.service.code,
        service_name=case.service.name,
        state=case.state,
        step=case.current_step or None,
        role=case.current_role or None,
        applicant_name=case.applicant_name,
        created_at=case.created_at,
        step_deadline=case.step_deadline,
        deadline=case.deadline,
        overdue=overdue,
        returned=_return_out(returned_of(case), short=True),
        step_remaining=_remaining(case, case.step_deadline, now),
        deadline_remaining=_remaining(case, case.deadline, now),
    )


def _track_out(tracking: Tracking) -> TrackOut:
    told = tracking.told
    return TrackOut(
        tracking_code=tracking.tracking_code,
        office=tracking.office.name,
        service=tracking.service,
        state=tracking.state,
        state_label=tracking.state_label,
        steps=[
            TrackStepOut(
                label=step.label,
                text=step.text,
                actor=step.actor,
                finished_on=step.finished_on,
                outcome=step.outcome,
                outcome_label=step.outcome_label,
            )
            for step in tracking.steps
        ],
        current_step=(tracking.current_text or tracking.current) or None,
        expected_finish=tracking.expected_finish,
        referral=TrackReferralOut(
            to=tracking.referral.to,
            fulfilled=tracking.referral.fulfilled_at is not None,
            bring=told.bring if told else [],
        )
        if tracking.referral
        else None,
        reason=(told.reason or None) if told else None,
        missing=told.missing if told else [],
        what_next=(told.next_text or None) if told else None,
    )


def _attachment_out(attachment: Attachment, labels: dict[str, str]) -> AttachmentOut:
    uploader = attachment.uploaded_by
    return AttachmentOut(
        id=attachment.pk,
        requirement=attachment.requirement,
        requirement_label=labels.get(attachment.requirement, attachment.requirement),
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        uploaded_at=attachment.uploaded_at,
        uploaded_by=uploader.name_with_nip,
    )


# --- listing -------------------------------------------------------------------------------


# --- endpoints -----------------------------------------------------------------------------


@router.post(
    "/cases",
    response=responses(CaseOut, 401, 403, 404, *BODY, status=201),
    summary="Daftarkan permohonan",
)
def case_new(request: ApiRequest, payload: CaseIn):
    """Register a request at an office the caller works at; the intake step is recorded.

    Only the front office registers (403 for other roles, as on the page). While the
    same person has an open case for the service here, `duplicate_reason` is needed
    (422 naming the open case)."""
    office = office_for_staff(request.auth, payload.office)
    applicant = Applicant(**payload.applicant.model_dump())
    subject = payload.subject.to_subject() if payload.subject else None
    case = case_create(
        office=office,
        service_code=payload.service,
        applicant=applicant,
        subject=subject,
        user=request.auth,
        duplicate_reason=payload.duplicate_reason,
    )
    return Status(201, _case_out(case, request.auth))


@router.get("/cases", response=responses(CaseListOut, 401, 404, 422), summary="Daftar permohonan")
def case_list(request: ApiRequest, filters: Query[CaseFilter]):
    """The caller's offices' cases, filtered; open ones first, most urgent first."""
    now = timezone.now()
    cases = cases_listed(request.auth, filters, now)
    page = cases[filters.offset : filters.offset + filters.limit]
    return CaseListOut(count=cases.count(), items=[_row_out(c, now) for c in page])


@router.get(
    "/cases/{case_id}", response=responses(CaseOut, 401, 404, 422), summary="Baca permohonan"
)
def case_read(request: ApiRequest, case_id: int):
    """One case of the caller's offices, with the outcomes the caller may choose now."""
    return _case_out(case_for_staff(request.auth, case_id), request.auth)


@router.post(
    "/cases/{case_id}/act",
    response=responses(CaseOut, 401, 403, 404, 409, *BODY),
    summary="Kerjakan langkah permohonan",
)
def case_step_act(request: ApiRequest, case_id: int, payload: ActIn):
    """Do the current step: 409 if it is not current any more, 403 without the step's role."""
    case_for_staff(request.auth, case_id)  # another office's case: 404, not 403
    case_act(
        case_id=case_id,
        user=request.auth,
        step=payload.step,
        outcome=payload.outcome,
        note=payload.note,
        data=payload.data,
    )
    return _case_out(case_for_staff(request.auth, case_id), request.auth)


@router.patch(
    "/cases/{case_id}",
    response=responses(CaseOut, 401, 403, 404, 409, *BODY),
    summary="Koreksi data permohonan",
)
def case_correct_api(request: ApiRequest, case_id: int, payload: CaseCorrectIn):
    """Correct the applicant, the subject and the letter's data (the front office, while the
    case stands at one of its steps: else 409); every change is recorded in `corrections`."""
    case_for_staff(request.auth, case_id)  # another office's case: 404, not 403
    case_correct(case_id=case_id, user=request.auth, values=payload.values(), seen_seq=payload.seq)
    return _case_out(case_for_staff(request.auth, case_id), request.auth)


@router.post(
    "/cases/{case_id}/pause",
    response=responses(CaseOut, 401, 403, 404, 409, *BODY),
    summary="Jeda permohonan",
)
def case_step_pause(request: ApiRequest, case_id: int, payload: PauseIn):
    """Stop the clock while the case waits; 409 if it is not running."""
    case_for_staff(request.auth, case_id)
    case_pause(case_id=case_id, user=request.auth, reason=payload.reason)
    return _case_out(case_for_staff(request.auth, case_id), request.auth)


@router.post(
    "/cases/{case_id}/resume",
    response=responses(CaseOut, 401, 403, 404, 409, 422),
    summary="Lanjutkan permohonan",
)
def case_step_resume(request: ApiRequest, case_id: int):
    """Restart the clock; the deadlines move by the working time the pause took."""
    case_for_staff(request.auth, case_id)
    case_resume(case_id=case_id, user=request.auth)
    return _case_out(case_for_staff(request.auth, case_id), request.auth)


@router.get(
    "/track/{code}", auth=None, response=responses(TrackOut, 404), summary="Lacak permohonan"
)
def case_track(request: HttpRequest, code: str):
    """Public tracking by code: progress and dates only, nothing about the person."""
    return _track_out(case_tracking(code))


@router.get(
    "/cases/{case_id}/attachments",
    response=responses(list[AttachmentOut], 401, 404, 422),
    summary="Daftar lampiran",
)
def case_attachments(request: ApiRequest, case_id: int):
    """The scans kept for a case, oldest first."""
    case = case_for_staff(request.auth, case_id)
    labels = attachment_choices(case_doc(case))
    items = case.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")
    return [_attachment_out(item, labels) for item in items]


@router.post(
    "/cases/{case_id}/attachments",
    response=responses(AttachmentOut, 401, 403, 404, 409, *BODY, status=201),
    summary="Lampirkan berkas",
)
def case_attachment_new(
    request: ApiRequest, case_id: int, requirement: Form[str], file: File[UploadedFile]
):
    """Keep a scan (PDF, JPEG or PNG, judged by its content and opened by a parser) for a
    requirement or a photo/file field of a form step; `requirement` is the key the service
    listing and `input_schema` name. A file over CASE_MAX_ATTACHMENT_BYTES (10 MB unless
    LAYAN_CASE_MAX_ATTACHMENT_MB says otherwise) is refused, with 413 from the Content-Length
    alone when the body is that large."""
    case = case_for_staff(request.auth, case_id)  # another office's case: 404, not 403
    item = attachment_add(case_id=case.pk, user=request.auth, requirement=requirement,
                          upload=file)  # fmt: skip
    return Status(201, _attachment_out(item, attachment_choices(case_doc(case))))


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response=responses(None, 401, 404, 422),
    summary="Unduh lampiran",
    openapi_extra={"responses": {200: {"content": {t: {} for t in SCAN_TYPES}}}},
)
def case_attachment_file(request: ApiRequest, case_id: int, attachment_id: int):
    """The scan itself, to the case office's staff only."""
    return attachment_response(case_for_staff(request.auth, case_id), attachment_id)
