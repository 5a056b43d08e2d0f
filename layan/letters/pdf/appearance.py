"""What changes on the page when a draft is signed, drawn in the letter's own type.

A draft's page never changes once someone has initialled it (a PAdES paraf covers it),
so whatever differs between the draft and the issued letter is the appearance of a
read-only form field, which the signing code may swap as "form filling":

- the DRAF watermark across every page (gone once signed);
- the footer: "DRAF — belum ditandatangani" on a draft, the electronic-signature notice
  with the verification address once signed;
- the QR of verification and its address (a draft has none: its code verifies nothing);
- the visible signature and each paraf's initials, drawn into their boxes.

Each appearance is a one-page PDF the size of its box, drawn by reportlab with the
shipped serif family, which the filler imports as the field's (or signature's) look.
"""

import math
from collections.abc import Callable
from io import BytesIO

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from layan.core.qr import qr_matrix, qr_runs
from layan.letters.pdf.fields import FIELD_BASELINE, FIELD_SIZE
from layan.letters.pdf.typography import (
    BOLD,
    FAMILY,
    INK,
    MUTED,
    SMALL_SIZE,
    char_lines,
    clean,
    fit_size,
    fonts_register,
    wrap_words,
)

# Field names of what the signing swaps; a per-page field carries "_p<n>" (n from 1).
WATERMARK_FIELD = "draf"
FOOTER_FIELD = "kaki"
VERIFICATION_FIELD = "verifikasi"
WATERMARK_TEXT = "DRAF"
DRAFT_FOOTER = (
    "DRAF — belum ditandatangani. Nomor, tanggal, tanda tangan elektronik dan kode "
    "verifikasi dibubuhkan saat surat ditandatangani."
)
DRAFT_VERIFICATION = "Kode QR verifikasi dibubuhkan saat surat ditandatangani."
WATERMARK_GREY = colors.Color(0.55, 0.55, 0.55, alpha=0.22)
URL_SIZE = 6
URL_LEADING = URL_SIZE + 1.5
# Two modules of white around the code rather than the standard four: it sits on white
# paper with nothing printed that close, and scanners (zbarimg in the tests) read it.
QR_QUIET_ZONE = 2


def page_field(name: str, page_index: int) -> str:
    return f"{name}_p{page_index + 1}"


Draw = Callable[[Canvas, float, float], None]


def appearance_pdf(width: float, height: float, draw: Draw) -> bytes:
    """A one-page PDF of exactly `width` x `height` points, drawn by `draw(canvas, w, h)`."""
    fonts_register()
    output = BytesIO()
    canvas = Canvas(output, pagesize=(width, height), invariant=1, pageCompression=0)
    draw(canvas, width, height)
    canvas.showPage()
    canvas.save()
    return output.getvalue()


def draw_watermark(canvas: Canvas, width: float, height: float) -> None:
    """DRAF across the page along its diagonal, light and see-through, over the text."""
    angle = math.degrees(math.atan2(height, width))
    diagonal = math.hypot(width, height)
    size = fit_size(WATERMARK_TEXT, BOLD, 400, diagonal * 0.6, 40)
    canvas.saveState()
    canvas.setFillColor(WATERMARK_GREY)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(angle)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -size * 0.35, WATERMARK_TEXT)
    canvas.restoreState()


def draw_nothing(canvas: Canvas, width: float, height: float) -> None:
    """A signed letter's watermark field: empty."""


def footer_drawer(text: str) -> Draw:
    """Centred small lines from the top of the footer's box, as the page footer reads."""

    def draw(canvas: Canvas, width: float, height: float) -> None:
        canvas.setFillColor(MUTED)
        canvas.setFont(FAMILY, SMALL_SIZE)
        baseline = height - SMALL_SIZE
        for line in footer_lines(text, width):
            canvas.drawCentredString(width / 2, baseline, line)
            baseline -= SMALL_SIZE + 2

    return draw


def footer_lines(text: str, width: float) -> list[str]:
    return [
        line
        for paragraph in clean(text).splitlines()
        for line in wrap_words(paragraph, FAMILY, SMALL_SIZE, width)
    ]


def draft_verification(canvas: Canvas, width: float, height: float) -> None:
    """Where the QR will be: a thin frame and a line saying when it comes."""
    canvas.setStrokeColor(colors.HexColor("#B4B4B4"))
    canvas.setLineWidth(0.6)
    canvas.setDash(2, 2)
    side = min(width, height)
    canvas.rect(0.5, height - side + 0.5, side - 1, side - 1, stroke=1, fill=0)
    canvas.setFillColor(MUTED)
    canvas.setFont(FAMILY, URL_SIZE + 1)
    baseline = height - side / 2 + URL_SIZE
    for line in wrap_words(DRAFT_VERIFICATION, FAMILY, URL_SIZE + 1, side - 8):
        canvas.drawCentredString(side / 2, baseline, line)
        baseline -= URL_SIZE + 2.5


def verification_drawer(url: str, qr_size: float) -> Draw:
    """The QR of the verification address at the box's top left, the address under it."""

    def draw(canvas: Canvas, width: float, height: float) -> None:
        modules = len(qr_matrix(url))
        module = qr_size / (modules + 2 * QR_QUIET_ZONE)
        rects = [f"{c} {modules - 1 - r} {n} 1 re" for r, c, n in qr_runs(url)]
        canvas.saveState()
        canvas.setFillColor(INK)
        offset = QR_QUIET_ZONE * module
        canvas.transform(module, 0, 0, module, offset, height - qr_size + offset)
        # Literal operators: the path API would format every rectangle's numbers in Python.
        canvas.addLiteral("\n".join(rects) + "\nf")
        canvas.restoreState()
        canvas.setFillColor(MUTED)
        canvas.setFont(FAMILY, URL_SIZE)
        baseline = height - qr_size - URL_SIZE - 1
        for line in char_lines(url, FAMILY, URL_SIZE, width):
            canvas.drawString(0, baseline, line)
            baseline -= URL_LEADING

    return draw


def field_text_drawer(value: str) -> Draw:
    """A number or date field's value, on the baseline of the words around the field."""

    def draw(canvas: Canvas, width: float, height: float) -> None:
        canvas.setFillColor(INK)
        canvas.setFont(FAMILY, FIELD_SIZE)
        canvas.drawString(0, FIELD_BASELINE, clean(value))

    return draw


def url_height(url: str, width: float) -> float:
    return len(char_lines(clean(url), FAMILY, URL_SIZE, width)) * URL_LEADING + 1


SIGNATURE_SIZE = 9


def signature_drawer(name: str, nip: str, date: str) -> Draw:
    """The visible electronic signature: who signed and when, left-aligned in its box."""

    def draw(canvas: Canvas, width: float, height: float) -> None:
        lines: list[tuple[str, str]] = [(FAMILY, "Ditandatangani secara elektronik")]
        lines += [(BOLD, line) for line in wrap_words(clean(name), BOLD, SIGNATURE_SIZE, width)]
        if clean(nip):
            lines.append((FAMILY, f"NIP. {clean(nip)}"))
        lines.append((FAMILY, clean(date)))
        leading = SIGNATURE_SIZE + 2
        baseline = (height + len(lines) * leading) / 2 - SIGNATURE_SIZE
        canvas.setFillColor(INK)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(0.5, 2, 0.5, height - 2)  # a rule at the left, as e-signature marks have
        for font, line in lines:
            size = fit_size(line, font, SIGNATURE_SIZE, width - 6, 5)
            canvas.setFont(font, size)
            canvas.drawString(6, baseline, line)
            baseline -= leading

    return draw


def paraf_drawer(initials: str) -> Draw:
    """A paraf: the initials, centred in their box, in the letter's italic."""

    def draw(canvas: Canvas, width: float, height: float) -> None:
        font = f"{FAMILY}-Italic"
        size = fit_size(clean(initials), font, 13, width - 6, 6)
        canvas.setFillColor(INK)
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, (height - size * 0.7) / 2, clean(initials))

    return draw
