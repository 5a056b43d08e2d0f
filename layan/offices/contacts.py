"""The one rule that turns a contact an office publishes into a link a phone can open.

WhatsApp numbers open https://wa.me/62…, phone numbers tel:+62…, email addresses
mailto:. A value that is not what its kind says (Bone's WhatsApp channel reads "lihat
daftar petugas") gets no link and stays text.
"""

import re

from layan.core.phone import phone_normalized, phone_problem
from layan.offices.models import ChannelKind

_EMAIL = re.compile(r"[^@\s?&/]+@[^@\s?&/]+\.[^@\s?&/.]+")


def phone_62(value: str) -> str | None:
    """An Indonesian phone number in its international 62… digits, or None if it is none."""
    if not value.strip() or phone_problem(value) is not None:
        return None
    return phone_normalized(value).removeprefix("+")


def contact_href(kind: str, value: str) -> str | None:
    """The link a channel's value opens, by the channel's kind; None when it is not one."""
    value = value.strip()
    if kind in (ChannelKind.WHATSAPP, ChannelKind.PHONE):
        number = phone_62(value)
        if number is None:
            return None
        return f"https://wa.me/{number}" if kind == ChannelKind.WHATSAPP else f"tel:+{number}"
    if kind == ChannelKind.EMAIL and _EMAIL.fullmatch(value):
        return f"mailto:{value}"
    return None


def is_number_kind(kind: str) -> bool:
    """Whether a channel's value is a phone number (shown unbroken)."""
    return kind in (ChannelKind.WHATSAPP, ChannelKind.PHONE)


def officer_href(phone: str) -> str | None:
    """An officer's number: WhatsApp for a mobile number (62 8…), a call for a landline."""
    number = phone_62(phone)
    if number is None:
        return None
    kind = ChannelKind.WHATSAPP if number.startswith("628") else ChannelKind.PHONE
    return contact_href(kind, phone)
