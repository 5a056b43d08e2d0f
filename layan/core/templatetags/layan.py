"""The words of every page: who did something and when, as people read them.

Loaded as a builtin (settings.TEMPLATES), so any template may write
`{{ record.user|person }}`, `{{ case.created_at|local:office }}` and
`{% local_span start end office %}`.
"""

from datetime import date, datetime

from django import template
from django.utils.html import format_html

from layan.core import local_time

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's full name with their NIP where set (User.name_with_nip), the NIP kept on
    one line; 'sistem' for a step nobody did."""
    if user is None:
        return "sistem"
    nip = getattr(user, "nip_shown", "")
    if not nip:
        return str(user)
    return format_html('{} <span class="nip">(NIP {})</span>', str(user), nip)


@register.filter
def local(moment: datetime | None, where=None) -> str:
    """'4 Des 2026 14.05 WITA': the moment in the office's zone (an office or a zone name)."""
    return local_time.local(moment, where)


@register.filter
def local_seconds(moment: datetime | None, where=None) -> str:
    """'4 Des 2026 14.05.09 WITA', for logs where the second matters."""
    return local_time.local(moment, where, seconds=True)


@register.simple_tag
def local_span(start: datetime | None, end: datetime | None, where=None) -> str:
    """{% local_span record.started_at record.finished_at office %}: one day, one zone name."""
    return local_time.local_span(start, end, where)


@register.filter
def local_date(moment: datetime | date | None, where=None) -> str:
    """'4 Desember 2026', the day at the office."""
    return local_time.local_date(moment, where)
