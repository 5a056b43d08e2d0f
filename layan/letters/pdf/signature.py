"""The signature block: place and date, the signer, the stamp's place, the QR, the parafs.

It records where its boxes land (`Placement`), because the signing code draws the
visible signature, the parafs and the QR into them later. The right column reads, top
to bottom: place and date, the jabatan, the room for the signature, the name, the rank
(pangkat/golongan) and the NIP. In the room, the stamp's circle stands at the left and
the signature's box at its right: neither touches the other nor a line of text
(docs/design/letters.md, "The signature block").
"""

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from layan.letters.pdf.appearance import url_height
from layan.letters.pdf.fields import (
    DATE_FIELD_MIN_WIDTH,
    FIELD_DATE,
    FIELD_EDGE,
    FIELD_WIDTH,
    LONG_DATE,
    draw_field,
)
from layan.letters.pdf.typography import (
    BOLD,
    FAMILY,
    FONT_SIZE,
    INK,
    LEADING,
    MUTED,
    clean,
    fit_size,
    wrap_words,
)

Box = tuple[int, float, float, float, float]  # (page index from 0, x1, y1, x2, y2) in PDF points


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs, as printed under the closing: place, position, name, NIP."""

    place: str
    title_lines: list[str]
    name: str
    nip: str = ""
    rank: str = ""


STAMP_GREY = colors.HexColor("#B4B4B4")
STAMP_DIAMETER = 35 * mm
# The stamp's circle and the signature's box stand side by side in the room between the
# jabatan and the name, this far apart and this far from the lines above and below.
STAMP_GAP = 6
ROOM_PAD = 4
SIGNATURE_HEIGHT = 60
SIGNATURE_MAX_WIDTH = 190
SIGNATURE_SPACE = STAMP_DIAMETER + 2 * ROOM_PAD
# From the last jabatan line's baseline to the room: its descenders, and a pad.
ROOM_ABOVE = LEADING - FONT_SIZE + ROOM_PAD
# The signature column starts at the page's middle, never left of this share of the width.
SIGNATURE_COLUMN_MIN = 0.4
QR_SIZE = 25 * mm
COLUMN_GAP = 24
PARAF_WIDTH = 46
PARAF_HEIGHT = 30
PARAF_GAP = 6
PARAF_LABEL_SIZE = 7
# Room for two label lines under each box, then the next row.
PARAF_LABEL_SPACE = 2 * PARAF_LABEL_SIZE + 4
PARAF_PITCH = PARAF_HEIGHT + PARAF_LABEL_SPACE


@dataclass
class Placement:
    """Where the signature block's boxes ended up; filled while the document is drawn."""

    signature: Box | None = None
    stamp: Box | None = None
    verification: Box | None = None
    parafs: dict[str, Box] = field(default_factory=dict)


def _box_on(canvas: Canvas, x: float, y: float, width: float, height: float) -> Box:
    """A box given in the flowable's coordinates, in page coordinates."""
    x1, y1 = canvas.absolutePosition(x, y)
    x2, y2 = canvas.absolutePosition(x + width, y + height)
    return (canvas.getPageNumber() - 1, x1, y1, x2, y2)


class SignatureColumns(Flowable):
    """Signature at the right half; QR and paraf boxes at the left; the stamp over the signature.

    Records where its boxes land, because the signing code draws into them later.
    """

    def __init__(
        self,
        signer: SignatureBlock,
        parafs: list[str],
        verify_url: str,
        placement: Placement,
        *,
        margin_right: float,
    ) -> None:
        super().__init__()
        self.signer = signer
        self.parafs = list(parafs)
        self.verify_url = clean(verify_url)
        self.placement = placement
        self.margin_right = margin_right

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.column_x = self._column_x(available_width)
        right_width = available_width - self.column_x
        left_width = self.column_x - COLUMN_GAP
        self.titles = [
            line
            for title in self.signer.title_lines
            for line in wrap_words(clean(title), FAMILY, FONT_SIZE, right_width)
        ]
        self.names = wrap_words(clean(self.signer.name), BOLD, FONT_SIZE, right_width)
        self.under_name = [
            line for line in (clean(self.signer.rank), _nip_line(self.signer.nip)) if line
        ]
        right_lines = 1 + len(self.titles) + len(self.names) + len(self.under_name)
        right_height = right_lines * LEADING + ROOM_ABOVE + SIGNATURE_SPACE
        self.left_width = left_width
        self.url_height = url_height(self.verify_url, left_width) if self.verify_url else 0
        self.paraf_rows = _paraf_rows(self.parafs, left_width)
        self.height = max(right_height, self._left_height())
        return self.width, self.height

    def _column_x(self, width: float) -> float:
        """The right half, or a little more when a long name or title would otherwise wrap."""
        signer = self.signer
        widths = [
            stringWidth(f"{clean(signer.place)}, {LONG_DATE}", FAMILY, FONT_SIZE),
            stringWidth(clean(signer.name), BOLD, FONT_SIZE),
            *(stringWidth(clean(line), FAMILY, FONT_SIZE) for line in signer.title_lines),
        ]
        return max(width * SIGNATURE_COLUMN_MIN, min(width / 2, width - max(widths)))

    def _left_height(self) -> float:
        qr = QR_SIZE + self.url_height + 8 if self.verify_url else 0
        parafs = 12 + len(self.paraf_rows) * PARAF_PITCH if self.paraf_rows else 0
        return qr + parafs

    def draw(self) -> None:
        self._draw_signer()
        if self.verify_url:
            self._draw_verification()
        if self.paraf_rows:
            self._draw_parafs()

    def _draw_signer(self) -> None:
        canvas, x = self.canv, self.column_x
        canvas.setFillColor(INK)
        canvas.setFont(FAMILY, FONT_SIZE)
        baseline = self.height - FONT_SIZE
        place = f"{clean(self.signer.place)}, "
        canvas.drawString(x, baseline, place)
        field_x = x + stringWidth(place, FAMILY, FONT_SIZE)
        # The field may reach into the right margin, but not off the paper after a long place.
        room = self.width + self.margin_right - FIELD_EDGE - field_x
        width = max(min(FIELD_WIDTH, room), DATE_FIELD_MIN_WIDTH)
        draw_field(canvas, FIELD_DATE, field_x, baseline, width)
        for line in self.titles:
            baseline -= LEADING
            canvas.drawString(x, baseline, line)
        # The room under the jabatan: the title line's descenders, a pad, then the stamp.
        room_top = baseline - ROOM_ABOVE
        centre_y = room_top - SIGNATURE_SPACE / 2
        self._draw_stamp(x + STAMP_DIAMETER / 2, centre_y)
        signature_x = x + STAMP_DIAMETER + STAMP_GAP
        signature_width = min(SIGNATURE_MAX_WIDTH, self.width - signature_x)
        self.placement.signature = _box_on(
            canvas, signature_x, centre_y - SIGNATURE_HEIGHT / 2, signature_width,
            SIGNATURE_HEIGHT,
        )  # fmt: skip
        baseline = room_top - SIGNATURE_SPACE
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

    def _draw_verification(self) -> None:
        """Only the QR's place: its look (a note on a draft, the code once signed) is a field."""
        top = self.height
        height = QR_SIZE + self.url_height
        self.placement.verification = _box_on(self.canv, 0, top - height, self.left_width, height)

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
                self._draw_paraf_label(clean(label), x + PARAF_WIDTH / 2, y)
                self.placement.parafs[label] = _box_on(canvas, x, y, PARAF_WIDTH, PARAF_HEIGHT)

    def _draw_paraf_label(self, label: str, centre: float, box_y: float) -> None:
        """Under the box on two lines at most; a label longer than that gets smaller."""
        width = PARAF_WIDTH + PARAF_GAP - 2
        lines = wrap_words(label, FAMILY, PARAF_LABEL_SIZE, width)
        if len(lines) > 2:
            lines = [" ".join(lines[: len(lines) // 2]), " ".join(lines[len(lines) // 2 :])]
        size = min(fit_size(line, FAMILY, PARAF_LABEL_SIZE, width, 4) for line in lines)
        self.canv.setFont(FAMILY, size)
        baseline = box_y - size - 1
        for line in lines:
            self.canv.drawCentredString(centre, baseline, line)
            baseline -= size + 0.5


def _nip_line(nip: str) -> str:
    return f"NIP. {clean(nip)}" if clean(nip) else ""


def _paraf_rows(labels: list[str], width: float) -> list[list[str]]:
    per_row = max(1, int((width + PARAF_GAP) // (PARAF_WIDTH + PARAF_GAP)))
    return [labels[start : start + per_row] for start in range(0, len(labels), per_row)]
