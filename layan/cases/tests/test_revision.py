"""A case sent back for revision: marked while it stands at the step it was returned to,
its reason at the top of its page, first in the queue and the API's list."""

import importlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from layan.cases.models import Case
from layan.cases.presenting import RETURN_REASON_SHORT
from layan.cases.selectors import queue
from layan.cases.testing import step_act, walk
from layan.cases.tests.revision import RETURN_REASON, kabid_returns, kip_case
from layan.catalogue import graph
from layan.catalogue.services import service_load
from layan.core.api_auth import token_issue
from layan.offices.models import Office


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("case-detail", args=["bone", case.pk])).content.decode()


# --- the mark ------------------------------------------------------------------------------


def test_a_return_marks_the_case_with_its_record(returned_case, bone_staff):
    assert returned_case.current_step == "buat_surat"
    assert returned_case.is_returned
    record = returned_case.return_record
    assert (record.step, record.outcome, record.user) == ("paraf_kabid", "kembalikan",
                                                           bone_staff["kabid"])  # fmt: skip
    assert record.note == RETURN_REASON
    assert returned_case.returned_at is not None


def test_the_next_action_on_the_step_clears_the_mark(returned_case, bone_staff):
    step_act(returned_case, user=bone_staff["petugas"])  # drafts again
    returned_case.refresh_from_db()
    assert returned_case.current_step == "paraf_kabid"
    assert returned_case.returned_at is None and returned_case.return_record is None


def test_going_on_leaves_no_mark(office_register, bone_staff):
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="ttd_kadin")
    assert case.returned_at is None and not case.is_returned


def test_a_return_by_the_kadin_names_the_signature_step(office_register, bone_staff):
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="ttd_kadin")
    step_act(case, user=bone_staff["kadin"], outcome="kembalikan")
    case.refresh_from_db()
    assert case.current_step == "buat_surat" and case.return_record.step == "ttd_kadin"
    assert "Tanda tangan" in _page_text_of(case, bone_staff)


def _page_text_of(case, staff):
    return _page(Client(), staff["petugas"], case)


def test_sends_back_means_an_earlier_step_not_an_end(seeded):
    doc = case_doc_of("bone", "rekomendasi-kip")
    steps = doc.step_map
    assert graph.sends_back(doc, steps["paraf_kabid"], "kembalikan")
    assert graph.sends_back(doc, steps["ttd_kadin"], "kembalikan")
    assert not graph.sends_back(doc, steps["paraf_kabid"], "setuju")
    assert not graph.sends_back(doc, steps["periksa"], "tidak_lengkap")  # ends: ditolak
    assert not graph.sends_back(doc, steps["periksa"], "lengkap")
    second_try = steps["periksa"].model_copy(
        update={"outcomes": {"lengkap": "cek_dtks", "tidak_lengkap": "periksa"}}
    )
    assert graph.sends_back(doc, second_try, "tidak_lengkap")


def case_doc_of(slug, code):
    from layan.catalogue.selectors import version_doc

    service = Office.objects.get(slug=slug).services.get(code=code)
    return version_doc(service.versions.order_by("-number").first())


def test_a_checklist_that_allows_a_second_try_marks_the_case(office_register, bone_staff, settings):
    # A Bone KIP whose incomplete papers come back to the same check instead of ending it.
    text = (settings.SOPS_DIR / "bone" / "rekomendasi-kip.yaml").read_text()
    assert "tidak_lengkap: ditolak" in text
    service_load(text=text.replace("tidak_lengkap: ditolak", "tidak_lengkap: periksa"))
    case = kip_case(office_register, bone_staff)
    step_act(case, user=bone_staff["petugas"], outcome="tidak_lengkap")
    case.refresh_from_db()
    assert case.current_step == "periksa" and case.is_returned
    assert case.return_record.note  # the reason the filler gave
    page = _page(Client(), bone_staff["petugas"], case)
    assert "Dikembalikan untuk diperbaiki" in page
    assert "Pemeriksaan kelengkapan" in page
    step_act(case, user=bone_staff["petugas"], outcome="lengkap")
    case.refresh_from_db()
    assert case.current_step == "cek_dtks" and not case.is_returned


def test_ending_the_case_clears_the_mark(returned_case, bone_staff):
    walk(returned_case, staff=bone_staff)
    returned_case.refresh_from_db()
    assert returned_case.state == "selesai" and returned_case.returned_at is None


# --- the case page ---------------------------------------------------------------------------


def test_the_case_page_shows_the_reason_at_the_top_in_labels(client, returned_case, bone_staff):
    page = _page(client, bone_staff["petugas"], returned_case)
    banner = page.index("Dikembalikan untuk diperbaiki")
    assert banner < page.index("<h1")
    top = page[banner : page.index("<h1")]
    assert RETURN_REASON in top
    assert "Paraf" in top and "Kepala Bidang Perlindungan dan Jaminan Sosial" in top
    assert "Andi Kepala Bidang" in top  # who, by full name
    assert "WITA" in top or "+08" in top  # the time, in the office's zone
    assert "paraf_kabid" not in top and not re.search(r"\bkembalikan\b", top)  # never keys


def test_the_reason_is_shown_to_every_role_of_the_office(client, returned_case, bone_staff):
    assert RETURN_REASON in _page(client, bone_staff["kadin"], returned_case)


def test_the_reason_goes_once_the_case_is_drafted_again(client, returned_case, bone_staff):
    step_act(returned_case, user=bone_staff["petugas"])
    page = _page(client, bone_staff["petugas"], returned_case)
    assert "Dikembalikan untuk diperbaiki" not in page
    assert RETURN_REASON in page  # still in the history, as the record's note


def test_another_office_sees_no_returned_case(client, returned_case, bone_staff):
    client.force_login(bone_staff["outsider"])
    response = client.get(reverse("case-detail", args=["bone", returned_case.pk]))
    assert response.status_code == 404


# --- the queue -------------------------------------------------------------------------------


@pytest.fixture
def older_case(office_register, bone_staff):
    """A case registered earlier and waiting at the petugas' checklist: first without returns."""
    return kip_case(office_register, bone_staff, child="Citra Lestari")


@pytest.fixture
def queue_with_a_return(office_register, bone_staff, older_case):
    long_reason = "Sekolah anak belum sesuai surat keterangan aktif belajar. " * 4
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="paraf_kabid")
    return kabid_returns(case, bone_staff["kabid"], reason=long_reason), long_reason


def test_the_queue_lists_returned_cases_first(queue_with_a_return, older_case):
    returned, _reason = queue_with_a_return
    office = Office.objects.get(slug="bone")
    assert list(queue(office=office, roles={"petugas"})) == [returned, older_case]
    assert queue(office=office).first() == returned


def test_the_queue_page_marks_a_returned_case_with_its_reason_shortened(
    client, queue_with_a_return, older_case, bone_staff
):
    returned, reason = queue_with_a_return
    client.force_login(bone_staff["petugas"])
    page = client.get(reverse("case-queue", args=["bone"])).content.decode()
    assert page.index(returned.tracking_code) < page.index(older_case.tracking_code)
    row = page[page.index(returned.tracking_code) : page.index(older_case.tracking_code)]
    assert "Dikembalikan" in row
    assert reason[:40] in row and reason.strip() not in row and "…" in row
    older_row = page[page.index(older_case.tracking_code) :]
    assert "Dikembalikan" not in older_row.split("</tr>")[0]


def test_the_api_list_puts_returned_cases_first_and_marks_them(
    client, queue_with_a_return, older_case, bone_staff
):
    returned, _reason = queue_with_a_return
    token = token_issue(user=bone_staff["petugas"])
    answer = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).json()
    first, second = answer["items"][:2]
    assert (first["id"], second["id"]) == (returned.pk, older_case.pk)
    assert first["returned"]["step_label"] == "Paraf"
    assert first["returned"]["by"] == "Andi Kepala Bidang"
    assert len(first["returned"]["reason"]) <= RETURN_REASON_SHORT
    assert first["returned"]["reason"].endswith("…")
    assert second["returned"] is None


def test_the_api_case_carries_the_whole_reason(client, returned_case, bone_staff):
    token = token_issue(user=bone_staff["petugas"])
    answer = client.get(f"/api/v1/cases/{returned_case.pk}",
                        headers={"Authorization": f"Bearer {token}"}).json()  # fmt: skip
    assert answer["returned"]["reason"] == RETURN_REASON
    assert answer["returned"]["step"] == "paraf_kabid"
    assert answer["returned"]["actor"] == "Kepala Bidang Perlindungan dan Jaminan Sosial"


def test_the_queue_and_the_list_read_returns_without_a_query_per_row(
    client, office_register, bone_staff
):
    def returned_one(child):
        case = walk(kip_case(office_register, bone_staff, child=child), staff=bone_staff,
                    to="paraf_kabid")  # fmt: skip
        kabid_returns(case, bone_staff["kabid"])

    token = token_issue(user=bone_staff["petugas"])
    client.force_login(bone_staff["petugas"])

    def counted() -> tuple[int, int]:
        from django.db import connection as db
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(db) as page:
            client.get(reverse("case-queue", args=["bone"]))
        with CaptureQueriesContext(db) as listed:
            client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
        return len(page), len(listed)

    returned_one("Anak Satu")
    counted()  # warm the per-process caches (definitions, tokens)
    one = counted()
    for child in ("Anak Dua", "Anak Tiga", "Anak Empat"):
        returned_one(child)
    assert counted() == one


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_the_queue_order_is_read_from_its_index(office_register, bone_staff, returned_case):
    # Enough cases, most of them ended, for the planner to weigh its choices as in an office.
    now = timezone.now()
    template = {
        "office": returned_case.office, "service": returned_case.service,
        "version": returned_case.version, "applicant_name": "Isi", "applicant_nik": "1" * 16,
    }  # fmt: skip
    rows = []
    for i in range(4000):
        ended = i % 4 != 0
        rows.append(Case(
            **template, tracking_code=f"{i:04d}-{i:04d}",
            state="selesai" if ended else "berjalan", finished_at=now if ended else None,
            current_role="" if ended else ("petugas", "kabid", "kadin")[i % 3],
            step_deadline=None if ended else now + timedelta(minutes=i),
            returned_at=now if i % 40 == 0 and not ended else None,
        ))  # fmt: skip
    Case.objects.bulk_create(rows)
    office = Office.objects.get(slug="bone")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Case._meta.db_table}")
        # Whether the index *can* give the order, whatever the planner thinks of a test's
        # few rows: with sorts and bitmap scans priced out, an index whose columns do not
        # match the ORDER BY still needs a Sort node, and the test fails.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # The role's queue (the page officers open) only: the office-wide tab reads its open
        # rows by finished_at IS NULL, which PostgreSQL does not count as an equality for
        # the order, so it sorts the office's open rows (docs/design/cases.md).
        for roles, index in (({"petugas"}, "case_queue"),):
            # The page reads one page of the queue.
            sql, params = queue(office=office, roles=roles)[:50].query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"Index Scan using {index}" in plan, plan
            assert "Sort" not in plan, plan  # the order comes off the index


def test_the_migration_marks_cases_already_standing_returned(
    returned_case, office_register, bone_staff
):
    from django.apps import apps

    migration = importlib.import_module("layan.cases.migrations.0002_case_returned")
    going_on = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="paraf_kabid")
    record = returned_case.return_record
    Case.objects.update(returned_at=None, return_record=None)  # as before the migration
    migration.mark_standing_returns(apps, None)
    returned_case.refresh_from_db()
    going_on.refresh_from_db()
    assert returned_case.return_record == record
    assert returned_case.returned_at == record.finished_at
    assert going_on.returned_at is None
