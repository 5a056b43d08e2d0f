"""Register lookups: scoped to the office's region, and every one of them logged."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from layan.core.db import sqlite_writer
from layan.core.nik import kk_check, nik_check
from layan.offices.models import Membership, Office
from layan.registry import storage
from layan.registry.models import LookupLog, Snapshot, Upload
from layan.registry.selectors import Person, person_from_row, snapshot_active_for
from layan.registry.tasks import registry_upload_import


@dataclass
class LookupResult:
    """The answer to one lookup, naming the snapshot that gave it."""

    office: Office
    snapshot: Snapshot | None
    nik: str = ""
    no_kk: str = ""
    person: Person | None = None
    household: list[Person] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.household)

    @property
    def source_label(self) -> str:
        """'data DTSEN per September 2026', or why there is no data."""
        if self.snapshot is None:
            return "belum ada data register untuk kantor ini"
        return f"data {self.snapshot.get_source_display()} per {self.snapshot.period_label}"

    @property
    def message(self) -> str:
        if self.found:
            return f"Terdaftar ({self.source_label})."
        return f"Tidak terdaftar dalam register kantor ini ({self.source_label})."


def _staff_of(user, office: Office) -> bool:
    # One indexed read; this runs on every lookup, so it skips the ORM's query building.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Membership._meta.db_table} "
            "WHERE user_id = %s AND office_id = %s AND is_active LIMIT 1",
            [user.pk, office.pk],
        )
        return cursor.fetchone() is not None


def _in_region(office: Office, person: Person) -> bool:
    return person.area_code.startswith(office.region_code.replace(".", ""))


def registry_lookup(
    *,
    office: Office,
    user,
    nik: str = "",
    no_kk: str = "",
    case_ref: str = "",
    channel: str = "web",
) -> LookupResult:
    """Look up a NIK (the person and their household) or a No KK; log who asked.

    Raises NikError for a malformed number (nothing is logged: nothing was looked
    up) and PermissionDenied for a user who is not staff of the office. A person
    outside the office's region is answered exactly like an unknown one.
    """
    if not _staff_of(user, office):
        raise PermissionDenied("Anda bukan staf kantor ini.")
    nik, no_kk = nik.strip(), no_kk.strip()
    if bool(nik) == bool(no_kk):
        raise ValueError("Isi NIK atau No KK (salah satu).")
    if nik:
        nik_check(nik)
    else:
        kk_check(no_kk)
    result = LookupResult(office=office, snapshot=snapshot_active_for(office), nik=nik, no_kk=no_kk)
    if result.snapshot is not None:
        _fill(result)
    _log(result, user=user, case_ref=case_ref, channel=channel)
    return result


_LOG_COLUMNS = ("office_id", "user_id", "nik", "no_kk", "snapshot_id", "found", "case_ref",
                "channel", "at")  # fmt: skip


def _log(result: LookupResult, *, user, case_ref: str, channel: str) -> None:
    """Append the lookup to the log: one INSERT, committed on its own (autocommit)."""
    values = [
        result.office.pk, user.pk, result.nik, result.no_kk,
        result.snapshot.pk if result.snapshot else None, result.found, case_ref[:40],
        channel, connection.ops.adapt_datetimefield_value(timezone.now()),
    ]  # fmt: skip
    marks = ", ".join(["%s"] * len(values))
    with sqlite_writer(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LookupLog._meta.db_table} ({', '.join(_LOG_COLUMNS)}) VALUES ({marks})",
            values,
        )


def _fill(result: LookupResult) -> None:
    table = result.snapshot.table_name
    if result.nik:
        rows = storage.household_of_nik(table, int(result.nik))
    else:
        rows = storage.household(table, int(result.no_kk))
    members = [person_from_row(row) for row in rows]
    result.household = [p for p in members if _in_region(result.office, p)]
    if result.nik:
        result.person = next((p for p in result.household if p.nik == result.nik), None)
        if result.person is None:
            result.household = []  # the household of someone outside the region is not ours


def upload_create(*, office: Office, user, file, source: str, period: str, mapping=None):
    """Store an uploaded export and queue its import once the upload is committed."""
    with transaction.atomic():
        upload = Upload.objects.create(
            office=office,
            user=user,
            file=file,
            original_name=file.name[:300],
            source=source,
            period=period,
            mapping=mapping,
            bytes_total=file.size,
        )
        transaction.on_commit(lambda: registry_upload_import.enqueue(upload.pk))
    return upload
