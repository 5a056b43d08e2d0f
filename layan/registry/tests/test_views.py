"""Register staff pages: snapshots, lookup, log, rejection report, comparison and downloads."""

import csv
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from layan.registry.models import LookupLog
from layan.registry.tests.test_diff import A, B, C, D, E, W, bone_new, bone_old, person
from layan.registry.tests.test_diff import snapshot_import as _import

BAD_NIK = "7308019909630005"  # day 99 is no date
BIMA = ("5272011209630001", "5272011101070001", "LA BIMA", "1963-09-12")


@pytest.fixture
def ani(seeded, make_user):
    """A front-office officer at Bone."""
    user = make_user("ani", bone=["petugas"])
    user.full_name, user.nip = "Ani Lestari", "198701012010012001"
    user.save(update_fields=["full_name", "nip"])
    return user


@pytest.fixture
def staff(client, ani):
    client.force_login(ani)
    return client


@pytest.fixture
def outsider(client, seeded, make_user):
    client.force_login(make_user("budi", bima=["petugas"]))
    return client


@pytest.fixture
def bone_pair(seeded, tmp_path, settings):
    # One bad line among six: allowed here so the rejection report has something to say.
    settings.REGISTRY_MAX_REJECTED = 0.5
    old = _import(tmp_path, bone_old(), period="2026-08")
    bad = person(BAD_NIK, "7308011101070001", "SALAH TANGGAL", "1963-09-12")
    new = _import(tmp_path, [*bone_new()[:2], bad, *bone_new()[2:]], period="2026-09")
    old.refresh_from_db()
    return old, new


@pytest.fixture
def bima_snapshot(seeded, tmp_path):
    return _import(tmp_path, [person(*BIMA)], period="2026-09", name="bima.csv")


def url(name: str, *args, office: str = "bone") -> str:
    return reverse(name, args=[office, *args])


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def lookup(client, htmx: bool = False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("registry-lookup"), data, headers=headers)


PAGES = ["registry-home", "registry-lookup", "registry-log", "registry-diff"]


@pytest.mark.parametrize("name", PAGES)
def test_it_redirects_anonymous_visitors_to_sign_in(client, seeded, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=")


def test_it_redirects_anonymous_downloads_to_sign_in(client, bone_pair):
    new = bone_pair[1]
    response = client.get(url("registry-rejections", new.pk))
    assert response.status_code == 302
    response = client.post(url("registry-lookup"), {"nik": A[0]})
    assert response.status_code == 302
    assert not LookupLog.objects.exists()


@pytest.mark.parametrize("name", PAGES)
def test_it_hides_the_pages_from_another_offices_staff(outsider, name):
    assert outsider.get(url(name)).status_code == 404


def test_it_hides_the_snapshots_and_lookups_from_another_offices_staff(outsider, bone_pair):
    old, new = bone_pair
    assert outsider.get(url("registry-rejections", new.pk)).status_code == 404
    assert outsider.get(url("registry-diff") + f"?lama={old.pk}&baru={new.pk}").status_code == 404
    assert outsider.post(url("registry-lookup"), {"nik": A[0]}).status_code == 404
    assert not LookupLog.objects.exists()


def test_home_lists_the_snapshots_and_offers_the_lookup(staff, bone_pair):
    old, new = bone_pair
    page = staff.get(url("registry-home")).content.decode()
    assert 'action="/staf/bone/register/cari/"' in page
    assert "dtks-2026-08.csv" in page and "dtks-2026-09.csv" in page
    assert "Aktif" in page and "Digantikan" in page
    assert "September 2026" in page and "Agustus 2026" in page
    assert f'href="/staf/bone/register/snapshot/{new.pk}/ditolak.csv"' in page
    assert f'href="/staf/bone/register/snapshot/{old.pk}/ditolak.csv"' not in page
    assert f"?baru={new.pk}" in page


def test_home_without_snapshots_says_so(staff):
    page = staff.get(url("registry-home")).content.decode()
    assert "Belum ada salinan register" in page


def test_home_does_not_list_another_regions_snapshots(staff, bima_snapshot):
    page = staff.get(url("registry-home")).content.decode()
    assert "bima.csv" not in page


def test_lookup_page_shows_the_form(staff):
    response = staff.get(url("registry-lookup"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="nik"' in page and 'name="no_kk"' in page and "csrfmiddlewaretoken" in page


def test_lookup_of_a_registered_nik_shows_the_person_and_household(staff, bone_pair, ani):
    new = bone_pair[1]
    response = lookup(staff, nik=A[0], perkara="KIP-2026-0001")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h2>Terdaftar</h2>" in page
    assert "Terdaftar (data DTKS per September 2026)." in page
    assert A[2] in page and A[1] in page and "Laki-laki" in page and "12/09/1963" in page
    assert "DUSUN ULAJARU, RT 008/RW 004" in page and "BURE, Kec. BURIBU" in page
    assert "PKH, BPNT/Sembako, PBI-JK" in page
    # The household table: the couple, the one looked up marked.
    assert W[2] in page and W[0] in page and "ISTRI" in page
    assert 'class="self"' in page
    assert B[2] not in page
    log = LookupLog.objects.get()
    assert (log.user, log.nik, log.no_kk, log.found) == (ani, A[0], "", True)
    assert (log.snapshot, log.case_ref, log.channel) == (new, "KIP-2026-0001", "web")


def test_lookup_by_no_kk_shows_the_household(staff, bone_pair):
    page = lookup(staff, no_kk=A[1]).content.decode()
    assert "<h2>Terdaftar</h2>" in page
    assert A[2] in page and W[2] in page
    assert LookupLog.objects.get().no_kk == A[1]


def test_lookup_of_an_unknown_nik_says_not_registered_and_is_logged(staff, bone_pair):
    page = lookup(staff, nik=D[0]).content.decode()  # left in September
    assert "<h2>Tidak terdaftar</h2>" in page
    assert "Tidak terdaftar dalam register kantor ini (data DTKS per September 2026)." in page
    assert D[2] not in page
    assert LookupLog.objects.get().found is False


def test_lookup_without_any_snapshot_says_there_is_no_data(staff):
    page = lookup(staff, nik=A[0]).content.decode()
    assert "belum ada data register untuk kantor ini" in page


def test_an_invalid_nik_shows_the_reason_next_to_the_field(staff, bone_pair):
    response = lookup(staff, nik="73080112")
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        '<p class="field-error" id="nik-error">NIK harus 16 digit angka (terisi 8 karakter)</p>'
        in page
    )
    assert 'aria-invalid="true" aria-describedby="nik-error"' in page
    assert 'value="73080112"' in page
    assert not LookupLog.objects.exists()


def test_an_invalid_no_kk_shows_the_reason_next_to_its_field(staff, bone_pair):
    page = lookup(staff, no_kk="7308019999990001").content.decode()
    assert 'id="no-kk-error"' in page and "bukan tanggal yang sah" in page


def test_lookup_needs_exactly_one_number(staff, bone_pair):
    response = lookup(staff, nik=A[0], no_kk=A[1])
    assert response.status_code == 422
    assert "Isi NIK atau No KK (salah satu)." in response.content.decode()
    assert not LookupLog.objects.exists()


def test_htmx_lookup_returns_only_the_partial(staff, bone_pair):
    response = lookup(staff, htmx=True, nik=A[0])
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="lookup"')
    assert "<html" not in page and "site-header" not in page
    assert "<h2>Terdaftar</h2>" in page and A[2] in page


def test_htmx_lookup_with_an_invalid_nik_is_swapped_with_a_200(staff, bone_pair):
    response = lookup(staff, htmx=True, nik="73080112")
    assert response.status_code == 200
    assert 'id="nik-error"' in response.content.decode()


def test_log_lists_the_lookups_newest_first_in_office_time(staff, bone_pair):
    lookup(staff, nik=A[0], perkara="KIP-1")
    lookup(staff, nik=D[0])
    page = staff.get(url("registry-log")).content.decode()
    assert page.index(D[0]) < page.index(A[0])
    assert 'Ani Lestari <span class="nip">(NIP 19870101 201001 2 001)</span>' in page
    assert ">ani<" not in page
    assert "KIP-1" in page and "Tidak terdaftar" in page and "Halaman staf" in page
    assert "WITA" in page  # Bone keeps Asia/Makassar time
    assert "data DTKS per September 2026" in page


def test_log_shows_only_this_offices_lookups(client, bone_pair, make_user, ani):
    bima_staff = make_user("budi", bima=["petugas"])
    client.force_login(bima_staff)
    client.post(url("registry-lookup", office="bima"), {"nik": BIMA[0]})
    client.force_login(ani)
    page = client.get(url("registry-log")).content.decode()
    assert BIMA[0] not in page
    assert "Belum ada pencarian" in page


def test_log_is_paginated_by_fifty(staff, bone_pair, ani):
    bone = ani.memberships.get().office
    LookupLog.objects.bulk_create(
        LookupLog(office=bone, user=ani, nik=f"73080112096{i:05d}") for i in range(1, 53)
    )
    first = staff.get(url("registry-log")).content.decode()
    second = staff.get(url("registry-log") + "?halaman=2").content.decode()
    assert first.count("<tr>") - 1 == 50 and "Halaman 1 dari 2" in first
    assert second.count("<tr>") - 1 == 2


def test_rejection_report_names_line_column_and_reason(staff, bone_pair):
    new = bone_pair[1]
    response = staff.get(url("registry-rejections", new.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(streamed(response))))
    assert rows == [
        ["baris", "kolom", "isi", "alasan"],
        ["4", "nik", BAD_NIK, "tanggal lahir pada NIK '990963' bukan tanggal yang sah"],
    ]


def test_rejection_report_of_another_regions_snapshot_is_404(staff, bima_snapshot):
    assert staff.get(url("registry-rejections", bima_snapshot.pk)).status_code == 404
    assert staff.get(url("registry-rejections", 99999)).status_code == 404


def test_diff_compares_the_active_snapshot_with_the_one_before_by_default(staff, bone_pair):
    old, new = bone_pair
    page = staff.get(url("registry-diff")).content.decode()
    assert f'<option value="{old.pk}" selected>' in page
    assert f'<option value="{new.pk}" selected>' in page
    assert "<strong>1</strong> masuk" in page
    assert "<strong>1</strong> keluar" in page
    assert "<strong>2</strong> berubah" in page
    for nik in (E[0], D[0], B[0], C[0]):
        assert nik in page
    assert A[0] not in page
    assert "desil 3 → 4" in page and "PKH ditambahkan" in page
    assert f"?lama={old.pk}&amp;baru={new.pk}&amp;format=csv" in page
    assert f"?lama={old.pk}&amp;baru={new.pk}&amp;format=xlsx" in page


def test_diff_of_picked_snapshots_both_ways(staff, bone_pair):
    old, new = bone_pair
    page = staff.get(url("registry-diff") + f"?lama={new.pk}&baru={old.pk}").content.decode()
    # Backwards: D entered again, E left.
    assert page.index(D[0]) < page.index(E[0])


def test_diff_without_two_snapshots_says_so(staff):
    page = staff.get(url("registry-diff")).content.decode()
    assert "Perlu dua salinan register" in page


def test_diff_of_the_oldest_snapshot_asks_for_an_older_one(staff, bone_pair):
    old = bone_pair[0]
    page = staff.get(url("registry-diff") + f"?baru={old.pk}").content.decode()
    assert f"Tidak ada salinan sebelum #{old.pk} (Agustus 2026)" in page


def test_diff_of_two_regions_is_refused_with_the_reason(staff, bone_pair, tmp_path):
    new = bone_pair[1]
    selayar = ("7301011209630001", "7301011101070001", "LA SELAYAR", "1963-09-12")
    province = _import(tmp_path, [person(*A), person(*selayar)], period="2026-09", name="73.csv")
    assert province.region_code == "73"
    response = staff.get(url("registry-diff") + f"?lama={province.pk}&baru={new.pk}")
    assert response.status_code == 422
    assert "Hanya salinan register dari wilayah yang sama yang dapat dibandingkan" in (
        response.content.decode()
    )
    csv_response = staff.get(url("registry-diff") + f"?lama={province.pk}&baru={new.pk}&format=csv")
    assert csv_response.status_code == 422


def test_diff_of_another_regions_snapshot_is_404(staff, bone_pair, bima_snapshot):
    new = bone_pair[1]
    response = staff.get(url("registry-diff") + f"?lama={bima_snapshot.pk}&baru={new.pk}")
    assert response.status_code == 404
    assert staff.get(url("registry-diff") + "?lama=x&baru=1").status_code == 404


def test_diff_csv_download(staff, bone_pair):
    old, new = bone_pair
    response = staff.get(url("registry-diff") + f"?lama={old.pk}&baru={new.pk}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="perbandingan-bone-2026-08-2026-09.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert [(r["Perubahan"], r["NIK"]) for r in rows] == [
        ("Masuk", E[0]),
        ("Keluar", D[0]),
        ("Berubah", B[0]),
        ("Berubah", C[0]),
    ]
    assert rows[3]["Program lama"] == "PBI-JK" and rows[3]["Program baru"] == "PKH, PBI-JK"


def test_diff_xlsx_download(staff, bone_pair):
    old, new = bone_pair
    response = staff.get(url("registry-diff") + f"?lama={old.pk}&baru={new.pk}&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheet_names == ["Masuk", "Keluar", "Berubah"]
    rows = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    assert [r[1] for r in rows["Masuk"][1:]] == [E[0]]
    assert [r[1] for r in rows["Keluar"][1:]] == [D[0]]
    assert [r[1] for r in rows["Berubah"][1:]] == [B[0], C[0]]
    assert rows["Berubah"][0][:3] == ["Perubahan", "NIK", "No KK"]


def test_htmx_diff_returns_only_the_partial(staff, bone_pair):
    old, new = bone_pair
    response = staff.get(
        url("registry-diff") + f"?lama={old.pk}&baru={new.pk}", headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="diff"')
    assert "<html" not in page and E[0] in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.browser
def test_an_officer_looks_up_a_nik_on_a_phone_without_leaving_the_page(
    live_server, bone_pair, ani, page
):
    page.goto(live_server.url + "/masuk/?next=/staf/bone/register/")
    page.get_by_label("Nama pengguna").fill("ani")
    page.get_by_label("Kata sandi").fill("rahasia-panjang-123")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("NIK").fill(A[0])
    with page.expect_response(lambda r: r.url.endswith("/cari/")) as answer:
        page.get_by_role("button", name="Cari").click()
    # htmx swapped the answer in (the CSRF header from <body> was accepted).
    assert answer.value.status == 200
    assert page.get_by_role("heading", name="Terdaftar").is_visible()
    assert page.url.endswith("/staf/bone/register/")
    assert page.get_by_role("heading", name="Salinan register").is_visible()
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert page.errors == []
    # Checked through the log page: an ORM call here would open a connection that
    # Playwright's event loop keeps from ever being closed.
    page.get_by_role("link", name="Log pencarian").click()
    assert page.get_by_role("cell", name=f"NIK {A[0]}").is_visible()
