"""Cases over the API: create, read, act on a step, list the offices' cases, public tracking.

Staff see only the cases of offices they work at (another office's case is a
404); the public tracking answer carries no personal data at all.
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from layan.cases import engine, sla
from layan.cases.models import Case, CaseState, Referral, StepRecord
from layan.cases.presenting import outcome_label
from layan.cases.selectors import case_by_tracking_code, case_for_staff, cases_listed
from layan.cases.services import (
    Applicant,
    Subject,
    case_act,
    case_create,
    case_doc,
    current_step,
    roles_of,
)
from layan.catalogue.rendering import KIND_LABELS
from layan.catalogue.schema import Step
from layan.offices.selectors import office_for_staff

router = Router()

MAX_LIMIT = 100


# --- input ---------------------------------------------------------------------------------


class ApplicantIn(Schema):
    """Who applies; the NIK is checked by the service so its reason names `applicant.nik`."""

    model_config = ConfigDict(extra="forbid")

    nik: str = Field(max_length=40)
    name: str = Field(max_length=200)
    phone: str = Field(default="", max_length=30)
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


class ActIn(Schema):
    """One action on the current step; a registry check takes no outcome."""

    model_config = ConfigDict(extra="forbid")

    step: str = Field(max_length=60)
    outcome: str | None = Field(default=None, max_length=40)
    note: str = Field(default="", max_length=4000)
    data: dict[str, Any] = {}


class CaseFilter(Schema):
    office: str = Field(default="", max_length=50)
    state: str = Field(default="", max_length=10)
    service: str = Field(default="", max_length=80)
    step: str = Field(default="", max_length=60)
    mine: bool = False
    overdue: bool = False
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0)

    @field_validator("state")
    @classmethod
    def _known_state(cls, state: str) -> str:
        if state and state not in CaseState.values:
            known = ", ".join(CaseState.values)
            raise PydanticCustomError("case_state", "pilih salah satu: {known}", {"known": known})
        return state


# --- output --------------------------------------------------------------------------------


class StepOut(Schema):
    """The current step: `role` is the staff role that acts on it (never the applicant)."""

    key: str
    kind: str
    label: str
    text: str
    actor: str
    actor_label: str
    role: str


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
    user: str | None
    started_at: datetime
    finished_at: datetime
    outcome: str
    note: str
    data: dict[str, Any]
    working_minutes: int | None


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
    step: StepOut | None
    can_act: bool
    outcomes: list[str]
    sla: SlaOut
    applicant: PersonOut
    subject: PersonOut | None
    history: list[RecordOut]
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


class CaseListOut(Schema):
    count: int
    items: list[CaseRowOut]


class TrackStepOut(Schema):
    label: str
    text: str
    finished_on: date
    outcome: str
    outcome_label: str


class TrackReferralOut(Schema):
    to: str
    fulfilled: bool


class TrackOut(Schema):
    """What anyone holding the tracking code may know: no names, NIKs, notes or data."""

    tracking_code: str
    office: str
    service: str
    state: str
    state_label: str
    steps: list[TrackStepOut]
    current_step: str | None
    expected_finish: datetime | None
    referral: TrackReferralOut | None


# --- presenting ----------------------------------------------------------------------------


def _step_out(case: Case, step: Step) -> StepOut:
    actor = case_doc(case).actors[step.actor]
    return StepOut(
        key=step.key,
        kind=step.kind.value,
        label=KIND_LABELS[step.kind],
        text=step.text,
        actor=step.actor,
        actor_label=actor.label,
        role=case.current_role,
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


def _case_out(case: Case, user) -> CaseOut:
    """The case for `user`: the outcomes offered depend on the roles they hold at its office."""
    step = current_step(case)
    can_act = (
        step is not None
        and case.state == CaseState.OPEN
        and case.current_role in roles_of(user, case.office)
    )
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
        step=_step_out(case, step) if step else None,
        can_act=can_act,
        outcomes=engine.choosable_outcomes(step) if can_act else [],
        sla=_sla_out(case),
        applicant=PersonOut(
            name=case.applicant_name,
            nik=case.applicant_nik,
            phone=case.applicant_phone,
            address=case.applicant_address,
        ),
        subject=subject,
        history=[_record_out(r) for r in records],
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
        started_at=record.started_at,
        finished_at=record.finished_at,
        outcome=record.outcome,
        note=record.note,
        data=record.data,
        working_minutes=record.working_minutes,
    )


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
    )


def _track_out(case: Case) -> TrackOut:
    doc = case_doc(case)
    zone = ZoneInfo(case.office.time_zone)
    steps = []
    for record in case.records.order_by("seq"):
        defined = doc.step_map.get(record.step)
        steps.append(
            TrackStepOut(
                label=KIND_LABELS[defined.kind] if defined else record.kind,
                text=defined.text if defined else "",
                finished_on=timezone.localtime(record.finished_at, zone).date(),
                outcome=record.outcome,
                outcome_label=outcome_label(record.kind, record.outcome),
            )
        )
    step = current_step(case)
    referral = _referral_of(case)
    return TrackOut(
        tracking_code=case.tracking_code,
        office=case.office.name,
        service=case.service.name,
        state=case.state,
        state_label=case.get_state_display(),
        steps=steps,
        current_step=(step.text or KIND_LABELS[step.kind]) if step else None,
        expected_finish=case.deadline,
        referral=TrackReferralOut(to=referral.to, fulfilled=referral.fulfilled_at is not None)
        if referral
        else None,
    )


# --- listing -------------------------------------------------------------------------------


# --- endpoints -----------------------------------------------------------------------------


@router.post(
    "/cases",
    response={201: CaseOut},
    summary="Daftarkan permohonan",
)
def case_new(request: HttpRequest, payload: CaseIn):
    """Register a request at an office the caller works at; the intake step is recorded."""
    office = office_for_staff(request.auth, payload.office)
    applicant = Applicant(**payload.applicant.model_dump())
    subject = payload.subject.to_subject() if payload.subject else None
    case = case_create(
        office=office,
        service_code=payload.service,
        applicant=applicant,
        subject=subject,
        user=request.auth,
    )
    return Status(201, _case_out(case, request.auth))


@router.get("/cases", response=CaseListOut, summary="Daftar permohonan")
def case_list(request: HttpRequest, filters: Query[CaseFilter]):
    """The caller's offices' cases, filtered; open ones first, most urgent first."""
    now = timezone.now()
    cases = cases_listed(request.auth, filters, now)
    page = cases[filters.offset : filters.offset + filters.limit]
    return CaseListOut(count=cases.count(), items=[_row_out(c, now) for c in page])


@router.get("/cases/{case_id}", response=CaseOut, summary="Baca permohonan")
def case_read(request: HttpRequest, case_id: int):
    """One case of the caller's offices, with the outcomes the caller may choose now."""
    return _case_out(case_for_staff(request.auth, case_id), request.auth)


@router.post("/cases/{case_id}/act", response=CaseOut, summary="Kerjakan langkah permohonan")
def case_step_act(request: HttpRequest, case_id: int, payload: ActIn):
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


@router.get("/track/{code}", auth=None, response=TrackOut, summary="Lacak permohonan")
def case_track(request: HttpRequest, code: str):
    """Public tracking by code: progress and dates only, nothing about the person."""
    return _track_out(case_by_tracking_code(code))
