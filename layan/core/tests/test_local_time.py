"""Times are shown in the office's zone with its Indonesian name, by one helper."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from layan.core.local_time import local, local_date, local_span, zone_name, zone_of

# 06.05 UTC is 13.05 in Jakarta, 14.05 in Makassar, 15.05 in Jayapura.
MOMENT = datetime(2026, 12, 4, 6, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Jakarta", "4 Des 2026 13.05 WIB"),
        ("Asia/Pontianak", "4 Des 2026 13.05 WIB"),
        ("Asia/Makassar", "4 Des 2026 14.05 WITA"),
        ("Asia/Jayapura", "4 Des 2026 15.05 WIT"),
    ],
)
def test_it_shows_the_moment_in_the_offices_zone_with_its_name(zone, shown):
    office = SimpleNamespace(time_zone=zone)
    assert local(MOMENT, office) == shown
    assert local(MOMENT, zone) == shown


def test_it_crosses_midnight_into_the_offices_day():
    late = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 00.30 on 1 January in Makassar
    assert local(late, "Asia/Makassar") == "1 Jan 2027 00.30 WITA"
    assert local(late, "Asia/Jakarta") == "31 Des 2026 23.30 WIB"
    assert local_date(late, "Asia/Jayapura") == "1 Januari 2027"
    assert local_date(late, "Asia/Jakarta") == "31 Desember 2026"


def test_a_span_within_a_day_names_the_day_and_zone_once():
    later = datetime(2026, 12, 4, 6, 30, tzinfo=UTC)
    assert local_span(MOMENT, later, "Asia/Jayapura") == "4 Des 2026 15.05\u201315.30 WIT"
    night = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)  # 00.30 the next day in Makassar
    assert local_span(MOMENT, night, "Asia/Makassar") == (
        "4 Des 2026 14.05 WITA \u2013 5 Des 2026 00.30 WITA"
    )
    assert local_span(None, later, "Asia/Jakarta") == "4 Des 2026 13.30 WIB"


def test_it_gives_seconds_for_logs_and_nothing_for_no_moment():
    assert local(MOMENT, "Asia/Jayapura", seconds=True) == "4 Des 2026 15.05.09 WIT"
    assert local(None, "Asia/Jakarta") == ""
    assert local_date(None) == ""
    assert local_date(date(2026, 8, 17)) == "17 Agustus 2026"


def test_another_zone_keeps_its_own_name_and_the_default_is_the_installs(settings):
    assert local(MOMENT, "UTC") == "4 Des 2026 06.05 UTC"
    assert zone_name(zone_of("Asia/Dubai"), MOMENT.astimezone(zone_of("Asia/Dubai"))) == "UTC+4"
    settings.TIME_ZONE = "Asia/Makassar"
    assert local(MOMENT) == "4 Des 2026 14.05 WITA"


def test_the_template_filters_read_the_office_and_name_the_person(django_user_model, db):
    """The NIP is kept on one line (class nip); a name is escaped like any text."""
    andi = django_user_model(username="andi", full_name="Andi Saputra", nip="198701012010011001")
    nobody = django_user_model(username="budi")
    rendered = Template(
        "{{ at|local:office }}|{{ at|local_seconds:office }}|{{ at|local_date:office }}|"
        "{{ andi|person }}|{{ budi|person }}|{{ none|person }}"
    ).render(
        Context(
            {
                "at": MOMENT,
                "office": SimpleNamespace(time_zone="Asia/Makassar"),
                "andi": andi,
                "budi": nobody,
                "none": None,
            }
        )
    )
    evil = django_user_model(username="x", full_name="<b>Ani</b>", nip="1")
    assert Template("{{ u|person }}").render(Context({"u": evil})) == (
        '&lt;b&gt;Ani&lt;/b&gt; <span class="nip">(NIP 1)</span>'
    )
    assert rendered.split("|") == [
        "4 Des 2026 14.05 WITA",
        "4 Des 2026 14.05.09 WITA",
        "4 Desember 2026",
        'Andi Saputra <span class="nip">(NIP 19870101 201001 1 001)</span>',
        "budi",
        "sistem",
    ]


def test_a_nip_is_grouped_only_when_it_has_its_18_digits(django_user_model):
    user = django_user_model(full_name="Sitti Rahma", nip="19870101 201001 2 003")
    assert user.nip_shown == "19870101 201001 2 003"
    assert user.name_with_nip == "Sitti Rahma (NIP 19870101 201001 2 003)"
    user.nip = "-"
    assert user.name_with_nip == "Sitti Rahma (NIP -)"
    user.nip = ""
    assert user.name_with_nip == "Sitti Rahma"
