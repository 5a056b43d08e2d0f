"""Staff pages of letters: the case page's letter panel, download/reprint, revocation, archive.

Every page needs a signed-in member of the letter's office; another office's
letter is a 404, and only a kadin may revoke.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from layan.cases.models import Case
from layan.cases.services import CaseConflict, CaseError, case_doc
from layan.catalogue.schema import StepKind
from layan.letters.models import Letter, LetterState
from layan.letters.selectors import letter_for_staff, letter_of_case
from layan.letters.services import (
    LetterError,
    letter_download,
    letter_draft_prepare,
    letter_revoke,
)
from layan.offices.models import Office
from layan.offices.rights import Right, may
from layan.offices.selectors import office_for_staff

ARCHIVE_SIZE = 100


def case_letter_panel(request: HttpRequest, case: Case) -> dict | None:
    """The case page's letter section: make and read the draft, state, number, revoke."""
    letter = letter_of_case(case)
    drafting = _at_draft_step(case)
    if letter is None and not drafting:
        return None
    return {
        "template": "letters/_case_panel.html",
        "letter": letter,
        "case": case,
        # At the draft step the officer makes (or remakes) the draft and reads it first.
        "can_prepare": drafting and may(request.user, case.office, Right.ACT),
        "prepared": drafting and letter is not None and letter.state == LetterState.DRAFT,
        "can_revoke": letter is not None
        and letter.state == LetterState.ISSUED
        and may(request.user, case.office, Right.REVOKE),
        "batch_size": letter.memberships.count() if letter else 0,
    }


def _at_draft_step(case: Case) -> bool:
    if not case.is_open:
        return False
    step = case_doc(case).step_map.get(case.current_step)
    return step is not None and step.kind == StepKind.DRAFT_LETTER


@login_required
@require_POST
def letter_draft_view(request: HttpRequest, office: str, case_id: int) -> HttpResponse:
    """Make the draft of the case's letter and open it; the case stays at its draft step."""
    office_obj = office_for_staff(request.user, office)
    case = get_object_or_404(Case, pk=case_id, office=office_obj)
    try:
        letter_draft_prepare(case_id=case.pk, user=request.user)
        messages.success(request, "Draf surat dibuat. Periksa drafnya sebelum mengirim.")
    except (CaseError, CaseConflict, PermissionDenied) as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('case-detail', args=[office_obj.slug, case.pk])}#surat")


def _letter_of(request: HttpRequest, office: str, pk: int) -> tuple[Office, Letter]:
    office_obj = office_for_staff(request.user, office)
    letter = letter_for_staff(request.user, pk)
    if letter.office_id != office_obj.pk:
        raise Http404("Surat tidak ditemukan.")
    return office_obj, letter


@login_required
def letter_pdf(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """The letter's PDF as archived (each download is logged)."""
    _, letter = _letter_of(request, office, pk)
    document = letter_download(letter=letter, user=request.user)
    response = HttpResponse(document.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.name}"'
    return response


@login_required
@require_POST
def letter_revoke_view(request: HttpRequest, office: str, pk: int) -> HttpResponse:
    """Revoke an issued letter with a reason; back to its case with the outcome."""
    office_obj, letter = _letter_of(request, office, pk)
    try:
        letter_revoke(letter_id=letter.pk, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, f"Surat {letter.number} dicabut.")
    except (LetterError, CaseConflict) as exc:
        messages.error(request, str(exc))
    return redirect("case-detail", office=office_obj.slug, pk=letter.case_id)


@login_required
def letter_archive(request: HttpRequest, office: str) -> HttpResponse:
    """Issued and revoked letters of the office, newest first; search by number."""
    office_obj = office_for_staff(request.user, office)
    letters = Letter.objects.filter(
        office=office_obj, state__in=[LetterState.ISSUED, LetterState.REVOKED]
    ).select_related("case")
    query = request.GET.get("nomor", "").strip()
    if query:
        letters = letters.filter(number__icontains=query)
    context = {
        "office": office_obj,
        "letters": letters.order_by("-issued_at")[:ARCHIVE_SIZE],
        "query": query,
        "limit": ARCHIVE_SIZE,
    }
    return render(request, "letters/archive.html", context)
