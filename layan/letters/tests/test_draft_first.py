"""The officer makes and reads the draft before the case moves on; the button says what it does."""

import subprocess

import pytest
from django.urls import reverse

from layan.cases.models import Case
from layan.cases.services import CaseError, case_act
from layan.catalogue.schema import StepKind
from layan.core.testing import require_tool
from layan.letters.models import Letter, LetterState
from layan.letters.services import letter_current_pdf

pytestmark = pytest.mark.django_db
SEND = "Kirim draf ke Kepala Bidang Perlindungan dan Jaminan Sosial untuk paraf"


@pytest.fixture
def at_draft(walk, client):
    case, user = walk("bone", until=StepKind.DRAFT_LETTER, name="Dewi")
    client.force_login(user)
    return case, user


def _page(client, case) -> str:
    return client.get(reverse("case-detail", args=[case.office.slug, case.pk])).content.decode()


def _prepare(client, case):
    return client.post(reverse("letter-draft", args=[case.office.slug, case.pk]))


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "draf.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_tool("pdftotext"), path, "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return " ".join(out.split())


def test_the_page_offers_the_draft_first_and_names_the_next_actor(client, at_draft):
    case, _ = at_draft
    page = _page(client, case)
    assert "Buat draf" in page and SEND in page
    assert "Surat sudah dibuat" not in page
    assert "Belum ada draf" in page


def test_making_the_draft_keeps_the_case_at_its_step_and_opens_inline(client, at_draft,
                                                                       tmp_path):  # fmt: skip
    case, user = at_draft
    answer = _prepare(client, case)
    assert answer.status_code == 302 and answer["Location"].endswith("#surat")
    case.refresh_from_db()
    assert case.current_step == "buat_surat"
    letter = Letter.objects.get(case=case)
    assert letter.state == LetterState.DRAFT and letter.revisions.count() == 1
    page = _page(client, case)
    assert reverse("letter-pdf", args=[case.office.slug, letter.pk]) in page
    assert "Buat ulang draf" in page and "Draf siap" in page
    pdf = client.get(reverse("letter-pdf", args=[case.office.slug, letter.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    text = _text(pdf.content, tmp_path)
    assert "DRAF" in text and "Dewi Santoso" in text
    # Sending it on uses the very draft the officer read.
    case_act(case_id=case.pk, user=user, step="buat_surat")
    case.refresh_from_db()
    assert case.current_step == "paraf_kabid"
    assert Letter.objects.filter(case=case).count() == 1
    assert letter_current_pdf(Letter.objects.get(case=case)) == bytes(pdf.content)


def test_a_remade_draft_replaces_the_one_before(client, at_draft):
    case, user = at_draft
    _prepare(client, case)
    _prepare(client, case)
    first, second = Letter.objects.filter(case=case).order_by("id")
    assert first.state == LetterState.REPLACED and second.state == LetterState.DRAFT
    case_act(case_id=case.pk, user=user, step="buat_surat")
    second.refresh_from_db()
    assert second.revisions.count() == 1 and Case.objects.get(pk=case.pk).current_step == (
        "paraf_kabid"
    )


def test_a_draft_that_no_longer_says_what_the_case_says_is_not_sent(client, at_draft):
    case, user = at_draft
    _prepare(client, case)
    Case.objects.filter(pk=case.pk).update(subject_name="Dewi Lestari")  # a correction
    with pytest.raises(CaseError, match="buat draf lagi"):
        case_act(case_id=case.pk, user=user, step="buat_surat")
    case.refresh_from_db()
    assert case.current_step == "buat_surat"
    assert Letter.objects.filter(case=case).count() == 1  # nothing half-written
    _prepare(client, case)
    case_act(case_id=case.pk, user=user, step="buat_surat")
    sent = Letter.objects.get(case=case, state=LetterState.DRAFT)
    assert sent.subject_masked == "D*** L***"


def test_without_a_draft_the_step_still_drafts_for_the_api(walk):
    case, user = walk("bone", until=StepKind.DRAFT_LETTER, name="Api")
    case_act(case_id=case.pk, user=user, step="buat_surat")
    assert Letter.objects.get(case=case).state == LetterState.DRAFT


def test_only_the_steps_role_may_make_the_draft(client, walk, make_user):
    case, _ = walk("bone", until=StepKind.DRAFT_LETTER, name="Kadin")
    client.force_login(make_user("hanya.kadin", bone=["kadin"]))
    answer = client.post(reverse("letter-draft", args=["bone", case.pk]), follow=True)
    assert "dikerjakan oleh Petugas Layanan" in answer.content.decode()
    assert not Letter.objects.filter(case=case).exists()


def test_another_offices_staff_cannot_make_the_draft(client, walk, make_user):
    case, _ = walk("bone", until=StepKind.DRAFT_LETTER, name="Lain")
    client.force_login(make_user("petugas.bima", bima=["petugas"]))
    assert client.post(reverse("letter-draft", args=["bone", case.pk])).status_code == 404
    assert client.post(reverse("letter-draft", args=["bima", case.pk])).status_code == 404
    assert not Letter.objects.filter(case=case).exists()


def test_a_case_past_its_draft_step_cannot_be_redrafted(client, walk):
    case, user = walk("bone", until=StepKind.APPROVE, name="Lewat")
    client.force_login(user)
    answer = client.post(reverse("letter-draft", args=["bone", case.pk]), follow=True)
    assert "tidak sedang di langkah pembuatan surat" in answer.content.decode()
    assert Letter.objects.filter(case=case).count() == 1


def test_a_batch_draft_made_from_one_proposal_is_sent_from_another(client, walk):
    first, user = walk("banyuasin", until=StepKind.DRAFT_LETTER, name="Satu")
    second, _ = walk("banyuasin", until=StepKind.DRAFT_LETTER, name="Dua")
    client.force_login(user)
    _prepare(client, first)
    made = Letter.objects.get(state=LetterState.DRAFT)
    assert made.memberships.count() == 2
    # The drafter initials at once here (Banyuasin's supervisor): the password confirms it.
    from layan.cases.testing import PASSWORD

    case_act(case_id=second.pk, user=user, step=second.current_step,
             data={"password": PASSWORD})  # fmt: skip
    assert Letter.objects.count() == 1 and Letter.objects.get().pk == made.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.current_step == second.current_step != "buat_surat"
    assert made.revisions.count() == 2  # the draft read, then the drafter's paraf


def test_a_paused_case_makes_no_draft(client, at_draft):
    case, _ = at_draft
    from layan.cases.models import CaseState

    Case.objects.filter(pk=case.pk).update(state=CaseState.WAITING)
    answer = _prepare(client, case)
    assert answer.status_code == 302
    assert "Permohonan sedang dijeda; lanjutkan dulu." in _page(client, case)
    assert not Letter.objects.filter(case=case).exists()
