"""A letter as a PDF on the office letterhead (reportlab): a pure function, no database.

The number and the date of a letter are only known when it is signed, so they are
AcroForm text fields here; the signing code fills them in an incremental update
that leaves earlier PAdES signatures (the parafs) intact.
"""

import functools
import itertools
import math
import re
import threading
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

Box = tuple[int, float, float, float, float]  # (page index from 0, x1, y1, x2, y2) in PDF points


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: government and office lines, address, emblem."""

    lines: list[str]
    address: str = ""
    website: str = ""
    email: str = ""
    logo: bytes | None = None


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs, as printed under the closing: place, position, name, NIP."""

    place: str
    title_lines: list[str]
    name: str
    nip: str = ""
    rank: str = ""


@dataclass(frozen=True, kw_only=True)
class LetterLayout:
    """Everything a letter prints, already worded; the renderer decides only where it goes.

    Keyword-only, so `signer` can stay required after the optional parts.
    """

    paper: str
    letterhead: Letterhead
    title: str
    number_prefix: str = "Nomor"
    meta: list[tuple[str, str]] = ()
    recipient: list[str] = ()
    opening: list[str] = ()
    fields: list[tuple[str, str]] = ()
    body: list[str] = ()
    closing: list[str] = ()
    attachment_title: str = ""
    table: tuple[list[str], list[list[str]]] | None = None
    parafs: list[str] = ()
    signer: SignatureBlock
    verify_url: str = ""
    footer: str = ""


@dataclass(frozen=True)
class RenderedLetter:
    """The PDF and where the signing code puts the visible signature, parafs and stamp."""

    pdf: bytes
    signature_box: Box
    paraf_boxes: dict[str, Box]
    stamp_box: Box


# The field filler writes with a standard-14 font, so the fields name one too.
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
DATE_FIELD_MIN_WIDTH = math.ceil(stringWidth("30 September 2026", FIELD_FONT, FIELD_SIZE)) + 8
# A usual number ("460/123/DINSOS/XII/2026") is about this wide: the "Nomor" line under a
# title is centred on it, so a filled letter looks centred rather than the blank draft.
TYPICAL_NUMBER_WIDTH = 150

PAPER_SIZES = {"A4": (210 * mm, 297 * mm), "F4": (215 * mm, 330 * mm)}
# Tata naskah dinas: about 2.5 cm left and right; the kop sits close to the top edge.
MARGIN_LEFT = MARGIN_RIGHT = 25 * mm
MARGIN_TOP_FIRST = 12 * mm
MARGIN_TOP_LATER = 22 * mm
MARGIN_BOTTOM = 20 * mm

# Streams (page text, font subsets) are stored uncompressed: zlib and ASCII85 in reportlab
# take about a fifth of a render (~3 ms) to save ~30 KB of a letter's ~80 KB.
COMPRESS_STREAMS = False

FONTS_DIR = Path(__file__).parent / "fonts"
FAMILY = "LayanSerif"
FAMILY_FILES = {
    FAMILY: "LiberationSerif-Regular.ttf",
    f"{FAMILY}-Bold": "LiberationSerif-Bold.ttf",
    f"{FAMILY}-Italic": "LiberationSerif-Italic.ttf",
    f"{FAMILY}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
BOLD = f"{FAMILY}-Bold"

FONT_SIZE = 12
LEADING = 15
SMALL_SIZE = 7
URL_SIZE = 6
TABLE_SIZE = 10

INK = colors.black
MUTED = colors.HexColor("#555555")
STAMP_GREY = colors.HexColor("#B4B4B4")
HEADER_FILL = colors.HexColor("#E6E6E6")

# The signature block: the space left for the visible signature, the stamp over its left part.
SIGNATURE_WIDTH = 180
SIGNATURE_HEIGHT = 60
SIGNATURE_SPACE = SIGNATURE_HEIGHT + 10
STAMP_DIAMETER = 35 * mm
STAMP_CENTRE_OFFSET = 40  # from the signature's left edge: a stamp covers the title's start
# The signature column starts at the page's middle, never left of this share of the width.
SIGNATURE_COLUMN_MIN = 0.4
TYPICAL_DATE = "30 September 2026"
QR_SIZE = 25 * mm
COLUMN_GAP = 24
PARAF_WIDTH = 46
PARAF_HEIGHT = 30
PARAF_GAP = 6
PARAF_LABEL_SIZE = 7
# Room for two label lines under each box, then the next row.
PARAF_LABEL_SPACE = 2 * PARAF_LABEL_SIZE + 4
PARAF_PITCH = PARAF_HEIGHT + PARAF_LABEL_SPACE


def _style(name: str, **options: object) -> ParagraphStyle:
    base: dict[str, object] = {"fontName": FAMILY, "fontSize": FONT_SIZE, "leading": LEADING}
    return ParagraphStyle(name, **{**base, **options})


PLAIN = _style("plain", alignment=TA_LEFT)
# No widow or orphan line: a paragraph split across pages keeps two lines on each side.
PARAGRAPH = _style(
    "paragraph",
    alignment=TA_JUSTIFY,
    firstLineIndent=36,
    spaceAfter=6,
    allowWidows=0,
    allowOrphans=0,
)
RECIPIENT_PLACE = _style("recipient place", leftIndent=24)
TITLE = _style("title", fontName=BOLD, fontSize=13, leading=16, alignment=TA_CENTER)
ATTACHMENT_TITLE = _style("attachment", fontName=BOLD, alignment=TA_CENTER, spaceAfter=10)

_fonts_lock = threading.Lock()
_fonts_ready = False


def _fonts_register() -> None:
    """Parse the shipped TTFs once per process; Paragraph's <b>/<i> need them as one family."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _fonts_lock:
        if _fonts_ready:
            return
        for name, filename in FAMILY_FILES.items():
            pdfmetrics.registerFont(TTFont(name, FONTS_DIR / filename))
        pdfmetrics.registerFontFamily(
            FAMILY,
            normal=FAMILY,
            bold=BOLD,
            italic=f"{FAMILY}-Italic",
            boldItalic=f"{FAMILY}-BoldItalic",
        )
        _fonts_ready = True


# Control characters would break Paragraph's XML parser or print as boxes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\t", " ")).strip()


def _markup(text: str) -> str:
    """Untrusted text made literal for Paragraph markup; newlines stay line breaks."""
    return escape(_clean(text)).replace("\n", "<br/>")


def _para(text: str, style: ParagraphStyle = PLAIN) -> Paragraph:
    return Paragraph(_markup(text), style)


def _fit_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest size up to `size` at which `text` fits `width` (kop lines must stay one line)."""
    natural = stringWidth(text, font, size)
    if natural <= width:
        return size
    return max(smallest, size * width / natural)


def _char_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text that has no spaces (a URL) at any character to fit `width`."""
    lines: list[str] = []
    start, used = 0, 0.0
    for index, char in enumerate(text):
        advance = stringWidth(char, font, size)
        if index > start and used + advance > width:
            lines.append(text[start:index])
            start, used = index, 0.0
        used += advance
    if start < len(text):
        lines.append(text[start:])
    return lines


@dataclass
class _Placement:
    """Where the signature block's boxes ended up; filled while the document is drawn."""

    signature: Box | None = None
    stamp: Box | None = None
    parafs: dict[str, Box] = field(default_factory=dict)


def _box_on(canvas: Canvas, x: float, y: float, width: float, height: float) -> Box:
    """A box given in the flowable's coordinates, in page coordinates."""
    x1, y1 = canvas.absolutePosition(x, y)
    x2, y2 = canvas.absolutePosition(x + width, y + height)
    return (canvas.getPageNumber() - 1, x1, y1, x2, y2)


def _draw_field(
    canvas: Canvas, name: str, x: float, baseline: float, width: float = FIELD_WIDTH
) -> None:
    """An empty text field whose text, once filled, sits on `baseline` like the words around it."""
    # reportlab draws the value FIELD_SIZE below the top of a borderless field, which is
    # FIELD_BASELINE above its bottom.
    canvas.acroForm.textfield(
        name=name,
        value=FIELD_PLACEHOLDER,
        x=x,
        y=baseline - FIELD_BASELINE,
        width=width,
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


class _Kop(Flowable):
    """The letterhead: emblem at the left, centred lines, a thick and a thin rule under them."""

    EMBLEM_WIDTH = 62
    EMBLEM_HEIGHT = 72
    RULE_SPACE = 10

    def __init__(self, letterhead: Letterhead) -> None:
        super().__init__()
        self.letterhead = letterhead
        self.rows = self._rows()

    def _rows(self) -> list[tuple[str, str, float]]:
        """(text, font, size) of each centred line, top to bottom."""
        head = self.letterhead
        names = [_clean(line) for line in head.lines if _clean(line)]
        rows = [(line.upper(), BOLD, 14.0) for line in names[:-1]]
        if names:
            rows.append((names[-1].upper(), BOLD, 17.0))
        if _clean(head.address):
            rows.append((_clean(head.address), FAMILY, 10.0))
        contacts = [
            f"{label} {_clean(value)}"
            for label, value in (("Laman:", head.website), ("Pos-el:", head.email))
            if _clean(value)
        ]
        if contacts:
            rows.append(("   ".join(contacts), FAMILY, 10.0))
        return rows

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        text_height = sum(size * 1.25 for _, _, size in self.rows)
        self.height = max(text_height, self.EMBLEM_HEIGHT) + self.RULE_SPACE
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        # Emblem and lines are both centred in the band above the rules.
        band = self.height - self.RULE_SPACE
        text_height = sum(size * 1.25 for _, _, size in self.rows)
        self._draw_emblem(self.RULE_SPACE + (band - self.EMBLEM_HEIGHT) / 2)
        # Centred on the page, but kept clear of the emblem on both sides.
        usable = self.width - 2 * (self.EMBLEM_WIDTH + 8)
        y = self.RULE_SPACE + (band + text_height) / 2
        canvas.setFillColor(INK)
        for text, font, size in self.rows:
            fitted = _fit_size(text, font, size, usable, 6)
            y -= size * 1.25
            canvas.setFont(font, fitted)
            canvas.drawCentredString(self.width / 2, y + size * 0.3, text)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(2.4)
        canvas.line(0, 4.6, self.width, 4.6)
        canvas.setLineWidth(0.8)
        canvas.line(0, 1.4, self.width, 1.4)

    def _draw_emblem(self, y: float) -> None:
        logo = self.letterhead.logo
        if logo:
            self.canv.drawImage(
                _image(logo),
                0,
                y,
                self.EMBLEM_WIDTH,
                self.EMBLEM_HEIGHT,
                preserveAspectRatio=True,
                anchor="c",
                mask="auto",
            )
        else:
            _draw_shield(self.canv, 0, y, self.EMBLEM_WIDTH, self.EMBLEM_HEIGHT)


_images: dict[bytes, ImageReader] = {}


def _image(data: bytes) -> ImageReader:
    """One decoded reader per emblem: offices reuse theirs for every letter."""
    reader = _images.get(data)
    if reader is None:
        if len(_images) > 32:
            _images.clear()
        reader = _images[data] = ImageReader(BytesIO(data))
    return reader


def _shield_path(canvas: Canvas, x: float, y: float, width: float, height: float):
    path = canvas.beginPath()
    path.moveTo(x, y + height)
    path.lineTo(x + width, y + height)
    path.lineTo(x + width, y + height * 0.45)
    path.curveTo(x + width, y + height * 0.2, x + width * 0.7, y + height * 0.08, x + width / 2, y)
    path.curveTo(x + width * 0.3, y + height * 0.08, x, y + height * 0.2, x, y + height * 0.45)
    path.close()
    return path


def _draw_shield(canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
    """A neutral emblem for an office without a logo: a shield with a star, in grey."""
    canvas.saveState()
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(1.6)
    canvas.drawPath(_shield_path(canvas, x + 4, y + 2, width - 8, height - 4), fill=0)
    canvas.setLineWidth(0.6)
    canvas.drawPath(_shield_path(canvas, x + 9, y + 8, width - 18, height - 14), fill=0)
    canvas.setFillColor(MUTED)
    star = canvas.beginPath()
    centre_x, centre_y, outer = x + width / 2, y + height * 0.6, width * 0.17
    for point in range(10):
        radius = outer if point % 2 == 0 else outer * 0.42
        angle = math.pi / 2 + point * math.pi / 5
        px, py = centre_x + radius * math.cos(angle), centre_y + radius * math.sin(angle)
        if point == 0:
            star.moveTo(px, py)
        else:
            star.lineTo(px, py)
    star.close()
    canvas.drawPath(star, stroke=0, fill=1)
    canvas.restoreState()


class _NumberLine(Flowable):
    """ "Nomor : <field>" centred under the title."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.label = f"{_clean(prefix)} : "

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
        _draw_field(self.canv, FIELD_NUMBER, x + label_width, baseline)


class _FieldCell(Flowable):
    """The number field as a table cell, so it lines up with the meta rows under it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = min(FIELD_WIDTH, available_width)
        self.height = LEADING
        return self.width, self.height

    def draw(self) -> None:
        _draw_field(self.canv, self.name, 0, self.height - FONT_SIZE)


class _ColonRows(Flowable):
    """Label, colon, value rows with the colons aligned; long values wrap in their column.

    Drawn directly rather than as a Table: a letter has a few of these and Table's
    general machinery was a tenth of a render.
    """

    ROW_GAP = 1
    COLON_WIDTH = 10

    def __init__(
        self,
        rows: list[tuple[str, Flowable | str]],
        indent: float = 0,
        label_width: float | None = None,
    ) -> None:
        super().__init__()
        self.rows = [
            (_clean(label), value if isinstance(value, Flowable) else _para(value))
            for label, value in rows
        ]
        self.indent = indent
        self.label_width = label_width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        if self.label_width is None:
            longest = max(stringWidth(label, FAMILY, FONT_SIZE) for label, _ in self.rows)
            self.label_width = min(longest + 6, (available_width - self.indent) * 0.4)
        value_width = available_width - self.indent - self.label_width - self.COLON_WIDTH
        self.laid_out = []
        for label, value in self.rows:
            lines = _wrap_words(label, FAMILY, FONT_SIZE, self.label_width - 4)
            _, value_height = value.wrap(value_width, available_height)
            height = max(len(lines) * LEADING, value_height) + self.ROW_GAP
            self.laid_out.append((lines, value, value_height, height))
        self.height = sum(row[-1] for row in self.laid_out)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        used, count = 0.0, 0
        for *_, height in self.laid_out:
            if used + height > available_height:
                break
            used, count = used + height, count + 1
        if count == 0 or count == len(self.rows):
            return []
        return [
            _ColonRows(self.rows[:count], self.indent, self.label_width),
            _ColonRows(self.rows[count:], self.indent, self.label_width),
        ]

    def draw(self) -> None:
        canvas = self.canv
        colon_x = self.indent + self.label_width
        top = self.height
        for lines, value, value_height, height in self.laid_out:
            canvas.setFillColor(INK)
            canvas.setFont(FAMILY, FONT_SIZE)
            baseline = top - FONT_SIZE
            canvas.drawString(colon_x, baseline, ":")
            for line in lines:
                canvas.drawString(self.indent, baseline, line)
                baseline -= LEADING
            value.drawOn(canvas, colon_x + self.COLON_WIDTH, top - value_height)
            top -= height


class _SignatureBlock(Flowable):
    """Signature at the right half; QR and paraf boxes at the left; the stamp over the signature.

    Records where its boxes land, because the signing code draws into them later.
    """

    def __init__(self, layout: LetterLayout, placement: _Placement) -> None:
        super().__init__()
        self.signer = layout.signer
        self.parafs = list(layout.parafs)
        self.verify_url = _clean(layout.verify_url)
        self.placement = placement

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.column_x = self._column_x(available_width)
        right_width = available_width - self.column_x
        left_width = self.column_x - COLUMN_GAP
        self.titles = [
            line
            for title in self.signer.title_lines
            for line in _wrap_words(_clean(title), FAMILY, FONT_SIZE, right_width)
        ]
        self.names = _wrap_words(_clean(self.signer.name), BOLD, FONT_SIZE, right_width)
        self.under_name = [
            line for line in (_clean(self.signer.rank), _nip_line(self.signer.nip)) if line
        ]
        right_lines = 1 + len(self.titles) + len(self.names) + len(self.under_name)
        right_height = right_lines * LEADING + SIGNATURE_SPACE
        self.url_lines = (
            _char_lines(self.verify_url, FAMILY, URL_SIZE, left_width) if self.verify_url else []
        )
        self.paraf_rows = _paraf_rows(self.parafs, left_width)
        self.height = max(right_height, self._left_height())
        return self.width, self.height

    def _column_x(self, width: float) -> float:
        """The right half, or a little more when a long name or title would otherwise wrap."""
        signer = self.signer
        widths = [
            stringWidth(f"{_clean(signer.place)}, {TYPICAL_DATE}", FAMILY, FONT_SIZE),
            stringWidth(_clean(signer.name), BOLD, FONT_SIZE),
            *(stringWidth(_clean(line), FAMILY, FONT_SIZE) for line in signer.title_lines),
        ]
        return max(width * SIGNATURE_COLUMN_MIN, min(width / 2, width - max(widths)))

    def _left_height(self) -> float:
        qr = QR_SIZE + len(self.url_lines) * (URL_SIZE + 1.5) + 8 if self.verify_url else 0
        parafs = 12 + len(self.paraf_rows) * PARAF_PITCH if self.paraf_rows else 0
        return qr + parafs

    def draw(self) -> None:
        self._draw_signer()
        if self.verify_url:
            self._draw_qr()
        if self.paraf_rows:
            self._draw_parafs()

    def _draw_signer(self) -> None:
        canvas, x = self.canv, self.column_x
        canvas.setFillColor(INK)
        canvas.setFont(FAMILY, FONT_SIZE)
        baseline = self.height - FONT_SIZE
        place = f"{_clean(self.signer.place)}, "
        canvas.drawString(x, baseline, place)
        field_x = x + stringWidth(place, FAMILY, FONT_SIZE)
        # The field may reach into the right margin, but not off the paper after a long place.
        room = self.width + MARGIN_RIGHT - FIELD_EDGE - field_x
        width = max(min(FIELD_WIDTH, room), DATE_FIELD_MIN_WIDTH)
        _draw_field(canvas, FIELD_DATE, field_x, baseline, width)
        for line in self.titles:
            baseline -= LEADING
            canvas.drawString(x, baseline, line)
        signature_top = baseline - (LEADING - FONT_SIZE) - (SIGNATURE_SPACE - SIGNATURE_HEIGHT) / 2
        signature_y = signature_top - SIGNATURE_HEIGHT
        self.placement.signature = _box_on(
            canvas, x, signature_y, SIGNATURE_WIDTH, SIGNATURE_HEIGHT
        )
        self._draw_stamp(x + STAMP_CENTRE_OFFSET, signature_y + SIGNATURE_HEIGHT / 2)
        baseline -= SIGNATURE_SPACE
        canvas.setFillColor(INK)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        for line in self.names:
            baseline -= LEADING
            canvas.setFont(BOLD, FONT_SIZE)
            canvas.drawString(x, baseline, line)
            canvas.line(x, baseline - 1.6, x + stringWidth(line, BOLD, FONT_SIZE), baseline - 1.6)
        canvas.setFont(FAMILY, FONT_SIZE)
        for line in self.under_name:
            baseline -= LEADING
            canvas.drawString(x, baseline, line)

    def _draw_stamp(self, centre_x: float, centre_y: float) -> None:
        """Where the office stamp goes: a dashed circle, light enough not to look like one."""
        canvas, radius = self.canv, STAMP_DIAMETER / 2
        canvas.saveState()
        canvas.setStrokeColor(STAMP_GREY)
        canvas.setFillColor(STAMP_GREY)
        canvas.setLineWidth(0.7)
        canvas.setDash(3, 3)
        canvas.circle(centre_x, centre_y, radius, stroke=1, fill=0)
        canvas.setFont(FAMILY, 8)
        canvas.drawCentredString(centre_x, centre_y - 3, "tempat stempel")
        canvas.restoreState()
        self.placement.stamp = _box_on(
            canvas, centre_x - radius, centre_y - radius, STAMP_DIAMETER, STAMP_DIAMETER
        )

    def _draw_qr(self) -> None:
        canvas = self.canv
        top = self.height
        _draw_qr(canvas, self.verify_url, 0, top - QR_SIZE, QR_SIZE)
        canvas.setFillColor(MUTED)
        canvas.setFont(FAMILY, URL_SIZE)
        baseline = top - QR_SIZE - URL_SIZE - 1
        for line in self.url_lines:
            canvas.drawString(0, baseline, line)
            baseline -= URL_SIZE + 1.5

    def _draw_parafs(self) -> None:
        """ "Paraf:" and one box per label, a label under each box, rows from the block's foot."""
        canvas = self.canv
        rows_height = len(self.paraf_rows) * PARAF_PITCH
        canvas.setFillColor(INK)
        canvas.setFont(FAMILY, 9)
        canvas.drawString(0, rows_height + 3, "Paraf:")
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6)
        for index, row in enumerate(self.paraf_rows):
            y = rows_height - (index + 1) * PARAF_PITCH + PARAF_LABEL_SPACE
            for column, label in enumerate(row):
                x = column * (PARAF_WIDTH + PARAF_GAP)
                canvas.rect(x, y, PARAF_WIDTH, PARAF_HEIGHT, stroke=1, fill=0)
                self._draw_paraf_label(_clean(label), x + PARAF_WIDTH / 2, y)
                self.placement.parafs[label] = _box_on(canvas, x, y, PARAF_WIDTH, PARAF_HEIGHT)

    def _draw_paraf_label(self, label: str, centre: float, box_y: float) -> None:
        """Under the box on two lines at most; a label longer than that gets smaller."""
        width = PARAF_WIDTH + PARAF_GAP - 2
        lines = _wrap_words(label, FAMILY, PARAF_LABEL_SIZE, width)
        if len(lines) > 2:
            lines = [" ".join(lines[: len(lines) // 2]), " ".join(lines[len(lines) // 2 :])]
        size = min(_fit_size(line, FAMILY, PARAF_LABEL_SIZE, width, 4) for line in lines)
        self.canv.setFont(FAMILY, size)
        baseline = box_y - size - 1
        for line in lines:
            self.canv.drawCentredString(centre, baseline, line)
            baseline -= size + 0.5


def _nip_line(nip: str) -> str:
    return f"NIP. {_clean(nip)}" if _clean(nip) else ""


def _wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most `width`; a single word longer than that is broken at characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _char_lines(word, font, size, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines or [""]


def _paraf_rows(labels: list[str], width: float) -> list[list[str]]:
    per_row = max(1, int((width + PARAF_GAP) // (PARAF_WIDTH + PARAF_GAP)))
    return [labels[start : start + per_row] for start in range(0, len(labels), per_row)]


# reportlab rebuilds the Reed-Solomon generator polynomial (26 polynomial products in
# pure Python) for every code it encodes; it depends only on the number of error
# correction codewords and is never modified, so one per length is kept.
qrencoder.QRUtil.getErrorCorrectPolynomial = staticmethod(
    functools.lru_cache(maxsize=64)(qrencoder.QRUtil.getErrorCorrectPolynomial)
)


class _FastMaskQr(qrencoder.QRCode):
    """reportlab's QR encoder, choosing the mask with a quicker scoring of the same rules.

    reportlab lays out and scores each of the eight masks in pure Python (~13 ms a code).
    Here the code is laid out once; each mask is then an XOR over its data modules, and
    the scoring runs on bytes and integers: well under 2 ms for all eight.
    """

    def getBestMaskPattern(self) -> int:  # reportlab's method name
        self.makeImpl(True, 0)
        size = self.moduleCount
        unmasked = [
            row ^ flip
            for row, flip in zip(_bit_rows(self.modules), _mask_flips(self)[0], strict=True)
        ]
        scores = [
            (
                _mask_penalty(
                    [row ^ flip for row, flip in zip(unmasked, flips, strict=True)], size
                ),
                pattern,
            )
            for pattern, flips in enumerate(_mask_flips(self))
        ]
        return min(scores)[1]


_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bit_rows(modules: list[list[bool]]) -> list[int]:
    """Each row as an integer, the first column in the highest bit."""
    return [int(bytes(row).translate(_AS_DIGITS), 2) for row in modules]


_flips_by_version: dict[int, tuple[tuple[int, ...], ...]] = {}


def _mask_flips(code: qrencoder.QRCode) -> tuple[tuple[int, ...], ...]:
    """Per mask, per row: the data modules that mask darkens or lightens (fixed per version)."""
    flips = _flips_by_version.get(code.version)
    if flips is None:
        size = code.moduleCount
        positions = code.dataPosIterator()
        per_mask = []
        for pattern in range(8):
            mask = qrencoder.QRUtil.getMask(pattern)
            rows = [0] * size
            for column, row in positions:
                if mask(row, column):
                    rows[row] |= 1 << (size - 1 - column)
            per_mask.append(tuple(rows))
        flips = _flips_by_version[code.version] = tuple(per_mask)
    return flips


# Two simple patterns scan faster than one with an alternation.
_LONG_RUNS = (re.compile(rb"0{5,}"), re.compile(rb"1{5,}"))
_FINDER_LIKE = (b"10111010000", b"00001011101")


def _mask_penalty(bits: list[int], size: int) -> int:
    """The four penalty rules of ISO/IEC 18004 (runs, blocks, finder-like, balance)."""
    rows = [format(row, f"0{size}b").encode() for row in bits]
    columns = [bytes(column) for column in zip(*rows, strict=True)]
    # One pass over all lines at once; the separator keeps runs from crossing lines.
    lines = b"|".join(rows + columns)
    runs = [run for pattern in _LONG_RUNS for run in pattern.findall(lines)]
    score = sum(len(run) for run in runs) - 2 * len(runs)
    score += 40 * (lines.count(_FINDER_LIKE[0]) + lines.count(_FINDER_LIKE[1]))
    pair_mask = (1 << (size - 1)) - 1
    for upper, lower in itertools.pairwise(bits):
        # A 2x2 block of one colour: equal down here and in the next column, equal across.
        same = ~(upper ^ lower)
        blocks = same & (same >> 1) & ~(upper ^ (upper >> 1)) & pair_mask
        score += 3 * blocks.bit_count()
    dark = sum(row.bit_count() for row in bits)
    score += 10 * int(abs(dark * 100 / (size * size) - 50) // 5)
    return score


@functools.lru_cache(maxsize=256)
def _qr_rows(value: str) -> tuple[bytes, ...]:
    """The code's modules, a row of b"0"/b"1" each; a reprinted letter reuses its code."""
    code = _FastMaskQr(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    return tuple(bytes(row).translate(_AS_DIGITS) for row in code.modules)


_DARK_RUN = re.compile(rb"1+")


def _draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """The code drawn in module units, one rectangle per dark run and a single fill.

    Written as literal operators: through the path API every number goes through
    reportlab's pure-Python number formatting, which costs more than the encoding.
    """
    rows = _qr_rows(value)
    quiet = 2
    module = size / (len(rows) + 2 * quiet)
    height = len(rows)
    runs = [
        f"{run.start()} {height - 1 - index} {run.end() - run.start()} 1 re"
        for index, row in enumerate(rows)
        for run in _DARK_RUN.finditer(row)
    ]
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.transform(module, 0, 0, module, x + quiet * module, y + quiet * module)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


def _column_widths(natural: list[float], width: float) -> list[float]:
    """Each column as wide as its longest cell; the widest ones give way (and wrap) when the
    page is too narrow, and spare room is shared out when it is wide."""
    total = sum(natural)
    if total <= width:
        return [value * width / total for value in natural]
    widths = list(natural)
    fixed = 0.0
    flexible = list(range(len(natural)))
    # Columns narrower than a fair share keep their width; the rest split what is left.
    while flexible:
        share = (width - fixed) / len(flexible)
        narrow = [index for index in flexible if natural[index] <= share]
        if not narrow:
            break
        for index in narrow:
            fixed += natural[index]
            flexible.remove(index)
    if flexible:
        wide_total = sum(natural[index] for index in flexible)
        for index in flexible:
            widths[index] = (width - fixed) * natural[index] / wide_total
    return widths


CELL_PADDING = 4
CELL_TOP = 2
CELL_BOTTOM = 3
TABLE_LEADING = 12


def _cell_lines(text: str, font: str, room: float) -> list[str]:
    return [
        line
        for paragraph in text.split("\n")
        for line in _wrap_words(paragraph, font, TABLE_SIZE, room)
    ]


def _row_height(cells: list[list[str]]) -> float:
    return max(len(lines) for lines in cells) * TABLE_LEADING + CELL_TOP + CELL_BOTTOM


class _ListTable(Flowable):
    """The attached list: a grid whose header row is repeated on every page it spans.

    Each page is one text object and one grid path. reportlab's Table drew each of the
    hundreds of cells on its own and was most of a batch letter's render time.
    """

    def __init__(
        self, header: list[list[str]], rows: list[list[list[str]]], widths: list[float]
    ) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.header_height = _row_height(header)
        self.row_heights = [_row_height(row) for row in rows]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self.row_heights)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self.header_height
        count = 0
        for height in self.row_heights:
            if height > room:
                break
            room -= height
            count += 1
        if count == 0 or count == len(self.rows):
            return []
        return [
            _ListTable(self.header, self.rows[:count], self.widths),
            _ListTable(self.header, self.rows[count:], self.widths),
        ]

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(HEADER_FILL)
        canvas.rect(0, self.height - self.header_height, self.width, self.header_height, 0, 1)
        self._draw_grid()
        text = canvas.beginText()
        text.setFillColor(INK)
        text.setFont(BOLD, TABLE_SIZE, TABLE_LEADING)
        self._add_row(text, self.header, self.height)
        text.setFont(FAMILY, TABLE_SIZE, TABLE_LEADING)
        top = self.height - self.header_height
        for row, height in zip(self.rows, self.row_heights, strict=True):
            self._add_row(text, row, top)
            top -= height
        canvas.drawText(text)

    def _add_row(self, text, cells: list[list[str]], top: float) -> None:
        x = CELL_PADDING
        for lines, width in zip(cells, self.widths, strict=True):
            baseline = top - CELL_TOP - TABLE_SIZE
            for line in lines:
                if line:
                    text.setTextOrigin(x, baseline)
                    text.textOut(line)
                baseline -= TABLE_LEADING
            x += width

    def _draw_grid(self) -> None:
        canvas = self.canv
        path = canvas.beginPath()
        y = self.height
        for height in [self.header_height, *self.row_heights, 0]:
            path.moveTo(0, y)
            path.lineTo(self.width, y)
            y -= height
        x = 0.0
        for width in [*self.widths, 0]:
            path.moveTo(x, 0)
            path.lineTo(x, self.height)
            x += width
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.5)
        canvas.drawPath(path, stroke=1, fill=0)


def _table_check(headers: list[str], rows: list[list[str]]) -> None:
    """A list without headers, or a row with more cells than headers, would lose data."""
    if not headers:
        raise ValueError("the attached table needs column headers")
    for number, row in enumerate(rows, start=1):
        if len(row) > len(headers):
            raise ValueError(f"table row {number} has {len(row)} cells for {len(headers)} columns")


def _batch_table(headers: list[str], rows: list[list[str]], width: float) -> _ListTable:
    """The attached list with columns as wide as their content allows; long cells wrap."""
    cells = [[_clean(cell) for cell in [*row, *[""] * (len(headers) - len(row))]] for row in rows]
    # Each text is measured once: it decides both the column widths and which cells wrap.
    measured = [[stringWidth(cell, FAMILY, TABLE_SIZE) for cell in row] for row in cells]
    natural = [stringWidth(_clean(header), BOLD, TABLE_SIZE) for header in headers]
    for row in measured:
        natural = [max(pair) for pair in zip(natural, row, strict=True)]
    widths = _column_widths([value + 2 * CELL_PADDING for value in natural], width)
    room = [column - 2 * CELL_PADDING for column in widths]
    header = [_cell_lines(_clean(text), BOLD, room[index]) for index, text in enumerate(headers)]
    lines = [
        [
            _cell_lines(cell, FAMILY, room[index]) if cell_width > room[index] else [cell]
            for index, (cell, cell_width) in enumerate(zip(row, row_widths, strict=True))
        ]
        for row, row_widths in zip(cells, measured, strict=True)
    ]
    return _ListTable(header, lines, widths)


def _heading(layout: LetterLayout) -> list[Flowable]:
    """Title and number (a certificate-like letter) or number and meta rows (an official one)."""
    meta = [(label, value) for label, value in layout.meta]
    if _clean(layout.title):
        title = Paragraph(f"<u>{_markup(layout.title)}</u>", TITLE)
        parts: list[Flowable] = [title, _NumberLine(layout.number_prefix), Spacer(0, 12)]
        if meta:
            parts += [_ColonRows(meta), Spacer(0, 12)]
        return parts
    rows: list[tuple[str, Flowable | str]] = [
        (layout.number_prefix, _FieldCell(FIELD_NUMBER)),
        *meta,
    ]
    return [_ColonRows(rows), Spacer(0, 14)]


# "di -" is followed by the place, indented under it, as letters write the address.
_AT_PLACE = re.compile(r"^di\s*-?$", re.IGNORECASE)


def _recipient(lines: list[str]) -> list[Flowable]:
    """The "Kepada Yth." block, a paragraph per line so a long line wraps on its own."""
    block: list[Flowable] = []
    indent = False
    for line in (_clean(line) for line in lines):
        if line:
            block.append(Paragraph(_markup(line), RECIPIENT_PLACE if indent else PLAIN))
            indent = bool(_AT_PLACE.match(line))
    return block


def _paragraphs(texts: list[str]) -> list[Flowable]:
    return [Paragraph(_markup(text), PARAGRAPH) for text in texts if _clean(text)]


def _story(layout: LetterLayout, width: float, placement: _Placement) -> list[Flowable]:
    story: list[Flowable] = [_Kop(layout.letterhead), Spacer(0, 14), *_heading(layout)]
    recipient = _recipient(layout.recipient)
    if recipient:
        story += [*recipient, Spacer(0, 14)]
    story += _paragraphs(layout.opening)
    if layout.fields:
        story += [_ColonRows(list(layout.fields), indent=36), Spacer(0, 8)]
    story += _paragraphs(layout.body)
    # The closing and the signature travel together, so a signature never sits alone.
    story.append(
        KeepTogether(
            [*_paragraphs(layout.closing), Spacer(0, 16), _SignatureBlock(layout, placement)]
        )
    )
    if layout.table is not None:
        headers, rows = layout.table
        story.append(PageBreak())
        if _clean(layout.attachment_title):
            story.append(Paragraph(_markup(layout.attachment_title), ATTACHMENT_TITLE))
        reference = [
            ("Lampiran surat nomor", _FieldCell(FIELD_ATTACHMENT_NUMBER)),
            ("Tanggal", _FieldCell(FIELD_ATTACHMENT_DATE)),
        ]
        story += [_ColonRows(reference), Spacer(0, 8)]
        story.append(_batch_table(list(headers), [list(row) for row in rows], width))
    elif _clean(layout.attachment_title):
        story += [Spacer(0, 12), _para(layout.attachment_title)]
    return story


def _page_size(paper: str) -> tuple[float, float]:
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        raise ValueError(
            f"unknown paper size {paper!r}; expected one of {', '.join(PAPER_SIZES)}"
        ) from None


def _footer_lines(footer: str, width: float) -> list[str]:
    return [
        line
        for paragraph in _clean(footer).splitlines()
        for line in _wrap_words(paragraph, FAMILY, SMALL_SIZE, width)
    ]


def _decorate(footer_lines: list[str], page: tuple[float, float]):
    """The page decoration: the footer on every page, the page number from page 2 on."""

    page_width, page_height = page

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(FAMILY, SMALL_SIZE)
        y = MARGIN_BOTTOM - 8
        for line in footer_lines:
            canvas.drawCentredString(page_width / 2, y, line)
            y -= SMALL_SIZE + 2
        number = canvas.getPageNumber()
        if number > 1:
            canvas.setFillColor(INK)
            canvas.setFont(FAMILY, 10)
            canvas.drawCentredString(page_width / 2, page_height - 14 * mm, f"- {number} -")
        canvas.restoreState()

    return draw


def _document(output: BytesIO, layout: LetterLayout, page: tuple[float, float]) -> BaseDocTemplate:
    page_width, page_height = page
    width = page_width - MARGIN_LEFT - MARGIN_RIGHT
    footer = _footer_lines(layout.footer, width)
    bottom = MARGIN_BOTTOM + max(0, len(footer) - 1) * (SMALL_SIZE + 2)
    decorate = _decorate(footer, page)

    def frame(top: float, name: str) -> Frame:
        return Frame(
            MARGIN_LEFT,
            bottom,
            width,
            page_height - top - bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )

    doc = BaseDocTemplate(
        output,
        pagesize=page,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP_FIRST,
        bottomMargin=bottom,
        title=_clean(layout.title) or "Surat",
        author=_clean(layout.letterhead.lines[-1]) if layout.letterhead.lines else "",
        creator="Layan",
        producer="Layan",
        invariant=1,
        pageCompression=COMPRESS_STREAMS,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "first",
                [frame(MARGIN_TOP_FIRST, "first")],
                onPage=decorate,
                autoNextPageTemplate="later",
            ),
            PageTemplate("later", [frame(MARGIN_TOP_LATER, "later")], onPage=decorate),
        ]
    )
    return doc


def letter_render(layout: LetterLayout) -> RenderedLetter:
    """The letter's PDF, with empty number and date fields, and where its signing boxes are."""
    # Labels key the paraf boxes, and two boxes with one printed label would be ambiguous.
    labels = [_clean(label) for label in layout.parafs]
    if len(set(labels)) != len(labels):
        raise ValueError(f"paraf labels must be distinct: {list(layout.parafs)!r}")
    if layout.table is not None:
        _table_check(*layout.table)
    page = _page_size(layout.paper)
    _fonts_register()
    output = BytesIO()
    doc = _document(output, layout, page)
    placement = _Placement()
    doc.build(_story(layout, doc.width, placement))
    assert placement.signature is not None and placement.stamp is not None
    return RenderedLetter(
        pdf=output.getvalue(),
        signature_box=placement.signature,
        paraf_boxes=dict(placement.parafs),
        stamp_box=placement.stamp,
    )
