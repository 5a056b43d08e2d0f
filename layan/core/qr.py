"""QR codes: the modules of a value, for the letters to draw on their PDF canvas, and the
same code as inline SVG for the printed pages of a case (tanda terima, slip rujukan).

segno encodes (ISO/IEC 18004: data, error correction and the choice of mask); what is
drawn from its modules is ours, so that the PDF and the page draw the same rectangles.
"""

import functools
import re

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Level M, as Layan's codes have always been: about 15% of the code may be smudged or torn.
ERROR_LEVEL = "M"
# The standard's quiet zone, for a page seen on a screen next to other content.
SVG_QUIET_ZONE = 4

Run = tuple[int, int, int]  # (row, first column, length) of dark modules, top row 0

_DARK_RUN = re.compile(rb"\x01+")


@functools.lru_cache(maxsize=256)
def qr_matrix(value: str) -> tuple[bytes, ...]:
    """The code's modules, top row first, a byte each (1 dark, 0 light); no quiet zone.

    Cached: a letter rendered again, or a receipt printed twice, reuses its code.
    """
    code = segno.make_qr(value, error=ERROR_LEVEL)
    return tuple(bytes(row) for row in code.matrix)


@functools.lru_cache(maxsize=256)
def qr_runs(value: str) -> tuple[Run, ...]:
    """The code's dark modules as horizontal runs: one rectangle each, whatever draws them."""
    return tuple(
        (index, run.start(), run.end() - run.start())
        for index, row in enumerate(qr_matrix(value))
        for run in _DARK_RUN.finditer(row)
    )


def qr_svg(value: str, *, label: str = "") -> SafeString:
    """The code of `value` as an `<svg>` element to inline in a page.

    No XML prolog (it may not stand inside HTML) and no style attribute: the
    Content-Security-Policy (style-src 'self') refuses those, also inside SVG, but not
    presentation attributes such as `fill`. Sized by the page's CSS (`svg.qr`).
    """
    side = len(qr_matrix(value)) + 2 * SVG_QUIET_ZONE
    dark = "".join(
        f'<rect x="{column + SVG_QUIET_ZONE}" y="{row + SVG_QUIET_ZONE}"'
        f' width="{length}" height="1"/>'
        for row, column, length in qr_runs(value)
    )
    # Safe: our own markup, and the only outside text (the label) is escaped.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img"'
        f' aria-label="{escape(label or value)}" viewBox="0 0 {side} {side}"'
        f' shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<g fill="#000">{dark}</g></svg>'
    )
