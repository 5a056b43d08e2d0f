"""Public verification of a letter: by the code its QR carries, or by uploading the PDF.

Anyone may look, so the page shows the letter's facts (number, date, office,
service, signer, the person's initials, status, the archived file's hash)
and never a NIK or a full name.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from layan.core.uploads import upload_size_problem
from layan.letters.verification import letter_by_code, letter_verify_pdf

UPLOAD_FIELD = "berkas"


def _checked_upload(request: HttpRequest) -> tuple[bytes | None, str]:
    """The uploaded PDF's bytes, or None and the reason it cannot be checked."""
    upload = request.FILES.get(UPLOAD_FIELD)
    if upload is None:
        return None, "Pilih berkas PDF surat yang akan diperiksa."
    if problem := upload_size_problem(upload, settings.LETTER_MAX_VERIFY_BYTES):
        return None, problem
    return upload.read(), ""


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, "public/letter_verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def verify_home(request: HttpRequest) -> HttpResponse:
    """Ask for a verification code or a PDF; a known code goes on to its page."""
    code = request.GET.get("kode", "").strip()
    if code:
        letter = letter_by_code(code)
        if letter is None:
            error = "Kode verifikasi tidak ditemukan. Periksa kembali kodenya."
            return _page(request, {"code": code, "code_error": error}, status=404)
        return redirect("letter-verify", code=letter.verify_code)
    if request.method == "POST":
        return _upload_checked(request, {})
    return _page(request, {})


@never_cache
def verify_letter(request: HttpRequest, code: str) -> HttpResponse:
    """One letter's facts and status; a PDF uploaded here is checked against it."""
    letter = letter_by_code(code)
    if letter is None:
        error = "Kode verifikasi tidak ditemukan. Periksa kembali kodenya."
        return _page(request, {"code": code, "code_error": error}, status=404)
    context = {"letter": letter}
    if request.method == "POST":
        return _upload_checked(request, context)
    return _page(request, context)


def _upload_checked(request: HttpRequest, context: dict) -> HttpResponse:
    data, error = _checked_upload(request)
    if data is None:
        return _page(request, {**context, "upload_error": error}, status=422)
    result = letter_verify_pdf(data)
    expected = context.get("letter")
    if expected is not None and result.letter is not None and result.letter.pk != expected.pk:
        result.valid = False
        result.reasons.append(f"Berkas ini adalah surat {result.letter.number}, bukan surat ini.")
    return _page(request, {**context, "result": result})
