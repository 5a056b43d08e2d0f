"""The working-time clock of an office: the time every standard time in Layan is counted in.

An office's "15 menit", "1 jam kerja" or "1 hari kerja" run only while the
office is open: its office hours, in its own time zone, on days that are not a
national holiday (the `holidays` package), a cuti bersama (CutiBersama rows
without an office) or a regional extra day off (CutiBersama rows of the
office). The clock also stops during pauses, e.g. while a case waits for the
applicant or an outside party.

Everything here is computed on the office's wall clock: an aware datetime is
turned into the office's local time, working spans of each day are intervals
[open, close) of local time, and results go back as UTC-aware datetimes.
Loops run per day (never per minute); each day's spans are computed once per
WorkCalendar and national holidays once per year per process.

Definitions:

- A start outside office hours first moves to the next opening
  (`next_opening`): a step started on Saturday starts Monday 07.30.
- `add_working(start, minutes=n)` is the earliest instant at which n minutes
  of working time have passed since the (moved) start; it may be a closing
  time: 10 minutes from Monday 15.50 end Monday 16.00, 15 minutes end Tuesday
  07.35.
- `add_working(start, days=n)` keeps the start's position within its working
  day: the working time elapsed since that day's opening is measured, and the
  result is the open instant with the same elapsed working time on the n-th
  next working day ("1 hari kerja" from Tuesday 10.00 ends Wednesday 10.00;
  from Thursday 11.45, 255 minutes into the day, it ends Friday 13.15, because
  Friday's break starts at 11.30). On a shorter target day (an office override)
  the result is that day's closing time. Days are applied before minutes.
- A pause stops the clock: `working_minutes_between` leaves it out, and
  `deadline_for` moves the deadline later by the working time of the pauses
  that fall before it (pauses that start after the deadline do not count).
"""

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q

from layan.core.local_time import DASH, zone_name
from layan.offices.models import CutiBersama, Office, Weekday, WorkingHours

Span = tuple[datetime, datetime]  # [open, close) in the office's local wall time, naive
Pause = tuple[datetime, datetime | None]  # aware; end None = still paused

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)
# A calendar with no working day in this many consecutive days is broken, not slow.
MAX_CLOSED_DAYS = 400
# Duration units of layan.catalogue.schema.Duration: working minutes, working hours,
# working days, calendar days, years.
UNITS = ("m", "h", "wd", "d", "y")


class NoWorkingTime(ValueError):
    """The calendar has no working time where some is needed (e.g. no working weekday)."""


@dataclass(frozen=True)
class DayHours:
    """Office hours of one weekday: open from `start` to `end`, closed during the break."""

    start: time
    end: time
    break_start: time | None = None
    break_end: time | None = None

    def spans(self) -> tuple[tuple[time, time], ...]:
        """The open intervals of the day, in order."""
        if self.break_start is None or self.break_end is None:
            return ((self.start, self.end),)
        parts = ((self.start, self.break_start), (self.break_end, self.end))
        return tuple((a, b) for a, b in parts if a < b)

    @property
    def minutes(self) -> int:
        """Working minutes of the day, breaks excluded."""
        day = date(2000, 1, 3)
        total = sum(
            (datetime.combine(day, b) - datetime.combine(day, a) for a, b in self.spans()), ZERO
        )
        return int(total.total_seconds() // 60)


# Perpres No. 21 Tahun 2023 tentang Hari Kerja dan Jam Kerja Instansi Pemerintah dan
# Pegawai ASN: Pasal 3, five working days, Monday to Friday; Pasal 4 ayat (1), 37 jam
# 30 menit a week excluding breaks; ayat (3), work starts 07.30 local time; ayat (5),
# the break is 90 minutes on Friday and 60 minutes on other days (setneg.go.id,
# "Pemerintah Terbitkan Aturan Flexible Working Arrangement bagi ASN"; kompas.com
# 14/04/2023). The Perpres fixes neither closing times nor where the break falls; the
# common reading below (7.5 h a day; breaks from 12.00, on Friday from 11.30, where
# the KemenPANRB Ramadan circulars also put them) is what the clock uses unless an
# office sets its own WorkingHours. Ramadan hours (32.5 h, from 08.00) are not built in.
MONDAY_TO_THURSDAY = DayHours(time(7, 30), time(16, 0), time(12, 0), time(13, 0))
FRIDAY = DayHours(time(7, 30), time(16, 30), time(11, 30), time(13, 0))
DEFAULT_WEEK: Mapping[int, DayHours] = MappingProxyType(
    dict.fromkeys(range(4), MONDAY_TO_THURSDAY) | {4: FRIDAY}
)


@cache
def national_holidays(year: int) -> Mapping[date, str]:
    """Indonesian national holidays (libur nasional) of one year, named in Indonesian."""
    return MappingProxyType(dict(holidays.Indonesia(years=year, language="id")))


def _whole_minutes(amount: timedelta) -> int:
    """Whole minutes of a span of working time, truncated towards zero."""
    seconds = amount.total_seconds()
    return int(math.copysign(abs(seconds) // 60, seconds))


def format_remaining(left: timedelta | int, *, day_minutes: int = 450) -> str:
    """Working time left (negative: overdue) in Bahasa Indonesia.

    "sisa 1 jam 20 menit kerja", "terlambat 2 hari kerja 3 jam". A part of a
    minute counts as a whole one, so "sisa 0 menit" means the deadline is now.
    `left` is a timedelta of working time or whole minutes; a day is
    `day_minutes` of working time (WorkCalendar.day_minutes).
    """
    if isinstance(left, timedelta):
        seconds = left.total_seconds()
        minutes = int(math.copysign(math.ceil(abs(seconds) / 60), seconds))
    else:
        minutes = left
    days, rest = divmod(abs(minutes), day_minutes)
    hours, mins = divmod(rest, 60)
    words = []
    if hours:
        words.append(f"{hours} jam")
    if mins:
        words.append(f"{mins} menit")
    if days:
        text = " ".join([f"{days} hari kerja", *words])
    else:
        text = " ".join(words or ["0 menit"]) + " kerja"
    return f"{'terlambat' if minutes < 0 else 'sisa'} {text}"


def duration_parts(duration: Any) -> tuple[int, str]:
    """(value, unit) of a Duration-like object (`.value`, `.unit`) or a (value, unit) pair."""
    if isinstance(duration, tuple | list):
        value, unit = duration
    else:
        value, unit = duration.value, duration.unit
    if unit not in UNITS:
        raise ValueError(f"satuan durasi '{unit}' tidak dikenal; pakai {', '.join(UNITS)}")
    if int(value) != value or value < 0:
        raise ValueError(f"nilai durasi harus bilangan bulat tak negatif, bukan {value!r}")
    return int(value), unit


def _add_years(moment: datetime, years: int) -> datetime:
    """The same wall time `years` later; 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


class WorkCalendar:
    """The working time of one office: hours per weekday, days off, time zone.

    `week` and `days_off` may be given as mappings or as functions that load
    them; a function is called once, on first use (calendar_for passes
    database queries this way).
    """

    def __init__(
        self,
        time_zone: str | ZoneInfo,
        *,
        week: Mapping[int, DayHours] | Callable[[], Mapping[int, DayHours]] = DEFAULT_WEEK,
        days_off: Mapping[date, str] | Callable[[], Mapping[date, str]] | None = None,
    ) -> None:
        self.tz = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
        self._week_source = week
        self._days_off_source = days_off or {}
        self._spans_of: dict[date, tuple[Span, ...]] = {}

    def __repr__(self) -> str:
        return f"<WorkCalendar {self.tz.key}>"

    # -- the calendar's data -------------------------------------------------

    @cached_property
    def week(self) -> Mapping[int, DayHours]:
        """Office hours by weekday (0 = Monday); a missing weekday is closed."""
        source = self._week_source
        return source() if callable(source) else source

    @property
    def uses_default_week(self) -> bool:
        """Whether these are the Perpres 21/2023 hours: the office has set none of its own."""
        return self.week is DEFAULT_WEEK

    @cached_property
    def days_off(self) -> Mapping[date, str]:
        """Cuti bersama and regional days off, with their names."""
        source = self._days_off_source
        return source() if callable(source) else source

    @cached_property
    def day_minutes(self) -> int:
        """Length of the usual working day in minutes (the most common; on a tie the longest)."""
        counts = Counter(hours.minutes for hours in self.week.values())
        if not counts:
            return DEFAULT_WEEK[0].minutes
        return max(counts, key=lambda minutes: (counts[minutes], minutes))

    def closed_because(self, day: date) -> str | None:
        """Why the office is closed on a weekday it normally works: the holiday's name."""
        return self.days_off.get(day) or national_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        """Whether the office is open at all on this date."""
        return bool(self._spans(day))

    def _spans(self, day: date) -> tuple[Span, ...]:
        spans = self._spans_of.get(day)
        if spans is None:
            hours = self.week.get(day.weekday())
            if hours is None or self.closed_because(day):
                spans = ()
            else:
                spans = tuple(
                    (datetime.combine(day, a), datetime.combine(day, b)) for a, b in hours.spans()
                )
            self._spans_of[day] = spans
        return spans

    def _working_days(self, day: date) -> Iterator[tuple[date, tuple[Span, ...]]]:
        """Working days from `day` on, with their spans."""
        closed = 0
        while True:
            spans = self._spans(day)
            if spans:
                closed = 0
                yield day, spans
            else:
                closed += 1
                if closed > MAX_CLOSED_DAYS:
                    raise NoWorkingTime(f"Kalender {self.tz.key} tidak punya hari kerja.")
            day += ONE_DAY

    # -- time zone -----------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        """The office's wall time of an aware datetime, as a naive datetime."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"waktu tanpa zona waktu tidak diterima: {moment.isoformat()}")
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def _utc(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.tz).astimezone(UTC)

    # -- wall-time primitives (naive local datetimes) ------------------------

    def _next_open(self, t: datetime) -> datetime:
        for _, spans in self._working_days(t.date()):
            for a, b in spans:
                if t < b:
                    return max(a, t)
        raise AssertionError("unreachable")  # pragma: no cover

    def _working(self, a: datetime, b: datetime) -> timedelta:
        """Working time in [a, b), a <= b."""
        total = ZERO
        day, last = a.date(), b.date()
        while day <= last:
            for s, e in self._spans(day):
                lo, hi = max(s, a), min(e, b)
                if lo < hi:
                    total += hi - lo
            day += ONE_DAY
        return total

    def _advance(self, t: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which `amount` of working time has passed since t."""
        if amount <= ZERO:
            return t
        for _, spans in self._working_days(t.date()):
            for a, b in spans:
                if b <= t:
                    continue
                begin = max(a, t)
                if begin + amount <= b:
                    return begin + amount
                amount -= b - begin
        raise AssertionError("unreachable")  # pragma: no cover

    def _add_days(self, t: datetime, days: int) -> datetime:
        """The open instant at t's position within its day, `days` working days later.

        t must be a working instant (the result of _next_open).
        """
        if days <= 0:
            return t
        position = self._working(self._spans(t.date())[0][0], t)
        working_days = self._working_days(t.date() + ONE_DAY)
        for _ in range(days - 1):
            next(working_days)
        _, spans = next(working_days)
        for a, b in spans:
            if position < b - a:
                return a + position
            position -= b - a
        return spans[-1][1]

    def _pauses(self, pauses: Iterable[Pause], lo: datetime, hi: datetime | None) -> list[Span]:
        """Pauses in local time, clipped to [lo, hi], merged and sorted.

        An open pause (end None) runs to `hi`; with hi None it is not allowed.
        """
        intervals = []
        for begin, end in pauses:
            if end is None:
                if hi is None:
                    raise ValueError("jeda yang belum selesai tidak punya batas waktu")
                local_end = hi
            else:
                local_end = self._local(end)
            a = max(self._local(begin), lo)
            b = local_end if hi is None else min(local_end, hi)
            if a < b:
                intervals.append((a, b))
        merged: list[Span] = []
        for a, b in sorted(intervals):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    def _paused_before(self, t: datetime, need: timedelta, pauses: Sequence[Span]) -> timedelta:
        """Working time of the pauses met before `need` unpaused working time from t runs out."""
        skipped = ZERO
        for a, b in pauses:
            if b <= t:
                continue
            if a > t:
                available = self._working(t, a)
                if available >= need:
                    break
                need -= available
                t = a
            skipped += self._working(t, b)
            t = b
        return skipped

    def _extend(self, start: datetime, base: datetime, pauses: Sequence[Pause]) -> datetime:
        """`base` moved later by the working time of the pauses before the final deadline."""
        merged = self._pauses(pauses, start, None)
        inside = sum((self._working(a, min(b, base)) for a, b in merged if a < base), ZERO)
        if inside <= ZERO:
            return base
        later = [(max(a, base), b) for a, b in merged if b > base]
        return self._advance(base, inside + self._paused_before(base, inside, later))

    # -- public API (aware datetimes in, UTC-aware datetimes out) -------------

    def is_working_time(self, moment: datetime) -> bool:
        """Whether the office is open at this instant (opening included, closing not)."""
        t = self._local(moment)
        return any(a <= t < b for a, b in self._spans(t.date()))

    def next_opening(self, moment: datetime) -> datetime:
        """The instant itself when the office is open, else the next time it opens."""
        return self._utc(self._next_open(self._local(moment)))

    def working_time_between(
        self, start: datetime, end: datetime, *, pauses: Iterable[Pause] = ()
    ) -> timedelta:
        """Working time from start to end, less pauses; negative when end is before start."""
        if end < start:
            return -self.working_time_between(end, start, pauses=pauses)
        a, b = self._local(start), self._local(end)
        total = self._working(a, b)
        for p0, p1 in self._pauses(pauses, a, b):
            total -= self._working(p0, p1)
        return total

    def working_minutes_between(
        self, start: datetime, end: datetime, *, pauses: Iterable[Pause] = ()
    ) -> int:
        """Whole working minutes from start to end, less pauses (truncated towards zero)."""
        return _whole_minutes(self.working_time_between(start, end, pauses=pauses))

    def add_working(self, start: datetime, *, minutes: float = 0, days: int = 0) -> datetime:
        """The instant `days` working days and then `minutes` working minutes after start.

        See the module docstring for the exact meaning of days and minutes.
        """
        if minutes < 0 or days < 0:
            raise ValueError("waktu kerja yang ditambahkan tidak boleh negatif")
        t = self._add_days(self._next_open(self._local(start)), days)
        return self._utc(self._advance(t, timedelta(minutes=minutes)))

    def deadline_for(
        self, start: datetime, duration: Any, *, pauses: Sequence[Pause] = ()
    ) -> datetime | None:
        """When a standard time that started at `start` runs out.

        `duration` is a layan.catalogue Duration (or anything with `.value`
        and `.unit`) or a (value, unit) pair: m and h are working minutes and
        hours, wd working days, d calendar days and y years on the office's
        wall clock (same local time, 29 February -> 28 February). Pauses move
        the deadline later by the working time they overlap, for every unit (a
        calendar deadline is then pushed that much working time further). None
        when there is no duration, or while a pause is still open (the clock
        is stopped, so the deadline is not yet known).
        """
        if duration is None:
            return None
        if any(end is None for _, end in pauses):
            return None
        value, unit = duration_parts(duration)
        local = self._local(start)
        if unit in ("m", "h", "wd"):
            minutes = {"m": value, "h": value * 60, "wd": 0}[unit]
            days = value if unit == "wd" else 0
            opening = self._add_days(self._next_open(local), days)
            base = self._advance(opening, timedelta(minutes=minutes))
        elif unit == "d":
            base = local + timedelta(days=value)
        else:
            base = _add_years(local, value)
        return self._utc(self._extend(local, base, pauses))

    def remaining(self, deadline: datetime, now: datetime) -> timedelta:
        """Working time left until the deadline; negative when it has passed."""
        return self.working_time_between(now, deadline)

    def remaining_text(self, deadline: datetime, now: datetime) -> str:
        """`remaining` in words: "sisa 1 jam 20 menit kerja", "terlambat 2 hari kerja 3 jam"."""
        return format_remaining(self.remaining(deadline, now), day_minutes=self.day_minutes)


def _hours_text(hours: DayHours | None, zone: str) -> str:
    if hours is None:
        return "tutup"
    text = f"{hours.start:%H.%M}{DASH}{hours.end:%H.%M} {zone}"
    if hours.break_start is not None and hours.break_end is not None:
        text += f", istirahat {hours.break_start:%H.%M}{DASH}{hours.break_end:%H.%M}"
    return text


def opening_hours(calendar: WorkCalendar) -> list[tuple[str, str]]:
    """The office week in words, runs of days with the same hours joined.

    [("Senin-Kamis", "07.30-16.00 WITA, istirahat 12.00-13.00"), ("Jumat", ...),
    ("Sabtu-Minggu", "tutup")], with en dashes for the hyphens. Holidays and cuti
    bersama are not in it: the page says in words that the office is closed then.
    """
    zone = zone_name(calendar.tz, datetime.now(calendar.tz))
    runs: list[tuple[int, int, str]] = []  # first weekday, last weekday, hours
    for weekday in range(7):
        text = _hours_text(calendar.week.get(weekday), zone)
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], weekday, text)
        else:
            runs.append((weekday, weekday, text))
    days = [Weekday(day).label for day in range(7)]
    return [
        (days[first] if first == last else f"{days[first]}{DASH}{days[last]}", text)
        for first, last, text in runs
    ]


def calendar_for(office: Office) -> WorkCalendar:
    """The working calendar of an office; its hours and days off load on first use."""

    def week() -> Mapping[int, DayHours]:
        rows = WorkingHours.objects.filter(office=office)
        own = {r.weekday: DayHours(r.start, r.end, r.break_start, r.break_end) for r in rows}
        return own or DEFAULT_WEEK

    def days_off() -> Mapping[date, str]:
        rows = CutiBersama.objects.filter(Q(office__isnull=True) | Q(office=office))
        return dict(rows.values_list("date", "name"))

    return WorkCalendar(office.time_zone, week=week, days_off=days_off)
