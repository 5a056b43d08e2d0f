"""Reading the register: which snapshot answers for an office, and its rows as people."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from layan.core.caching import ProcessCache
from layan.offices.models import Office
from layan.registry import storage
from layan.registry.models import LookupLog, Snapshot, SnapshotState


@dataclass(slots=True)
class Person:
    """One person of a snapshot, as lookups show them.

    Not frozen, though nothing changes one: a frozen dataclass sets each of its 19
    fields through object.__setattr__, which doubled the cost of making one, and a
    lookup makes one per household member.
    """

    nik: str
    no_kk: str
    name: str
    sex: str
    birth_place: str
    birth_date: date | None
    relationship: str
    address: str
    rt: str
    rw: str
    area_code: str
    district_name: str
    village_name: str
    desil: int | None
    presence: str
    pkh: bool
    bpnt: bool
    pbi: bool
    line: int

    @property
    def province_code(self) -> str:
        return self.area_code[:2]

    @property
    def regency_code(self) -> str:
        return self.area_code[:4]

    @property
    def district_code(self) -> str:
        return self.area_code[:6] if len(self.area_code) >= 6 else ""

    @property
    def village_code(self) -> str:
        return self.area_code if len(self.area_code) == 10 else ""

    @property
    def programmes(self) -> list[str]:
        return [label for flag, label in (
            (self.pkh, "PKH"), (self.bpnt, "BPNT/Sembako"), (self.pbi, "PBI-JK"),
        ) if flag]  # fmt: skip


def person_from_row(row: tuple) -> Person:
    # Unpacked by position (storage.COLUMNS), and the Person made by position too:
    # this runs for every member of every household a lookup answers with.
    nik, no_kk, name, sex, birth, area_code, desil, flags, details, line = row
    parts = details.split(storage.DETAIL_SEP, _DETAILS)
    if len(parts) < _DETAILS:
        parts += [""] * (_DETAILS - len(parts))
    birth_place, relationship, address, rt, rw, district, village, presence = (
        part.strip() for part in parts[:_DETAILS]
    )
    flags = flags or 0
    return Person(
        f"{nik:016d}", f"{no_kk:016d}", name, sex, birth_place,
        date.fromisoformat(birth) if isinstance(birth, str) else birth,
        relationship, address, rt, rw, area_code, district, village, desil, presence,
        bool(flags & _PKH), bool(flags & _BPNT), bool(flags & _PBI), line,
    )  # fmt: skip


# storage.DETAIL_FIELDS in their order, as person_from_row unpacks them; the file's
# extra columns follow them.
assert storage.DETAIL_FIELDS == (
    "birth_place", "relationship", "address", "rt", "rw", "district_name", "village_name",
    "presence",
)  # fmt: skip
_DETAILS = len(storage.DETAIL_FIELDS)
_PKH, _BPNT, _PBI = (storage.FLAG_BITS[name] for name in ("pkh", "bpnt", "pbi"))


def regions_covering(region_code: str) -> list[str]:
    """The snapshot regions that include an office's region, most precise first."""
    province = region_code.split(".")[0]
    return [region_code, province, ""]


# Which snapshot is active changes a few times a year and every lookup asks, so the
# answer is kept briefly per process; an activation clears it here at once, and
# other processes see a new snapshot within ACTIVE_CACHE_SECONDS.
ACTIVE_CACHE_SECONDS = 5.0
_active: ProcessCache[str, Snapshot | None] = ProcessCache(ACTIVE_CACHE_SECONDS)


def active_cache_clear() -> None:
    _active.clear()


def snapshot_active_for(office: Office) -> Snapshot | None:
    """The active snapshot that answers for an office: its regency's, else its province's."""
    return _active.get(office.region_code, _snapshot_active_read)


def _snapshot_active_read(region_code: str) -> Snapshot | None:
    candidates = {
        s.region_code: s
        for s in Snapshot.objects.filter(
            state=SnapshotState.ACTIVE, region_code__in=regions_covering(region_code)
        )
    }
    for region in regions_covering(region_code):
        if region in candidates:
            return candidates[region]
    return None


def snapshots_of_office(office: Office) -> QuerySet[Snapshot]:
    """Complete snapshots covering the office's region, and every import the office made.

    An import still running or failed has no settled region yet; only the office
    that started it sees it.
    """
    complete = Q(
        state__in=[SnapshotState.ACTIVE, SnapshotState.SUPERSEDED],
        region_code__in=regions_covering(office.region_code),
    )
    return Snapshot.objects.filter(complete | Q(office=office))


def snapshot_report_visible(office: Office, snapshot: Snapshot) -> bool:
    """Whether an office may read a snapshot's rejected rows.

    Rejected values can be NIKs of anywhere the file covered, so only the office
    that imported it, or the office of exactly that region, reads them.
    """
    return snapshot.office_id == office.pk or snapshot.region_code == office.region_code


def lookups_of_office(office: Office) -> QuerySet[LookupLog]:
    return LookupLog.objects.filter(office=office).select_related("user", "snapshot")
