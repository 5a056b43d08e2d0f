"""Times as people at an office read them: '4 Des 2026 14.05 WITA'.

One home for how a moment is shown, on pages, printouts and in the admin: in
the office's own zone, with the zone's Indonesian name (WIB, WITA, WIT), so an
officer in Bone and a reader in Jakarta see the same time the same way.
"""

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# Undang-undang waktu Indonesia (Keppres 41/1987): the three zones by their IANA names.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}
DASH = "\u2013"  # the en dash of a span of time, as Indonesian typesetting writes it
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def zone_of(where: object = None) -> ZoneInfo:
    """The zone of an office (anything with `time_zone`), of a zone name, or the install's."""
    name = getattr(where, "time_zone", where) or settings.TIME_ZONE
    return name if isinstance(name, ZoneInfo) else ZoneInfo(str(name))


def zone_name(zone: tzinfo, moment: datetime) -> str:
    """'WIB', 'WITA' or 'WIT'; another zone by its own abbreviation or UTC offset."""
    key = getattr(zone, "key", "")
    if key in ZONE_NAMES:
        return ZONE_NAMES[key]
    abbreviation = moment.tzname() or ""
    if abbreviation and abbreviation[0] not in "+-":
        return abbreviation
    offset = moment.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return f"UTC{hours:+d}"


def local(moment: datetime | None, where: object = None, *, seconds: bool = False) -> str:
    """'4 Des 2026 14.05 WITA' in the office's zone; '' for no moment."""
    if moment is None:
        return ""
    zone = zone_of(where)
    if timezone.is_naive(moment):  # stored times are aware; a naive one is the install's
        moment = timezone.make_aware(moment, zone_of(None))
    shown = moment.astimezone(zone)
    clock = f"{shown:%H.%M.%S}" if seconds else f"{shown:%H.%M}"
    month = MONTHS_SHORT[shown.month - 1]
    return f"{shown.day} {month} {shown.year} {clock} {zone_name(zone, shown)}"


def local_span(start: datetime | None, end: datetime | None, where: object = None) -> str:
    """'4 Des 2026 14.05' to '14.30 WITA' joined by an en dash within a day, else both
    moments in full joined by a spaced en dash."""
    if start is None or end is None:
        return local(start or end, where)
    zone = zone_of(where)
    first, last = start.astimezone(zone), end.astimezone(zone)
    if first.date() != last.date():
        return f"{local(start, where)} {DASH} {local(end, where)}"
    day = f"{first.day} {MONTHS_SHORT[first.month - 1]} {first.year}"
    return f"{day} {first:%H.%M}{DASH}{last:%H.%M} {zone_name(zone, last)}"


def local_date(moment: datetime | date | None, where: object = None) -> str:
    """'4 Desember 2026': the day at the office (a moment late at night UTC is the next day)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, zone_of(None))
        moment = moment.astimezone(zone_of(where)).date()
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
