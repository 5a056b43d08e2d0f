"""Correcting a case's data (case_correct and the case page's "Koreksi data" form): only the
front office, only at its steps, NIKs checked as at registration, every change recorded,
and the next draft of the letter carries it."""

import subprocess
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from layan.cases.models import Case
from layan.cases.services import (
    CORRECT_ACTION,
    CaseConflict,
    CaseError,
    case_act,
    case_correct,
)
from layan.cases.testing import step_act, walk
from layan.cases.tests.revision import kip_case
from layan.core.audit import audit_of
from layan.core.testing import require_tool
from layan.letters.models import Letter
from layan.letters.services import letter_current_pdf

HTMX = {"HX-Request": "true"}
NEW_CHILD = "Budi Santoso"


def _events(case):
    return list(audit_of(case).filter(action=CORRECT_ACTION))


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "surat.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_tool("pdftotext"), str(path), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return " ".join(out.split())


# --- the service ---------------------------------------------------------------------------


def test_the_front_office_corrects_a_returned_case_and_it_is_recorded(returned_case, bone_staff):
    changes = case_correct(
        case_id=returned_case.pk, user=bone_staff["petugas"],
        values={"subject.name": NEW_CHILD, "subject.data.sekolah": "SDN 2 Watampone",
                "applicant.address": "Jl. Mawar 1, Watampone"},  # unchanged: not recorded
    )  # fmt: skip
    assert [c.field for c in changes] == ["subject.name", "subject.data.sekolah"]
    returned_case.refresh_from_db()
    assert returned_case.subject_name == NEW_CHILD
    assert returned_case.subject_data == {"sekolah": "SDN 2 Watampone"}
    [event] = _events(returned_case)
    assert event.actor == bone_staff["petugas"] and event.office == returned_case.office
    assert event.before == {
        "subject.name": "Budi Santosa",
        "subject.data.sekolah": "SDN 1 Watampone",
    }
    assert event.after == {"subject.name": NEW_CHILD, "subject.data.sekolah": "SDN 2 Watampone"}
    assert "Nama anak/yang diwakili" in event.summary
    assert returned_case.is_returned  # the mark stays until the step is done again


def test_a_correction_that_changes_nothing_records_nothing(returned_case, bone_staff):
    assert case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                        values={"subject.name": "  Budi   Santosa "}) == []  # fmt: skip
    assert _events(returned_case) == []


def test_a_kabid_may_not_correct(returned_case, bone_staff):
    with pytest.raises(PermissionDenied) as refused:
        case_correct(case_id=returned_case.pk, user=bone_staff["kabid"],
                     values={"subject.name": NEW_CHILD})  # fmt: skip
    assert "Petugas layanan" in str(refused.value)
    assert _events(returned_case) == []


def test_another_offices_staff_may_not_correct(returned_case, bone_staff):
    with pytest.raises(PermissionDenied):
        case_correct(case_id=returned_case.pk, user=bone_staff["outsider"],
                     values={"subject.name": NEW_CHILD})  # fmt: skip


def test_not_while_the_case_stands_at_the_kabids_step(office_register, bone_staff):
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="paraf_kabid")
    with pytest.raises(CaseConflict) as refused:
        case_correct(
            case_id=case.pk, user=bone_staff["petugas"], values={"subject.name": NEW_CHILD}
        )
    assert "langkah Paraf (Kepala Bidang Perlindungan dan Jaminan Sosial)" in str(refused.value)
    assert "paraf_kabid" not in str(refused.value)


def test_not_once_the_case_is_finished(returned_case, bone_staff):
    walk(returned_case, staff=bone_staff)
    with pytest.raises(CaseConflict) as refused:
        case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                     values={"subject.name": NEW_CHILD})  # fmt: skip
    assert "selesai" in str(refused.value)


def test_a_bad_nik_is_refused_with_its_label_and_nothing_is_kept(returned_case, bone_staff):
    with pytest.raises(CaseError) as refused:
        case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                     values={"applicant.nik": "7308012", "subject.name": NEW_CHILD})  # fmt: skip
    assert refused.value.field == "applicant.nik"
    assert str(refused.value).startswith("NIK pemohon: NIK harus 16 digit")
    returned_case.refresh_from_db()
    assert returned_case.subject_name == "Budi Santosa" and _events(returned_case) == []


def test_a_name_cannot_be_emptied(returned_case, bone_staff):
    with pytest.raises(CaseError) as refused:
        case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                     values={"applicant.name": "  "})  # fmt: skip
    assert refused.value.errors == [("applicant.name", "Nama pemohon: wajib diisi.")]


def test_the_nik_the_register_checked_cannot_be_corrected(
    returned_case, bone_staff, office_register
):
    other = office_register["bone"]["unknown"]
    with pytest.raises(CaseError) as refused:
        case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                     values={"subject.nik": other})  # fmt: skip
    assert refused.value.field == "subject.nik"
    assert "Pengecekan DTKS/DTSEN" in str(refused.value)
    # The applicant's NIK was not the one checked (the child's was): it may be corrected.
    case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                 values={"applicant.nik": office_register["bone"]["registered"]})  # fmt: skip


def test_before_the_register_check_a_nik_may_be_corrected(office_register, bone_staff):
    case = kip_case(office_register, bone_staff)  # at the checklist
    case_correct(case_id=case.pk, user=bone_staff["petugas"],
                 values={"subject.nik": office_register["bone"]["unknown"]})  # fmt: skip
    case.refresh_from_db()
    assert case.subject_nik == office_register["bone"]["unknown"]


def test_a_page_opened_before_the_case_moved_is_a_conflict(returned_case, bone_staff):
    seen = returned_case.step_seq
    step_act(returned_case, user=bone_staff["petugas"])  # drafted meanwhile: at the kabid now
    returned_case.refresh_from_db()
    step_act(returned_case, user=bone_staff["kabid"], outcome="kembalikan")  # and back again
    with pytest.raises(CaseConflict) as refused:
        case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                     values={"subject.name": NEW_CHILD}, seen_seq=seen)  # fmt: skip
    assert "berubah" in str(refused.value)
    assert _events(returned_case) == []


def test_an_unknown_field_is_refused(returned_case, bone_staff):
    with pytest.raises(CaseError) as refused:
        case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                     values={"tracking_code": "X"})  # fmt: skip
    assert refused.value.field == "tracking_code"


def test_the_next_draft_carries_the_correction(returned_case, bone_staff, tmp_path):
    first = Letter.objects.get(case=returned_case)
    assert "Budi Santosa" in _pdf_text(letter_current_pdf(first), tmp_path)
    case_correct(
        case_id=returned_case.pk,
        user=bone_staff["petugas"],
        values={"subject.name": NEW_CHILD, "subject.data.sekolah": "SMPN 3 Watampone"},
    )
    step_act(returned_case, user=bone_staff["petugas"])  # drafts again
    second = Letter.objects.filter(case=returned_case).exclude(pk=first.pk).get()
    text = _pdf_text(letter_current_pdf(second), tmp_path)
    assert NEW_CHILD in text and "SMPN 3 Watampone" in text
    assert "Budi Santosa" not in text and "SDN 1 Watampone" not in text


# --- the page ------------------------------------------------------------------------------


def _url(name, case):
    return reverse(name, args=["bone", case.pk])


def _form(case, **changed):
    values = {
        "koreksi-applicant_name": case.applicant_name, "koreksi-applicant_nik": case.applicant_nik,
        "koreksi-applicant_phone": case.applicant_phone,
        "koreksi-applicant_address": case.applicant_address,
        "koreksi-subject_name": case.subject_name, "koreksi-subject_nik": case.subject_nik,
        "koreksi-subject_relation": case.subject_relation,
        "koreksi-subject_data_sekolah": case.subject_data.get("sekolah", ""),
        "seq": case.step_seq,
    }  # fmt: skip
    return {**values, **{f"koreksi-{k}": v for k, v in changed.items()}}


def test_the_page_offers_the_form_to_the_front_office_only(client, returned_case, bone_staff):
    client.force_login(bone_staff["petugas"])
    page = client.get(_url("case-detail", returned_case)).content.decode()
    assert "Koreksi data" in page and 'name="koreksi-subject_name"' in page
    assert 'value="Budi Santosa"' in page
    client.force_login(bone_staff["kabid"])
    assert (
        'name="koreksi-subject_name"'
        not in client.get(_url("case-detail", returned_case)).content.decode()
    )


def test_the_page_hides_the_form_at_a_step_of_another_role(client, office_register, bone_staff):
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="paraf_kabid")
    client.force_login(bone_staff["petugas"])
    assert (
        'name="koreksi-subject_name"' not in client.get(_url("case-detail", case)).content.decode()
    )


def test_the_page_corrects_and_shows_it_in_the_history(client, returned_case, bone_staff):
    client.force_login(bone_staff["petugas"])
    response = client.post(_url("case-correct", returned_case),
                           _form(returned_case, subject_name=NEW_CHILD), follow=True)  # fmt: skip
    page = response.content.decode()
    assert "Data dikoreksi: Nama anak/yang diwakili." in page
    history = page[page.index('id="h-koreksi-riwayat"') :]
    assert "Ani Rahmawati" in history  # who, by full name
    assert "Nama anak/yang diwakili" in history
    assert "<del>Budi Santosa</del>" in history and f"<ins>{NEW_CHILD}</ins>" in history
    assert Case.objects.get(pk=returned_case.pk).subject_name == NEW_CHILD


def test_the_page_takes_a_nik_typed_in_groups(client, office_register, bone_staff):
    case = kip_case(office_register, bone_staff)
    nik = office_register["bone"]["unknown"]
    grouped = f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"
    client.force_login(bone_staff["petugas"])
    client.post(_url("case-correct", case), _form(case, subject_nik=grouped))
    assert Case.objects.get(pk=case.pk).subject_nik == nik


def test_the_page_puts_a_bad_nik_next_to_its_field(client, returned_case, bone_staff):
    client.force_login(bone_staff["petugas"])
    response = client.post(_url("case-correct", returned_case),
                           _form(returned_case, applicant_nik="1234"), headers=HTMX)  # fmt: skip
    assert response.status_code == 200  # htmx swaps only 2xx answers
    page = response.content.decode()
    assert (
        "NIK pemohon: NIK harus 16 digit" in page
        and '<details id="koreksi" class="correct" open>' in page
    )
    assert _events(returned_case) == []
    plain = client.post(
        _url("case-correct", returned_case), _form(returned_case, applicant_nik="1234")
    )
    assert plain.status_code == 422


def test_the_page_says_when_nothing_changed(client, returned_case, bone_staff):
    client.force_login(bone_staff["petugas"])
    page = client.post(_url("case-correct", returned_case), _form(returned_case), follow=True)
    assert "Tidak ada data yang berubah." in page.content.decode()
    assert _events(returned_case) == []


def test_the_page_refuses_a_kabid_and_hides_the_case_from_another_office(
    client, returned_case, bone_staff
):
    client.force_login(bone_staff["kabid"])
    assert (
        client.post(
            _url("case-correct", returned_case), _form(returned_case, subject_name="X")
        ).status_code
        == 403
    )
    client.force_login(bone_staff["outsider"])
    assert (
        client.post(
            _url("case-correct", returned_case), _form(returned_case, subject_name="X")
        ).status_code
        == 404
    )
    assert _events(returned_case) == []


def test_the_page_tells_of_a_case_that_moved_meanwhile(client, returned_case, bone_staff):
    form = _form(returned_case, subject_name=NEW_CHILD)
    step_act(returned_case, user=bone_staff["petugas"])  # someone drafted it meanwhile
    client.force_login(bone_staff["petugas"])
    response = client.post(_url("case-correct", returned_case), form)
    assert response.status_code == 409
    assert "berubah sejak halaman ini dibuka" in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database locks whole tables across threads",
)
@pytest.mark.django_db(transaction=True)
def test_a_correction_racing_the_redraft_is_in_the_letter_or_refused(
    returned_case, bone_staff, tmp_path
):
    seen = returned_case.step_seq
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def correct():
        start.wait()
        try:
            case_correct(case_id=returned_case.pk, user=bone_staff["petugas"],
                         values={"subject.name": NEW_CHILD}, seen_seq=seen)  # fmt: skip
            results["correct"] = "ok"
        except CaseConflict:
            results["correct"] = "conflict"
        finally:
            connection.close()

    def redraft():
        start.wait()
        try:
            case_act(case_id=returned_case.pk, user=bone_staff["petugas"], step="buat_surat")
            results["draft"] = "ok"
        finally:
            connection.close()

    threads = [threading.Thread(target=correct), threading.Thread(target=redraft)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["draft"] == "ok"
    letter = Letter.objects.filter(case=returned_case).latest("pk")
    corrected = Case.objects.get(pk=returned_case.pk).subject_name == NEW_CHILD
    # Either the correction came first and the new draft carries it, or it was refused.
    assert (results["correct"], corrected) in {("ok", True), ("conflict", False)}
    assert (NEW_CHILD in _pdf_text(letter_current_pdf(letter), tmp_path)) is corrected
    assert len(_events(returned_case)) == (1 if corrected else 0)


def test_the_page_marks_only_what_may_be_left_empty_as_optional(client, returned_case, bone_staff):
    client.force_login(bone_staff["petugas"])
    page = client.get(_url("case-detail", returned_case)).content.decode()
    form = page[page.index('id="koreksi"') : page.index('id="tindakan"')]
    assert 'for="id_koreksi-applicant_name">Nama pemohon</label>' in form
    phone = 'for="id_koreksi-applicant_phone">Telepon/WhatsApp <span class="muted">(opsional)'
    assert phone in form
    emptied = _form(returned_case, applicant_name="")
    response = client.post(_url("case-correct", returned_case), emptied)
    assert response.status_code == 422 and _events(returned_case) == []
