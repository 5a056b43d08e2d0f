"""Deadlines of a case and its steps, counted in the office's working time."""

from datetime import datetime

from layan.catalogue.schema import ServiceDoc, Step


def step_deadline(case, step: Step, start: datetime) -> datetime | None:
    return None


def case_deadline(case, doc: ServiceDoc) -> datetime | None:
    return None


def working_minutes(case, start: datetime, end: datetime) -> int | None:
    return None
