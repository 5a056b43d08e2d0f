"""Refusals whose message is written for the person refused."""

from django.core.exceptions import PermissionDenied


class Refusal(PermissionDenied):
    """A 403 whose message the 403 page may show as it is.

    Raise it with a sentence in Bahasa Indonesia that names roles and rights by their
    labels and tells nothing the person may not know (the rights table's refusals).
    A plain PermissionDenied, Django's own ("Forbidden user agent") included, gets
    the page's general words instead: its text was not written for the public.
    """
