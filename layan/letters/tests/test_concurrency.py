"""Fifty letters signed at the same moment on PostgreSQL: numbers unique and consecutive."""

import threading

import pytest
from django.db import connection

from layan.cases.services import case_act
from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind
from layan.letters.keys import signer_key_for
from layan.letters.models import Letter

SIGNINGS = 50


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database locks whole tables across threads",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_signings_take_fifty_consecutive_numbers(walk):
    cases = [walk("bone", until=StepKind.SIGN, name=f"Anak{i}")[0] for i in range(SIGNINGS)]
    user = walk("bone", until=StepKind.SIGN, name="Terakhir")[1]
    signer_key_for(cases[0].office, user)  # made once before, so the race is on the number only
    start = threading.Barrier(SIGNINGS)
    errors: list[str] = []

    def sign(case_id: int) -> None:
        try:
            start.wait()
            case_act(case_id=case_id, user=user, step="ttd_kadin", outcome="setuju",
                     data={"password": PASSWORD})  # fmt: skip
        except Exception as exc:  # reported, so a failure says what happened
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(case.pk,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(Letter.objects.filter(case__in=cases).values_list("seq", flat=True))
    assert seqs == list(range(1, SIGNINGS + 1))
    numbers = Letter.objects.filter(case__in=cases).values_list("number", flat=True)
    assert len(set(numbers)) == SIGNINGS
