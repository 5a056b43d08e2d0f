"""Reading letters: a case's letter for its staff, a letter for an office's staff."""

from django.http import Http404

from layan.cases.models import Case
from layan.letters.models import Letter, LetterState
from layan.offices.selectors import memberships_of


def letter_of_case(case: Case) -> Letter | None:
    """The case's current letter: the newest it belongs to, not sent back nor replaced."""
    return (
        Letter.objects.filter(memberships__case=case)
        .exclude(state__in=[LetterState.RETURNED, LetterState.REPLACED])
        .select_related("office", "case")
        .order_by("-created_at", "-id")
        .first()
    )


def letter_for_staff(user, letter_id: int) -> Letter:
    """A letter of an office the user works at, or 404 (another office's letter is not theirs)."""
    offices = memberships_of(user).values("office")
    letter = (
        Letter.objects.select_related("office", "case")
        .filter(pk=letter_id, office__in=offices)
        .first()
    )
    if letter is None:
        raise Http404("Surat tidak ditemukan.")
    return letter
