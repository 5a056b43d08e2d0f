"""Public tracking of a case by its code: where it stands, without any personal data.

What it shows is built by `layan.cases.tracking`, for this page and the API alike.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from layan.cases.selectors import case_by_tracking_code
from layan.cases.tracking import case_tracking


@never_cache
def track_form(request: HttpRequest) -> HttpResponse:
    """Ask for a tracking code; a known code goes on to its page."""
    code = request.GET.get("kode", "").strip()
    if not code:
        return render(request, "public/track.html", {})
    try:
        case = case_by_tracking_code(code)
    except Http404:
        context = {"code": code, "error": "Kode lacak tidak ditemukan. Periksa kembali kodenya."}
        return render(request, "public/track.html", context, status=404)
    return redirect("track-case", code=case.tracking_code)


@never_cache
def track_case(request: HttpRequest, code: str) -> HttpResponse:
    """The state of one case (404 in Bahasa Indonesia for an unknown code)."""
    tracking = case_tracking(code)
    response = render(request, "public/track_case.html", {"t": tracking, "office": tracking.office})
    response["X-Robots-Tag"] = "noindex"
    return response
