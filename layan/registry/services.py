"""Register lookups: scoped to the office's region, and every one of them logged."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

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
    return Membership.objects.filter(user=user, office=office, is_active=True).exists()


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
    with transaction.atomic():
        LookupLog.objects.create(
            office=office,
            user=user,
            nik=nik,
            no_kk=no_kk,
            snapshot=result.snapshot,
            found=result.found,
            case_ref=case_ref,
            channel=channel,
        )
    return result


def _fill(result: LookupResult) -> None:
    table = result.snapshot.table_name
    kk = int(result.no_kk) if result.no_kk else None
    if result.nik:
        row = storage.person_by_nik(table, int(result.nik))
        person = person_from_row(row) if row else None
        if person is None or not _in_region(result.office, person):
            return
        result.person = person
        kk = int(person.no_kk)
    members = [person_from_row(row) for row in storage.household(table, kk)]
    result.household = [p for p in members if _in_region(result.office, p)]


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
