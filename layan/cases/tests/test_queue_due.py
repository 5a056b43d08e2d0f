"""The work queue shows, beside the step's own due, the working time left to the
service's promise (the case's deadline), on the page and in the API's list."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from layan.cases.models import Case
from layan.cases.services import Applicant, case_create
from layan.core.api_auth import token_issue
from layan.offices.models import Office

WITA = ZoneInfo("Asia/Makassar")
# A Tuesday morning at Bone: the KIP recommendation promises 15 working minutes.
REGISTERED_AT = datetime(2026, 11, 24, 10, 0, tzinfo=WITA)


@pytest.fixture
def ani(office_register, make_user):
    return make_user("ani", bone=["petugas"])


@pytest.fixture
def case(office_register, ani, clock):
    clock.at(REGISTERED_AT)
    made = case_create(
        office=Office.objects.get(slug="bone"),
        service_code="rekomendasi-kip",
        user=ani,
        applicant=Applicant(name="Ibu Sari", nik=office_register["bone"]["registered"]),
    )
    assert made.deadline == REGISTERED_AT + timedelta(minutes=15)
    return made


def row_of(client, case) -> str:
    page = client.get(reverse("case-queue", args=["bone"])).content.decode()
    start = page.index(case.tracking_code)
    return page[start : page.index("</tr>", start)]


def test_the_queue_shows_the_time_left_to_the_services_promise(client, ani, case, clock):
    clock.at(REGISTERED_AT + timedelta(minutes=5))
    client.force_login(ani)
    row = row_of(client, case)
    assert 'layanan: <span class="due">sisa 10 menit kerja</span>' in row


def test_a_broken_promise_is_late_even_when_the_step_is_not(client, ani, case, clock):
    Case.objects.filter(pk=case.pk).update(step_deadline=REGISTERED_AT + timedelta(minutes=90))
    clock.at(REGISTERED_AT + timedelta(minutes=50))
    client.force_login(ani)
    page = client.get(reverse("case-queue", args=["bone"])).content.decode()
    row = row_of(client, case)
    assert 'langkah: <span class="due">sisa 40 menit kerja</span>' in row
    assert 'layanan: <span class="overdue">terlambat 35 menit kerja</span>' in row
    assert '<tr class="late">' in page


def test_a_case_without_a_promise_shows_none(client, ani, case, clock):
    Case.objects.filter(pk=case.pk).update(deadline=None)
    client.force_login(ani)
    row = row_of(client, case)
    assert "layanan:" not in row
    assert "—" in row


def test_the_api_list_gives_both_times_left_in_words(client, ani, case, clock):
    Case.objects.filter(pk=case.pk).update(step_deadline=REGISTERED_AT + timedelta(minutes=90))
    clock.at(REGISTERED_AT + timedelta(minutes=50))
    headers = {"Authorization": f"Bearer {token_issue(user=ani)}"}
    item = client.get("/api/v1/cases", headers=headers).json()["items"][0]
    assert item["step_remaining"] == "sisa 40 menit kerja"
    assert item["deadline_remaining"] == "terlambat 35 menit kerja"
    assert item["overdue"] is True


def test_the_api_list_has_no_time_left_without_a_deadline(client, ani, case):
    Case.objects.filter(pk=case.pk).update(deadline=None)
    headers = {"Authorization": f"Bearer {token_issue(user=ani)}"}
    item = client.get("/api/v1/cases", headers=headers).json()["items"][0]
    assert item["step_remaining"] is None and item["deadline_remaining"] is None
