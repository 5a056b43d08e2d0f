"""The error pages: 400, 403 (and a failed CSRF check), 404 and 500, in Bahasa Indonesia.

Each says what happened in plain words and offers a way on. The 500 page is rendered
without the request's context (no context processors, no database): whatever broke
the page may be what they need.
"""

from urllib.parse import urlsplit

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from layan.core.errors import Refusal

# What a 500 answers when even its template cannot be rendered.
SERVER_ERROR_FALLBACK = (
    '<!doctype html><html lang="id"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Terjadi kesalahan · Layan</title></head><body>"
    "<h1>Terjadi kesalahan pada sistem</h1>"
    "<p>Maaf, permintaan Anda tidak dapat diproses saat ini. Coba lagi beberapa saat lagi.</p>"
    '<p><a href="/">Kembali ke beranda</a></p></body></html>'
)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=HttpResponseBadRequest.status_code)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403, with the refusal's own words when they were written for the person (Refusal)."""
    reason = str(exception) if isinstance(exception, Refusal) else ""
    return render(request, "403.html", {"reason": reason}, status=HttpResponseForbidden.status_code)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale security token (settings.CSRF_FAILURE_VIEW).

    Django's `reason` ("CSRF token missing.") is for developers and is not shown. The
    page leads back to the page the form was on, if that was one of ours.
    """
    back = _same_site_path(request, request.META.get("HTTP_REFERER", ""))
    return render(
        request, "403_csrf.html", {"back": back}, status=HttpResponseForbidden.status_code
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # "Coba lagi" asks for the same page again; "//host" would leave the site.
    retry = "/" + request.get_full_path().lstrip("/")
    try:
        body = loader.get_template("500.html").render({"retry": retry})
    except Exception:  # a 500 page must answer whatever failed, its own template included
        body = SERVER_ERROR_FALLBACK
    return HttpResponseServerError(body)


def _same_site_path(request: HttpRequest, url: str) -> str:
    """The path (and query) of a URL on this site, or "" for anything else."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
