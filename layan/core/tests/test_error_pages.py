"""Error pages in Layan's design and in Bahasa Indonesia, each with a way back.

The module is also the URL configuration of the tests that need a view that fails
(`urlpatterns` at the bottom).
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from layan.core.errors import Refusal
from layan.urls import handler400, handler403, handler404, handler500  # noqa: F401 - this urlconf's

pytestmark = pytest.mark.urls(__name__)

ENGLISH = ("Forbidden", "CSRF verification failed", "Server Error", "Not Found", "Bad Request")


def assert_layan_page(page: str) -> None:
    """The page carries the site's look (its stylesheet and header) and no English default."""
    assert '<html lang="id">' in page
    assert "/static/layan/site.css" in page
    assert 'class="site-header"' in page
    for words in ENGLISH:
        assert words not in page


def refuse_with_a_rights_message(request):
    raise Refusal("Hanya Kepala dinas yang dapat mencabut surat.")


def refuse_bare(request):
    raise PermissionDenied


def refuse_in_english(request):
    # Django's own refusals are English (CommonMiddleware's "Forbidden user agent").
    raise PermissionDenied("Forbidden user agent")


def suspicious(request):
    raise SuspiciousOperation("bad things in the request")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("uji/tolak/", refuse_with_a_rights_message),
    path("uji/tolak-polos/", refuse_bare),
    path("uji/tolak-inggris/", refuse_in_english),
    path("uji/curiga/", suspicious),
    path("uji/rusak/", broken),
    path("", include("layan.urls")),
]


# ---- CSRF failure ---------------------------------------------------------------------


def test_a_form_sent_without_its_token_gets_the_layan_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/masuk/", {"username": "ani", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert_layan_page(page)
    assert "Formulir tidak dapat dikirim" in page
    assert 'href="/masuk/"' in page  # sign in again
    assert "coba lagi" in page.lower()


def test_the_csrf_page_leads_back_to_the_page_the_form_was_on(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/keluar/", HTTP_REFERER="http://testserver/staf/bone/permohonan/?tab=saya"
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert 'href="/staf/bone/permohonan/?tab=saya"' in page
    assert 'href="/masuk/?next=/staf/bone/permohonan/%3Ftab%3Dsaya"' in page


def test_the_csrf_page_never_links_to_another_site(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/masuk/", HTTP_REFERER="https://jahat.example/masuk/")
    page = response.content.decode()
    assert "jahat.example" not in page
    assert 'href="/masuk/"' in page


def test_a_signed_in_officer_whose_form_went_stale_is_not_told_to_sign_in(seeded, make_user):
    user = make_user("ani", bone=["petugas"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/staf/bone/permohonan/baru/", {})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulir tidak dapat dikirim" in page
    assert "Masuk lagi" not in page
    assert 'href="/staf/"' in page


# ---- 403 ------------------------------------------------------------------------------


def test_a_refusal_of_the_rights_table_is_shown_to_the_person_refused(seeded, make_user, client):
    client.force_login(make_user("kadin", bone=["kadin"]))
    response = client.get("/staf/bone/permohonan/baru/")
    assert response.status_code == 403
    page = response.content.decode()
    assert_layan_page(page)
    assert "Akses ditolak" in page
    # office_for_staff names the roles the page is for, by their labels.
    assert "Petugas layanan / front office" in page
    assert 'href="/staf/"' in page


def test_a_refusal_message_reaches_the_page(client, db):
    page = client.get("/uji/tolak/").content.decode()
    assert "Hanya Kepala dinas yang dapat mencabut surat." in page


@pytest.mark.parametrize("url", ["/uji/tolak-polos/", "/uji/tolak-inggris/"])
def test_any_other_refusal_gets_the_plain_indonesian_words(client, db, url):
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert_layan_page(page)
    assert "Anda tidak memiliki hak untuk membuka halaman ini." in page
    assert "user agent" not in page
    assert 'href="/masuk/"' in page  # not signed in: a way to sign in


# ---- 404, 400 -------------------------------------------------------------------------


def test_the_404_page(client, db):
    response = client.get("/tidak-ada/layanan/juga-tidak/")
    assert response.status_code == 404
    page = response.content.decode()
    assert_layan_page(page)
    assert "Halaman tidak ditemukan" in page
    assert 'href="/"' in page
    assert 'href="/lacak/"' in page


def test_the_400_page(client, db, settings):
    settings.DEBUG = False
    response = client.get("/uji/curiga/")
    assert response.status_code == 400
    page = response.content.decode()
    assert_layan_page(page)
    assert "Permintaan tidak sah" in page
    assert 'href="/"' in page


# ---- 500 ------------------------------------------------------------------------------


@pytest.fixture
def failing_client(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    return client


def test_the_500_page(failing_client, db):
    response = failing_client.get("/uji/rusak/?x=1")
    assert response.status_code == 500
    page = response.content.decode()
    assert_layan_page(page)
    assert "Terjadi kesalahan pada sistem" in page
    assert 'href="/uji/rusak/?x=1"' in page  # coba lagi
    assert "Coba lagi" in page
    assert 'href="/"' in page
    assert "a bug" not in page


def test_the_500_page_asks_nothing_of_the_database(failing_client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert failing_client.get("/uji/rusak/").status_code == 500


def test_the_500_page_does_not_run_context_processors_that_may_fail(failing_client, db, settings):
    templates = [dict(t, OPTIONS=dict(t["OPTIONS"])) for t in settings.TEMPLATES]
    templates[0]["OPTIONS"]["context_processors"] = [
        *templates[0]["OPTIONS"]["context_processors"],
        "layan.core.tests.test_error_pages.context_that_fails",
    ]
    settings.TEMPLATES = templates
    response = failing_client.get("/uji/rusak/")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada sistem" in response.content.decode()


def test_the_500_page_still_answers_when_its_template_cannot_render(failing_client, db, settings):
    # A static file missing from the manifest makes {% static %} raise; the page must not.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = failing_client.get("/uji/rusak/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Terjadi kesalahan pada sistem" in page
    assert 'href="/"' in page
    assert "site.css" not in page  # the template's own rendering failed: the fallback answered


def context_that_fails(request):
    raise RuntimeError("a context processor that needs the database, which is down")


@pytest.mark.browser
def test_after_a_stale_sign_in_form_masuk_lagi_signs_in(live_server, seeded, make_user, page):
    make_user("ani", bone=["petugas"])
    page.goto(live_server.url + "/masuk/")
    page.context.clear_cookies()  # the CSRF cookie expired while the form stood open
    page.fill("#id_username", "ani")
    page.fill("#id_password", "rahasia-panjang-123")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("heading", name="Formulir tidak dapat dikirim").is_visible()
    page.get_by_role("link", name="Masuk lagi").click()
    page.fill("#id_username", "ani")
    page.fill("#id_password", "rahasia-panjang-123")
    page.get_by_role("button", name="Masuk").click()
    assert page.url == live_server.url + "/staf/"
    # Chromium logs the 403 document itself; nothing else may fail (a CSP violation would).
    assert [e for e in page.errors if "status of 403" not in e] == []
