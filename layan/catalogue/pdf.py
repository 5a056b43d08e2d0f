"""A service's SOP as a printable PDF in the PermenPANRB 35/2012 shape (reportlab)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from layan.catalogue.schema import Decree, ServiceDoc, Signer
from layan.catalogue.sop_table import SopRow, sop_rows
from layan.offices.models import Office

DASH = "—"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 14 * mm
FOOTER_SPACE = 10 * mm
FOOTER_SIZE = 7
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

# Step table columns that keep their width whatever the number of actors.
NUMBER_WIDTH = 22
REQUIREMENT_WIDTH = 110
TIME_WIDTH = 54
OUTPUT_WIDTH = 92
REMARKS_WIDTH = 110
ACTOR_MAX_WIDTH = 64
# Below this the activity text gets too narrow to read; actor columns give way first.
ACTIVITY_MIN_WIDTH = 150
CELL_PADDING = 3

GRID = colors.HexColor("#333333")
HEADER_FILL = colors.HexColor("#E4E4E4")
SECTION_FILL = colors.HexColor("#F0F0F0")
DECISION_FILL = colors.HexColor("#FFF3D1")
MUTED = colors.HexColor("#555555")

# Given as Unicode: reportlab encodes them to ZapfDingbats codes (a73 square, a78 diamond).
ACT_GLYPH, DECISION_GLYPH = "\u25a0", "\u25c6"
SYMBOL_FONT = "ZapfDingbats"
# Both glyphs sit ~0.346 em above the baseline at their centre and reach ~0.36 em out.
GLYPH_CENTRE, GLYPH_REACH = 0.346, 0.36
ACT_SIZE, DECISION_SIZE = 10.0, 13.0


def _style(name: str, **options: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": "Helvetica", "fontSize": 8, "leading": 10}
    return ParagraphStyle(name, **{**base, **options})


BODY = _style("body")
BOLD = _style("bold", fontName="Helvetica-Bold")
SMALL = _style("small", fontSize=7, leading=8.6)
CENTRED = _style("centred", alignment=TA_CENTER)
HEADER = _style("header", fontName="Helvetica-Bold", fontSize=7.5, leading=9, alignment=TA_CENTER)
LETTERHEAD = _style(
    "letterhead", fontName="Helvetica-Bold", fontSize=13, leading=16, alignment=TA_CENTER
)
ADDRESS = _style("address", fontSize=8, leading=10, alignment=TA_CENTER)
TITLE = _style("title", fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER)
SUBTITLE = _style("subtitle", fontSize=8.5, leading=11, alignment=TA_CENTER, textColor=MUTED)
HEADING = _style("heading", fontName="Helvetica-Bold", fontSize=10, leading=13, spaceAfter=4)
LIST_ITEM = _style(
    "list item", leftIndent=12, bulletIndent=0, bulletFontName="Helvetica", bulletFontSize=8
)


def _text(value: str) -> str:
    """Seed texts carry '&' and '<'; Paragraph reads markup, so every text is escaped."""
    return escape(value.strip())


def _para(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(_text(value) or DASH, style)


def _numbered(items: Iterable[str], style: ParagraphStyle = LIST_ITEM) -> list[Flowable]:
    """A numbered list as the decree prints it, or a dash when the definition is silent."""
    paragraphs: list[Flowable] = [
        Paragraph(_text(item), style, bulletText=f"{number}.")
        for number, item in enumerate(items, start=1)
    ]
    return paragraphs or [Paragraph(DASH, BODY)]


def _lines(lines: Iterable[str], style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph("<br/>".join(_text(line) for line in lines if line.strip()) or DASH, style)


@dataclass
class _PlacedMark:
    """Where an actor mark was drawn, in page coordinates, and its place in the flow."""

    order: int
    joins_previous: bool
    page: int
    x: float
    y: float
    reach: float


@dataclass
class _FlowTrail:
    """The marks drawn so far; each page joins its own marks with arrows when it ends."""

    marks: list[_PlacedMark] = field(default_factory=list)
    next_order: int = 0

    def take_order(self) -> int:
        self.next_order += 1
        return self.next_order

    def draw_connectors(self, canvas: Canvas) -> None:
        page = canvas.getPageNumber()
        on_page = {m.order: m for m in self.marks if m.page == page}
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setFillColor(GRID)
        canvas.setLineWidth(0.7)
        for order, end in sorted(on_page.items()):
            start = on_page.get(order - 1)
            if start is not None and end.joins_previous:
                _draw_connector(canvas, start, end)
        canvas.restoreState()


def _draw_connector(canvas: Canvas, start: _PlacedMark, end: _PlacedMark) -> None:
    """Down from one mark, then across to the next, as hand-drawn SOP flowcharts do."""
    if abs(start.y - end.y) < 1:
        direction = 1 if end.x > start.x else -1
        tip_x = end.x - direction * end.reach
        canvas.line(start.x + direction * start.reach, start.y, tip_x, end.y)
        _arrowhead(canvas, tip_x, end.y, dx=direction, dy=0)
        return
    if abs(start.x - end.x) < 1:
        canvas.line(start.x, start.y - start.reach, end.x, end.y + end.reach)
        _arrowhead(canvas, end.x, end.y + end.reach, dx=0, dy=-1)
        return
    direction = 1 if end.x > start.x else -1
    tip_x = end.x - direction * end.reach
    path = canvas.beginPath()
    path.moveTo(start.x, start.y - start.reach)
    path.lineTo(start.x, end.y)
    path.lineTo(tip_x, end.y)
    canvas.drawPath(path, stroke=1, fill=0)
    _arrowhead(canvas, tip_x, end.y, dx=direction, dy=0)


def _arrowhead(canvas: Canvas, x: float, y: float, *, dx: int, dy: int, size: float = 3.2) -> None:
    """A filled triangle whose tip touches (x, y), pointing along (dx, dy)."""
    back_x, back_y = x - dx * size, y - dy * size
    side_x, side_y = -dy * size * 0.55, dx * size * 0.55
    path = canvas.beginPath()
    path.moveTo(x, y)
    path.lineTo(back_x + side_x, back_y + side_y)
    path.lineTo(back_x - side_x, back_y - side_y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


class _ActorMark(Flowable):
    """A step's mark in its actor's column: a square for an action, a diamond for a decision."""

    def __init__(self, *, decision: bool, joins_previous: bool, trail: _FlowTrail) -> None:
        super().__init__()
        self.joins_previous = joins_previous
        self.glyph = DECISION_GLYPH if decision else ACT_GLYPH
        self.size = DECISION_SIZE if decision else ACT_SIZE
        self.trail = trail
        self.order = trail.take_order()

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        centre = self.size / 2
        self.canv.setFont(SYMBOL_FONT, self.size)
        self.canv.drawCentredString(centre, centre - GLYPH_CENTRE * self.size, self.glyph)
        x, y = self.canv.absolutePosition(centre, centre)
        self.trail.marks.append(
            _PlacedMark(
                order=self.order,
                joins_previous=self.joins_previous,
                page=self.canv.getPageNumber(),
                x=x,
                y=y,
                reach=GLYPH_REACH * self.size,
            )
        )


def _letterhead(office: Office) -> list[Flowable]:
    """The kop: the office's own letterhead lines, else its government and DINAS SOSIAL."""
    letterhead = office.letterhead or {}
    lines = letterhead.get("lines") or [office.government, "DINAS SOSIAL"]
    address = letterhead.get("address") or office.address
    flowables: list[Flowable] = [Paragraph(_text(line).upper(), LETTERHEAD) for line in lines]
    if address:
        flowables.append(Paragraph(_text(address), ADDRESS))
    return [*flowables, Spacer(1, 2), _double_rule(), Spacer(1, 8)]


def _double_rule() -> Table:
    """The thick-over-thin line under an Indonesian kop surat."""
    rule = Table([[""], [""]], colWidths=[FRAME_WIDTH], rowHeights=[2, 2])
    rule.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 1.8, colors.black),
                ("LINEABOVE", (0, 1), (-1, 1), 0.6, colors.black),
            ]
        )
    )
    return rule


def _sop_name(doc: ServiceDoc) -> str:
    return doc.sop_name or doc.name


def _sop_number(doc: ServiceDoc) -> str:
    return doc.sop.number if doc.sop else doc.decree.number


def _signer_lines(signer: Signer) -> list[str]:
    lines = [f"{signer.acting} {signer.title}".strip(), signer.name]
    if signer.nip:
        lines.append(f"NIP. {signer.nip}")
    return [line for line in lines if line]


def _approver(doc: ServiceDoc) -> Paragraph:
    """The signer of the definition, else the approver the SOP identity names."""
    if doc.signer:
        return _lines(_signer_lines(doc.signer))
    return _para(doc.sop.approved_by if doc.sop else "")


def _identity_table(doc: ServiceDoc) -> Table:
    """The identity block: name, number and dates of the SOP, and who approved it."""
    sop = doc.sop or Decree()  # an SOP without its own identity leaves the dates blank
    label_width, value_width = 110, FRAME_WIDTH / 2 - 110

    def label(text: str) -> Paragraph:
        return Paragraph(text, BOLD)

    rows: list[list[Paragraph | str]] = [
        [label("Nama SOP"), _para(_sop_name(doc), BOLD), "", ""],
        [label("Unit/Bidang"), _para(doc.unit), label("Tgl. pembuatan"), _para(sop.made)],
        [label("Nomor SOP"), _para(_sop_number(doc)), label("Tgl. revisi"), _para(sop.revised)],
        [label("Disahkan oleh"), _approver(doc), label("Tgl. efektif"), _para(sop.effective)],
        ["", "", label("Tgl. pengesahan"), _para(sop.approved)],
    ]
    table = Table(rows, colWidths=[label_width, value_width] * 2)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("SPAN", (1, 0), (3, 0)),
                ("SPAN", (0, 3), (0, 4)),
                ("SPAN", (1, 3), (1, 4)),
                ("BACKGROUND", (0, 0), (0, -1), SECTION_FILL),
                ("BACKGROUND", (2, 1), (2, -1), SECTION_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _sections_table(doc: ServiceDoc) -> Table:
    """The paired sections under the identity: legal basis beside qualifications, and so on."""
    half = FRAME_WIDTH / 2
    pairs = [
        ("Dasar hukum", _numbered(doc.legal_basis)),
        ("Kualifikasi pelaksana", _numbered(doc.qualifications)),
        ("Keterkaitan", _numbered(doc.related)),
        ("Peralatan/perlengkapan", _numbered(doc.equipment)),
        ("Peringatan", _numbered(doc.warnings)),
        ("Pencatatan dan pendataan", [_para(doc.records)]),
    ]
    rows: list[list[object]] = []
    for (left_title, left), (right_title, right) in zip(pairs[::2], pairs[1::2], strict=True):
        rows.append([Paragraph(left_title, BOLD), Paragraph(right_title, BOLD)])
        rows.append([left, right])
    table = Table(rows, colWidths=[half, half], splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                *[("BACKGROUND", (0, r), (-1, r), SECTION_FILL) for r in range(0, len(rows), 2)],
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _step_widths(actor_count: int) -> list[float]:
    """Column widths that add up to the frame exactly, so the table never runs off the page."""
    fixed = NUMBER_WIDTH + REQUIREMENT_WIDTH + TIME_WIDTH + OUTPUT_WIDTH + REMARKS_WIDTH
    spare = FRAME_WIDTH - fixed
    actor_width = min(ACTOR_MAX_WIDTH, (spare - ACTIVITY_MIN_WIDTH) / actor_count)
    activity_width = spare - actor_width * actor_count
    return [
        NUMBER_WIDTH,
        activity_width,
        *[actor_width] * actor_count,
        REQUIREMENT_WIDTH,
        TIME_WIDTH,
        OUTPUT_WIDTH,
        REMARKS_WIDTH,
    ]


def _breakable(label: str) -> str:
    """The label with room to break after each slash: "Pemohon/ Keluarga/ Masyarakat"."""
    return " ".join(label.replace("/", "/ ").split())


def _actor_header_size(labels: list[str], width: float) -> float:
    """One font size for all actor titles, small enough for the longest word to fit."""
    room = width - 2 * CELL_PADDING - 1
    words = [word for label in labels for word in _breakable(label).split()]
    longest = max(stringWidth(word, HEADER.fontName, 1) for word in words)
    return max(5.5, min(HEADER.fontSize, int(room / longest * 4) / 4))


def _step_header(doc: ServiceDoc, actor_width: float) -> list[list[object]]:
    """Two header rows: Pelaksana over the actor columns, Mutu baku over its three."""
    labels = [actor.label for actor in doc.actors.values()]
    size = _actor_header_size(labels, actor_width)
    actor_style = ParagraphStyle("actor", parent=HEADER, fontSize=size, leading=size * 1.2)
    gap = [""] * (len(labels) - 1)

    def head(text: str) -> Paragraph:
        return Paragraph(text, HEADER)

    first = [
        head("No"),
        head("Uraian kegiatan"),
        head("Pelaksana"),
        *gap,
        head("Mutu baku"),
        "",
        "",
        head("Keterangan"),
    ]
    second = [
        "",
        "",
        *[Paragraph(_text(_breakable(label)), actor_style) for label in labels],
        head("Persyaratan/ Kelengkapan"),
        head("Waktu"),
        head("Output"),
        "",
    ]
    return [first, second]


def _remarks(row: SopRow) -> Paragraph:
    """Keterangan: the step's notes, then where each decision outcome leads."""
    return Paragraph("<br/>".join(_text(line) for line in [*row.notes, *row.branches]), SMALL)


def _flows_into(previous: SopRow | None, row: SopRow) -> bool:
    """Whether a step of the previous row goes on to this one; a row that ends gets no arrow."""
    if previous is None:
        return False
    keys = {step.key for step in row.steps}
    return any(
        target in keys for step in previous.steps for target in [step.next, *step.outcomes.values()]
    )


def _row_cells(
    row: SopRow, actor_keys: list[str], trail: _FlowTrail, *, continues: bool
) -> list[object]:
    """One table row; its marks are made in the order its steps happen, so arrows follow it."""
    made: dict[str, _ActorMark] = {}
    for key, kind in row.marks.items():
        joins = continues if not made else True
        made[key] = _ActorMark(decision=kind == "decision", joins_previous=joins, trail=trail)
    return [
        Paragraph(str(row.number), CENTRED),
        Paragraph(_text(row.text), BODY),
        *[made.get(key, "") for key in actor_keys],
        Paragraph(_text(row.requirement), SMALL),
        Paragraph(_text(row.time), SMALL),
        Paragraph(_text(row.output), SMALL),
        _remarks(row),
    ]


def _step_table(doc: ServiceDoc, trail: _FlowTrail) -> Table:
    """The SOP table: one row per printed step, one column per actor, then the mutu baku."""
    actor_keys = list(doc.actors)
    widths = _step_widths(len(actor_keys))
    rows = sop_rows(doc)
    data = _step_header(doc, widths[2]) + [
        _row_cells(row, actor_keys, trail, continues=_flows_into(previous, row))
        for previous, row in zip([None, *rows], rows, strict=False)
    ]
    last_actor = 1 + len(actor_keys)
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (last_actor, 0)),
        ("SPAN", (last_actor + 1, 0), (last_actor + 3, 0)),
        ("SPAN", (-1, 0), (-1, 1)),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        ("VALIGN", (0, 2), (-1, -1), "TOP"),
        ("VALIGN", (2, 2), (last_actor, -1), "MIDDLE"),
        ("ALIGN", (2, 2), (last_actor, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    for index, row in enumerate(rows, start=2):
        if row.is_decision:
            style.append(("BACKGROUND", (0, index), (-1, index), DECISION_FILL))
    if doc.total_time:
        data.append(_total_row(doc, len(actor_keys)))
        style += [
            ("SPAN", (0, -1), (last_actor + 1, -1)),
            ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
        ]
    table = Table(data, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(style))
    return table


def _total_row(doc: ServiceDoc, actor_count: int) -> list[object]:
    """Jumlah: the sum of the step times, under the Waktu column."""
    label = Paragraph("Jumlah", _style("total", fontName="Helvetica-Bold", alignment=TA_RIGHT))
    blanks = [""] * (actor_count + 2)
    return [label, *blanks, Paragraph(_text(str(doc.total_time)), BOLD), "", ""]


def _legend() -> Paragraph:
    act = f'<font name="{SYMBOL_FONT}" size="8">{ACT_GLYPH}</font>'
    decision = f'<font name="{SYMBOL_FONT}" size="9">{DECISION_GLYPH}</font>'
    return Paragraph(
        f"Keterangan lambang: {act} pelaksana kegiatan &nbsp; {decision} keputusan "
        "(baris berlatar kuning); panah menunjukkan urutan kegiatan.",
        _style("legend", fontSize=7, leading=9, textColor=MUTED),
    )


def _closing(doc: ServiceDoc) -> list[Flowable]:
    """What the decree states under the table: the service time standard and its notes."""
    flowables: list[Flowable] = [Spacer(1, 4), _legend(), Spacer(1, 6)]
    if doc.time_standard:
        flowables.append(
            Paragraph(f"<b>Standar waktu pelayanan:</b> {_text(str(doc.time_standard))}", BODY)
        )
    if doc.notes:
        flowables += [
            Spacer(1, 4),
            KeepTogether([Paragraph("Catatan:", BOLD), *_numbered(doc.notes)]),
        ]
    return flowables


def _signature(signer: Signer) -> Flowable:
    """The signer's block at the right, with room for a wet signature and stamp."""
    title = _text(f"{signer.acting} {signer.title}".strip())
    name = _text(signer.name) or "(" + "." * 40 + ")"
    rows: list[list[Flowable]] = [
        [Paragraph(f"{title},", CENTRED)],
        [Spacer(1, 44)],
        [Paragraph(f"<u><b>{name}</b></u>", CENTRED)],
    ]
    if signer.nip:
        rows.append([Paragraph(f"NIP. {_text(signer.nip)}", CENTRED)])
    table = Table(rows, colWidths=[230], hAlign="RIGHT")
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1)]))
    return KeepTogether([Spacer(1, 14), table])


@dataclass
class _Sheet:
    """What every page needs at its end: the footer text and the arrows of the flow."""

    office: Office
    doc: ServiceDoc
    version_number: int
    trail: _FlowTrail

    def footer(self, page: int) -> str:
        """One line; a very long service name is cut so the page number stays on the page."""
        name = self.doc.name
        while True:
            text = f"{self.office.name} — {name} — versi {self.version_number} — halaman {page}"
            if len(name) <= 20 or stringWidth(text, "Helvetica", FOOTER_SIZE) <= FRAME_WIDTH:
                return text
            name = name[:-6].rstrip() + "…"

    def finish_page(self, canvas: Canvas, _template: BaseDocTemplate) -> None:
        self.trail.draw_connectors(canvas)
        canvas.saveState()
        canvas.setFont("Helvetica", FOOTER_SIZE)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.4)
        y = MARGIN * 0.6
        canvas.line(MARGIN, y + 9, PAGE_WIDTH - MARGIN, y + 9)
        canvas.drawString(MARGIN, y, self.footer(canvas.getPageNumber()))
        canvas.restoreState()


def _story(
    office: Office, doc: ServiceDoc, version_number: int, trail: _FlowTrail
) -> list[Flowable]:
    """Identity sheet first, then the procedure table with what the decree prints below it."""
    story: list[Flowable] = [
        *_letterhead(office),
        Paragraph("STANDAR OPERASIONAL PROSEDUR (SOP)", TITLE),
        Paragraph(f"Versi {version_number}", SUBTITLE),
        Spacer(1, 8),
        _identity_table(doc),
        Spacer(1, 8),
        _sections_table(doc),
        # The flowchart starts on its own sheet, as the decree's annex does.
        PageBreak(),
        Paragraph(f"Prosedur: {_text(_sop_name(doc))}", HEADING),
        _step_table(doc, trail),
        *_closing(doc),
    ]
    if doc.signer:
        story += [CondPageBreak(90), _signature(doc.signer)]
    return story


def sop_pdf(*, office: Office, doc: ServiceDoc, version_number: int) -> bytes:
    """The SOP of one service of one office, A4 landscape, as PDF bytes."""
    buffer = BytesIO()
    trail = _FlowTrail()
    sheet = _Sheet(office=office, doc=doc, version_number=version_number, trail=trail)
    template = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_SPACE,
        title=f"SOP {_sop_name(doc)}",
        author=office.name,
        subject=f"Standar Operasional Prosedur {doc.name}, versi {version_number}",
        creator="Layan",
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_SPACE,
        FRAME_WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - FOOTER_SPACE,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates([PageTemplate("sop", frames=[frame], onPageEnd=sheet.finish_page)])
    template.build(_story(office, doc, version_number, trail))
    return buffer.getvalue()
