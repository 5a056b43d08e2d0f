"""The working-time clock: office hours, time zones, holidays, cuti bersama and pauses."""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from layan.offices.calendar import (
    DEFAULT_WEEK,
    DayHours,
    NoWorkingTime,
    WorkCalendar,
    calendar_for,
    format_remaining,
)
from layan.offices.models import CutiBersama, Office, WorkingHours
from layan.offices.services import CUTI_BERSAMA_SEED, cuti_bersama_load

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")


def wita(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WITA)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def bone(seeded) -> Office:
    return Office.objects.get(slug="bone")


@pytest.fixture
def blitar(seeded) -> Office:
    return Office.objects.get(slug="blitar")


@pytest.fixture
def cuti(db) -> int:
    return cuti_bersama_load(path=CUTI_BERSAMA_SEED)


# -- the default week (Perpres 21/2023) --------------------------------------------------


def test_default_week_is_37_and_a_half_hours_with_a_longer_friday_break():
    assert sum(hours.minutes for hours in DEFAULT_WEEK.values()) == 37 * 60 + 30
    assert set(DEFAULT_WEEK) == {0, 1, 2, 3, 4}
    assert DEFAULT_WEEK[4] == DayHours(time(7, 30), time(16, 30), time(11, 30), time(13, 0))
    assert DEFAULT_WEEK[0] == DayHours(time(7, 30), time(16, 0), time(12, 0), time(13, 0))


def test_opening_counts_and_closing_and_break_do_not(bone):
    calendar = calendar_for(bone)
    assert calendar.is_working_time(wita(2026, 8, 10, 7, 30))
    assert not calendar.is_working_time(wita(2026, 8, 10, 7, 29))
    assert not calendar.is_working_time(wita(2026, 8, 10, 12, 0))
    assert calendar.is_working_time(wita(2026, 8, 10, 13, 0))
    assert not calendar.is_working_time(wita(2026, 8, 10, 16, 0))
    assert not calendar.is_working_time(wita(2026, 8, 8, 10, 0))  # Saturday


def test_results_are_utc(bone):
    deadline = calendar_for(bone).add_working(wita(2026, 8, 10, 10, 0), minutes=15)
    assert deadline.tzinfo is UTC
    assert deadline == datetime(2026, 8, 10, 2, 15, tzinfo=UTC)


def test_naive_datetimes_are_refused(bone):
    with pytest.raises(ValueError, match="zona waktu"):
        calendar_for(bone).is_working_time(datetime(2026, 8, 10, 10, 0))


# -- closing time in WITA and WIB --------------------------------------------------------


def test_fifteen_minutes_from_1550_wita_monday_end_0735_tuesday(bone):
    deadline = calendar_for(bone).add_working(wita(2026, 8, 10, 15, 50), minutes=15)
    assert deadline == wita(2026, 8, 11, 7, 35)


def test_ten_minutes_from_1550_end_at_closing_time(bone):
    assert calendar_for(bone).add_working(wita(2026, 8, 10, 15, 50), minutes=10) == wita(
        2026, 8, 10, 16, 0
    )


def test_the_same_instant_is_an_hour_earlier_in_a_wib_office(bone, blitar):
    start = datetime(2026, 8, 10, 7, 50, tzinfo=UTC)  # 15.50 WITA, 14.50 WIB
    assert calendar_for(bone).add_working(start, minutes=15) == wita(2026, 8, 11, 7, 35)
    assert calendar_for(blitar).add_working(start, minutes=15) == wib(2026, 8, 10, 15, 5)


def test_closed_in_wita_still_open_in_wib(bone, blitar):
    start = datetime(2026, 8, 10, 8, 0, tzinfo=UTC)  # 16.00 WITA, 15.00 WIB
    assert not calendar_for(bone).is_working_time(start)
    assert calendar_for(blitar).is_working_time(start)
    assert calendar_for(bone).next_opening(start) == wita(2026, 8, 11, 7, 30)
    assert calendar_for(blitar).next_opening(start) == start


def test_blitar_one_working_day_step_chain(blitar):
    # Seed 002: 30 + 45 + 105 + 120 + 90 + 90 minutes = 480, one working day of SOP time.
    calendar = calendar_for(blitar)
    moment = wib(2026, 8, 11, 7, 30)
    for minutes in (30, 45, 105, 120, 90, 90):
        moment = calendar.add_working(moment, minutes=minutes)
    assert moment == wib(2026, 8, 12, 8, 0)  # 450 on Tuesday, 30 on Wednesday


# -- starts outside office hours ---------------------------------------------------------


def test_a_start_before_opening_moves_to_the_opening(bone):
    calendar = calendar_for(bone)
    assert calendar.next_opening(wita(2026, 8, 10, 6, 0)) == wita(2026, 8, 10, 7, 30)
    assert calendar.add_working(wita(2026, 8, 10, 6, 0), minutes=15) == wita(2026, 8, 10, 7, 45)


def test_a_start_during_the_break_moves_to_its_end(bone):
    calendar = calendar_for(bone)
    assert calendar.next_opening(wita(2026, 8, 10, 12, 10)) == wita(2026, 8, 10, 13, 0)
    assert calendar.add_working(wita(2026, 8, 10, 12, 10), minutes=15) == wita(2026, 8, 10, 13, 15)
    assert calendar.add_working(wita(2026, 8, 11, 12, 10), days=1) == wita(2026, 8, 12, 13, 0)


def test_a_step_running_into_the_break_resumes_after_it(bone):
    assert calendar_for(bone).add_working(wita(2026, 8, 10, 11, 50), minutes=15) == wita(
        2026, 8, 10, 13, 5
    )


def test_next_opening_of_an_open_instant_is_itself(bone):
    assert calendar_for(bone).next_opening(wita(2026, 8, 10, 10, 0)) == wita(2026, 8, 10, 10, 0)


# -- Friday's longer break ---------------------------------------------------------------


def test_friday_break_starts_at_1130(bone):
    calendar = calendar_for(bone)
    assert not calendar.is_working_time(wita(2026, 8, 7, 11, 45))
    assert calendar.is_working_time(wita(2026, 8, 6, 11, 45))  # Thursday
    assert calendar.add_working(wita(2026, 8, 7, 11, 20), minutes=15) == wita(2026, 8, 7, 13, 5)
    assert calendar.add_working(wita(2026, 8, 6, 11, 20), minutes=15) == wita(2026, 8, 6, 11, 35)


def test_friday_closes_at_1630(bone):
    calendar = calendar_for(bone)
    assert calendar.is_working_time(wita(2026, 8, 7, 16, 15))
    assert not calendar.is_working_time(wita(2026, 8, 7, 16, 30))


def test_a_working_day_from_thursday_keeps_the_position_in_the_day(bone):
    # 11.45 Thursday is 255 working minutes into the day; on Friday that is 13.15.
    calendar = calendar_for(bone)
    assert calendar.add_working(wita(2026, 8, 6, 11, 45), days=1) == wita(2026, 8, 7, 13, 15)
    assert calendar.add_working(wita(2026, 8, 6, 11, 0), days=1) == wita(2026, 8, 7, 11, 0)


# -- working days, weekends, holidays, cuti bersama --------------------------------------


def test_one_working_day_from_tuesday_1000_is_wednesday_1000(bone):
    assert calendar_for(bone).add_working(wita(2026, 8, 11, 10, 0), days=1) == wita(
        2026, 8, 12, 10, 0
    )


def test_across_a_weekend(bone):
    calendar = calendar_for(bone)
    assert calendar.add_working(wita(2026, 8, 7, 16, 20), minutes=15) == wita(2026, 8, 10, 7, 35)
    assert calendar.add_working(wita(2026, 8, 7, 10, 0), days=1) == wita(2026, 8, 10, 10, 0)
    assert calendar.working_minutes_between(wita(2026, 8, 7, 15, 0), wita(2026, 8, 10, 9, 0)) == 180


def test_across_independence_day(bone):
    calendar = calendar_for(bone)
    assert calendar.closed_because(date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert not calendar.is_working_time(wita(2026, 8, 17, 10, 0))
    assert calendar.add_working(wita(2026, 8, 14, 10, 0), days=1) == wita(2026, 8, 18, 10, 0)
    assert calendar.add_working(wita(2026, 8, 14, 16, 20), minutes=15) == wita(2026, 8, 18, 7, 35)


def test_across_idul_adha_a_moving_holiday(bone):
    # Idul Adha 1447 H is Wednesday 27 May 2026; without cuti bersama Thursday works.
    CutiBersama.objects.all().delete()
    calendar = calendar_for(bone)
    assert calendar.closed_because(date(2026, 5, 27)) == "Hari Raya Idul Adha"
    assert calendar.add_working(wita(2026, 5, 26, 10, 0), days=1) == wita(2026, 5, 28, 10, 0)


def test_across_the_cuti_bersama_after_idul_adha(bone, cuti):
    calendar = calendar_for(bone)
    assert calendar.closed_because(date(2026, 5, 28)) == "Cuti Bersama Iduladha 1447 Hijriah"
    assert calendar.add_working(wita(2026, 5, 26, 10, 0), days=1) == wita(2026, 5, 29, 10, 0)


def test_across_nyepi_and_lebaran_2026(blitar, cuti):
    # 18 cuti, 19 Nyepi, 20 cuti, 21-22 Idulfitri (weekend), 23-24 cuti: closed a week.
    calendar = calendar_for(blitar)
    assert calendar.add_working(wib(2026, 3, 17, 10, 0), days=1) == wib(2026, 3, 25, 10, 0)
    assert calendar.working_minutes_between(wib(2026, 3, 17, 16, 0), wib(2026, 3, 25, 7, 30)) == 0


def test_across_the_2025_independence_cuti_bersama(bone, cuti):
    # 17 August 2025 is a Sunday; SKB 933/2025 made Monday 18 August a cuti bersama.
    assert calendar_for(bone).add_working(wita(2025, 8, 15, 10, 0), days=1) == wita(
        2025, 8, 19, 10, 0
    )


def test_a_whole_year_of_working_time(bone, cuti):
    # 2026 has 261 weekdays; 13 holidays and 8 cuti bersama fall on them: 240 working days.
    minutes = calendar_for(bone).working_minutes_between(wita(2026, 1, 1), wita(2027, 1, 1))
    assert minutes == 240 * 450


def test_working_minutes_are_negative_backwards(bone):
    calendar = calendar_for(bone)
    assert calendar.working_minutes_between(wita(2026, 8, 10, 9, 0), wita(2026, 8, 10, 8, 0)) == -60


# -- pauses ------------------------------------------------------------------------------


def test_pauses_are_left_out_of_the_working_time(bone):
    calendar = calendar_for(bone)
    start, end = wita(2026, 8, 10, 8, 0), wita(2026, 8, 10, 15, 0)
    assert calendar.working_minutes_between(start, end) == 360
    pause = [(wita(2026, 8, 10, 9, 0), wita(2026, 8, 10, 10, 30))]
    assert calendar.working_minutes_between(start, end, pauses=pause) == 270


def test_overlapping_pauses_count_once_and_breaks_are_not_paused_twice(bone):
    calendar = calendar_for(bone)
    start, end = wita(2026, 8, 10, 8, 0), wita(2026, 8, 10, 15, 0)
    overlapping = [
        (wita(2026, 8, 10, 9, 0), wita(2026, 8, 10, 10, 30)),
        (wita(2026, 8, 10, 10, 0), wita(2026, 8, 10, 11, 0)),
    ]
    assert calendar.working_minutes_between(start, end, pauses=overlapping) == 240
    over_break = [(wita(2026, 8, 10, 11, 30), wita(2026, 8, 10, 13, 30))]
    assert calendar.working_minutes_between(start, end, pauses=over_break) == 300


def test_an_open_pause_runs_to_the_end(bone):
    calendar = calendar_for(bone)
    pause = [(wita(2026, 8, 10, 14, 0), None)]
    minutes = calendar.working_minutes_between(
        wita(2026, 8, 10, 8, 0), wita(2026, 8, 10, 15, 0), pauses=pause
    )
    assert minutes == 300


def test_a_pause_extends_the_deadline(bone):
    calendar = calendar_for(bone)
    pause = [(wita(2026, 8, 10, 9, 30), wita(2026, 8, 10, 10, 0))]
    deadline = calendar.deadline_for(wita(2026, 8, 10, 9, 0), (2, "h"), pauses=pause)
    assert deadline == wita(2026, 8, 10, 11, 30)


def test_a_pause_running_past_the_deadline_extends_it_until_the_pause_ends(bone):
    # Worked 09.00-10.30 and 11.30-12.00: two hours, so the deadline is the break.
    calendar = calendar_for(bone)
    pause = [(wita(2026, 8, 10, 10, 30), wita(2026, 8, 10, 11, 30))]
    deadline = calendar.deadline_for(wita(2026, 8, 10, 9, 0), (2, "h"), pauses=pause)
    assert deadline == wita(2026, 8, 10, 12, 0)


def test_pauses_outside_the_clock_change_nothing(bone):
    calendar = calendar_for(bone)
    start = wita(2026, 8, 7, 16, 0)  # Friday
    pauses = [
        (wita(2026, 8, 7, 9, 0), wita(2026, 8, 7, 10, 0)),  # before the start
        (wita(2026, 8, 7, 16, 30), wita(2026, 8, 10, 7, 30)),  # the weekend
        (wita(2026, 8, 10, 9, 0), wita(2026, 8, 10, 10, 0)),  # after the deadline
    ]
    assert calendar.deadline_for(start, (1, "h"), pauses=pauses) == wita(2026, 8, 10, 8, 0)


def test_a_pause_extends_a_working_day_deadline(bone):
    calendar = calendar_for(bone)
    pause = [(wita(2026, 8, 11, 14, 0), wita(2026, 8, 11, 15, 0))]
    deadline = calendar.deadline_for(wita(2026, 8, 11, 10, 0), (1, "wd"), pauses=pause)
    assert deadline == wita(2026, 8, 12, 11, 0)


def test_no_deadline_while_a_pause_is_open_or_without_duration(bone):
    calendar = calendar_for(bone)
    start = wita(2026, 8, 10, 9, 0)
    assert calendar.deadline_for(start, (2, "h"), pauses=[(wita(2026, 8, 10, 9, 30), None)]) is None
    assert calendar.deadline_for(start, None) is None


# -- duration units ----------------------------------------------------------------------


def test_duration_like_objects_and_pairs(bone):
    calendar = calendar_for(bone)
    start = wita(2026, 8, 10, 15, 50)
    expected = wita(2026, 8, 11, 7, 35)
    assert calendar.deadline_for(start, SimpleNamespace(value=15, unit="m", text="")) == expected
    assert calendar.deadline_for(start, (15, "m")) == expected
    assert calendar.deadline_for(start, (1, "h")) == wita(2026, 8, 11, 8, 20)
    assert calendar.deadline_for(wita(2026, 8, 11, 10, 0), (1, "wd")) == wita(2026, 8, 12, 10, 0)


def test_calendar_days_ignore_office_hours(bone):
    calendar = calendar_for(bone)
    assert calendar.deadline_for(wita(2026, 8, 10, 10, 0), (3, "d")) == wita(2026, 8, 13, 10, 0)
    assert calendar.deadline_for(wita(2026, 8, 14, 10, 0), (1, "d")) == wita(2026, 8, 15, 10, 0)


def test_calendar_days_are_counted_in_the_office_time_zone(blitar):
    start = datetime(2026, 8, 10, 17, 30, tzinfo=UTC)  # 00.30 WIB on 11 August
    assert calendar_for(blitar).deadline_for(start, (1, "d")) == wib(2026, 8, 12, 0, 30)


def test_years(bone):
    calendar = calendar_for(bone)
    assert calendar.deadline_for(wita(2026, 8, 10, 10, 0), (1, "y")) == wita(2027, 8, 10, 10, 0)
    assert calendar.deadline_for(wita(2028, 2, 29, 10, 0), (1, "y")) == wita(2029, 2, 28, 10, 0)


def test_a_pause_extends_a_calendar_deadline_by_its_working_time(bone):
    calendar = calendar_for(bone)
    pause = [(wita(2026, 8, 10, 13, 0), wita(2026, 8, 10, 14, 0))]
    deadline = calendar.deadline_for(wita(2026, 8, 10, 10, 0), (1, "d"), pauses=pause)
    assert deadline == wita(2026, 8, 11, 11, 0)


def test_unknown_units_are_refused(bone):
    with pytest.raises(ValueError, match="satuan"):
        calendar_for(bone).deadline_for(wita(2026, 8, 10, 10, 0), (1, "w"))


# -- an office's own hours ---------------------------------------------------------------


@pytest.fixture
def bone_saturdays(bone) -> Office:
    """Bone opens Monday to Saturday 08.00-15.00 with a half-hour break."""
    for weekday in range(6):
        WorkingHours.objects.create(
            office=bone,
            weekday=weekday,
            start=time(8, 0),
            end=time(15, 0),
            break_start=time(12, 0),
            break_end=time(12, 30),
        )
    return bone


def test_office_hours_override_the_default(bone_saturdays, blitar):
    calendar = calendar_for(bone_saturdays)
    assert calendar.add_working(wita(2026, 8, 7, 14, 50), minutes=15) == wita(2026, 8, 8, 8, 5)
    assert calendar.is_working_time(wita(2026, 8, 8, 10, 0))  # Saturday
    assert not calendar.is_working_time(wita(2026, 8, 10, 7, 45))
    assert calendar.day_minutes == 390
    # Another office keeps the default week.
    assert not calendar_for(blitar).is_working_time(wib(2026, 8, 8, 10, 0))


def test_a_shorter_target_day_ends_at_its_closing(bone):
    WorkingHours.objects.create(office=bone, weekday=3, start=time(7, 30), end=time(16, 0))
    WorkingHours.objects.create(office=bone, weekday=4, start=time(8, 0), end=time(11, 0))
    calendar = calendar_for(bone)
    assert not calendar.is_working_day(date(2026, 8, 10))  # Monday has no row: closed
    assert calendar.add_working(wita(2026, 8, 6, 14, 0), days=1) == wita(2026, 8, 7, 11, 0)


def test_a_calendar_without_working_days_says_so():
    calendar = WorkCalendar("Asia/Jayapura", week={})
    with pytest.raises(NoWorkingTime):
        calendar.add_working(datetime(2026, 8, 10, 10, 0, tzinfo=UTC), minutes=1)


def test_calendar_loads_its_rows_once(bone, cuti, django_assert_num_queries):
    with django_assert_num_queries(0):
        calendar = calendar_for(bone)
    with django_assert_num_queries(2):
        calendar.add_working(wita(2026, 8, 10, 10, 0), days=20)
    with django_assert_num_queries(0):
        calendar.working_minutes_between(wita(2026, 1, 1), wita(2027, 1, 1))


# -- cuti bersama: seed and admin --------------------------------------------------------


def test_loading_the_seed_twice_changes_nothing(cuti):
    assert cuti == 19
    CutiBersama.objects.filter(date=date(2026, 12, 24)).update(name="salah")
    assert cuti_bersama_load(path=CUTI_BERSAMA_SEED) == 19
    assert CutiBersama.objects.filter(office=None).count() == 19
    christmas = CutiBersama.objects.get(date=date(2026, 12, 24))
    assert christmas.name == "Cuti Bersama Kelahiran Yesus Kristus"
    assert christmas.decree.startswith("SKB Menag, Menaker dan MenPANRB No. 1497 Tahun 2025")


@pytest.fixture
def bone_admin(seeded, make_user):
    user = make_user("admin.bone", bone=["admin"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_an_office_admin_adds_a_regional_day_off(client, bone_admin, bone, blitar):
    start = wita(2026, 8, 11, 10, 0)
    assert calendar_for(bone).add_working(start, days=1) == wita(2026, 8, 12, 10, 0)
    client.force_login(bone_admin)
    response = client.post(
        reverse("admin:offices_cutibersama_add"),
        {"date": "2026-08-12", "name": "Hari Jadi Bone", "decree": "", "office": bone.pk},
    )
    assert response.status_code == 302
    assert calendar_for(bone).add_working(start, days=1) == wita(2026, 8, 13, 10, 0)
    # Blitar's clock does not stop for Bone's day off.
    assert calendar_for(blitar).add_working(wib(2026, 8, 11, 10, 0), days=1) == wib(
        2026, 8, 12, 10, 0
    )


def test_a_national_day_added_in_the_admin_stops_every_office(client, admin_user, bone, blitar):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:offices_cutibersama_add"),
        {"date": "2026-08-12", "name": "Cuti bersama tambahan", "decree": "SKB uji", "office": ""},
    )
    assert response.status_code == 302
    for office, zone in ((bone, WITA), (blitar, WIB)):
        deadline = calendar_for(office).add_working(datetime(2026, 8, 11, 10, tzinfo=zone), days=1)
        assert deadline == datetime(2026, 8, 13, 10, tzinfo=zone)


def test_an_office_admin_cannot_declare_or_change_national_days(client, bone_admin, cuti):
    client.force_login(bone_admin)
    response = client.post(
        reverse("admin:offices_cutibersama_add"),
        {"date": "2026-08-12", "name": "Libur nasional palsu", "decree": "", "office": ""},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not CutiBersama.objects.filter(date=date(2026, 8, 12)).exists()
    national = CutiBersama.objects.get(date=date(2026, 12, 24))
    url = reverse("admin:offices_cutibersama_change", args=[national.pk])
    assert client.get(url).status_code == 200  # visible, read-only
    client.post(url, {"date": "2026-12-24", "name": "diubah", "decree": "", "office": ""})
    national.refresh_from_db()
    assert national.name == "Cuti Bersama Kelahiran Yesus Kristus"


def test_an_office_admin_does_not_see_another_office_days_off(client, bone_admin, seeded):
    bima = Office.objects.get(slug="bima")
    CutiBersama.objects.create(date=date(2026, 7, 1), name="Hari Jadi Bima", office=bima)
    client.force_login(bone_admin)
    page = client.get(reverse("admin:offices_cutibersama_changelist")).content.decode()
    assert "Hari Jadi Bima" not in page


def test_an_office_admin_edits_only_their_own_hours(client, bone_admin, seeded):
    bima = Office.objects.get(slug="bima")
    client.force_login(bone_admin)
    response = client.post(
        reverse("admin:offices_workinghours_add"),
        {"office": bima.pk, "weekday": 5, "start": "08:00", "end": "12:00"},
    )
    assert response.status_code == 200
    assert not WorkingHours.objects.exists()


def test_hours_with_a_break_but_no_opening_time_are_refused_not_a_crash(client, bone_admin, bone):
    client.force_login(bone_admin)
    response = client.post(
        reverse("admin:offices_workinghours_add"),
        {"office": bone.pk, "weekday": 5, "start": "", "end": "12:00"}
        | {"break_start": "10:00", "break_end": "10:30"},
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["start"]
    assert not WorkingHours.objects.exists()


# -- remaining time in words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (80, "sisa 1 jam 20 menit kerja"),
        (-1080, "terlambat 2 hari kerja 3 jam"),
        (15, "sisa 15 menit kerja"),
        (60, "sisa 1 jam kerja"),
        (450, "sisa 1 hari kerja"),
        (-452, "terlambat 1 hari kerja 2 menit"),
        (0, "sisa 0 menit kerja"),
        (timedelta(seconds=30), "sisa 1 menit kerja"),
        (timedelta(seconds=-30), "terlambat 1 menit kerja"),
    ],
)
def test_format_remaining(left, text):
    assert format_remaining(left) == text


def test_remaining_is_counted_in_working_time(bone):
    calendar = calendar_for(bone)
    deadline = wita(2026, 8, 11, 7, 35)
    assert calendar.remaining(deadline, wita(2026, 8, 10, 15, 50)) == timedelta(minutes=15)
    assert calendar.remaining_text(deadline, wita(2026, 8, 10, 15, 50)) == "sisa 15 menit kerja"
    overdue = calendar.remaining_text(wita(2026, 8, 10, 9, 0), wita(2026, 8, 13, 10, 0))
    assert overdue == "terlambat 3 hari kerja 1 jam"


# -- properties --------------------------------------------------------------------------

DEFAULT = WorkCalendar("Asia/Makassar")
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(WITA)
)


@settings(max_examples=200, deadline=None)
@given(start=instants, minutes=st.integers(min_value=0, max_value=20_000))
def test_adding_minutes_and_counting_them_agree(start, minutes):
    deadline = DEFAULT.add_working(start, minutes=minutes)
    opening = DEFAULT.next_opening(start)
    assert DEFAULT.working_time_between(opening, deadline) == timedelta(minutes=minutes)


@settings(max_examples=200, deadline=None)
@given(start=instants, days=st.integers(min_value=0, max_value=60))
def test_a_working_day_is_a_full_day_of_working_time(start, days):
    deadline = DEFAULT.add_working(start, days=days)
    assert DEFAULT.is_working_time(deadline)
    opening = DEFAULT.next_opening(start)
    assert DEFAULT.working_time_between(opening, deadline) == timedelta(minutes=450 * days)
