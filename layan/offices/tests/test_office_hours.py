"""What the public page says about when and where an office serves: its hours and its counter."""

from datetime import time

import pytest
from django.conf import settings

from layan.core.local_time import DASH
from layan.offices.calendar import DEFAULT_WEEK, WorkCalendar, calendar_for, opening_hours
from layan.offices.models import Office, WorkingHours
from layan.offices.services import office_load_seed


def dashed(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rows written with hyphens, as the page shows them (with en dashes)."""
    return [(days.replace("-", DASH), hours.replace("-", DASH)) for days, hours in rows]


def test_the_default_week_groups_monday_to_thursday_and_names_the_zone():
    rows = opening_hours(WorkCalendar("Asia/Makassar", week=DEFAULT_WEEK))
    assert rows == dashed(
        [
            ("Senin-Kamis", "07.30-16.00 WITA, istirahat 12.00-13.00"),
            ("Jumat", "07.30-16.30 WITA, istirahat 11.30-13.00"),
            ("Sabtu-Minggu", "tutup"),
        ]
    )


def test_an_office_with_its_own_hours_shows_them_and_days_apart_are_not_joined(seeded):
    blitar = Office.objects.get(slug="blitar")
    for weekday in (0, 1, 2):
        WorkingHours.objects.create(office=blitar, weekday=weekday, start=time(8), end=time(15))
    WorkingHours.objects.create(office=blitar, weekday=4, start=time(8), end=time(15))
    WorkingHours.objects.create(office=blitar, weekday=5, start=time(8), end=time(12))
    calendar = calendar_for(blitar)
    assert not calendar.uses_default_week
    assert opening_hours(calendar) == dashed(
        [
            ("Senin-Rabu", "08.00-15.00 WIB"),
            ("Kamis", "tutup"),
            ("Jumat", "08.00-15.00 WIB"),
            ("Sabtu", "08.00-12.00 WIB"),
            ("Minggu", "tutup"),
        ]
    )


def test_an_office_without_hours_of_its_own_keeps_the_perpres_week(seeded):
    assert calendar_for(Office.objects.get(slug="bone")).uses_default_week


# What the seeds say about where the counter is: Bone's applicants bring their papers
# to the Petugas Layanan at the Front Office/Bagian Layanan (seed 000); Mataram's come
# to the SLRT front office (seed 003). Bima, Blitar and Banyuasin do not say.
COUNTERS = {
    "bone": "Front Office/Bagian Layanan (Petugas Layanan)",
    "mataram": "Front Office Sistem Layanan dan Rujukan Terpadu (SLRT)",
    "bima": "",
    "blitar": "",
    "banyuasin": "",
}


@pytest.mark.parametrize("slug", COUNTERS)
def test_the_counter_is_where_the_seed_says_and_nowhere_invented(seeded, slug):
    assert Office.objects.get(slug=slug).counter_location == COUNTERS[slug]


def test_a_counter_taken_out_of_the_seed_is_cleared_on_reload(seeded, tmp_path):
    seed = (settings.OFFICES_SEED_DIR / "bone.yaml").read_text()
    lines = [line for line in seed.splitlines() if not line.startswith("counter_location")]
    path = tmp_path / "bone.yaml"
    path.write_text("\n".join(lines) + "\n")
    office_load_seed(path=path)
    assert Office.objects.get(slug="bone").counter_location == ""
