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


def _signature_reasons(checks: list[SignatureCheck]) -> list[str]:
    if not checks:
        return ["Berkas tidak memuat tanda tangan elektronik."]
    reasons = []
    for check in checks:
        who = f"Tanda tangan '{check.field}'" + (f" ({check.signer})" if check.signer else "")
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
    result.reasons += _signature_reasons(result.signatures)
    letter = Letter.objects.filter(sha256=digest).select_related("office").first()
    if letter is None:
        claimed = _claimed_number(data)
        result.number = claimed
        where = f" bernomor {claimed}" if claimed else ""
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
