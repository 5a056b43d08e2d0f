"""Public tracking of a case by its code, built once for the page and the API.

Anyone holding the code may look, so it names the office, the service, the
steps done with their dates and outcomes, the step it stands at and the
expected finish; never the applicant's name, NIK, the notes, the data or the
officers who acted. A case turned down or referred also says why (the reason
the officer wrote in the field meant for the applicant, checked for personal
data when it was given) and what to do next: the papers still missing, where the
referral goes and what to take there.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from layan.cases.models import Case, CaseState, Referral, StepRecord
from layan.cases.presenting import actor_label, expected_finish, outcome_label, step_label
from layan.cases.selectors import case_by_tracking_code
from layan.cases.steps import kind_of
from layan.catalogue.schema import ServiceDoc
from layan.catalogue.selectors import version_doc
from layan.offices.models import Office


@dataclass(frozen=True)
class TrackedStep:
    """One step done, as the public sees it: what, by which post, when, with what result."""

    label: str
    text: str
    actor: str
    finished_at: datetime
    finished_on: date  # in the office's own calendar
    outcome: str
    outcome_label: str


@dataclass(frozen=True)
class TrackedReferral:
    to: str
    fulfilled_at: datetime | None
    # 'data DTKS per September 2026': the snapshot that holds the person now.
    fulfilled_by: str


@dataclass(frozen=True)
class Told:
    """What the applicant is told when the case turned them away: why, and what to do next."""

    reason: str
    missing: list[str]  # labels of the papers still missing
    to: str  # where the referral sends them
    bring: list[str]  # what they take there
    next_text: str  # the same in one sentence


@dataclass(frozen=True)
class Tracking:
    office: Office
    tracking_code: str
    service: str
    state: str
    state_label: str
    created_at: datetime
    finished_at: datetime | None
    is_open: bool
    steps: list[TrackedStep]
    current: str  # the step it stands at ('' once ended)
    current_text: str
    current_actor: str
    expected_finish: datetime | None
    expected_text: str
    referral: TrackedReferral | None
    told: Told | None


def case_tracking(code: str) -> Tracking:
    """The public view of the case behind a tracking code, or 404 (Http404)."""
    case = case_by_tracking_code(code)
    doc = version_doc(case.version)
    step = doc.step_map.get(case.current_step) if case.is_open else None
    return Tracking(
        office=case.office,
        tracking_code=case.tracking_code,
        service=case.service.name,
        state=case.state,
        state_label=case.get_state_display(),
        created_at=case.created_at,
        finished_at=case.finished_at,
        is_open=case.is_open,
        steps=_steps(case, doc),
        current=step_label(doc, step.key) if step else "",
        current_text=step.text if step else "",
        current_actor=actor_label(doc, step.key) if step else "",
        expected_finish=case.deadline,
        expected_text=expected_finish(case, doc),
        referral=_referral(case),
        told=_told_of_case(case, doc),
    )


def told_of(office: Office, doc: ServiceDoc, record: StepRecord) -> Told | None:
    """What the record that ended a case as ditolak/dirujuk tells the applicant (the page's
    confirmation shows it before the record is written)."""
    step = doc.step_map.get(record.step)
    if step is None:
        return None
    data = record.data or {}
    ending = kind_of(step.kind).ending(doc, step, data)
    sentences = []
    if ending.missing:
        sentences.append(
            f"Lengkapi persyaratan yang belum ada, lalu ajukan permohonan kembali ke {office.name}."
        )
    if ending.to:
        bring = f" dengan membawa {'; '.join(ending.bring)}" if ending.bring else ""
        sentences.append(
            f"Datang ke {ending.to}{bring}. Setelah terdaftar, permohonan dapat diajukan "
            f"kembali ke {office.name}."
        )
    return Told(
        # Records written before reasons were told to applicants carry none: their notes
        # were written for officers, so they are never shown here.
        reason=str(data.get("reason", "")),
        missing=ending.missing,
        to=ending.to,
        bring=ending.bring,
        next_text=" ".join(sentences),
    )


def _told_of_case(case: Case, doc: ServiceDoc) -> Told | None:
    if case.state not in (CaseState.REJECTED, CaseState.REFERRED):
        return None
    last = case.records.order_by("-seq").only("step", "kind", "data").first()
    return told_of(case.office, doc, last) if last else None


def _steps(case: Case, doc: ServiceDoc) -> list[TrackedStep]:
    zone = ZoneInfo(case.office.time_zone)
    records = case.records.order_by("seq").only("step", "kind", "outcome", "finished_at")
    return [
        TrackedStep(
            label=step_label(doc, record.step),
            text=doc.step_map[record.step].text if record.step in doc.step_map else "",
            actor=actor_label(doc, record.step),
            finished_at=record.finished_at,
            finished_on=timezone.localtime(record.finished_at, zone).date(),
            outcome=record.outcome,
            outcome_label=outcome_label(record.kind, record.outcome),
        )
        for record in records
    ]


def _referral(case: Case) -> TrackedReferral | None:
    referral = Referral.objects.filter(case=case).select_related("fulfilled_snapshot").first()
    if referral is None:
        return None
    snapshot = referral.fulfilled_snapshot
    by = snapshot.data_label if snapshot else ""
    return TrackedReferral(to=referral.to, fulfilled_at=referral.fulfilled_at, fulfilled_by=by)
