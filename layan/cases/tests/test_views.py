"""Case pages: queue, walk-in registration, case page and its actions, attachments,
receipt, referral slip, and the public tracking page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from layan.cases.models import Attachment, Case, CaseState, Referral, StepRecord
from layan.cases.services import Applicant, case_act, case_create
from layan.cases.testing import scan_png, walk
from layan.offices.models import Office
from layan.registry.models import Snapshot

HTMX = {"HX-Request": "true"}
BONE_KIP_DOCS = ["kartu_pelajar", "kk"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ani(office_register, make_user):
    """Front office at Bone."""
    return make_user("ani", bone=["petugas"])


@pytest.fixture
def kabid(office_register, make_user):
    return make_user("kabid.bone", bone=["kabid"])


@pytest.fixture
def outsider(office_register, make_user):
    """Front office at Bima: Bone's cases are none of their business."""
    return make_user("budi", bima=["petugas"])


SAME_PERSON = "Uji: beberapa permohonan untuk orang yang sama"


def new_case(office_register, user, *, nik_kind="registered", slug="bone", code="rekomendasi-kip"):
    return case_create(
        office=Office.objects.get(slug=slug),
        service_code=code,
        user=user,
        applicant=Applicant(name="Ibu Sari Wulandari", nik=office_register[slug][nik_kind]),
        duplicate_reason=SAME_PERSON,  # the queue tests register the same person many times
    )


@pytest.fixture
def case(office_register, ani):
    return new_case(office_register, ani)


def url(name: str, *args, office: str = "bone") -> str:
    return reverse(name, args=[office, *args])


def act(client, case, step, outcome=None, htmx=False, **data):
    payload = {"step": step, **data}
    if outcome:
        payload["outcome"] = outcome
    headers = HTMX if htmx else {}
    return client.post(url("case-act", case.pk), payload, headers=headers)


def case_pages(case) -> list[str]:
    return [
        url("case-queue"),
        url("case-new"),
        url("case-detail", case.pk),
        url("case-receipt", case.pk),
    ]


# ---- Access ----------------------------------------------------------------------------


def test_it_redirects_anonymous_visitors_to_sign_in(client, case):
    for page in [*case_pages(case), url("case-referral-slip", case.pk)]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/masuk/?next=")
    response = act(client, case, "periksa", "lengkap", checked=BONE_KIP_DOCS)
    assert response.status_code == 302
    assert case.records.count() == 1


def test_it_shows_every_page_to_the_offices_staff(client, ani, case):
    client.force_login(ani)
    for page in case_pages(case):
        assert client.get(page).status_code == 200, page


def test_it_hides_every_page_from_another_offices_staff(client, outsider, case):
    client.force_login(outsider)
    for page in [*case_pages(case), url("case-referral-slip", case.pk)]:
        assert client.get(page).status_code == 404, page
    assert act(client, case, "periksa", "lengkap", checked=BONE_KIP_DOCS).status_code == 404
    # Not under the outsider's own office either.
    assert client.get(url("case-detail", case.pk, office="bima")).status_code == 404
    assert case.records.count() == 1


def test_it_refuses_the_wrong_role(client, kabid, case):
    client.force_login(kabid)
    assert client.get(url("case-detail", case.pk)).status_code == 200
    response = act(client, case, "periksa", "lengkap", checked=BONE_KIP_DOCS)
    assert response.status_code == 403
    assert client.get(url("case-new")).status_code == 403  # registering is the front office's
    assert case.records.count() == 1


def test_the_case_page_offers_actions_only_to_the_steps_role(client, ani, kabid, case):
    client.force_login(kabid)
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert "dikerjakan oleh Petugas Layanan" in page
    assert 'name="outcome" value="lengkap"' not in page
    client.force_login(ani)
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert 'name="outcome" value="lengkap"' in page


# ---- Work queue ------------------------------------------------------------------------


def test_queue_shows_my_steps_with_the_nik_masked(client, ani, case):
    client.force_login(ani)
    page = client.get(url("case-queue")).content.decode()
    assert case.tracking_code in page
    assert "Ibu Sari Wulandari" in page
    assert case.applicant_nik not in page
    assert case.applicant_nik[-4:] in page
    assert "Pemeriksaan kelengkapan" in page and "Petugas Layanan" in page
    assert "—" in page  # no SLA deadline yet


def test_queue_tabs_mine_and_all(client, kabid, case):
    client.force_login(kabid)
    assert case.tracking_code not in client.get(url("case-queue")).content.decode()
    everything = client.get(url("case-queue") + "?tab=semua").content.decode()
    assert case.tracking_code in everything


def test_queue_puts_overdue_steps_first_in_red(client, ani, office_register, case, clock):
    later = new_case(office_register, ani)
    # Tuesday 10:00 WITA: two working hours after 08:00, half an hour before 10:30.
    now = clock.at(datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Makassar")))
    Case.objects.filter(pk=later.pk).update(step_deadline=now - timedelta(hours=2))
    Case.objects.filter(pk=case.pk).update(step_deadline=now + timedelta(minutes=30))
    client.force_login(ani)
    page = client.get(url("case-queue")).content.decode()
    assert page.index(later.tracking_code) < page.index(case.tracking_code)
    assert 'class="overdue">terlambat 2 jam kerja' in page
    assert "sisa 30 menit kerja" in page


def test_queue_htmx_gets_the_partial(client, ani, case):
    client.force_login(ani)
    response = client.get(url("case-queue") + "?tab=semua", headers=HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert case.tracking_code.encode() in response.content


def test_queue_queries_do_not_grow_with_its_rows(client, ani, office_register):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(ani)
    new_case(office_register, ani)
    with CaptureQueriesContext(connection) as one:
        client.get(url("case-queue"))
    for _ in range(5):
        new_case(office_register, ani)
    with CaptureQueriesContext(connection) as six:
        client.get(url("case-queue"))
    assert len(six.captured_queries) == len(one.captured_queries)


def test_queue_paginates_by_fifty(client, ani, office_register):
    for _ in range(51):
        new_case(office_register, ani)
    client.force_login(ani)
    page = client.get(url("case-queue")).content.decode()
    assert "Halaman 1 dari 2" in page
    assert page.count('data-label="Kode lacak"') == 50


# ---- Walk-in registration --------------------------------------------------------------


def walk_in(office_register, **extra):
    return {
        "service": "rekomendasi-kip",
        "name": "Ibu Sari",
        "nik": office_register["bone"]["registered"],
        "phone": "081234567890",
        "address": "Jl. Jenderal Sudirman 1, Watampone",
        **extra,
    }


def test_walk_in_creates_the_case_and_lands_on_its_page(client, ani, office_register):
    client.force_login(ani)
    response = client.post(url("case-new"), walk_in(office_register))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("case-detail", case.pk)
    assert [(r.step, r.user) for r in case.records.all()] == [("terima", ani)]
    assert case.current_step == "periksa"
    page = client.get(response["Location"]).content.decode()
    assert f"Kode lacak: {case.tracking_code}" in page
    assert case.applicant_nik in page  # staff see the full NIK on the case page


def test_walk_in_for_a_child_keeps_the_school(client, ani, office_register):
    client.force_login(ani)
    child = office_register["bone"]["unknown"]
    data = walk_in(office_register, guardian="on", subject_name="Budi", subject_nik=child)
    data.update(subject_relation="anak", school="SDN 1 Watampone")
    assert client.post(url("case-new"), data).status_code == 302
    case = Case.objects.get()
    assert (case.subject_name, case.subject_nik, case.subject_relation) == ("Budi", child, "anak")
    assert case.subject_data == {"sekolah": "SDN 1 Watampone"}


def test_walk_in_accepts_a_nik_typed_in_groups(client, ani, office_register):
    client.force_login(ani)
    nik = office_register["bone"]["registered"]
    grouped = " ".join(nik[i : i + 4] for i in range(0, 16, 4))
    assert client.post(url("case-new"), walk_in(office_register, nik=grouped)).status_code == 302
    assert Case.objects.get().applicant_nik == nik


def test_walk_in_invalid_nik_shows_the_reason_next_to_the_field(client, ani, office_register):
    client.force_login(ani)
    response = client.post(url("case-new"), walk_in(office_register, nik="7308019909630005"))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_nik_error"' in page
    error = page[page.index('id="id_nik_error"') :][:200]
    assert "bukan tanggal yang sah" in error
    assert 'aria-invalid="true"' in page
    assert not Case.objects.exists()


def test_walk_in_errors_come_back_as_200_to_htmx(client, ani, office_register):
    client.force_login(ani)
    response = client.post(url("case-new"), walk_in(office_register, nik="12"), headers=HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"harus 16 digit" in response.content


def test_walk_in_htmx_success_redirects_the_browser(client, ani, office_register):
    client.force_login(ani)
    response = client.post(url("case-new"), walk_in(office_register), headers=HTMX)
    assert response["HX-Redirect"] == url("case-detail", Case.objects.get().pk)


def test_walk_in_guardian_without_child_is_refused(client, ani, office_register):
    client.force_login(ani)
    response = client.post(url("case-new"), walk_in(office_register, guardian="on"))
    assert response.status_code == 422
    assert b'id="id_subject_name_error"' in response.content


def test_walk_in_offers_only_the_offices_published_services(client, ani):
    client.force_login(ani)
    page = client.get(url("case-new")).content.decode()
    assert 'value="rekomendasi-kip"' in page
    assert 'value="rekomendasi-pip"' not in page  # Bima's
    assert 'inputmode="numeric"' in page and 'pattern="[0-9]{16}"' in page
    assert "autofocus" in page
    response = client.post(url("case-new"), walk_in({"bone": {"registered": "x"}}, service="x"))
    assert response.status_code == 422


# ---- Actions ---------------------------------------------------------------------------


def test_checklist_complete_moves_to_the_registry_check(client, ani, case):
    client.force_login(ani)
    response = act(client, case, "periksa", "lengkap", checked=BONE_KIP_DOCS, seq=case.step_seq)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.current_step == "cek_dtks"
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert "Pemeriksaan kelengkapan: Lengkap." in page
    assert "Periksa DTKS/DTSEN" in page


def test_checklist_incomplete_names_the_missing_papers_in_the_timeline(client, ani, case):
    client.force_login(ani)
    response = act(client, case, "periksa", "tidak_lengkap", checked=["kk"], note="KK saja",
                   reason="Kartu pelajar belum dibawa", confirm="1")  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert "Belum ada: Kartu Pelajar/Kartu Mahasiswa/ Surat Keterangan Aktif Belajar" in page
    assert "Catatan: KK saja" in page


def test_checklist_complete_with_papers_missing_is_refused(client, ani, case):
    client.force_login(ani)
    response = act(client, case, "periksa", "lengkap", checked=["kk"])
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="checked-error">Belum lengkap: Kartu Pelajar' in page
    assert 'value="kk" checked' in page  # what was ticked stays ticked
    assert case.records.count() == 1


def test_registry_check_records_the_register_answer(client, ani, case):
    walk(case, user=ani, to="cek_dtks")
    client.force_login(ani)
    response = act(client, case, "cek_dtks")
    assert response.status_code == 302
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert "Terdaftar, data DTKS per September 2026" in page
    assert StepRecord.objects.get(case=case, step="cek_dtks").outcome == "terdaftar"


def test_registry_check_of_an_unknown_nik(client, ani, office_register):
    case = walk(new_case(office_register, ani, nik_kind="unknown"), user=ani, to="cek_dtks")
    client.force_login(ani)
    act(client, case, "cek_dtks")
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert "Tidak terdaftar, data DTKS per September 2026" in page
    assert "Rujuk ke Enumerator Desa/Kelurahan" in page


def test_return_without_a_note_is_refused(client, ani, kabid, case):
    walk(case, user=ani, to="paraf_kabid")
    client.force_login(kabid)
    response = act(client, case, "paraf_kabid", "kembalikan")
    assert response.status_code == 422
    assert b'id="note-error">Sebutkan alasannya' in response.content
    response = act(client, case, "paraf_kabid", "kembalikan", note="Nomor surat salah")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.current_step == "buat_surat"


def test_double_submit_is_a_conflict_with_one_record(client, ani, case):
    client.force_login(ani)
    form = {"checked": BONE_KIP_DOCS, "seq": case.step_seq}
    assert act(client, case, "periksa", "lengkap", **form).status_code == 302
    response = act(client, case, "periksa", "lengkap", **form)
    assert response.status_code == 409
    assert "sudah dikerjakan orang lain" in response.content.decode()
    assert "Periksa DTKS/DTSEN" in response.content.decode()  # the case as it is now
    assert case.records.filter(step="periksa").count() == 1
    response = act(client, case, "periksa", "lengkap", htmx=True, **form)
    assert response.status_code == 200
    assert b"sudah dikerjakan orang lain" in response.content


def test_a_form_from_an_earlier_round_is_a_conflict(client, ani, kabid, case):
    walk(case, user=ani, to="paraf_kabid")
    stale = case.step_seq - 1  # the form for buat_surat shown before it was done
    case_act(case_id=case.pk, user=kabid, step="paraf_kabid", outcome="kembalikan", note="ulang")
    client.force_login(ani)
    response = act(client, case, "buat_surat", seq=stale)
    assert response.status_code == 409
    assert case.records.filter(step="buat_surat").count() == 1


def test_htmx_action_swaps_in_the_fresh_case(client, ani, case):
    client.force_login(ani)
    response = act(client, case, "periksa", "lengkap", htmx=True, checked=BONE_KIP_DOCS)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="case"' in response.content and b"Periksa DTKS/DTSEN" in response.content


def test_disposition_needs_the_recipient(client, office_register, make_user):
    petugas = make_user("rina", banyuasin=["petugas"])
    kadin = make_user("kadin.banyuasin", banyuasin=["kadin"])
    code = "usulan-baru-dtks-bansos"
    case = new_case(office_register, petugas, slug="banyuasin", code=code, nik_kind="unknown")
    client.force_login(kadin)
    page = client.get(url("case-detail", case.pk, office="banyuasin")).content.decode()
    assert 'value="Sekretaris"' in page  # the route is offered
    response = client.post(
        url("case-act", case.pk, office="banyuasin"), {"step": "disposisi_kadin", "to": " "}
    )
    assert response.status_code == 422
    assert b'id="to-error"' in response.content
    response = client.post(
        url("case-act", case.pk, office="banyuasin"),
        {"step": "disposisi_kadin", "to": "Sekretaris"},
    )
    assert response.status_code == 302
    page = client.get(url("case-detail", case.pk, office="banyuasin")).content.decode()
    assert "Diteruskan kepada: Sekretaris" in page


@pytest.fixture
def banyuasin_at_survey(office_register, make_user):
    """A Banyuasin proposal past its dispositions and checklist, at the operator's survey."""
    people = {role: make_user(f"{role}.banyuasin", banyuasin=[role]) for role in BANYUASIN_ROLES}
    code = "usulan-baru-dtks-bansos"
    case = new_case(
        office_register, people["petugas"], slug="banyuasin", code=code, nik_kind="unknown"
    )
    walk(case, staff=people, to="survey_kriteria")
    return case, people


BANYUASIN_ROLES = ["petugas", "kadin", "sekretaris", "kabid", "supervisor", "operator"]


def test_form_step_points_photos_to_the_upload_and_names_missing_fields(
    client, banyuasin_at_survey
):
    case, people = banyuasin_at_survey
    client.force_login(people["operator"])
    detail = url("case-detail", case.pk, office="banyuasin")
    page = client.get(detail).content.decode()
    assert "Foto Rumah Full Tampak Depan" in page
    assert f"{detail}?persyaratan=foto_rumah#lampiran" in page
    act_url = url("case-act", case.pk, office="banyuasin")
    response = client.post(act_url, {"step": "survey_kriteria"})
    assert response.status_code == 422
    assert b'id="field_survey_kriteria-error">Pengisian Survey Kriteria belum dilampirkan' in (
        response.content
    )
    for key in ["survey_kriteria", "foto_rumah"]:
        file = SimpleUploadedFile(f"{key}.png", scan_png())
        add = url("case-attachment-add", case.pk, office="banyuasin")
        assert client.post(add, {"requirement": key, "file": file}).status_code == 302
    assert client.post(act_url, {"step": "survey_kriteria"}).status_code == 302
    response = client.post(act_url, {"step": "input_siksng", "field_id_usulan_siksng": ""})
    assert b'id="field_id_usulan_siksng-error"' in response.content
    response = client.post(act_url, {"step": "input_siksng", "field_id_usulan_siksng": "US-1"})
    assert response.status_code == 302
    assert "ID usulan SIKS-NG: US-1" in client.get(detail).content.decode()


def test_pause_needs_a_reason_and_resume_restarts(client, ani, case):
    client.force_login(ani)
    response = client.post(url("case-pause", case.pk), {"reason": ""})
    assert response.status_code == 422
    assert b'id="reason-error"' in response.content
    assert client.post(url("case-pause", case.pk), {"reason": "KK asli"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.WAITING
    assert "KK asli" in client.get(url("case-detail", case.pk)).content.decode()
    assert client.post(url("case-pause", case.pk), {"reason": "lagi"}).status_code == 409
    assert client.post(url("case-resume", case.pk)).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


# ---- Attachments -----------------------------------------------------------------------


def upload(client, case, name, content, requirement="kk", htmx=False):
    file = SimpleUploadedFile(name, content)
    headers = HTMX if htmx else {}
    data = {"requirement": requirement, "file": file}
    return client.post(url("case-attachment-add", case.pk), data, headers=headers)


def test_a_real_png_is_kept_and_served_to_staff_only(client, ani, outsider, case):
    client.force_login(ani)
    assert upload(client, case, "kk.png", scan_png()).status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/png"
    page = client.get(url("case-detail", case.pk)).content.decode()
    download = url("case-attachment", case.pk, attachment.pk)
    assert download in page
    assert "/media/" not in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == scan_png()
    assert "no-store" in response["Cache-Control"]
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302


def test_text_named_pdf_is_refused_with_the_reason(client, ani, case):
    client.force_login(ani)
    response = upload(client, case, "kk.pdf", b"ini bukan PDF, hanya teks")
    assert response.status_code == 422
    assert (
        'id="file-error">“kk.pdf” bukan PDF, JPEG atau PNG (diperiksa dari isinya'
        in response.content.decode()
    )
    assert not Attachment.objects.exists()
    response = upload(client, case, "kk.pdf", b"teks", htmx=True)
    assert response.status_code == 200


def test_upload_without_a_file_or_for_an_unknown_requirement(client, ani, case):
    client.force_login(ani)
    response = client.post(url("case-attachment-add", case.pk), {"requirement": "kk"})
    assert response.status_code == 422
    assert b"Pilih berkas" in response.content
    response = upload(client, case, "x.png", scan_png(), requirement="paspor")
    assert response.status_code == 422
    assert b'id="requirement-error"' in response.content


def test_another_office_cannot_upload(client, outsider, case):
    client.force_login(outsider)
    assert upload(client, case, "kk.png", scan_png()).status_code == 404
    assert not Attachment.objects.exists()


# ---- Printed pages ---------------------------------------------------------------------


def test_receipt_has_the_code_the_tracking_url_and_a_qr(client, ani, case):
    walk(case, user=ani, to="cek_dtks")
    client.force_login(ani)
    page = client.get(url("case-receipt", case.pk)).content.decode()
    assert case.tracking_code in page
    assert f"http://testserver/lacak/{case.tracking_code}/" in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<rect") > 50
    assert "style=" not in svg and "<?xml" not in page
    assert case.applicant_nik not in page and case.applicant_nik[-4:] in page
    assert "Kartu keluarga/ KK" in page  # ticked at the checklist
    assert "15 Menit" in page  # the service's time standard stands in for a deadline
    assert "data-print" in page


def test_referral_slip_only_for_a_referred_case(client, ani, office_register):
    case = new_case(office_register, ani, nik_kind="unknown")
    client.force_login(ani)
    assert client.get(url("case-referral-slip", case.pk)).status_code == 404
    walk(case, user=ani, to="rujuk_desa")
    case_act(case_id=case.pk, user=ani, step="rujuk_desa", data={"reason": "layak diusulkan"})
    page = client.get(url("case-referral-slip", case.pk)).content.decode()
    assert "Enumerator Desa/Kelurahan" in page
    assert case.applicant_nik in page and "Ibu Sari Wulandari" in page
    assert "layak diusulkan" in page
    assert case.tracking_code in page and "<svg" in page
    assert "DINAS SOSIAL" in page.upper()
    detail = client.get(url("case-detail", case.pk)).content.decode()
    assert url("case-referral-slip", case.pk) in detail


# ---- Public tracking -------------------------------------------------------------------


def test_tracking_shows_steps_but_no_personal_data(client, ani, case):
    walk(case, user=ani, to="buat_surat")
    case_act(case_id=case.pk, user=ani, step="buat_surat", note="catatan internal petugas")
    response = client.get(reverse("track-case", args=[case.tracking_code]))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ["Penerimaan", "Pemeriksaan kelengkapan", "Lengkap", "Terdaftar", "Paraf"]:
        assert shown in page, shown
    for hidden in ["Ibu Sari", case.applicant_nik, case.applicant_nik[-4:], "catatan internal"]:
        assert hidden not in page, hidden
    assert "no-store" in response["Cache-Control"]


def test_tracking_accepts_a_code_typed_loosely(client, case):
    loose = case.tracking_code.replace("-", "").lower()
    response = client.get(reverse("track") + f"?kode={loose}")
    assert response.status_code == 302
    assert response["Location"] == reverse("track-case", args=[case.tracking_code])
    assert client.get(reverse("track-case", args=[loose])).status_code == 200


def test_unknown_tracking_code_is_an_indonesian_404(client, seeded):
    response = client.get(reverse("track-case", args=["AAAA-AAAA"]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    response = client.get(reverse("track") + "?kode=AAAA-AAAA")
    assert response.status_code == 404
    assert "Kode lacak tidak ditemukan" in response.content.decode()
    assert client.get(reverse("track")).status_code == 200


def test_tracking_a_referral_and_its_fulfilment(client, ani, office_register):
    case = new_case(office_register, ani, nik_kind="unknown")
    walk(case, user=ani)
    page = client.get(reverse("track-case", args=[case.tracking_code])).content.decode()
    assert "Dirujuk ke Enumerator Desa/Kelurahan" in page
    assert "Sudah terdaftar" not in page
    snapshot = Snapshot.objects.filter(region_code="73.08").first()
    Referral.objects.filter(case=case).update(
        fulfilled_at=timezone.now(), fulfilled_snapshot=snapshot
    )
    page = client.get(reverse("track-case", args=[case.tracking_code])).content.decode()
    assert "Sudah terdaftar di register</strong> (data DTKS per September 2026)" in page


def test_lacak_is_a_reserved_office_slug():
    from django.core.exceptions import ValidationError

    from layan.offices.models import validate_office_slug

    with pytest.raises(ValidationError):
        validate_office_slug("lacak")


def test_staff_home_links_queue_and_registration(client, ani, kabid):
    client.force_login(ani)
    page = client.get(reverse("staff-home")).content.decode()
    assert url("case-queue") in page and url("case-new") in page
    client.force_login(kabid)
    page = client.get(reverse("staff-home")).content.decode()
    assert url("case-queue") in page and url("case-new") not in page
