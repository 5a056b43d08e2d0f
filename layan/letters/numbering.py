"""Letter numbers: one sequence per office, series and period, without gaps.

The number is taken inside the signing transaction by an UPDATE of the
sequence row: the row lock makes concurrent signings queue (PostgreSQL) or the
write lock serialises them (SQLite), and a signing that fails rolls its number
back with everything else, so no number is ever skipped or used twice.
"""

import re
from datetime import date

from django.db.models import F

from layan.catalogue.schema import LetterNumbering
from layan.letters.models import NumberSequence
from layan.offices.models import Office

ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_FIELD = re.compile(r"\{([a-z_]+)(?::0(\d))?\}")


def number_period(numbering: LetterNumbering, on: date) -> str:
    """The period a sequence restarts with: '2026', '2026-11', or '' for never."""
    if numbering.reset == "yearly":
        return f"{on.year}"
    if numbering.reset == "monthly":
        return f"{on.year}-{on.month:02d}"
    return ""


def number_format(numbering: LetterNumbering, seq: int, on: date) -> str:
    """'460/12/DINSOS/XI/2026' from the pattern, the sequence number and the date."""
    values = {
        "classification": numbering.classification,
        "unit": numbering.unit,
        "roman_month": ROMAN_MONTHS[on.month - 1],
        "month": str(on.month),
        "year": str(on.year),
    }

    def fill(match: re.Match) -> str:
        name, width = match.group(1), match.group(2)
        if name == "seq":
            return str(seq).zfill(int(width or 0))
        return values[name]

    return _FIELD.sub(fill, numbering.pattern)


def number_take(*, office: Office, series: str, numbering: LetterNumbering, on: date):
    """The next (seq, number, period) of a series; call inside the signing transaction."""
    period = number_period(numbering, on)
    # The row must exist before it can be locked; a concurrent creator makes
    # get_or_create re-read instead of failing.
    NumberSequence.objects.get_or_create(office=office, series=series, period=period)
    sequence = NumberSequence.objects.filter(office=office, series=series, period=period)
    sequence.update(last=F("last") + 1)
    seq = sequence.values_list("last", flat=True).get()
    return seq, number_format(numbering, seq, on), period
