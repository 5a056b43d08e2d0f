"""The kop surat: the office's emblem at the left, its centred lines, two rules under them."""

import math
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from layan.letters.pdf.typography import BOLD, FAMILY, INK, MUTED, clean, fit_size


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: government and office lines, address, emblem."""

    lines: list[str]
    address: str = ""
    website: str = ""
    email: str = ""
    logo: bytes | None = None


class Kop(Flowable):
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
        names = [clean(line) for line in head.lines if clean(line)]
        rows = [(line.upper(), BOLD, 14.0) for line in names[:-1]]
        if names:
            rows.append((names[-1].upper(), BOLD, 17.0))
        if clean(head.address):
            rows.append((clean(head.address), FAMILY, 10.0))
        contacts = [
            f"{label} {clean(value)}"
            for label, value in (("Laman:", head.website), ("Pos-el:", head.email))
            if clean(value)
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
            fitted = fit_size(text, font, size, usable, 6)
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
