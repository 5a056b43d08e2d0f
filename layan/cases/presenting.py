"""How cases read to people: step, actor and outcome labels, masked NIKs, time left.

Shared by the staff pages, the public tracking page and the API, so a step
is called the same everywhere.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from layan.cases import sla
from layan.cases.models import Case
from layan.cases.steps import kind_of
from layan.catalogue.schema import ServiceDoc


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
    local = timezone.localtime(case.deadline, ZoneInfo(case.office.time_zone))
    when = f"paling lambat {local:%d/%m/%Y %H:%M} {local.tzname()}"
    return f"{when} ({promise})" if promise else when
