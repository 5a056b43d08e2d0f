"""Two officers acting on the same step at the same moment: one wins, the other is told."""

import threading

import pytest
from django.db import connection

from layan.cases.models import StepRecord
from layan.cases.services import Applicant, CaseConflict, case_act, case_create
from layan.offices.models import Office


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database locks whole tables across threads",
)
@pytest.mark.django_db(transaction=True)
def test_double_action_gives_one_success_and_one_conflict(office_register, make_user):
    office = Office.objects.get(slug="bone")
    first = make_user("petugas.satu", bone=["petugas"])
    second = make_user("petugas.dua", bone=["petugas"])
    case = case_create(
        office=office, service_code="rekomendasi-kip", user=first,
        applicant=Applicant(name="Ibu Sari", nik=office_register["bone"]["registered"]),
    )  # fmt: skip
    start = threading.Barrier(2)
    results: list[str] = []

    def act(user):
        start.wait()
        try:
            case_act(case_id=case.pk, user=user, step="periksa", outcome="lengkap",
                     data={"checked": ["kartu_pelajar", "kk"]})  # fmt: skip
            results.append("ok")
        except CaseConflict:
            results.append("conflict")
        except Exception as exc:  # reported, so a failure says what happened
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]
    assert StepRecord.objects.filter(case=case, step="periksa").count() == 1
    case.refresh_from_db()
    assert case.current_step == "cek_dtks"
