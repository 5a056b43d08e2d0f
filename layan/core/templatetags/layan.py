"""The words of every page: who did something and when, as people read them.

Loaded as a builtin (settings.TEMPLATES), so any template may write
`{{ record.user|person }}` and `{{ case.created_at|local:office }}`.
"""

from datetime import date, datetime

from django import template

from layan.core import local_time

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's full name with their NIP where set; 'sistem' for a step nobody did."""
    if user is None:
        return "sistem"
    return getattr(user, "name_with_nip", None) or str(user)


@register.filter
def local(moment: datetime | None, where=None) -> str:
    """'4 Des 2026 14.05 WITA': the moment in the office's zone (an office or a zone name)."""
    return local_time.local(moment, where)


@register.filter
def local_seconds(moment: datetime | None, where=None) -> str:
    """'4 Des 2026 14.05.09 WITA', for logs where the second matters."""
    return local_time.local(moment, where, seconds=True)


@register.filter
def local_date(moment: datetime | date | None, where=None) -> str:
    """'4 Desember 2026', the day at the office."""
    return local_time.local_date(moment, where)
