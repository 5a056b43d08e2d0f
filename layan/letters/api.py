"""Letters over the API: a case's letter as PDF, revocation, and public verification."""

from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from layan.cases.selectors import case_for_staff
from layan.core.api_schema import BODY, responses
from layan.core.http import ApiRequest
from layan.core.uploads import upload_size_problem
from layan.letters.models import Letter
from layan.letters.selectors import letter_for_staff, letter_of_case
from layan.letters.services import LetterError, letter_download, letter_revoke
from layan.letters.verification import Verification, letter_by_code, letter_verify_pdf

router = Router()


class SignatureOut(Schema):
    field: str
    label: str = Field(description="the signature as people know it: 'Paraf Kepala Bidang …'")
    signer: str
    signed_at: str
    intact: bool
    trusted: bool
    modification: str


class VerifyOut(Schema):
    """What anyone may learn of a letter: no NIK, the person's initials only."""

    valid: bool
    status: str = Field(description="sah, dicabut, atau tidak sah")
    number: str
    reasons: list[str]
    sha256: str = Field(description="SHA-256 of the uploaded file")
    office: str | None = None
    service: str | None = None
    letter: str | None = None
    subject: str | None = None
    signer: str | None = None
    signer_title: str | None = None
    issued_at: datetime | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    archived_sha256: str | None = None
    signatures: list[SignatureOut] = []


def _letter_facts(letter: Letter | None) -> dict:
    if letter is None:
        return {}
    return {
        "office": letter.office.name,
        "service": letter.service_name,
        "letter": letter.name,
        "subject": letter.subject_masked,
        "signer": letter.signer_name,
        "signer_title": letter.signer_title,
        "issued_at": letter.issued_at,
        "revoked_at": letter.revoked_at,
        "revoke_reason": letter.revoke_reason or None,
        "archived_sha256": letter.sha256,
        "number": letter.number,
    }


def verification_out(result: Verification) -> dict:
    return {
        "valid": result.valid,
        "status": result.status,
        "number": result.number,
        "reasons": result.reasons,
        "sha256": result.sha256,
        "signatures": [{**s.__dict__, "label": label} for label, _, s in result.named],
        **_letter_facts(result.letter),
    }


@router.post(
    "/letters/verify",
    auth=None,
    response=responses(VerifyOut, *BODY),
    summary="Periksa keaslian surat (unggah PDF)",
)
def letters_verify(request: HttpRequest, file: File[UploadedFile]):
    """Check an uploaded PDF: signatures intact and trusted, and the very letter archived."""
    if problem := upload_size_problem(file, settings.LETTER_MAX_VERIFY_BYTES):
        raise LetterError(problem, field="file")
    return verification_out(letter_verify_pdf(file.read()))


@router.get(
    "/letters/verify/{code}",
    auth=None,
    response=responses(VerifyOut, 404),
    summary="Status surat menurut kode verifikasinya (kode QR)",
)
def letters_verify_code(request: HttpRequest, code: str):
    """The status of an issued letter by the code its QR carries (404 for unknown codes)."""
    letter = letter_by_code(code)
    if letter is None:
        raise Http404("Kode verifikasi tidak dikenal.")
    revoked = letter.revoked_at is not None
    return {
        "valid": not revoked,
        "status": "dicabut" if revoked else "sah",
        "reasons": [f"Surat ini telah dicabut: {letter.revoke_reason}"] if revoked else [],
        "sha256": letter.sha256,
        **_letter_facts(letter),
    }


@router.get(
    "/cases/{case_id}/letter.pdf",
    response=responses(None, 401, 403, 404, 422),
    summary="Unduh surat permohonan (PDF)",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def case_letter_pdf(request: ApiRequest, case_id: int):
    """The case's current letter: the issued one, or the draft with its paraf so far."""
    case = case_for_staff(request.auth, case_id)
    letter = letter_of_case(case)
    if letter is None:
        raise Http404("Permohonan ini belum punya surat.")
    document = letter_download(letter=letter, user=request.auth)
    response = HttpResponse(document.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.name}"'
    return response


class RevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=1000)


class LetterOut(Schema):
    id: int
    number: str
    state: str
    revoked_at: datetime | None = None
    revoke_reason: str


@router.post(
    "/letters/{letter_id}/revoke",
    response=responses(LetterOut, 401, 403, 404, 409, *BODY),
    summary="Cabut surat (Kepala Dinas)",
)
def letters_revoke(request: ApiRequest, letter_id: int, payload: RevokeIn):
    """Revoke an issued letter; needs the kadin role at its office and a reason."""
    letter = letter_for_staff(request.auth, letter_id)
    letter = letter_revoke(letter_id=letter.pk, user=request.auth, reason=payload.reason)
    return Status(200, letter)
