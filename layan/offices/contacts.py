"""The one rule that turns a contact an office publishes into a link a phone can open.

WhatsApp numbers open https://wa.me/62…, phone numbers tel:+62…, email addresses
mailto:. A value that is not what its kind says (Bone's WhatsApp channel reads "lihat
daftar petugas") gets no link and stays text.
"""

import re

from layan.offices.models import ChannelKind

# What people write between the digits of a number: "+62 857-5624-2215", "(0370) 623037".
_NUMBER_SEPARATORS = re.compile(r"[\s\-.()/]")
# Digits after the country code: an area code or mobile prefix and the subscriber
# number, 8 (a short landline: 0481-21029) to 12 (a long mobile number).
_NATIONAL_DIGITS = (8, 12)
_EMAIL = re.compile(r"[^@\s?&/]+@[^@\s?&/]+\.[^@\s?&/.]+")


def phone_62(value: str) -> str | None:
    """An Indonesian phone number in its international 62… digits, or None if it is none."""
    text = _NUMBER_SEPARATORS.sub("", value)
    for prefix in ("+62", "62", "0"):
        if text.startswith(prefix):
            national = text.removeprefix(prefix)
            break
    else:
        return None
    # "+62 (0)812…": the trunk 0 written after the country code is not dialled.
    national = national.removeprefix("0")
    shortest, longest = _NATIONAL_DIGITS
    if not national.isdigit() or not shortest <= len(national) <= longest:
        return None
    return "62" + national


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
