"""Case deadlines in the office's working time: weekends, holidays, cuti bersama, closing time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from layan.cases.selectors import queue
from layan.cases.services import Applicant, case_act, case_create, case_pause, case_resume
from layan.offices.models import Office

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


def _case(slug, code, office_register, user):
    return case_create(
        office=Office.objects.get(slug=slug), service_code=code, user=user,
        applicant=Applicant(name="Ibu Sari", nik=office_register[slug]["registered"]),
        duplicate_reason="Uji: beberapa permohonan untuk orang yang sama",
    )  # fmt: skip


def test_wita_service_promise_runs_past_closing_time(office_register, all_roles_user, clock):
    # Bone promises 15 minutes; Monday closes at 16:00, so 10 are left at 15:50 WITA.
    clock.at(datetime(2026, 11, 23, 15, 50, tzinfo=WITA))
    case = _case("bone", "rekomendasi-kip", office_register, all_roles_user("bone"))
    assert case.deadline == datetime(2026, 11, 24, 7, 35, tzinfo=WITA)


def test_the_same_instant_is_another_local_time_in_a_wib_office(
    office_register, all_roles_user, clock
):
    # 15:50 WITA is 14:50 WIB: Blitar's 45-minute checklist ends at 15:35 WIB the same day,
    # while Bone's office, closing at that instant's 16:00 WITA, runs into Tuesday.
    clock.at(datetime(2026, 11, 23, 15, 50, tzinfo=WITA))
    case = _case("blitar", "surat-keterangan-kip", office_register, all_roles_user("blitar"))
    assert case.current_step == "periksa"
    assert case.step_deadline == datetime(2026, 11, 23, 15, 35, tzinfo=WIB)


def test_across_a_weekend_with_fridays_later_closing(office_register, all_roles_user, clock):
    # Friday closes at 16:30: 20 minutes on Friday, 25 on Monday.
    clock.at(datetime(2026, 11, 27, 16, 10, tzinfo=WIB))
    case = _case("blitar", "surat-keterangan-kip", office_register, all_roles_user("blitar"))
    assert case.step_deadline == datetime(2026, 11, 30, 7, 55, tzinfo=WIB)


def test_across_a_national_holiday(office_register, all_roles_user, clock):
    # Friday 14 August 2026, 16:25 WITA; Monday 17 August is Hari Kemerdekaan.
    clock.at(datetime(2026, 8, 14, 16, 25, tzinfo=WITA))
    case = _case("bone", "rekomendasi-kip", office_register, all_roles_user("bone"))
    assert case.deadline == datetime(2026, 8, 18, 7, 40, tzinfo=WITA)


def test_across_idul_adha_and_its_cuti_bersama(office_register, all_roles_user, clock):
    # Blitar promises one working day (8 hours); 27 May 2026 is Idul Adha, 28 May cuti bersama.
    clock.at(datetime(2026, 5, 26, 10, 0, tzinfo=WIB))
    case = _case("blitar", "surat-keterangan-kip", office_register, all_roles_user("blitar"))
    assert case.deadline.astimezone(WIB).date() == datetime(2026, 5, 29).date()


def test_a_pause_moves_the_deadlines_by_the_working_time_it_took(
    office_register, all_roles_user, clock
):
    user = all_roles_user("blitar")
    clock.at(datetime(2026, 11, 24, 9, 0, tzinfo=WIB))
    case = _case("blitar", "surat-keterangan-kip", office_register, user)
    before = case.step_deadline
    assert before == datetime(2026, 11, 24, 9, 45, tzinfo=WIB)
    clock.at(datetime(2026, 11, 24, 9, 10, tzinfo=WIB))
    paused = case_pause(case_id=case.pk, user=user, reason="menunggu SKTM dari kelurahan")
    assert paused.step_deadline is None  # nothing to miss while the clock stands still
    clock.at(datetime(2026, 11, 24, 11, 10, tzinfo=WIB))  # 2 working hours later
    resumed = case_resume(case_id=case.pk, user=user)
    assert resumed.step_deadline == before + timedelta(hours=2)


def test_step_records_count_working_minutes(office_register, all_roles_user, clock):
    user = all_roles_user("blitar")
    clock.at(datetime(2026, 11, 24, 15, 50, tzinfo=WIB))
    case = _case("blitar", "surat-keterangan-kip", office_register, user)
    clock.at(datetime(2026, 11, 25, 7, 40, tzinfo=WIB))  # 10 min Tuesday + 10 min Wednesday
    record = case_act(case_id=case.pk, user=user, step="periksa", outcome="lengkap",
                      data={"checked": ["sktm", "kk", "ktp_kia"]})  # fmt: skip
    assert record.working_minutes == 20


def test_queue_puts_overdue_steps_first(office_register, all_roles_user, clock):
    user = all_roles_user("blitar")
    clock.at(datetime(2026, 11, 24, 8, 0, tzinfo=WIB))
    early = _case("blitar", "surat-keterangan-kip", office_register, user)
    clock.at(datetime(2026, 11, 24, 10, 0, tzinfo=WIB))
    late = _case("blitar", "surat-keterangan-kip", office_register, user)
    clock.at(datetime(2026, 11, 24, 13, 0, tzinfo=WIB))  # both overdue, early the most
    office = Office.objects.get(slug="blitar")
    assert list(queue(office=office, roles={"petugas"})) == [early, late]
    assert list(queue(office=office, roles={"kadin"})) == []
