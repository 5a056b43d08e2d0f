"""A letter as a PDF on the office letterhead (reportlab): a pure function, no database.

The number and the date of a letter are only known when it is signed, so they are
AcroForm text fields here; the signing code fills them in an incremental update
that leaves earlier PAdES signatures (the parafs) intact.

`layout` puts the letter together and renders it; `letterhead` draws the kop,
`signature` the signature block (signer, stamp, QR, parafs), `fields` the number and
date fields, `table` a batch letter's attached list, `typography` holds the type.
See docs/design/letters.md.
"""

from layan.letters.pdf.fields import (
    FIELD_ATTACHMENT_DATE,
    FIELD_ATTACHMENT_NUMBER,
    FIELD_BASELINE,
    FIELD_DATE,
    FIELD_FONT,
    FIELD_HEIGHT,
    FIELD_NUMBER,
    FIELD_SIZE,
    LONG_NUMBER,
)
from layan.letters.pdf.layout import LetterLayout, RenderedLetter, letter_render
from layan.letters.pdf.letterhead import Letterhead
from layan.letters.pdf.signature import Box, SignatureBlock

__all__ = [
    "FIELD_ATTACHMENT_DATE",
    "FIELD_ATTACHMENT_NUMBER",
    "FIELD_BASELINE",
    "FIELD_DATE",
    "FIELD_FONT",
    "FIELD_HEIGHT",
    "FIELD_NUMBER",
    "FIELD_SIZE",
    "LONG_NUMBER",
    "Box",
    "LetterLayout",
    "Letterhead",
    "RenderedLetter",
    "SignatureBlock",
    "letter_render",
]
