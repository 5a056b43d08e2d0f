"""Searching the work queue by tracking code, NIK or name, on the page and as
`GET /api/v1/cases?q=`: only the office's cases, only what the tab shows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layan.cases.selectors import Search, search_of
from layan.cases.services import Applicant, Subject, case_create
from layan.core.api_auth import token_issue
from layan.offices.models import Office
from layan.registry.tests.factories import make_nik

HTMX = {"HX-Request": "true"}
CASES = "/api/v1/cases"


@pytest.fixture
def ani(office_register, make_user):
    return make_user("ani", bone=["petugas"])


@pytest.fixture
def kabid(office_register, make_user):
    return make_user("kabid.bone", bone=["kabid"])


@pytest.fixture
def outsider(office_register, make_user):
    return make_user("budi", bima=["petugas"])


CHILD_NIK = make_nik("7308", serial=77)


def register(office_register, user, name, *, slug="bone", code="rekomendasi-kip", child=None):
    subject = Subject(name=child, nik=CHILD_NIK, relation="anak") if child else None
    return case_create(
        office=Office.objects.get(slug=slug),
        service_code=code,
        user=user,
        applicant=Applicant(name=name, nik=office_register[slug]["registered"]),
        subject=subject,
        duplicate_reason="uji: beberapa permohonan untuk orang yang sama",
    )


@pytest.fixture
def cases(office_register, ani, outsider):
    """Two Bone cases (one for a child) and a Bima case of an applicant of the same name."""
    return {
        "sari": register(office_register, ani, "Ibu Sari Wulandari", child="Budi Santoso"),
        "ahmad": register(office_register, ani, "Pak Ahmad Rahman"),
        "bima": register(
            office_register, outsider, "Ibu Sari Wulandari", slug="bima", code="rekomendasi-pip"
        ),
    }


def queue_url(office: str = "bone") -> str:
    return reverse("case-queue", args=[office])


LISTED = re.compile(r'<a class="code" href="[^"]*">([^<]+)</a>')


def codes_listed(client, **params) -> set[str]:
    """The tracking codes of the rows listed (the search box may echo a code too)."""
    response = client.get(queue_url(), params)
    assert response.status_code == 200
    return set(LISTED.findall(response.content.decode()))


# ---- what a search text means ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("K7QD-3MXA", "code", "K7QD-3MXA"),
        ("k7qd3mxa", "code", "K7QD-3MXA"),
        (" k7qd 3mxa ", "code", "K7QD-3MXA"),
        ("7308011209630011", "nik", "7308011209630011"),
        ("7308 0112 0963 0011", "nik", "7308011209630011"),
        ("730801120963001", "name", "730801120963001"),  # 15 digits: no NIK
        ("sari", "name", "sari"),
        ("  Sari   Wulan ", "name", "Sari Wulan"),
        ("", None, ""),
        ("   ", None, ""),
        ("sa\x00ri", "name", "sari"),  # PostgreSQL refuses NUL in a string
    ],
)
def test_a_search_text_is_a_code_a_nik_or_a_name(text, kind, value):
    search = search_of(text)
    assert (search.kind if search else None) == kind
    if search:
        assert search.value == value


def test_a_code_of_letters_only_may_also_be_a_name():
    # Eight symbols of the code alphabet without a digit may be part of a name too.
    search = search_of("Ahmad Rah")
    assert search == Search("code_or_name", "AHMA-DRAH", "Ahmad Rah")


# ---- on the page ----------------------------------------------------------------------


def test_it_finds_a_case_by_its_tracking_code_in_any_form(client, ani, cases):
    client.force_login(ani)
    code = cases["sari"].tracking_code
    for typed in (code, code.lower(), code.replace("-", ""), code.replace("-", "").lower()):
        assert codes_listed(client, q=typed) == {code}, typed


def test_it_finds_by_the_applicants_or_the_childs_nik_exactly(client, ani, cases):
    client.force_login(ani)
    nik = cases["ahmad"].applicant_nik  # both Bone applicants share the registered NIK
    both = {cases["sari"].tracking_code, cases["ahmad"].tracking_code}
    assert codes_listed(client, q=nik) == both
    assert codes_listed(client, q=CHILD_NIK) == {cases["sari"].tracking_code}
    assert codes_listed(client, q=CHILD_NIK[:-1]) == set()  # a NIK is never matched by part


def test_it_finds_by_part_of_the_applicants_or_the_childs_name_in_any_case(client, ani, cases):
    client.force_login(ani)
    assert codes_listed(client, q="wulan") == {cases["sari"].tracking_code}
    assert codes_listed(client, q="AHMAD rah") == {cases["ahmad"].tracking_code}
    assert codes_listed(client, q="budi") == {cases["sari"].tracking_code}  # the child
    assert codes_listed(client, q="tidak ada") == set()


def test_it_searches_the_offices_cases_only(client, ani, outsider, cases):
    client.force_login(ani)
    bima = cases["bima"].tracking_code
    assert bima not in codes_listed(client, q="Sari", tab="semua")
    assert codes_listed(client, q=bima, tab="semua") == set()
    client.force_login(outsider)
    assert client.get(queue_url(), {"q": "Sari"}).status_code == 404


def test_it_searches_within_the_tab(client, kabid, cases):
    # The kabid has no step of these cases: "Langkah saya" finds none, "Semua" finds it.
    client.force_login(kabid)
    code = cases["sari"].tracking_code
    assert codes_listed(client, q=code) == set()
    assert codes_listed(client, q=code, tab="semua") == {code}


def test_the_page_says_what_was_searched_and_offers_the_other_tabs(client, kabid, cases):
    client.force_login(kabid)
    page = client.get(queue_url(), {"q": "wulan"}).content.decode()
    assert "Tidak ada permohonan yang cocok dengan “wulan”" in page
    assert f'href="{queue_url()}?tab=semua&amp;q=wulan"' in page


def test_the_search_box_works_without_script_and_with_htmx(client, ani, cases):
    client.force_login(ani)
    page = client.get(queue_url(), {"tab": "semua", "q": "wulan"}).content.decode()
    start = page.index('<form class="form queue-search"')
    form = page[start : page.index("</form>", start)]
    assert 'method="get"' in form and f'action="{queue_url()}"' in form
    assert 'name="q"' in form and 'value="wulan"' in form and 'type="search"' in form
    assert 'name="tab" value="semua"' in form
    assert 'hx-get="' in form and 'hx-target="#queue"' in form
    assert "<label" in form
    partial = client.get(queue_url(), {"q": "wulan"}, headers=HTMX)
    assert b"<html" not in partial.content
    assert cases["sari"].tracking_code.encode() in partial.content
    assert cases["ahmad"].tracking_code.encode() not in partial.content


def test_a_long_search_is_cut_not_refused(client, ani, cases):
    client.force_login(ani)
    response = client.get(queue_url(), {"q": "x" * 5000})
    assert response.status_code == 200


def test_page_links_keep_the_search_and_the_tab(client, ani, office_register):
    for _ in range(51):
        register(office_register, ani, "Ibu Sari Wulandari")
    register(office_register, ani, "Pak Ahmad Rahman")
    client.force_login(ani)
    page = client.get(queue_url(), {"tab": "semua", "q": "sari"}).content.decode()
    assert "Halaman 1 dari 2" in page
    assert "51 permohonan" in page
    assert 'href="?tab=semua&amp;q=sari&amp;halaman=2"' in page
    second = client.get(queue_url(), {"tab": "semua", "q": "sari", "halaman": 2}).content.decode()
    assert second.count('data-label="Kode lacak"') == 1
    assert 'href="?tab=semua&amp;q=sari&amp;halaman=1"' in second


def test_searching_does_not_grow_the_queries_with_the_rows(client, ani, office_register):
    client.force_login(ani)
    register(office_register, ani, "Ibu Sari")
    with CaptureQueriesContext(connection) as one:
        client.get(queue_url(), {"q": "sari"})
    for _ in range(5):
        register(office_register, ani, "Ibu Sari")
    with CaptureQueriesContext(connection) as six:
        client.get(queue_url(), {"q": "sari"})
    assert len(six.captured_queries) == len(one.captured_queries)


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the planner of SQLite is asked")
@pytest.mark.parametrize("tab", ["saya", "semua", "selesai"])
def test_a_nik_search_reads_the_nik_indexes_not_the_office(client, ani, cases, tab):
    client.force_login(ani)
    with CaptureQueriesContext(connection) as run:
        client.get(queue_url(), {"q": CHILD_NIK, "tab": tab})
    plans = []
    with connection.cursor() as cursor:
        for query in run.captured_queries:
            if "cases_case" in query["sql"] and query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plans.append(" / ".join(str(row[-1]) for row in cursor.fetchall()))
    assert any("case_applicant_nik" in p and "case_subject_nik" in p for p in plans), plans
    listing = [p for p in plans if "INTEGER PRIMARY KEY" in p]
    assert listing, plans  # the tab's query reads those cases by id
    assert not any("(office_id=?)" in p or "SCAN cases_case" in p for p in listing), plans


# ---- over the API ---------------------------------------------------------------------


def api_get(client, user, **params):
    headers = {"Authorization": f"Bearer {token_issue(user=user)}"}
    return client.get(CASES, params, headers=headers)


def api_codes(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {item["tracking_code"] for item in response.json()["items"]}


def test_the_api_searches_by_code_nik_and_name(client, ani, cases):
    code = cases["sari"].tracking_code
    assert api_codes(api_get(client, ani, q=code.replace("-", "").lower())) == {code}
    assert api_codes(api_get(client, ani, q=CHILD_NIK)) == {code}
    assert api_codes(api_get(client, ani, q="WULAN")) == {code}
    response = api_get(client, ani, q="rahman", office="bone")
    assert api_codes(response) == {cases["ahmad"].tracking_code}
    assert response.json()["count"] == 1


def test_the_api_searches_the_callers_offices_only(client, outsider, cases):
    assert api_codes(api_get(client, outsider, q="sari")) == {cases["bima"].tracking_code}
    assert api_codes(api_get(client, outsider, q=cases["sari"].tracking_code)) == set()
    assert api_get(client, outsider, q="sari", office="bone").status_code == 404


def test_the_api_refuses_a_search_too_long_naming_it(client, ani, cases):
    response = api_get(client, ani, q="x" * 101)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


@pytest.mark.parametrize("param", ["q", "office", "service", "step"])
def test_the_api_refuses_a_control_character_naming_the_parameter(client, ani, cases, param):
    # PostgreSQL cannot even compare a string holding NUL: a 422, never a 500.
    response = api_get(client, ani, **{param: "sa\x00ri"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": param, "reason": "tidak boleh memuat karakter kendali"}
    ]


def test_the_api_documents_the_search(client):
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/cases"]["get"]["parameters"]
    q = next(p for p in parameters if p["name"] == "q")
    assert "NIK" in q["description"] and "kode lacak" in q["description"]
