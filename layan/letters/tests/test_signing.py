"""Signed letters: PAdES revisions checked by pyHanko and by poppler's pdfsig, text, QR, changes."""

import subprocess

import pytest

from layan.cases.services import case_act
from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind
from layan.letters.keys import certificates_pem
from layan.letters.models import Letter, LetterRevision, LetterState, OfficeAuthority
from layan.letters.services import letter_current_pdf
from layan.letters.signing import pdf_signatures_check
from layan.letters.verification import letter_verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(walk, make_user):
    """A Bone KIP letter: paraf by the kabid, signed by the head of office (two people)."""
    kadin = make_user("andi.kadin", bone=["kadin"])
    kadin.full_name, kadin.nip = "Andi Kepala, S.Sos", "197001011990031001"
    kadin.save()
    case, _ = walk("bone", until=StepKind.SIGN, name="Siti")
    case_act(case_id=case.pk, user=kadin, step="ttd_kadin", outcome="setuju",
             data={"password": PASSWORD})  # fmt: skip
    return Letter.objects.get(case=case), case


def _pdf(letter) -> bytes:
    return letter_current_pdf(letter)


def test_draft_paraf_and_signature_are_successive_revisions(issued):
    letter, _ = issued
    kinds = list(letter.revisions.values_list("kind", flat=True))
    assert kinds == ["draf", "paraf", "ttd"]
    pdfs = [bytes(r.pdf) for r in letter.revisions.order_by("seq")]
    # Incremental updates: each revision starts with the bytes of the one before.
    assert pdfs[1].startswith(pdfs[0]) and pdfs[2].startswith(pdfs[1])
    assert letter.state == LetterState.ISSUED and letter.number.startswith("460/1/")


def test_pyhanko_validates_every_signature_against_the_office_root(issued):
    letter, _ = issued
    root = certificates_pem(OfficeAuthority.objects.get(office=letter.office).certificate)
    checks = pdf_signatures_check(_pdf(letter), root)
    assert [c.field for c in checks] == ["paraf_kabid", "ttd"]
    assert all(c.intact and c.trusted and c.ok for c in checks)
    # The paraf was followed only by filling the number/date and the signature.
    assert checks[0].modification == "FORM_FILLING" and checks[-1].covers_whole_file


def test_another_offices_root_does_not_vouch_for_the_letter(issued, walk):
    letter, _ = issued
    walk("bima")  # makes Bima's root too
    bima_root = certificates_pem(OfficeAuthority.objects.get(office__slug="bima").certificate)
    checks = pdf_signatures_check(_pdf(letter), bima_root)
    assert all(c.intact and not c.trusted for c in checks)


def test_pdfsig_finds_both_signatures_valid_and_trusted(issued, tmp_path):
    from layan.core.testing import require_tool

    pdfsig = require_tool("pdfsig")
    certutil = require_tool("certutil")
    letter, _ = issued
    nss = tmp_path / "nss"
    nss.mkdir()
    root = tmp_path / "root.pem"
    root.write_text(OfficeAuthority.objects.get(office=letter.office).certificate)
    subprocess.run([certutil, "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        [certutil, "-A", "-d", f"sql:{nss}", "-n", "layan-root", "-t", "CT,C,C", "-i", root],
        check=True,
    )
    path = tmp_path / "surat.pdf"
    path.write_bytes(_pdf(letter))
    out = subprocess.run(
        [pdfsig, "-nssdir", f"sql:{nss}", path], capture_output=True, text=True, check=True
    ).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 2
    assert out.count("Certificate Validation: Certificate is Trusted.") == 2
    assert "Total document signed" in out


def test_pdfsig_reports_a_changed_byte(issued, tmp_path):
    from layan.core.testing import require_tool

    pdfsig = require_tool("pdfsig")
    letter, _ = issued
    path = tmp_path / "surat.pdf"
    path.write_bytes(_changed(_pdf(letter)))
    out = subprocess.run([pdfsig, path], capture_output=True, text=True).stdout
    assert "Signature is Invalid" in out or "Digest Mismatch" in out


def _changed(pdf: bytes) -> bytes:
    """The PDF with one byte of the applicant's name changed inside the signed page."""
    at = pdf.index(b"/Length") + 200  # inside the first content stream, covered by all
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]


def test_one_changed_byte_fails_verification(issued):
    letter, _ = issued
    genuine = letter_verify_pdf(_pdf(letter))
    assert genuine.valid and genuine.status == "sah" and genuine.reasons == []
    forged = letter_verify_pdf(_changed(_pdf(letter)))
    assert not forged.valid and forged.status == "tidak sah"
    assert any("tidak utuh" in reason for reason in forged.reasons)
    assert any("tidak sama dengan surat" in reason for reason in forged.reasons)


def test_a_draft_is_not_a_valid_letter(walk):
    case, _ = walk("bone", until=StepKind.SIGN)
    letter = Letter.objects.get(case=case)
    result = letter_verify_pdf(_pdf(letter))  # paraf'd draft: genuine signature, no number
    assert not result.valid and letter.state == LetterState.DRAFT
    assert any("diarsipkan" in reason for reason in result.reasons)


def test_text_carries_number_signer_and_applicant(issued, tmp_path):
    from layan.core.testing import require_tool

    pdftotext = require_tool("pdftotext")
    letter, case = issued
    path = tmp_path / "surat.pdf"
    path.write_bytes(_pdf(letter))
    text = subprocess.run([pdftotext, path, "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert letter.number in text
    assert case.subject_name in text and case.applicant_name in text
    assert "Andi Kepala, S.Sos" in text and "NIP. 197001011990031001" in text
    assert "SURAT REKOMENDASI" in text and "Kepala Dinas Sosial" in text


def test_qr_decodes_to_the_verification_url(issued, tmp_path, settings):
    from layan.core.testing import require_tool

    pdftoppm, zbarimg = require_tool("pdftoppm"), require_tool("zbarimg")
    letter, _ = issued
    path = tmp_path / "surat.pdf"
    path.write_bytes(_pdf(letter))
    subprocess.run([pdftoppm, "-r", "150", "-png", "-f", "1", "-l", "1", path, tmp_path / "p"],
                   check=True)  # fmt: skip
    png = next(tmp_path.glob("p*.png"))
    decoded = subprocess.run([zbarimg, "--raw", "-q", png], capture_output=True, text=True).stdout
    assert decoded.strip() == f"{settings.PUBLIC_URL}/verifikasi/{letter.verify_code}/"


def test_revisions_cannot_be_changed(issued):
    letter, _ = issued
    revision = LetterRevision.objects.filter(letter=letter).first()
    with pytest.raises(ValueError):
        revision.save()
