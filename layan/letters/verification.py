"""Is this letter genuine? By its verification code (the QR) or by the PDF itself.

A PDF is genuine when every signature in it is intact, chains to a root Layan
trusts, was followed by nothing but form filling and later signatures, the
last one covers the whole file, and the file is exactly an issued letter of
the archive. A revoked letter is reported as such, with its reason and date.
"""

import hashlib
import io
from dataclasses import dataclass, field

from pyhanko.pdf_utils.reader import PdfFileReader

from layan.cases.presenting import actor_label, step_label
from layan.cases.services import case_doc
from layan.catalogue.schema import StepKind
from layan.letters.keys import trust_roots
from layan.letters.models import Letter, LetterState
from layan.letters.signing import SignatureCheck, pdf_signatures_check

# Modification levels pyHanko accepts after a signature in a Layan letter.
ALLOWED_CHANGES = {"NONE", "LTA_UPDATES", "FORM_FILLING"}


@dataclass
class Verification:
    valid: bool
    status: str  # "sah", "dicabut", "tidak sah"
    sha256: str
    letter: Letter | None = None
    number: str = ""
    reasons: list[str] = field(default_factory=list)
    signatures: list[SignatureCheck] = field(default_factory=list)
    # Each signature as people know it: (the step's label and actor, the signer's name).
    named: list[tuple[str, str, SignatureCheck]] = field(default_factory=list)


def letter_by_code(code: str) -> Letter | None:
    """An issued (or revoked) letter by the code its QR carries; drafts are not public."""
    normalised = code.strip().upper().replace(" ", "")
    return (
        Letter.objects.filter(
            verify_code=normalised, state__in=[LetterState.ISSUED, LetterState.REVOKED]
        )
        .select_related("office")
        .first()
    )


def _claimed_number(data: bytes) -> str:
    """The number a PDF's 'nomor' field claims (to name the letter a forgery imitates)."""
    try:
        form = PdfFileReader(io.BytesIO(data), strict=False).root["/AcroForm"]
        for ref in form["/Fields"]:
            entry = ref.get_object()
            if str(entry.get("/T", "")) == "nomor":
                return str(entry.get("/V", "")).strip(". ")
    except Exception:  # unreadable form: there is simply no claimed number
        return ""
    return ""


def signature_labels(letter: Letter | None) -> dict[str, str]:
    """Signature field -> what people call it: 'Paraf Kepala Bidang', 'Tanda tangan Kepala Dinas'.

    The paraf fields are named by their step's key, the signature 'ttd'; the labels come
    from the definition of the letter's case (`presenting.step_label`, `actor_label`).
    """
    labels = {"ttd": "Tanda tangan"}
    if letter is None:
        return labels
    doc = case_doc(letter.case)
    for step in doc.steps:
        named = f"{step_label(doc, step.key)} {actor_label(doc, step.key)}".strip()
        if step.kind == StepKind.SIGN:
            labels["ttd"] = named
        elif step.kind == StepKind.DRAFT_LETTER:
            labels[step.key] = f"Paraf {actor_label(doc, step.key)}"
        else:
            labels[step.key] = named
    return labels


def _label(labels: dict[str, str], name: str) -> str:
    return labels.get(name) or "Paraf"  # a forged file's own field names are not shown


def _claimed_letter(data: bytes) -> Letter | None:
    number = _claimed_number(data)
    if not number:
        return None
    return Letter.objects.filter(number=number).select_related("office", "case").first()


def _signature_reasons(checks: list[SignatureCheck], labels: dict[str, str]) -> list[str]:
    if not checks:
        return ["Berkas tidak memuat tanda tangan elektronik."]
    reasons = []
    for check in checks:
        who = _label(labels, check.field) + (f" ({check.signer})" if check.signer else "")
        if not check.intact:
            reasons.append(f"{who} tidak utuh: isi berkas berubah setelah ditandatangani.")
        elif not check.trusted:
            reasons.append(f"{who} tidak berasal dari sertifikat kantor yang dikenal Layan.")
        if check.intact and check.modification not in ALLOWED_CHANGES:
            reasons.append(f"{who}: berkas diubah setelah ditandatangani.")
    if checks and not checks[-1].covers_whole_file:
        reasons.append("Ada tambahan pada berkas setelah tanda tangan terakhir.")
    return reasons


def letter_verify_pdf(data: bytes) -> Verification:
    """Check an uploaded PDF against its signatures and the archive."""
    digest = hashlib.sha256(data).hexdigest()
    result = Verification(valid=False, status="tidak sah", sha256=digest)
    if not data.startswith(b"%PDF-"):
        result.reasons.append("Berkas bukan PDF.")
        return result
    try:
        result.signatures = pdf_signatures_check(data, trust_roots())
    except ValueError as exc:
        result.reasons.append(str(exc))
        return result
    letter = Letter.objects.filter(sha256=digest).select_related("office", "case").first()
    # A file that is not an archived letter is named by the letter its number claims.
    labels = signature_labels(letter or _claimed_letter(data))
    result.named = [(_label(labels, c.field), c.signer, c) for c in result.signatures]
    result.reasons += _signature_reasons(result.signatures, labels)
    if letter is None:
        number = _claimed_number(data)
        result.number = number
        where = f" bernomor {number}" if number else ""
        result.reasons.append(f"Berkas tidak sama dengan surat{where} yang diarsipkan Layan.")
        return result
    result.letter, result.number = letter, letter.number
    if letter.state == LetterState.REVOKED:
        result.status = "dicabut"
        result.reasons.append(
            f"Surat ini telah dicabut pada {letter.revoked_at:%d-%m-%Y}: {letter.revoke_reason}"
        )
    elif not result.reasons:
        result.valid, result.status = True, "sah"
    return result
