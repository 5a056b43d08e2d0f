"""The "Selesai" tab of the work queue and its API: ended cases (selesai, ditolak,
dirujuk) by period in the office's time zone, service and outcome, newest first."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from layan.cases.models import Case, CaseState
from layan.cases.services import Applicant, case_create
from layan.cases.testing import step_act, walk
from layan.core.api_auth import token_issue
from layan.offices.models import Office

WITA = ZoneInfo("Asia/Makassar")
CASES = "/api/v1/cases"
KIP, BANSOS = "rekomendasi-kip", "bansos-disabilitas-lansia-ppks"


@pytest.fixture
def ani(office_register, make_user):
    return make_user("ani", bone=["petugas"])


@pytest.fixture
def kadin(office_register, make_user):
    return make_user("kadin.bone", bone=["kadin"])


@pytest.fixture
def outsider(office_register, make_user):
    return make_user("budi", bima=["petugas"])


def register(office_register, user, name, *, slug="bone", code=KIP, nik="registered"):
    return case_create(
        office=Office.objects.get(slug=slug),
        service_code=code,
        user=user,
        applicant=Applicant(name=name, nik=office_register[slug][nik]),
        duplicate_reason="uji: beberapa permohonan untuk orang yang sama",
    )


def finished_at(case: Case, moment: datetime) -> Case:
    # The walk ended it now; the test decides when, to try the period's edges.
    Case.objects.filter(pk=case.pk).update(finished_at=moment)
    case.refresh_from_db()
    return case


@pytest.fixture
def ended(office_register, ani, outsider, all_roles_user):
    """Bone: a rejected, a referred and a finished KIP case and a rejected bansos case
    (ended on the 23rd, 24th and 25th, WITA), one still open; Bima: an ended case."""
    everyone = all_roles_user("bone")
    rejected = register(office_register, ani, "Ibu Ditolak")
    step_act(rejected, user=ani, outcome="tidak_lengkap")
    referred = walk(register(office_register, ani, "Pak Dirujuk", nik="unknown"), user=everyone)
    done = walk(register(office_register, ani, "Ibu Selesai"), user=everyone)
    bansos = register(office_register, ani, "Pak Bansos", code=BANSOS)
    walk(bansos, user=everyone, outcomes={"periksa": "tidak_lengkap"})
    bima = register(office_register, outsider, "Ibu Bima", slug="bima", code="rekomendasi-pip")
    walk(bima, user=all_roles_user("bima"))
    cases = {
        # 00:30 WITA on the 25th is still the 24th in UTC: the office's day counts.
        "rejected": finished_at(rejected, datetime(2026, 11, 25, 0, 30, tzinfo=WITA)),
        "referred": finished_at(referred, datetime(2026, 11, 24, 15, 0, tzinfo=WITA)),
        "done": finished_at(done, datetime(2026, 11, 23, 9, 0, tzinfo=WITA)),
        "bansos": finished_at(bansos, datetime(2026, 11, 24, 23, 59, tzinfo=WITA)),
        "bima": finished_at(bima, datetime(2026, 11, 24, 10, 0, tzinfo=WITA)),
        "open": register(office_register, ani, "Ibu Masih Berjalan"),
    }
    assert [cases[k].state for k in ("rejected", "referred", "done", "bansos")] == [
        CaseState.REJECTED,
        CaseState.REFERRED,
        CaseState.DONE,
        CaseState.REJECTED,
    ]
    return cases


def finished_page(client, **params) -> str:
    response = client.get(reverse("case-queue", args=["bone"]), {"tab": "selesai", **params})
    assert response.status_code == 200
    return response.content.decode()


def order_listed(page: str, ended) -> list[str]:
    found = [
        (page.index(c.tracking_code), name) for name, c in ended.items() if c.tracking_code in page
    ]
    return [name for _, name in sorted(found)]


# ---- the page -------------------------------------------------------------------------


def test_the_tab_lists_ended_cases_newest_first(client, kadin, ended):
    client.force_login(kadin)
    page = finished_page(client)
    assert order_listed(page, ended) == ["rejected", "bansos", "referred", "done"]
    assert "Ditolak" in page and "Dirujuk" in page and "Selesai" in page
    assert "25 Nov 2026 00.30 WITA" in page
    assert ended["open"].applicant_nik not in page  # masked, as in the other tabs
    assert 'aria-current="page">Selesai</a>' in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"dari": "2026-11-24", "sampai": "2026-11-24"}, ["bansos", "referred"]),
        ({"dari": "2026-11-25"}, ["rejected"]),
        ({"sampai": "2026-11-23"}, ["done"]),
        ({"layanan": BANSOS}, ["bansos"]),
        ({"hasil": "ditolak"}, ["rejected", "bansos"]),
        ({"hasil": "dirujuk"}, ["referred"]),
        ({"hasil": "ditolak", "layanan": KIP}, ["rejected"]),
        ({"q": "selesai"}, ["done"]),
    ],
)
def test_the_tab_filters_by_period_service_outcome_and_search(
    client, kadin, ended, params, expected
):
    client.force_login(kadin)
    assert order_listed(finished_page(client, **params), ended) == expected


def test_the_filter_form_keeps_what_was_chosen(client, kadin, ended):
    client.force_login(kadin)
    page = finished_page(client, dari="2026-11-24", layanan=BANSOS, hasil="ditolak")
    assert 'name="dari" value="2026-11-24"' in page
    assert f'<option value="{BANSOS}" selected>' in page
    assert '<option value="ditolak" selected>' in page
    assert 'name="tab" value="selesai"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dari": "kemarin"}, "Dari tanggal: masukkan tanggal yang sah."),
        ({"sampai": "2026-13-01"}, "Sampai tanggal: masukkan tanggal yang sah."),
        ({"dari": "2026-11-23", "sampai": "2026-11-22"}, "Sampai tanggal: tidak boleh sebelum"),
        ({"hasil": "berjalan"}, "Hasil: pilih salah satu"),
        ({"layanan": "tidak-ada"}, "Layanan: pilih salah satu"),
    ],
)
def test_a_bad_filter_is_named_and_the_rest_still_lists(client, kadin, ended, params, message):
    client.force_login(kadin)
    page = finished_page(client, **params)
    assert message in page
    assert ended["done"].tracking_code in page  # the bad filter is not applied


def test_the_far_ends_of_the_calendar_are_no_error(client, kadin, ended):
    client.force_login(kadin)
    page = finished_page(client, dari="0001-01-01", sampai="9999-12-31")
    assert order_listed(page, ended) == ["rejected", "bansos", "referred", "done"]


def test_the_tab_shows_whether_the_promise_was_kept(client, kadin, ended):
    client.force_login(kadin)
    # Ended at 00:30 on the 25th: a deadline at 15:00 on the 24th was missed by the
    # working hour left that day; one at 16:00, closing time, lost no working time.
    late, after_hours, kept = ended["rejected"], ended["bansos"], ended["done"]
    Case.objects.filter(pk=late.pk).update(deadline=datetime(2026, 11, 24, 15, 0, tzinfo=WITA))
    Case.objects.filter(pk=after_hours.pk).update(
        deadline=datetime(2026, 11, 24, 16, 0, tzinfo=WITA),
        finished_at=datetime(2026, 11, 24, 19, 0, tzinfo=WITA),
    )
    Case.objects.filter(pk=kept.pk).update(deadline=datetime(2026, 11, 23, 10, 0, tzinfo=WITA))
    page = finished_page(client)

    def row_of(case):
        row = page[page.index(case.tracking_code) :]
        return row[: row.index("</tr>")]

    assert '<span class="overdue">terlambat 1 jam kerja</span>' in row_of(late)
    assert "tepat waktu" in row_of(after_hours)
    assert "tepat waktu" in row_of(kept)


def test_another_offices_ended_cases_are_not_listed(client, kadin, outsider, ended):
    client.force_login(kadin)
    assert ended["bima"].tracking_code not in finished_page(client)
    client.force_login(outsider)
    response = client.get(reverse("case-queue", args=["bone"]), {"tab": "selesai"})
    assert response.status_code == 404


def test_the_tab_pages_with_its_filters(client, kadin, ani, office_register, ended):
    for _ in range(50):
        case = register(office_register, ani, "Ibu Banyak")
        step_act(case, user=ani, outcome="tidak_lengkap")
    client.force_login(kadin)
    page = finished_page(client, hasil="ditolak", layanan=KIP)
    assert "51 permohonan" in page and "Halaman 1 dari 2" in page
    assert 'href="?tab=selesai&amp;layanan=rekomendasi-kip&amp;hasil=ditolak&amp;halaman=2"' in page
    second = finished_page(client, hasil="ditolak", layanan=KIP, halaman=2)
    assert second.count('data-label="Kode lacak"') == 1


def test_the_htmx_tab_is_the_partial(client, kadin, ended):
    client.force_login(kadin)
    response = client.get(
        reverse("case-queue", args=["bone"]), {"tab": "selesai"}, headers={"HX-Request": "true"}
    )
    assert b"<html" not in response.content
    assert ended["done"].tracking_code.encode() in response.content


# ---- the API --------------------------------------------------------------------------


def api_get(client, user, **params):
    headers = {"Authorization": f"Bearer {token_issue(user=user)}"}
    return client.get(CASES, params, headers=headers)


def api_names(response, ended) -> list[str]:
    assert response.status_code == 200, response.json()
    by_id = {case.pk: name for name, case in ended.items()}
    return [by_id[item["id"]] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["rejected", "bansos", "referred", "done"]),
        ({"finished_from": "2026-11-24", "finished_to": "2026-11-24"}, ["bansos", "referred"]),
        ({"finished_from": "2026-11-25"}, ["rejected"]),
        ({"service": BANSOS}, ["bansos"]),
        ({"state": "ditolak"}, ["rejected", "bansos"]),
        ({"state": "berjalan"}, []),
        ({"q": "dirujuk"}, ["referred"]),
    ],
)
def test_the_api_lists_ended_cases_by_period_service_and_outcome(
    client, kadin, ended, params, expected
):
    response = api_get(client, kadin, finished="true", **params)
    assert api_names(response, ended) == expected
    assert response.json()["count"] == len(expected)


def test_the_api_period_alone_means_ended_cases(client, kadin, ended):
    response = api_get(client, kadin, finished_to="2026-11-23")
    assert api_names(response, ended) == ["done"]


def test_the_api_pages_the_ended_cases(client, kadin, ended):
    first = api_get(client, kadin, finished="true", limit=3)
    second = api_get(client, kadin, finished="true", limit=3, offset=3)
    assert first.json()["count"] == second.json()["count"] == 4
    assert api_names(first, ended) + api_names(second, ended) == [
        "rejected",
        "bansos",
        "referred",
        "done",
    ]


def test_the_api_leaves_out_another_offices_ended_cases(client, outsider, ended):
    assert api_names(api_get(client, outsider, finished="true"), ended) == ["bima"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"finished_from": "kemarin"}, "finished_from"),
        ({"finished_to": "2026-02-30"}, "finished_to"),
        ({"finished_from": "2026-11-25", "finished_to": "2026-11-24"}, "finished_to"),
        ({"finished": "mungkin"}, "finished"),
    ],
)
def test_the_api_refuses_a_bad_period_naming_the_parameter(client, kadin, ended, params, field):
    response = api_get(client, kadin, **params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_the_api_takes_the_far_ends_of_the_calendar(client, kadin, ended):
    response = api_get(client, kadin, finished_from="0001-01-01", finished_to="9999-12-31")
    assert api_names(response, ended) == ["rejected", "bansos", "referred", "done"]


def test_the_api_documents_the_period(client):
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/cases"]["get"]["parameters"]
    described = {p["name"]: p.get("description", "") for p in parameters}
    assert "zona waktu kantor" in described["finished_from"]
    assert "selesai, ditolak" in described["finished"]
