"""Every scan is opened by a real parser before it is kept: pyHanko's PDF reader, Pillow.

The files are real bytes: PDFs written by reportlab (and changed by pyHanko's writer the
way a tool would add a script or an attachment), images written by Pillow, and the
broken ones cut from them.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.crypt import StandardSecurityHandler
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter, copy_into_new_writer

from layan.core.testing import scan_image, scan_pdf
from layan.core.uploads import (
    SCAN_MAX_PIXELS,
    ScanRefused,
    megabytes,
    scan_examine,
    scan_hint,
)

LIMIT = 10_000_000
# A DOS/Windows program's first bytes ("MZ", then its header): what a polyglot carries.
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240


def examine(data: bytes, name: str = "kk.pdf") -> tuple[str, str]:
    return scan_examine(SimpleUploadedFile(name, data), limit_bytes=LIMIT)


def refusal(data: bytes, name: str = "kk.pdf") -> str:
    with pytest.raises(ScanRefused) as info:
        examine(data, name)
    return str(info.value)


def _changed(pdf: bytes, change) -> bytes:
    """The PDF with an incremental update made by pyHanko's writer."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(kind: str, **entries: generic.PdfObject):
    def change(writer):
        action = generic.DictionaryObject({generic.NameObject("/S"): generic.NameObject(kind)})
        for key, value in entries.items():
            action[generic.NameObject(f"/{key}")] = value
        writer.root[generic.NameObject("/OpenAction")] = writer.add_object(action)
        writer.update_root()

    return change


# ---- what is kept ------------------------------------------------------------------------


def test_real_pdfs_and_images_are_kept_with_their_type():
    assert examine(scan_pdf()) == ("application/pdf", ".pdf")
    assert examine(scan_pdf(pages=3)) == ("application/pdf", ".pdf")
    assert examine(scan_image("PNG"), "kk.png") == ("image/png", ".png")
    assert examine(scan_image("JPEG"), "kk.jpg") == ("image/jpeg", ".jpg")


def test_the_type_comes_from_the_content_not_the_name():
    assert examine(scan_image("PNG"), "scan KK.pdf") == ("image/png", ".png")
    assert examine(scan_pdf(), "kk.jpg") == ("application/pdf", ".pdf")


def test_a_pdf_opened_by_its_empty_user_password_is_kept():
    # "Protected" PDFs that only restrict printing open without a password in any viewer.
    def encrypt(writer):
        writer._assign_security_handler(StandardSecurityHandler.build_from_pw("pemilik", ""))

    locked = _copied(scan_pdf(), encrypt)
    assert PdfFileReader(io.BytesIO(locked)).encrypted
    assert examine(locked) == ("application/pdf", ".pdf")


def _copied(pdf: bytes, change) -> bytes:
    """The PDF rewritten whole by pyHanko's writer, after `change`."""
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- what the issue found accepted --------------------------------------------------------


def test_a_nine_byte_pdf_is_refused_naming_the_file():
    assert refusal(b"%PDF-1.4\n", "scan KK.pdf") == (
        "“scan KK.pdf” ditolak: PDF tidak utuh: penanda akhir berkas (%%EOF) tidak ada, "
        "atau ada data lain sesudahnya."
    )


def test_a_program_behind_a_pdf_header_is_refused():
    reason = refusal(b"%PDF-" + PROGRAM, "akta.pdf")
    assert reason == "“akta.pdf” ditolak: bukan PDF: sesudah “%PDF-” tidak ada nomor versinya."


def test_a_program_behind_a_versioned_header_or_after_the_end_is_refused():
    assert "PDF tidak utuh" in refusal(b"%PDF-1.7\n" + PROGRAM)
    assert "ada data lain sesudahnya" in refusal(scan_pdf() + PROGRAM)


# ---- broken and empty files ---------------------------------------------------------------


def test_a_truncated_pdf_is_refused():
    pdf = scan_pdf()
    assert "PDF tidak utuh" in refusal(pdf[: len(pdf) // 2])


def test_a_pdf_whose_body_is_broken_is_refused_by_the_parser():
    # The end is in place; the cross-reference table points at nothing sound.
    pdf = scan_pdf()
    broken = pdf[:20] + b"\x00" * (len(pdf) - 200) + pdf[-180:]
    reason = refusal(broken)
    assert reason == "“kk.pdf” ditolak: PDF tidak dapat dibaca (rusak, terpotong, atau bukan PDF)."


def test_a_text_file_with_a_pdf_header_and_end_is_refused():
    assert "PDF tidak dapat dibaca" in refusal(b"%PDF-1.7\nini teks biasa\n%%EOF\n")


def test_a_pdf_without_pages_is_refused():
    empty = io.BytesIO()
    PdfFileWriter().write(empty)
    assert refusal(empty.getvalue()) == "“kk.pdf” ditolak: PDF tidak berisi halaman."


def test_a_pdf_locked_with_a_password_is_refused():
    def encrypt(writer):
        writer._assign_security_handler(StandardSecurityHandler.build_from_pw("rahasia"))

    reason = refusal(_copied(scan_pdf(), encrypt))
    assert "dikunci dengan kata sandi; unggah salinan tanpa kata sandi" in reason


def test_truncated_images_are_refused():
    png, jpeg = scan_image("PNG", (400, 300)), scan_image("JPEG", (400, 300))
    assert refusal(png[:-40], "kk.png") == (
        "“kk.png” ditolak: gambar PNG tidak dapat dibaca (rusak atau terpotong)."
    )
    assert "gambar JPEG tidak dapat dibaca" in refusal(jpeg[: len(jpeg) // 2], "kk.jpg")


def test_an_image_whose_content_is_not_its_header_is_refused():
    # PNG's signature in front of a JPEG: no PNG parser reads it.
    assert "gambar PNG tidak dapat dibaca" in refusal(
        b"\x89PNG\r\n\x1a\n" + scan_image("JPEG"), "kk.png"
    )
    assert "gambar JPEG tidak dapat dibaca" in refusal(b"\xff\xd8\xff" + b"0" * 64, "kk.jpg")


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # A blank picture compresses to almost nothing; decoded it would take ~180 MB.
    width, height = 10_000, SCAN_MAX_PIXELS // 10_000 + 1
    bomb = scan_image("PNG", (width, height))
    assert len(bomb) < 1_000_000
    reason = refusal(bomb, "foto.png")
    assert reason == (
        f"“foto.png” ditolak: gambar {width} x {height} piksel terlalu besar "
        "(paling banyak 50 juta piksel)."
    )


# ---- active content: a scan never needs it -------------------------------------------------


def test_a_pdf_that_runs_javascript_is_refused():
    script = _changed(scan_pdf(), _open_action("/JavaScript", JS=generic.TextStringObject("1")))
    reason = refusal(script)
    assert reason.startswith("“kk.pdf” ditolak: PDF berisi JavaScript")
    assert "pindai ulang atau cetak ulang ke PDF biasa" in reason


def test_a_pdf_that_starts_a_program_is_refused():
    launch = _open_action("/Launch", F=generic.TextStringObject("cmd.exe"))
    assert "PDF berisi perintah menjalankan program" in refusal(_changed(scan_pdf(), launch))


def test_a_pdf_carrying_another_file_is_refused():
    def attach(writer):
        data = embed.EmbeddedFileObject.from_file_data(writer, PROGRAM)
        embed.embed_file(writer, embed.FileSpec(file_spec_string="a.exe", embedded_data=data))

    assert "PDF berisi berkas sisipan" in refusal(_changed(scan_pdf(), attach))


def _handmade(catalog_extra: bytes, action: bytes) -> bytes:
    """A one-page PDF written byte by byte (offsets and cross-reference table exact), with
    `catalog_extra` in its catalog and `action` as object 5."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
        action,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_a_script_behind_hex_escaped_names_is_refused():
    # /Java#53cript and /#4AS are /JavaScript and /JS as every viewer reads them.
    action = b"<< /S /Java#53cript /#4AS (app.alert(1)) >>"
    assert examine(_handmade(b"", action)) == ("application/pdf", ".pdf")  # not reachable
    assert "PDF berisi JavaScript" in refusal(_handmade(b"/OpenAction 5 0 R", action))


# ---- size, and the words a form shows ----------------------------------------------------


def test_size_comes_first_and_names_the_file_and_the_limit():
    big = SimpleUploadedFile("kk.pdf", scan_pdf())
    with pytest.raises(ScanRefused, match=re.escape("“kk.pdf”: berkas lebih dari 1 KB.")):
        scan_examine(big, limit_bytes=1_000)
    with pytest.raises(ScanRefused, match=re.escape("“kosong.png”: berkas kosong.")):
        scan_examine(SimpleUploadedFile("kosong.png", b""), limit_bytes=LIMIT)


def test_limits_read_as_people_write_them():
    assert megabytes(10_000_000) == "10 MB"
    assert megabytes(1_500_000) == "1,5 MB"
    assert megabytes(500_000) == "500 KB"
    assert scan_hint(5_000_000) == "PDF, JPEG atau PNG, paling besar 5 MB"
