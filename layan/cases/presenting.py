"""How cases read to people: step, actor and outcome labels, masked NIKs, time left.

Shared by the staff pages, the public tracking page and the API, so a step
is called the same everywhere.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.text import Truncator

from layan.cases import sla
from layan.cases.models import Case
from layan.cases.steps import kind_of
from layan.catalogue.schema import ServiceDoc
from layan.catalogue.selectors import version_doc
from layan.core.local_time import local


def step_label(doc: ServiceDoc, key: str) -> str:
    """The short name of a step ('Pemeriksaan kelengkapan'); its text is too long for a list."""
    step = doc.step_map.get(key)
    return kind_of(step.kind).label if step else key


def actor_label(doc: ServiceDoc, key: str) -> str:
    """Who does a step, as the SOP's actor column names it."""
    step = doc.step_map.get(key)
    return doc.actors[step.actor].label if step else ""


def outcome_label(kind: str, outcome: str) -> str:
    """'Lengkap', 'Terdaftar', 'Dikembalikan', 'Surat dibuat', …"""
    return kind_of(kind).outcome_label(outcome)


def nik_masked(nik: str) -> str:
    """A NIK with only its last four digits, for lists and the receipt."""
    return "•" * max(len(nik) - 4, 0) + nik[-4:]


@dataclass(frozen=True)
class Due:
    """Working time left before a deadline, or how late it is."""

    late: bool
    text: str


def due_of(case: Case, deadline: datetime | None, now: datetime) -> Due | None:
    if deadline is None:
        return None
    return Due(late=deadline < now, text=sla.remaining_text(case, deadline, now))


def promise_kept(case: Case) -> Due | None:
    """Whether an ended case kept the service's promise, in working time: a case ended
    after closing on its last day lost no working time and is on time."""
    if case.deadline is None or case.finished_at is None:
        return None
    if sla.working_minutes(case, case.deadline, case.finished_at) <= 0:
        return Due(late=False, text="tepat waktu")
    return Due(late=True, text=sla.remaining_text(case, case.deadline, case.finished_at))


def expected_finish(case: Case, doc: ServiceDoc) -> str:
    """The case's deadline (working time) and the service's promise it comes from."""
    promise = f"standar pelayanan: {doc.time_standard}" if doc.time_standard else ""
    if case.deadline is None:
        return promise or "—"
    when = f"paling lambat {local(case.deadline, case.office)}"
    return f"{when} ({promise})" if promise else when


# A queue line or list row shows this much of a return's reason; the case page all of it.
RETURN_REASON_SHORT = 80


@dataclass(frozen=True)
class Returned:
    """Why a case was sent back to the step it stands at: from which step, by whom, when."""

    at: datetime
    step: str
    step_label: str
    actor: str
    by: str
    reason: str

    @property
    def reason_short(self) -> str:
        return Truncator(" ".join(self.reason.split())).chars(RETURN_REASON_SHORT)


def returned_of(case: Case) -> Returned | None:
    """The return the case stands at, or None (not returned, or acted on since).

    Reads the definition only for a returned case: a list of cases asks every row.
    """
    record = case.return_record if case.is_returned else None
    if record is None or case.returned_at is None:
        return None
    doc = version_doc(case.version)
    return Returned(
        at=case.returned_at,
        step=record.step,
        step_label=step_label(doc, record.step),
        actor=actor_label(doc, record.step),
        by=record.user.name_with_nip if record.user else "sistem",
        reason=record.note,
    )
