"""The JSON API under /api/v1/: one NinjaAPI, one error shape, the apps' routers.

Every error answers `{"detail": "...", "errors": [{"field": ..., "reason": ...}]}`
with the detail in Bahasa Indonesia. Endpoints need a bearer token unless they
say `auth=None`, so a new endpoint is never public by accident.
"""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from pydantic import ConfigDict, Field

from layan.cases.api import router as cases_router
from layan.cases.services import CaseConflict, CaseError
from layan.catalogue.api import router as catalogue_router
from layan.core.api_auth import ApiBearer, token_issue
from layan.core.api_schema import BODY, responses
from layan.core.nik import NikError
from layan.letters.api import router as letters_router
from layan.registry.api import router as registry_router

logger = logging.getLogger("layan.api")

api = NinjaAPI(
    title="Layan API",
    version="1",
    description="Layanan publik Dinas Sosial: kantor, layanan dan SOP-nya, pencarian register.",
    urls_namespace="api",
    # Ninja's Swagger UI loads its scripts from a CDN, which the site's CSP forbids.
    docs_url=None,
    auth=ApiBearer(),
)


def error_response(
    request: HttpRequest, status: int, detail: str, errors: list[dict] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


# Pydantic's messages are English; officers read these, so the common ones are translated.
REASONS = {
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "bool_type": "harus true atau false",
    "json_invalid": "isi permintaan bukan JSON yang sah",
    "model_attributes_type": "harus berupa objek JSON",
    "model_type": "harus berupa objek JSON",
    "dict_type": "harus berupa objek JSON",
    "list_type": "harus berupa daftar",
    "extra_forbidden": "isian tidak dikenal",
    "string_too_long": "paling banyak {max_length} karakter",
    "string_too_short": "paling sedikit {min_length} karakter",
    "string_pattern_mismatch": "bentuknya tidak sah",
}


def _field(loc: tuple | list) -> str | None:
    # ninja's loc is (source, param name, *path) for a body, (source, name) otherwise.
    path = list(loc[2:] if loc and loc[0] == "body" else loc[1:])
    return ".".join(str(part) for part in path) or None


def _reason(error: dict) -> str:
    template = REASONS.get(error.get("type", ""))
    if template:
        return template.format(**error.get("ctx", {}))
    return str(error.get("msg", "")).removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field(e.get("loc", ())), "reason": _reason(e)} for e in exc.errors]
    return error_response(request, 422, "Isian permintaan tidak sah.", errors)


@api.exception_handler(NikError)
def on_nik_error(request: HttpRequest, exc: NikError) -> HttpResponse:
    return error_response(request, 422, "Nomor tidak sah.", [{"field": None, "reason": exc.reason}])


@api.exception_handler(CaseError)
def on_case_error(request: HttpRequest, exc: CaseError) -> HttpResponse:
    errors = [{"field": field or None, "reason": reason} for field, reason in exc.errors]
    return error_response(request, 422, str(exc), errors)


@api.exception_handler(CaseConflict)
def on_case_conflict(request: HttpRequest, exc: CaseConflict) -> HttpResponse:
    return error_response(request, 409, str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc)
    # get_object_or_404 says "No Office matches the given query." in English.
    if not message or message.endswith("matches the given query."):
        message = "Data tidak ditemukan."
    return error_response(request, 404, message)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or "Anda tidak berhak atas permintaan ini.")


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request, 401, "Token tidak ada, tidak dikenal, atau akunnya tidak boleh masuk."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AuthorizationError)
def on_authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return error_response(request, 403, "Anda tidak berhak atas permintaan ini.")


# Ninja raises HttpError with English messages (e.g. 400 for a body that is not JSON).
HTTP_ERRORS = {
    400: "Isi permintaan tidak dapat dibaca; kirim JSON yang sah.",
    429: "Terlalu banyak permintaan; silakan coba lagi nanti.",
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, HTTP_ERRORS.get(exc.status_code, str(exc)))


@api.exception_handler(MultiPartParserError)
def on_multipart_error(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django cannot split the body (no boundary, or a broken one): the client's mistake.
    return error_response(
        request, 400, "Isi multipart tidak dapat dibaca; periksa boundary pada Content-Type."
    )


def _too_many_parts(request: HttpRequest) -> HttpResponse:
    # Over DATA_UPLOAD_MAX_NUMBER_FIELDS or _FILES; Django's pages answer these with 400 too.
    return error_response(request, 400, "Permintaan tidak sah; terlalu banyak isian atau berkas.")


@api.exception_handler(TooManyFieldsSent)
def on_too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
    return _too_many_parts(request)


@api.exception_handler(TooManyFilesSent)
def on_too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    return _too_many_parts(request)


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE; it is the
    # client's mistake, not the server's. Thousands with a dot, as Indonesian writes them.
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024:,}".replace(",", ".")
    return error_response(request, 413, f"Isi permintaan terlalu besar (paling banyak {limit} KB).")


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with the traceback as Django would; the client gets the one error shape.
    logger.exception("API %s %s", request.method, request.path)
    return error_response(request, 500, "Terjadi kesalahan pada server; silakan coba lagi.")


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"


@api.post(
    "/auth/token",
    auth=None,
    response=responses(TokenOut, 401, *BODY, status=201),
    tags=["auth"],
    summary="Minta token API dengan nama pengguna dan kata sandi",
)
def auth_token(request: HttpRequest, payload: TokenIn):
    """Issue a bearer token; the same sign-in rules as the staff pages apply."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, {"detail": "Nama pengguna atau kata sandi salah.", "errors": []})
    return Status(201, {"token": token_issue(user=user), "token_type": "Bearer"})


api.add_router("/registry", registry_router, tags=["registry"])
api.add_router("/", catalogue_router, tags=["catalogue"])
api.add_router("/", cases_router, tags=["cases"])
api.add_router("/", letters_router, tags=["letters"])

# Registered last, so it only catches what no endpoint matched: an unknown API
# address answers in the API's error shape rather than with the site's HTML page.
fallback = Router(auth=None)


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown_address(request: HttpRequest, rest: str):
    """No endpoint here."""
    raise Http404("Alamat API tidak dikenal.")


api.add_router("/", fallback)
