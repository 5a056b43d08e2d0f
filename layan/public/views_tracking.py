"""Public tracking of a case by its code: where it stands, without any personal data.

Anyone holding the code may look, so the page names the office, the service,
the steps done with their dates and outcomes, and the expected finish; never
the applicant's name, NIK, notes, or the officers who acted.
"""

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from layan.cases.models import Case, Referral
from layan.cases.presenting import actor_label, expected_finish, outcome_label, step_label
from layan.cases.selectors import case_by_tracking_code
from layan.cases.services import case_doc


@dataclass(frozen=True)
class PublicStep:
    """One step done, as the public sees it: what, by which post, when, with what result."""

    label: str
    actor: str
    finished_at: datetime
    outcome: str


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
    case = case_by_tracking_code(code)
    doc = case_doc(case)
    referral = Referral.objects.filter(case=case).select_related("fulfilled_snapshot").first()
    context = {
        "office": case.office,
        "case": case,
        "steps": _public_steps(case),
        "current": step_label(doc, case.current_step) if case.is_open else "",
        "current_actor": actor_label(doc, case.current_step) if case.is_open else "",
        "expected": expected_finish(case, doc),
        "referral": referral,
    }
    response = render(request, "public/track_case.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _public_steps(case: Case) -> list[PublicStep]:
    doc = case_doc(case)
    records = case.records.order_by("seq").only("step", "kind", "outcome", "finished_at")
    return [
        PublicStep(
            label=step_label(doc, r.step),
            actor=actor_label(doc, r.step),
            finished_at=r.finished_at,
            outcome=outcome_label(r.kind, r.outcome),
        )
        for r in records
    ]
