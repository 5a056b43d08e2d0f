"""Links for the contacts a public page lists: {% channel_link channel office as link %}."""

from dataclasses import dataclass
from typing import Any

from django import template

from layan.offices.contacts import contact_href, is_number_kind, officer_href
from layan.offices.models import ChannelKind, Office
from layan.public.links import survey_url

register = template.Library()


@dataclass(frozen=True)
class Link:
    href: str | None
    number: bool  # a phone number: shown unbroken

    @property
    def external(self) -> bool:
        """A link to another site (rel="noopener"), not a tel: or mailto: one."""
        return self.href is not None and self.href.startswith(("https://", "http://"))


def _field(channel: Any, name: str) -> str:
    """A channel's field, whether a ComplaintChannel or a catalogue definition's dict."""
    value = channel.get(name, "") if isinstance(channel, dict) else getattr(channel, name, "")
    return value or ""


@register.simple_tag
def channel_link(channel: Any, office: Office) -> Link:
    """Where a complaint channel leads: its own URL, else the one its kind and value give."""
    kind, value = _field(channel, "kind"), _field(channel, "value")
    if kind == ChannelKind.SURVEY:
        href = _field(channel, "url") or survey_url(office)
    else:
        href = _field(channel, "url") or contact_href(kind, value)
    return Link(href=href, number=is_number_kind(kind) and href is not None)


@register.simple_tag
def officer_link(phone: str) -> Link:
    href = officer_href(phone)
    return Link(href=href, number=href is not None)


@register.simple_tag
def office_phone_link(phone: str) -> Link:
    href = contact_href(ChannelKind.PHONE, phone)
    return Link(href=href, number=href is not None)


@register.simple_tag
def email_link(email: str) -> Link:
    return Link(href=contact_href(ChannelKind.EMAIL, email), number=False)
