"""Letters driven by the case steps: passwords, returns, forms, batches, failures, numbering."""

from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from layan.cases.models import Case, CaseState
from layan.cases.services import CaseError, case_act
from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind
from layan.letters import services as letter_services
from layan.letters.models import Letter, LetterEvent, LetterState, NumberSequence
from layan.letters.services import letter_current_pdf

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    import subprocess

    from layan.core.testing import require_tool

    path = tmp_path / "surat.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([require_tool("pdftotext"), path, "-"], capture_output=True,
                          text=True).stdout  # fmt: skip
    return " ".join(text.split())


def _sign(case, user, **data):
    return case_act(case_id=case.pk, user=user, step=case.current_step, outcome="setuju",
                    data=data)  # fmt: skip


def test_signing_needs_the_signers_password(walk):
    case, user = walk("bone", until=StepKind.SIGN)
    with pytest.raises(CaseError) as missing:
        _sign(case, user)
    assert missing.value.field == "data.password"
    with pytest.raises(CaseError, match="Kata sandi salah"):
        _sign(case, user, password="bukan-sandinya")
    case.refresh_from_db()
    letter = Letter.objects.get(case=case)
    assert case.current_step == "ttd_kadin" and letter.state == LetterState.DRAFT
    assert not NumberSequence.objects.exists() and letter.revisions.count() == 2
    record = _sign(case, user, password=PASSWORD)
    assert "password" not in record.data and record.data["number"].startswith("460/1/")


def test_a_paraf_needs_the_password_too(walk):
    case, user = walk("bone", until=StepKind.APPROVE)
    with pytest.raises(CaseError, match="kata sandi"):
        _sign(case, user)
    assert Letter.objects.get(case=case).revisions.count() == 1


def test_a_signing_that_fails_midway_takes_no_number(walk, monkeypatch):
    case, user = walk("bone", until=StepKind.SIGN)

    def broken(*args, **kwargs):
        raise RuntimeError("kartu kunci dicabut di tengah penandatanganan")

    monkeypatch.setattr(letter_services, "pdf_sign", broken)
    with pytest.raises(RuntimeError):
        _sign(case, user, password=PASSWORD)
    monkeypatch.undo()
    assert NumberSequence.objects.filter(last__gt=0).count() == 0
    case.refresh_from_db()
    assert case.current_step == "ttd_kadin"
    _sign(case, user, password=PASSWORD)
    assert Letter.objects.get(case=case).seq == 1  # the failed attempt used nothing


def test_numbers_are_consecutive_per_office_and_series(walk):
    numbers = [Letter.objects.get(case=walk("bone", name=n)[0]).number for n in ("A", "B", "C")]
    assert [n.split("/")[1] for n in numbers] == ["1", "2", "3"]
    bima = Letter.objects.get(case=walk("bima")[0])
    assert bima.seq == 1  # another office has its own sequence


def test_a_returned_draft_is_closed_and_a_new_one_drafted(walk):
    case, user = walk("bone", until=StepKind.APPROVE)
    first = Letter.objects.get(case=case)
    case_act(case_id=case.pk, user=user, step="paraf_kabid", outcome="kembalikan",
             note="Nama sekolah salah")  # fmt: skip
    first.refresh_from_db()
    assert first.state == LetterState.RETURNED
    assert LetterEvent.objects.filter(letter=first, action="dikembalikan").exists()
    case_act(case_id=case.pk, user=user, step="buat_surat")
    second = Letter.objects.exclude(pk=first.pk).get(case=case)
    assert second.state == LetterState.DRAFT and second.verify_code != first.verify_code


def test_blitar_letter_has_a_registered_and_a_not_registered_form(walk, tmp_path):
    registered, _ = walk("blitar", name="Ani")
    unknown, _ = walk("blitar", registered=False, name="Dewi")
    text_in = _text(letter_current_pdf(Letter.objects.get(case=registered)), tmp_path)
    text_out = _text(letter_current_pdf(Letter.objects.get(case=unknown)), tmp_path)
    assert "TERDAFTAR sebagai" in text_in and "TIDAK TERDAFTAR" not in text_in
    assert "TIDAK TERDAFTAR" in text_out and "Pusdatin Kemensos" in text_out
    # Blitar prints the NIK masked (its template says nik: masked).
    assert registered.subject_nik not in text_in and registered.subject_nik[-4:] in text_in
    assert Case.objects.get(pk=unknown.pk).state == CaseState.DONE


def test_bima_letter_is_signed_as_plt(walk, tmp_path):
    case, _ = walk("bima")
    letter = Letter.objects.get(case=case)
    text = _text(letter_current_pdf(letter), tmp_path)
    assert "Plt. Kepala Dinas Sosial Kota Bima" in text and "Drs. Abdul Gawis" in text
    assert "19621231199103 1 181" in text
    # Bima numbers as its SOP number does: 460/<seq>/DINSOS/<month>/<year>.
    local = letter.issued_at.astimezone(ZoneInfo("Asia/Makassar"))
    assert letter.number == f"460/1/DINSOS/{local.month}/{local.year}"


def test_banyuasin_batch_one_letter_for_every_waiting_proposal(walk, tmp_path):
    waiting = [
        walk("banyuasin", until=StepKind.DRAFT_LETTER, name=n)[0]
        for n in ("Ahmad", "Bayu", "Citra")
    ]
    user = walk("banyuasin", until=StepKind.DRAFT_LETTER, name="Dian")[1]
    first = waiting[0]
    with pytest.raises(CaseError, match="kata sandi"):  # the supervisor initials the draft
        case_act(case_id=first.pk, user=user, step="draft_pengesahan")
    case_act(case_id=first.pk, user=user, step="draft_pengesahan", data={"password": PASSWORD})
    letter = Letter.objects.get(case=first)
    assert letter.memberships.count() == 4  # the three and Dian's
    assert list(letter.revisions.values_list("kind", flat=True)) == ["draf", "paraf"]
    assert set(Case.objects.values_list("current_step", flat=True)) == {"paraf_kabid"}
    for step in ("paraf_kabid", "paraf_sekretaris", "ttd_kadin"):
        case_act(case_id=first.pk, user=user, step=step, outcome="setuju",
                 data={"password": PASSWORD})  # fmt: skip
    assert set(Case.objects.values_list("current_step", flat=True)) == {"usulan_dikirim"}
    letter.refresh_from_db()
    assert letter.state == LetterState.ISSUED
    text = _text(letter_current_pdf(letter), tmp_path)
    for name in ("Ahmad Santoso", "Bayu Santoso", "Citra Santoso", "Dian Santoso"):
        assert name in text
    assert "sebanyak 4 orang" in text and "Menteri Sosial" in text
    # The attached list names the letter it belongs to (filled at signing, like page 1).
    assert f"Lampiran surat nomor : {letter.number}" in text
    from layan.letters.verification import letter_verify_pdf

    assert letter_verify_pdf(letter_current_pdf(letter)).valid  # form filling on both pages
    assert connection.vendor in ("sqlite", "postgresql")


def test_paraf_boxes_are_one_per_initialling_step_even_for_the_same_actor():
    from layan.catalogue.parsing import definition_parse
    from layan.letters.content import paraf_labels

    doc = definition_parse(
        """
code: x
office: bone
name: X
letters: [{code: s, name: S}]
actors: {p: {label: Petugas, role: petugas}, k: {label: Kabid, role: kabid}}
steps:
  - {key: d, kind: draft_letter, actor: p, letter: s, paraf: true, next: a1}
  - {key: a1, kind: approve, actor: k, outcomes: {setuju: a2, kembalikan: d}}
  - {key: a2, kind: approve, actor: k, outcomes: {setuju: selesai, kembalikan: d}}
"""
    )[0]
    assert paraf_labels(doc) == {"d": "Petugas", "a1": "Kabid", "a2": "Kabid (2)"}


def test_initials_for_a_paraf():
    from layan.letters.services import initials

    assert initials("Andi Kepala, S.Sos") == "AK"
    assert initials("Drs. Abdul Gawis") == "DAG"
    assert initials("semua.bone") == "SB"
