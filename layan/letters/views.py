"""Staff pages of letters: the case page's letter panel, download/reprint, revocation, archive.

Every page needs a signed-in member of the letter's office; another office's
letter is a 404, and only a kadin may revoke.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from layan.cases.models import Case
from layan.cases.services import CaseConflict
from layan.letters.models import Letter, LetterState
from layan.letters.selectors import letter_for_staff, letter_of_case
from layan.letters.services import LetterError, letter_download, letter_revoke
from layan.offices.models import Office
from layan.offices.rights import Right, may
from layan.offices.selectors import office_for_staff

ARCHIVE_SIZE = 100


def case_letter_panel(request: HttpRequest, case: Case) -> dict | None:
    """The case page's letter section: state, number, download, revoke (kadin)."""
    letter = letter_of_case(case)
    if letter is None:
        return None
    return {
        "template": "letters/_case_panel.html",
        "letter": letter,
        "can_revoke": letter.state == LetterState.ISSUED
        and may(request.user, case.office, Right.REVOKE),
        "batch_size": letter.memberships.count(),
    }


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
