"""Fixtures for cases: each seed office with a register and staff in every role."""

from datetime import datetime

import pytest
from django.utils import timezone

from layan.cases.tests.revision import bone_staff, returned_case  # noqa: F401
from layan.offices.models import Office, Role
from layan.registry.importing import registry_import
from layan.registry.tests.factories import make_nik, person, write_dtks

ALL_ROLES = [role.value for role in Role]


@pytest.fixture
def office_register(seeded, tmp_path):
    """For each office: one registered NIK and one valid NIK that is not registered."""
    niks = {}
    for office in Office.objects.all():
        regency = office.region_code.replace(".", "")
        registered = make_nik(regency, serial=11)
        rows = [person(11, nik=registered, kode_kabupaten=regency)]
        path = write_dtks(tmp_path / f"{office.slug}.csv", rows)
        registry_import(path=path, source="dtks", period="2026-09", region=office.region_code)
        niks[office.slug] = {"registered": registered, "unknown": make_nik(regency, serial=12)}
    return niks


@pytest.fixture
def all_roles_user(make_user):
    """A user holding every role at an office: walks any path alone."""

    def make(slug: str):
        return make_user(f"semua.{slug}", **{slug: ALL_ROLES})

    return make


@pytest.fixture
def clock(monkeypatch):
    """Set the time every service and auto_now field sees: clock.at(datetime)."""

    class Clock:
        now = timezone.now()

        def at(self, moment: datetime) -> datetime:
            self.now = moment
            return moment

    instance = Clock()
    monkeypatch.setattr(timezone, "now", lambda: instance.now)
    return instance
