"""Lookups: the person and household, named snapshot, office scope, and a log of every one."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layan.core.api_auth import token_issue
from layan.core.models import ApiToken
from layan.core.nik import NikError
from layan.offices.models import Office
from layan.registry.importing import registry_import
from layan.registry.models import LookupLog
from layan.registry.services import registry_lookup
from layan.registry.tests.factories import make_nik, people, person, write_dtks


@pytest.fixture
def bone_register(seeded, tmp_path):
    rows = [*people(30), person(500, kk_serial=2), person(501, kk_serial=2, female=True)]
    return registry_import(
        path=write_dtks(tmp_path / "bone.csv", rows), source="dtks", period="2026-09"
    )


@pytest.fixture
def bone_officer(make_user):
    return make_user("petugas.bone", bone=["petugas"])


def _bone() -> Office:
    return Office.objects.get(slug="bone")


def test_lookup_by_nik_gives_person_household_and_period(bone_register, bone_officer):
    nik = person(500).nik
    result = registry_lookup(office=_bone(), user=bone_officer, nik=nik)
    assert result.found
    assert result.person.nik == nik
    assert result.snapshot == bone_register
    assert result.source_label == "data DTKS per September 2026"
    household_niks = {p.nik for p in result.household}
    assert nik in household_niks
    assert person(501, female=True).nik in household_niks
    assert all(p.no_kk == result.person.no_kk for p in result.household)


def test_lookup_by_kk_gives_the_household(bone_register, bone_officer):
    no_kk = person(500, kk_serial=2).no_kk
    result = registry_lookup(office=_bone(), user=bone_officer, no_kk=no_kk)
    assert result.found
    assert result.person is None
    assert len(result.household) >= 2


def test_unknown_nik_is_not_registered(bone_register, bone_officer):
    result = registry_lookup(office=_bone(), user=bone_officer, nik=make_nik(serial=9000))
    assert not result.found
    assert "Tidak terdaftar dalam register kantor ini" in result.message
    assert "September 2026" in result.message


def test_person_outside_the_office_region_is_answered_as_unknown(seeded, tmp_path, make_user):
    # One province-wide file: people of Bone (73.08) and of Kota Makassar (73.71).
    makassar_nik = make_nik("7371", serial=77)
    rows = [*people(30), person(77, nik=makassar_nik, kode_kabupaten="7371")]
    snapshot = registry_import(
        path=write_dtks(tmp_path / "sulsel.csv", rows), source="dtks", period="2026-09"
    )
    assert snapshot.region_code == "73"
    officer = make_user("petugas.bone", bone=["petugas"])
    outside = registry_lookup(office=_bone(), user=officer, nik=makassar_nik)
    inside = registry_lookup(office=_bone(), user=officer, nik=person(1).nik)
    assert inside.found and inside.snapshot == snapshot
    assert not outside.found
    assert outside.person is None and outside.household == []
    assert (
        outside.message
        == registry_lookup(office=_bone(), user=officer, nik=make_nik(serial=9001)).message
    )


def test_another_offices_staff_are_refused(bone_register, make_user):
    bima_officer = make_user("petugas.bima", bima=["petugas"])
    with pytest.raises(PermissionDenied):
        registry_lookup(office=_bone(), user=bima_officer, nik=person(1).nik)
    assert not LookupLog.objects.exists()


def test_office_without_register_data_says_so(seeded, make_user):
    officer = make_user("petugas.blitar", blitar=["petugas"])
    result = registry_lookup(
        office=Office.objects.get(slug="blitar"), user=officer, nik=make_nik("3572", serial=1)
    )
    assert not result.found
    assert "belum ada data register" in result.message


@pytest.mark.parametrize(
    ("nik", "reason"),
    [("123", "16 digit"), ("9908011209630001", "provinsi"), ("7308013102630001", "tanggal")],
)
def test_invalid_nik_is_refused_with_the_reason(bone_register, bone_officer, nik, reason):
    with pytest.raises(NikError) as info:
        registry_lookup(office=_bone(), user=bone_officer, nik=nik)
    assert reason in info.value.reason


def test_every_lookup_is_logged(bone_register, bone_officer):
    registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik, case_ref="K-1")
    registry_lookup(office=_bone(), user=bone_officer, nik=make_nik(serial=9000))
    registry_lookup(office=_bone(), user=bone_officer, no_kk=person(1).no_kk)
    logs = list(LookupLog.objects.order_by("pk"))
    assert [(log.nik, log.no_kk, log.found, log.case_ref) for log in logs] == [
        (person(1).nik, "", True, "K-1"),
        (make_nik(serial=9000), "", False, ""),
        ("", person(1).no_kk, True, ""),
    ]
    assert all(log.user == bone_officer and log.snapshot == bone_register for log in logs)


def test_the_log_time_is_stored_as_django_stores_it(bone_register, bone_officer):
    # The time is written on the driver, not through the ORM: Django must read it back
    # as the moment of the lookup and compare it with times it writes itself.
    before = timezone.now()
    registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik)
    after = timezone.now()
    log = LookupLog.objects.get()
    assert before <= log.at <= after and log.at.tzinfo is not None
    assert LookupLog.objects.filter(at__gte=before, at__lte=after).count() == 1
    assert LookupLog.objects.filter(at__gt=after).count() == 0


def test_log_rows_cannot_be_changed(bone_register, bone_officer):
    registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik)
    log = LookupLog.objects.get()
    log.found = False
    with pytest.raises(ValueError, match="tidak boleh diubah"):
        log.save()


def test_whoever_and_wherever_a_log_names_cannot_be_deleted(bone_register, bone_officer):
    # The log has no foreign keys in the database (they cost every lookup); Django's
    # PROTECT keeps what it names.
    registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik)
    with pytest.raises(ProtectedError):
        bone_officer.delete()
    with pytest.raises(ProtectedError):
        _bone().delete()
    assert LookupLog.objects.get().user == bone_officer


def test_failed_imports_are_seen_only_by_the_office_that_made_them(seeded, tmp_path, settings):
    from layan.registry.importing import RegistryImportError
    from layan.registry.selectors import snapshot_report_visible, snapshots_of_office

    settings.REGISTRY_MAX_REJECTED = 0.01
    bone, bima = _bone(), Office.objects.get(slug="bima")
    rows = [*people(20), person(900, desil="99")]
    with pytest.raises(RegistryImportError) as info:
        registry_import(path=write_dtks(tmp_path / "a.csv", rows), source="dtks",
                        period="2026-09", office=bone)  # fmt: skip
    failed = info.value.snapshot
    assert failed in snapshots_of_office(bone)
    assert failed not in snapshots_of_office(bima)
    assert snapshot_report_visible(bone, failed)
    assert not snapshot_report_visible(bima, failed)


def test_province_snapshot_report_is_not_shown_to_each_regency(seeded, tmp_path):
    from layan.registry.selectors import snapshot_report_visible, snapshots_of_office

    rows = [*people(30), person(77, nik=make_nik("7371", serial=77), kode_kabupaten="7371")]
    snapshot = registry_import(
        path=write_dtks(tmp_path / "sulsel.csv", rows), source="dtks", period="2026-09"
    )
    assert snapshot in snapshots_of_office(_bone())  # its people answer Bone's lookups
    assert not snapshot_report_visible(_bone(), snapshot)  # its rejects are not Bone's to read


def test_person_carries_every_region_level(bone_register, bone_officer):
    found = registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik).person
    assert (found.province_code, found.regency_code, found.district_code, found.village_code) == (
        "73", "7308", "730801", "7308012001",
    )  # fmt: skip
    assert (found.district_name, found.village_name) == ("KECAMATAN UJI", "DESA UJI")
    assert (found.rt, found.rw, found.relationship) == ("001", "002", "KEPALA KELUARGA")


def test_outsider_with_an_invalid_nik_is_refused_as_an_outsider(bone_register, make_user):
    bima_officer = make_user("petugas.bima", bima=["petugas"])
    with pytest.raises(PermissionDenied):
        registry_lookup(office=_bone(), user=bima_officer, nik="123")


@contextmanager
def _statements_run() -> Iterator[list[str]]:
    """Every statement the database runs for this connection, Django's or the driver's.

    PostgreSQL runs the lookup as prepared statements on the driver, which Django's
    query log does not see: there its list stays empty and the test reads the
    server's table of prepared statements instead.
    """
    run: list[str] = []
    if connection.vendor != "sqlite":
        with CaptureQueriesContext(connection) as queries:
            yield run
        run.extend(query["sql"] for query in queries.captured_queries)
        return
    connection.ensure_connection()
    connection.connection.set_trace_callback(run.append)
    try:
        yield run
    finally:
        connection.connection.set_trace_callback(None)


def test_a_token_to_confirm_is_confirmed_by_the_log_statement(
    bone_register, bone_officer, make_user
):
    colleague = make_user("eko", bone=["petugas"])
    token_issue(user=bone_officer)
    token_issue(user=colleague)
    mine, theirs = (ApiToken.objects.get(user=user) for user in (bone_officer, colleague))
    nik = person(1).nik
    result = registry_lookup(office=_bone(), user=bone_officer, nik=nik, token_id=mine.pk)
    assert result.found and LookupLog.objects.count() == 1
    with pytest.raises(PermissionDenied):  # a token, but another user's
        registry_lookup(office=_bone(), user=bone_officer, nik=nik, token_id=theirs.pk)
    deleted = mine.pk
    mine.delete()
    with pytest.raises(PermissionDenied):
        registry_lookup(office=_bone(), user=bone_officer, nik=nik, token_id=deleted)
    assert LookupLog.objects.count() == 1  # nothing logged for the refused ones


def test_a_lookup_costs_few_statements_and_on_postgresql_one_prepared(bone_register, bone_officer):
    bone = _bone()
    registry_lookup(office=bone, user=bone_officer, nik=person(1).nik)  # caches warm
    # SQLite: household, then the log insert that checks staff (in-process, each a few
    # microseconds). PostgreSQL: one prepared statement, run on the driver's cursor.
    postgresql = connection.vendor == "postgresql"
    for number in (person(500).nik, make_nik(serial=9000)):
        with _statements_run() as statements:
            registry_lookup(office=bone, user=bone_officer, nik=number)
        if postgresql:
            assert statements == []
        else:
            assert [sql.split()[0] for sql in statements] == ["SELECT", "INSERT"]
            assert "EXISTS (SELECT 1 FROM offices_membership" in statements[1]
    no_kk = person(500, kk_serial=2).no_kk
    with _statements_run() as statements:
        result = registry_lookup(office=bone, user=bone_officer, no_kk=no_kk)
    assert len(statements) == (0 if postgresql else 2) and result.found
    assert [(log.nik, log.no_kk, log.found) for log in LookupLog.objects.order_by("pk")][1:] == [
        (person(500).nik, "", True),
        (make_nik(serial=9000), "", False),
        ("", no_kk, True),
    ]
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%INSERT INTO registry_lookuplog%"],
            )
            assert cursor.fetchone()[0] >= 1


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def _lookup_statements_not_waiting() -> int:
    """How many of this session's prepared lookup statements commit without the WAL flush."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%INSERT INTO registry_lookuplog%set_config('synchronous_commit', 'off', true)%"],
        )
        return cursor.fetchone()[0]


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_its_own_a_lookup_commits_its_log_without_waiting_for_the_flush(
    bone_register, bone_officer, settings
):
    settings.REGISTRY_LOOKUP_LOG_DURABLE = False
    assert not connection.in_atomic_block
    result = registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik)
    assert result.found and LookupLog.objects.filter(nik=person(1).nik).count() == 1
    assert _lookup_statements_not_waiting() == 1
    # For that transaction only: the session's later writes wait for the flush again.
    assert _synchronous_commit() == "on"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_durable_lookup_log_waits_for_the_flush(bone_register, bone_officer, settings):
    settings.REGISTRY_LOOKUP_LOG_DURABLE = True
    registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik)
    assert LookupLog.objects.count() == 1 and _lookup_statements_not_waiting() == 0


@needs_postgresql
def test_a_lookup_inside_a_transaction_leaves_its_commit_durable(
    bone_register, bone_officer, settings
):
    settings.REGISTRY_LOOKUP_LOG_DURABLE = False
    assert connection.in_atomic_block  # the test's transaction, like a case step's
    registry_lookup(office=_bone(), user=bone_officer, nik=person(1).nik)
    assert LookupLog.objects.count() == 1
    assert _synchronous_commit() == "on" and _lookup_statements_not_waiting() == 0
