"""QR codes for the printed pages of a case (tanda terima, slip rujukan), as inline SVG.

reportlab draws the code (no system library, no image file); the SVG is then
made fit to inline in a page that runs under a strict Content-Security-Policy.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

QR_POINTS = 120  # drawn size; CSS sets the printed size
_STYLE = re.compile(r'style="([^"]*)"')
_NOISE = re.compile(r"<title>.*?</title>|<desc>.*?</desc>", re.DOTALL)


def _style_to_attributes(match: re.Match) -> str:
    # CSP (style-src 'self') refuses style="" attributes, also inside inline SVG,
    # but not SVG presentation attributes, which say the same thing.
    pairs = (item.split(":", 1) for item in match.group(1).split(";") if ":" in item)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def qr_svg(data: str, *, label: str = "") -> SafeString:
    """The QR code of `data` as an `<svg>` element, without XML prolog and inline styles."""
    widget = QrCodeWidget(data, barLevel="M", barWidth=QR_POINTS, barHeight=QR_POINTS)
    drawing = Drawing(QR_POINTS, QR_POINTS)
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    svg = svg[svg.index("<svg") :]  # the prolog and DOCTYPE may not stand inside HTML
    svg = _STYLE.sub(_style_to_attributes, _NOISE.sub("", svg))
    svg = re.sub(r">\s+<", "><", svg).strip()
    title = escape(label or data)
    svg = svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{title}" ', 1)
    # Safe: reportlab's own markup, and the only outside text (the label) is escaped.
    return mark_safe(svg)
