"""The number and date fields: empty AcroForm text fields that the signing code fills.

The number and the date of a letter are only known when it is signed; the signing
code (`layan.letters.signing`) fills these fields by name, on the baseline given
here, in the letter's serif, in an incremental update that leaves the parafs intact.
"""

import math

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from layan.letters.pdf.typography import FAMILY, FONT_SIZE, INK, LEADING, clean

# The draft's placeholder dots are in a standard-14 font (reportlab's fields take no other);
# the filled value is drawn in the letter's own serif, whose metrics are Times's.
FIELD_FONT = "Times-Roman"
FIELD_SIZE = 12
FIELD_PLACEHOLDER = "." * 22
FIELD_NUMBER = "nomor"
FIELD_DATE = "tanggal"
# The attached list repeats the letter's number and date (filled with them at signing).
FIELD_ATTACHMENT_NUMBER = "nomor_lampiran"
FIELD_ATTACHMENT_DATE = "tanggal_lampiran"
# Sized for a long number at FIELD_SIZE, with a little slack for the filler's padding.
LONG_NUMBER = "460/12345/DINSOS-LINJAMSOS/XII/2026"
FIELD_WIDTH = math.ceil(stringWidth(LONG_NUMBER, FIELD_FONT, FIELD_SIZE)) + 8
FIELD_HEIGHT = FIELD_SIZE + 4
# Where the value's baseline sits above the field's bottom edge, level with the words
# around the field: the filler draws its appearance there too.
FIELD_BASELINE = FIELD_HEIGHT - FIELD_SIZE
# A date field after a long place name is cut to end this far from the paper's edge,
# yet always fits the longest date.
FIELD_EDGE = 10 * mm
LONG_DATE = "30 September 2026"  # the longest month name and a two-digit day
DATE_FIELD_MIN_WIDTH = math.ceil(stringWidth(LONG_DATE, FIELD_FONT, FIELD_SIZE)) + 8
# A usual number ("460/123/DINSOS/XII/2026") is about this wide: the "Nomor" line under a
# title is centred on it, so a filled letter looks centred rather than the blank draft.
TYPICAL_NUMBER_WIDTH = 150


def draw_field(
    canvas: Canvas, name: str, x: float, baseline: float, width: float = FIELD_WIDTH
) -> None:
    """An empty text field whose text, once filled, sits on `baseline` like the words around it."""
    # reportlab draws the value FIELD_SIZE below the top of a borderless field, which is
    # FIELD_BASELINE above its bottom.
    # reportlab's stubs say int; it writes floats, and a rounded field would move.
    canvas.acroForm.textfield(
        name=name,
        value=FIELD_PLACEHOLDER,
        x=x,  # type: ignore[arg-type]
        y=baseline - FIELD_BASELINE,  # type: ignore[arg-type]
        width=width,  # type: ignore[arg-type]
        height=FIELD_HEIGHT,
        fontName=FIELD_FONT,
        fontSize=FIELD_SIZE,
        borderWidth=0,
        borderColor=None,
        fillColor=None,
        textColor=INK,
        fieldFlags="readOnly",
        maxlen=0,
        relative=True,
    )


class NumberLine(Flowable):
    """ "Nomor : <field>" centred under the title."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.label = f"{clean(prefix)} : "

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = LEADING
        return self.width, self.height

    def draw(self) -> None:
        label_width = stringWidth(self.label, FAMILY, FONT_SIZE)
        x = (self.width - label_width - TYPICAL_NUMBER_WIDTH) / 2
        baseline = self.height - FONT_SIZE
        self.canv.setFont(FAMILY, FONT_SIZE)
        self.canv.drawString(x, baseline, self.label)
        draw_field(self.canv, FIELD_NUMBER, x + label_width, baseline)


class FieldCell(Flowable):
    """The number field as a table cell, so it lines up with the meta rows under it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = min(FIELD_WIDTH, available_width)
        self.height = LEADING
        return self.width, self.height

    def draw(self) -> None:
        draw_field(self.canv, self.name, 0, self.height - FONT_SIZE)
