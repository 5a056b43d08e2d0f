"""The letter's type: the shipped serif family, sizes, ink, and text made safe and fitted."""

import re
import threading
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

FONTS_DIR = Path(__file__).parent.parent / "fonts"
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

INK = colors.black
MUTED = colors.HexColor("#555555")


def style(name: str, **options: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": FAMILY, "fontSize": FONT_SIZE, "leading": LEADING}
    return ParagraphStyle(name, **{**base, **options})


PLAIN = style("plain", alignment=TA_LEFT)

_fonts_lock = threading.Lock()
_fonts_ready = False


def fonts_register() -> None:
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


def clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\t", " ")).strip()


def markup(text: str) -> str:
    """Untrusted text made literal for Paragraph markup; newlines stay line breaks."""
    return escape(clean(text)).replace("\n", "<br/>")


def para(text: str, paragraph_style: ParagraphStyle = PLAIN) -> Paragraph:
    return Paragraph(markup(text), paragraph_style)


def fit_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest size up to `size` at which `text` fits `width` (kop lines must stay one line)."""
    natural = stringWidth(text, font, size)
    if natural <= width:
        return size
    return max(smallest, size * width / natural)


def char_lines(text: str, font: str, size: float, width: float) -> list[str]:
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


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
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
        pieces = char_lines(word, font, size, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines or [""]
