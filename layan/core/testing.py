"""Helpers for tests that drive real tools (Chromium, poppler) and real files (scans)."""

import io
import os
import shutil

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher


def require_tool(name: str) -> str:
    """The tool's path; skip the test without it, or fail when LAYAN_REQUIRE_TOOLS=1 (CI)."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} is not installed (Debian: apt-get install chromium poppler-utils)"
    if os.environ.get("LAYAN_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with a test-sized cost (1 MiB, one pass): same format, ~1 ms a hash."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


# ---- real scans, made by the libraries that make them in the field ----------------------


def scan_pdf(pages: int = 1, text: str = "Kartu Keluarga") -> bytes:
    """A real PDF of `pages` pages, as reportlab writes it."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{text} - halaman {number}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def scan_image(kind: str = "PNG", size: tuple[int, int] = (120, 80)) -> bytes:
    """A real PNG or JPEG made by Pillow: a grey page with a dark band."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (235, 235, 235))
    ImageDraw.Draw(image).rectangle((5, 5, size[0] // 2, size[1] // 3), fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()
