"""Deadlines of a case and its steps, counted in the office's working time.

The office's calendar (hours, national holidays, cuti bersama) and the case's
pauses (waiting for the applicant or an outside party) decide every figure.
"""

from datetime import datetime

from django.utils import timezone

from layan.catalogue.schema import ServiceDoc, Step
from layan.core.caching import ProcessCache
from layan.offices.calendar import WorkCalendar, calendar_for

Pause = tuple[datetime, datetime | None]


# An office's calendar (hours, days off) changes a few times a year; a page of fifty
# cases must not rebuild it fifty times. Kept per process for CALENDAR_CACHE_SECONDS.
CALENDAR_CACHE_SECONDS = 60.0
_calendars: ProcessCache[int, WorkCalendar] = ProcessCache(CALENDAR_CACHE_SECONDS)


def calendar_cache_clear() -> None:
    _calendars.clear()


def _calendar(case) -> WorkCalendar:
    return _calendars.get(case.office_id, lambda _: calendar_for(case.office))


def pauses_of(case) -> list[Pause]:
    return [
        (
            datetime.fromisoformat(p["start"]),
            datetime.fromisoformat(p["end"]) if p.get("end") else None,
        )
        for p in case.pauses
    ]


def step_deadline(case, step: Step, start: datetime) -> datetime | None:
    """When the step's standard time runs out; None without one or while paused."""
    if step.time is None:
        return None
    return _calendar(case).deadline_for(start, step.time, pauses=pauses_of(case))


def case_deadline(case, doc: ServiceDoc) -> datetime | None:
    """When the service's promise (jangka waktu) runs out for this case."""
    duration = doc.time_standard or doc.total_time
    if duration is None:
        return None
    start = case.created_at or timezone.now()
    return _calendar(case).deadline_for(start, duration, pauses=pauses_of(case))


def working_minutes(case, start: datetime, end: datetime) -> int:
    """Working minutes a step took, not counting pauses."""
    return max(_calendar(case).working_minutes_between(start, end, pauses=pauses_of(case)), 0)


def remaining_text(case, deadline: datetime | None, now: datetime | None = None) -> str:
    """'sisa 1 jam 20 menit kerja' / 'terlambat 2 hari kerja 3 jam', or '—' without a deadline."""
    if deadline is None:
        return "—"
    return _calendar(case).remaining_text(deadline, now or timezone.now())
