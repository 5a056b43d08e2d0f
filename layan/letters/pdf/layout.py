"""The letter as a whole: its parts in reading order, the page and its margins, the render.

`letter_render` is the one entry point; the kop, the signature block, the fields and
the attached list are drawn by their own modules.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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

from layan.letters.pdf.appearance import (
    DRAFT_FOOTER,
    FOOTER_FIELD,
    VERIFICATION_FIELD,
    WATERMARK_FIELD,
    draft_verification,
    draw_watermark,
    footer_drawer,
    footer_lines,
    page_field,
)
from layan.letters.pdf.fields import (
    FIELD_ATTACHMENT_DATE,
    FIELD_ATTACHMENT_NUMBER,
    FIELD_NUMBER,
    FieldCell,
    NumberLine,
)
from layan.letters.pdf.letterhead import Kop, Letterhead
from layan.letters.pdf.signature import Box, Placement, SignatureBlock, SignatureColumns
from layan.letters.pdf.swapped import SwappedField, fields_add
from layan.letters.pdf.table import batch_table, table_check
from layan.letters.pdf.typography import (
    BOLD,
    FAMILY,
    FONT_SIZE,
    INK,
    LEADING,
    PLAIN,
    SMALL_SIZE,
    clean,
    fonts_register,
    markup,
    para,
    style,
    wrap_words,
)


@dataclass(frozen=True, kw_only=True)
class LetterLayout:
    """Everything a letter prints, already worded; the renderer decides only where it goes.

    Keyword-only, so `signer` can stay required after the optional parts.
    """

    paper: str
    letterhead: Letterhead
    title: str
    number_prefix: str = "Nomor"
    meta: Sequence[tuple[str, str]] = ()
    recipient: Sequence[str] = ()
    opening: Sequence[str] = ()
    fields: Sequence[tuple[str, str]] = ()
    body: Sequence[str] = ()
    closing: Sequence[str] = ()
    attachment_title: str = ""
    table: tuple[list[str], list[list[str]]] | None = None
    parafs: Sequence[str] = ()
    signer: SignatureBlock
    verify_url: str = ""
    # The footer of the issued letter; a draft's says it is not signed yet.
    footer: str = ""


@dataclass(frozen=True)
class RenderedLetter:
    """The draft's PDF, and where the signing code puts the signature, parafs, QR, footer.

    The draft carries the DRAF watermark, a footer saying it is not signed and no QR:
    the signing swaps those fields' looks (`appearance`, `swapped`).
    """

    pdf: bytes
    signature_box: Box
    paraf_boxes: dict[str, Box]
    stamp_box: Box
    verification_box: Box | None = None
    footer_boxes: tuple[Box, ...] = ()
    pages: int = 1


PAPER_SIZES = {"A4": (210 * mm, 297 * mm), "F4": (215 * mm, 330 * mm)}
# Tata naskah dinas: about 2.5 cm left and right; the kop sits close to the top edge.
MARGIN_LEFT = MARGIN_RIGHT = 25 * mm
MARGIN_TOP_FIRST = 12 * mm
MARGIN_TOP_LATER = 22 * mm
MARGIN_BOTTOM = 20 * mm

# Streams (page text, font subsets) are stored uncompressed: compressing them costs more
# render time than the bytes it saves are worth (docs/design/letters.md).
COMPRESS_STREAMS = False

# No widow or orphan line: a paragraph split across pages keeps two lines on each side.
PARAGRAPH = style(
    "paragraph",
    alignment=TA_JUSTIFY,
    firstLineIndent=36,
    spaceAfter=6,
    allowWidows=0,
    allowOrphans=0,
)
RECIPIENT_PLACE = style("recipient place", leftIndent=24)
TITLE = style("title", fontName=BOLD, fontSize=13, leading=16, alignment=TA_CENTER)
ATTACHMENT_TITLE = style("attachment", fontName=BOLD, alignment=TA_CENTER, spaceAfter=10)


class _ColonRows(Flowable):
    """Label, colon, value rows with the colons aligned; long values wrap in their column.

    Drawn directly rather than as a Table, whose general machinery costs more than these
    few rows need (docs/design/letters.md).
    """

    ROW_GAP = 1
    COLON_WIDTH = 10

    def __init__(
        self,
        rows: Sequence[tuple[str, Flowable | str]],
        indent: float = 0,
        label_width: float | None = None,
    ) -> None:
        super().__init__()
        self.rows = [
            (clean(label), value if isinstance(value, Flowable) else para(value))
            for label, value in rows
        ]
        self.indent = indent
        self.label_width: float | None = label_width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        if self.label_width is None:
            longest = max(stringWidth(label, FAMILY, FONT_SIZE) for label, _ in self.rows)
            self.label_width = min(longest + 6, (available_width - self.indent) * 0.4)
        value_width = available_width - self.indent - self.label_width - self.COLON_WIDTH
        self.laid_out = []
        for label, value in self.rows:
            lines = wrap_words(label, FAMILY, FONT_SIZE, self.label_width - 4)
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
        assert self.label_width is not None  # set by wrap(), which platypus calls first
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


def _heading(layout: LetterLayout) -> list[Flowable]:
    """Title and number (a certificate-like letter) or number and meta rows (an official one)."""
    meta = [(label, value) for label, value in layout.meta]
    if clean(layout.title):
        title = Paragraph(f"<u>{markup(layout.title)}</u>", TITLE)
        parts: list[Flowable] = [title, NumberLine(layout.number_prefix), Spacer(0, 12)]
        if meta:
            parts += [_ColonRows(meta), Spacer(0, 12)]
        return parts
    rows: list[tuple[str, Flowable | str]] = [
        (layout.number_prefix, FieldCell(FIELD_NUMBER)),
        *meta,
    ]
    return [_ColonRows(rows), Spacer(0, 14)]


# "di -" is followed by the place, indented under it, as letters write the address.
_AT_PLACE = re.compile(r"^di\s*-?$", re.IGNORECASE)


def _recipient(lines: Sequence[str]) -> list[Flowable]:
    """The "Kepada Yth." block, a paragraph per line so a long line wraps on its own."""
    block: list[Flowable] = []
    indent = False
    for line in (clean(line) for line in lines):
        if line:
            block.append(Paragraph(markup(line), RECIPIENT_PLACE if indent else PLAIN))
            indent = bool(_AT_PLACE.match(line))
    return block


def _paragraphs(texts: Sequence[str]) -> list[Flowable]:
    return [Paragraph(markup(text), PARAGRAPH) for text in texts if clean(text)]


def _story(layout: LetterLayout, width: float, placement: Placement) -> list[Flowable]:
    story: list[Flowable] = [Kop(layout.letterhead), Spacer(0, 14), *_heading(layout)]
    recipient = _recipient(layout.recipient)
    if recipient:
        story += [*recipient, Spacer(0, 14)]
    story += _paragraphs(layout.opening)
    if layout.fields:
        story += [_ColonRows(list(layout.fields), indent=36), Spacer(0, 8)]
    story += _paragraphs(layout.body)
    # The closing and the signature travel together, so a signature never sits alone.
    signature = SignatureColumns(
        layout.signer,
        list(layout.parafs),
        layout.verify_url,
        placement,
        margin_right=MARGIN_RIGHT,
    )
    story.append(KeepTogether([*_paragraphs(layout.closing), Spacer(0, 16), signature]))
    if layout.table is not None:
        headers, rows = layout.table
        story.append(PageBreak())
        if clean(layout.attachment_title):
            story.append(Paragraph(markup(layout.attachment_title), ATTACHMENT_TITLE))
        reference = [
            ("Lampiran surat nomor", FieldCell(FIELD_ATTACHMENT_NUMBER)),
            ("Tanggal", FieldCell(FIELD_ATTACHMENT_DATE)),
        ]
        story += [_ColonRows(reference), Spacer(0, 8)]
        story.append(batch_table(list(headers), [list(row) for row in rows], width))
    elif clean(layout.attachment_title):
        story += [Spacer(0, 12), para(layout.attachment_title)]
    return story


def _page_size(paper: str) -> tuple[float, float]:
    try:
        return PAPER_SIZES[paper]
    except KeyError:
        raise ValueError(
            f"unknown paper size {paper!r}; expected one of {', '.join(PAPER_SIZES)}"
        ) from None


def _footer_height(layout: LetterLayout, width: float) -> int:
    """Lines the footer needs: the draft's or the issued letter's, whichever is longer."""
    return max(len(footer_lines(layout.footer, width)), len(footer_lines(DRAFT_FOOTER, width)))


def _footer_box(page_index: int, page: tuple[float, float], lines: int) -> Box:
    """Where the footer field sits: its first baseline where the footer always stood."""
    top = MARGIN_BOTTOM - 8 + SMALL_SIZE
    bottom = top - lines * (SMALL_SIZE + 2) - 1
    return (page_index, MARGIN_LEFT, bottom, page[0] - MARGIN_RIGHT, top)


def _decorate(page: tuple[float, float]):
    """The page decoration: the page number from page 2 on (the footer is a field)."""

    page_width, page_height = page

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        number = canvas.getPageNumber()
        if number > 1:
            canvas.saveState()
            canvas.setFillColor(INK)
            canvas.setFont(FAMILY, 10)
            canvas.drawCentredString(page_width / 2, page_height - 14 * mm, f"- {number} -")
            canvas.restoreState()

    return draw


def _document(output: BytesIO, layout: LetterLayout, page: tuple[float, float]) -> BaseDocTemplate:
    page_width, page_height = page
    width = page_width - MARGIN_LEFT - MARGIN_RIGHT
    bottom = MARGIN_BOTTOM + max(0, _footer_height(layout, width) - 1) * (SMALL_SIZE + 2)
    decorate = _decorate(page)

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
        title=clean(layout.title) or "Surat",
        author=clean(layout.letterhead.lines[-1]) if layout.letterhead.lines else "",
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
    labels = [clean(label) for label in layout.parafs]
    if len(set(labels)) != len(labels):
        raise ValueError(f"paraf labels must be distinct: {list(layout.parafs)!r}")
    if layout.table is not None:
        table_check(*layout.table)
    page = _page_size(layout.paper)
    fonts_register()
    output = BytesIO()
    doc = _document(output, layout, page)
    placement = Placement()
    doc.build(_story(layout, doc.width, placement))
    assert placement.signature is not None and placement.stamp is not None
    pages = doc.page
    lines = _footer_height(layout, doc.width)
    footers = tuple(_footer_box(index, page, lines) for index in range(pages))
    return RenderedLetter(
        pdf=fields_add(output.getvalue(), _draft_fields(placement, footers, page)),
        signature_box=placement.signature,
        paraf_boxes=dict(placement.parafs),
        stamp_box=placement.stamp,
        verification_box=placement.verification,
        footer_boxes=footers,
        pages=pages,
    )


def _draft_fields(
    placement: Placement, footers: tuple[Box, ...], page: tuple[float, float]
) -> list[SwappedField]:
    """The watermark and footer of every page, and the QR's place, as a draft shows them."""
    fields = []
    for box in footers:
        index = box[0]
        whole_page = (index, 0.0, 0.0, page[0], page[1])
        fields.append(SwappedField(page_field(WATERMARK_FIELD, index), whole_page,
                                   draw_watermark))  # fmt: skip
        fields.append(SwappedField(page_field(FOOTER_FIELD, index), box,
                                   footer_drawer(DRAFT_FOOTER)))  # fmt: skip
    if placement.verification is not None:
        fields.append(SwappedField(VERIFICATION_FIELD, placement.verification,
                                   draft_verification))  # fmt: skip
    return fields
