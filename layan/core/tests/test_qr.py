"""The shared QR code, read back by a real scanner (zbarimg) from what a page inlines."""

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from layan.core.qr import SVG_QUIET_ZONE, qr_matrix, qr_runs, qr_svg
from layan.core.testing import require_tool

VALUES = [
    "https://layan.example.go.id/v/8f3a9c2e-1b7d-4e5a-9c3f-2d8e7a6b5c4d",
    "http://testserver/lacak/ABCD-EFGH/",
    "Surat Rekomendasi — Dinas Sosial Kota Bima",  # not ASCII: byte mode, UTF-8
]
PIXELS_PER_MODULE = 6
_RECT = re.compile(r'<rect x="(\d+)" y="(\d+)" width="(\d+)" height="1"/>')
_VIEW_BOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def _svg_as_png(svg: str, path: Path) -> Path:
    """The SVG's dark rectangles painted as a scanner would see them on paper."""
    box = _VIEW_BOX.search(svg)
    assert box, svg[:80]
    side = int(box[1])
    image = Image.new("L", (side * PIXELS_PER_MODULE,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for x, y, width in (map(int, found) for found in _RECT.findall(svg)):
        left, top = x * PIXELS_PER_MODULE, y * PIXELS_PER_MODULE
        right = left + width * PIXELS_PER_MODULE - 1
        draw.rectangle((left, top, right, top + PIXELS_PER_MODULE - 1), fill=0)
    image.save(path)
    return path


def _scanned(path: Path) -> str:
    command = [require_tool("zbarimg"), "--raw", "-q", str(path)]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout.strip()


@pytest.mark.parametrize("value", VALUES)
def test_the_svg_scans_to_the_value(value: str, tmp_path: Path) -> None:
    assert _scanned(_svg_as_png(qr_svg(value), tmp_path / "qr.png")) == value


def test_the_svg_is_fit_for_a_strict_content_security_policy() -> None:
    svg = qr_svg(VALUES[1], label="QR kode lacak ABCD-EFGH")
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "style" not in svg and "<?xml" not in svg and "<script" not in svg
    assert 'role="img"' in svg and 'aria-label="QR kode lacak ABCD-EFGH"' in svg
    assert 'class="qr"' in svg


def test_the_label_is_escaped_and_defaults_to_the_value() -> None:
    assert 'aria-label="a &quot;b&quot; &lt;c&gt;"' in qr_svg("x", label='a "b" <c>')
    assert f'aria-label="{VALUES[1]}"' in qr_svg(VALUES[1])


def test_the_runs_cover_exactly_the_dark_modules() -> None:
    matrix = qr_matrix(VALUES[0])
    painted = [[0] * len(matrix) for _ in matrix]
    for row, column, length in qr_runs(VALUES[0]):
        for offset in range(length):
            painted[row][column + offset] += 1
    assert painted == [list(row) for row in matrix]
    assert len(matrix) == 37  # version 5 at level M: 37 x 37 modules


def test_the_svg_leaves_the_standard_quiet_zone() -> None:
    svg = qr_svg(VALUES[0])
    side = len(qr_matrix(VALUES[0])) + 2 * SVG_QUIET_ZONE
    assert f'viewBox="0 0 {side} {side}"' in svg
    corners = [(int(x), int(y)) for x, y, _ in _RECT.findall(svg)]
    assert min(corners) == (SVG_QUIET_ZONE, SVG_QUIET_ZONE)  # the finder's top-left corner
