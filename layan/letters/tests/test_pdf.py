"""The letter PDF, read back the way a reader or the signing code meets it: pdftotext,
pdfinfo, a QR scanner, and pyHanko's reader for the form fields."""

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from layan.core.testing import require_tool
from layan.letters.pdf import (
    FIELD_BASELINE,
    FIELD_FONT,
    FIELD_HEIGHT,
    FIELD_SIZE,
    LONG_NUMBER,
    Box,
    Letterhead,
    LetterLayout,
    RenderedLetter,
    SignatureBlock,
    letter_render,
)

VERIFY_URL = "https://layan.example.go.id/v/8f3a9c2e-1b7d-4e5a-9c3f-2d8e7a6b5c4d"
A4_POINTS = (595.276, 841.89)
F4_POINTS = (609.449, 935.433)  # 215 x 330 mm

LETTERHEAD = Letterhead(
    lines=["PEMERINTAH KOTA BIMA", "DINAS SOSIAL"],
    address="Jalan Soekarno-Hatta No. 12 Kota Bima 84117 Telp. (0374) 43123",
    website="dinsos.bimakota.go.id",
    email="dinsos@bimakota.go.id",
)
PLT_SIGNER = SignatureBlock(
    place="Bima",
    title_lines=["Plt. Kepala Dinas Sosial Kota Bima,"],
    name="Drs. MUHAMMAD SALAHUDDIN",
    nip="19700512 199503 1 004",
    rank="Pembina Tingkat I (IV/b)",
)
AN_SIGNER = SignatureBlock(
    place="Pangkalan Balai",
    title_lines=["a.n. Kepala Dinas Sosial", "Sekretaris,"],
    name="SITI AMINAH, S.Sos",
    nip="19750101 200003 2 001",
)


def _letter(**changes: Any) -> LetterLayout:
    values: dict[str, Any] = {
        "paper": "A4",
        "letterhead": LETTERHEAD,
        "title": "SURAT REKOMENDASI",
        "opening": ["Yang bertanda tangan di bawah ini memberikan rekomendasi kepada:"],
        "fields": [
            ("Nama", "A & B <x>"),
            ("NIK", "5272010101900001"),
            ("Alamat", "Jalan Gajah Mada No. 7 RT 003 RW 002 Kelurahan Monggonao " * 3),
        ],
        "body": ["Yang bersangkutan terdaftar dalam DTKS periode Oktober 2026."],
        "closing": [
            "Demikian surat rekomendasi ini dibuat untuk dipergunakan sebagaimana mestinya."
        ],
        "parafs": ["Kabid", "Sekretaris"],
        "signer": PLT_SIGNER,
        "verify_url": VERIFY_URL,
        "footer": "Dokumen ini ditandatangani secara elektronik.",
    }
    return LetterLayout(**{**values, **changes})


def _batch(rows: int) -> LetterLayout:
    return _letter(
        title="",
        meta=[("Sifat", "Biasa"), ("Lampiran", "1 (satu) berkas"), ("Perihal", "Usulan baru")],
        recipient=["Kepada Yth.", "Menteri Sosial Republik Indonesia", "di -", "Jakarta"],
        fields=[],
        attachment_title="LAMPIRAN SURAT DAFTAR USULAN BARU DTKS",
        table=(
            ["No", "NIK", "Nama", "Keterangan"],
            [[str(n), f"1807{n:012d}", f"Penerima {n}", "Usulan baru"] for n in range(1, rows + 1)],
        ),
        signer=AN_SIGNER,
    )


@pytest.fixture(scope="module")
def letter() -> RenderedLetter:
    return letter_render(_letter())


def _saved(pdf: bytes, tmp_path: Path, name: str = "letter.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _run(*command: str) -> str:
    return subprocess.run(
        command, capture_output=True, check=True, text=True, encoding="utf-8"
    ).stdout


def _text(pdf: bytes, tmp_path: Path, *options: str) -> str:
    path = _saved(pdf, tmp_path)
    return _run(require_tool("pdftotext"), "-layout", *options, str(path), "-")


def _page_size(pdf: bytes, tmp_path: Path) -> tuple[float, float]:
    info = _run(require_tool("pdfinfo"), str(_saved(pdf, tmp_path)))
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return float(found[1]), float(found[2])


def _page_count(pdf: bytes, tmp_path: Path) -> int:
    info = _run(require_tool("pdfinfo"), str(_saved(pdf, tmp_path)))
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found, info
    return int(found[1])


def _overlap(first: Box, second: Box) -> bool:
    return (
        first[0] == second[0]
        and first[1] < second[3]
        and second[1] < first[3]
        and first[2] < second[4]
        and second[2] < first[4]
    )


def _inside(box: Box, page: tuple[float, float]) -> bool:
    _, x1, y1, x2, y2 = box
    return 0 <= x1 < x2 <= page[0] and 0 <= y1 < y2 <= page[1]


def _fields(pdf: bytes) -> dict[str, dict]:
    from io import BytesIO

    reader = PdfFileReader(BytesIO(pdf))
    fields = reader.root["/AcroForm"]["/Fields"]
    return {str(item.get_object()["/T"]): item.get_object() for item in fields}


def test_it_prints_title_fields_and_signer(letter: RenderedLetter, tmp_path: Path) -> None:
    text = _text(letter.pdf, tmp_path)
    flat = " ".join(text.split())
    assert "SURAT REKOMENDASI" in text
    assert "Nomor :" in text
    assert "NIK" in text and "5272010101900001" in text
    assert "Plt. Kepala Dinas Sosial Kota Bima," in text
    assert "Drs. MUHAMMAD SALAHUDDIN" in text
    assert "NIP. 19700512 199503 1 004" in text
    assert "Pembina Tingkat I (IV/b)" in text
    assert "Bima," in text
    assert "PEMERINTAH KOTA BIMA" in text and "DINAS SOSIAL" in text
    assert "tempat stempel" in text
    # The long address wraps inside the value column instead of running off the page.
    assert flat.count("Kelurahan Monggonao") == 3


def test_a_short_letter_is_one_page(letter: RenderedLetter, tmp_path: Path) -> None:
    assert _page_count(letter.pdf, tmp_path) == 1


def test_it_prints_untrusted_text_literally(letter: RenderedLetter, tmp_path: Path) -> None:
    assert "A & B <x>" in _text(letter.pdf, tmp_path)


def test_it_prints_an_on_behalf_signer(tmp_path: Path) -> None:
    text = _text(letter_render(_letter(signer=AN_SIGNER)).pdf, tmp_path)
    assert "a.n. Kepala Dinas Sosial" in text
    assert "Sekretaris," in text
    assert "Pangkalan Balai," in text


def test_an_official_letter_has_number_and_meta_rows(tmp_path: Path) -> None:
    layout = _batch(3)
    text = _text(letter_render(layout).pdf, tmp_path, "-f", "1", "-l", "1")
    assert re.search(r"Nomor\s+:", text)
    assert re.search(r"Perihal\s+:\s+Usulan baru", text)
    assert "Kepada Yth." in text and "Menteri Sosial Republik Indonesia" in text


def test_a4_is_210_by_297_mm(letter: RenderedLetter, tmp_path: Path) -> None:
    assert _page_size(letter.pdf, tmp_path) == pytest.approx(A4_POINTS, abs=0.01)


def test_f4_is_215_by_330_mm(tmp_path: Path) -> None:
    rendered = letter_render(_letter(paper="F4"))
    assert _page_size(rendered.pdf, tmp_path) == pytest.approx(F4_POINTS, abs=0.01)


@pytest.mark.parametrize("paper", ["Letter", "a4", ""])
def test_it_refuses_an_unknown_paper_size(paper: str) -> None:
    with pytest.raises(ValueError, match=repr(paper)):
        letter_render(_letter(paper=paper))


def test_it_refuses_repeated_paraf_labels() -> None:
    with pytest.raises(ValueError, match="Kabid"):
        letter_render(_letter(parafs=["Kabid", "Kabid"]))


def test_number_and_date_are_empty_read_only_text_fields(letter: RenderedLetter) -> None:
    every = _fields(letter.pdf)
    # Besides them: the watermark, footer and QR whose look the signing swaps.
    assert set(every) == {"nomor", "tanggal", "draf_p1", "kaki_p1", "verifikasi"}
    fields = {name: every[name] for name in ("nomor", "tanggal")}
    for field in fields.values():
        assert field["/FT"] == "/Tx"
        assert set(str(field["/V"])) == {"."}
        assert int(field["/Ff"]) & 1  # read-only: only the signing code fills it
        assert f"/{FIELD_SIZE} Tf" in str(field["/DA"]) or f" {FIELD_SIZE} Tf" in str(field["/DA"])
        x1, _, x2, _ = (float(value) for value in field["/Rect"])
        assert x2 - x1 >= _width_of(LONG_NUMBER)


def _width_of(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FIELD_FONT, FIELD_SIZE)


def test_the_date_field_follows_the_place(letter: RenderedLetter) -> None:
    fields = _fields(letter.pdf)
    date_rect = [float(value) for value in fields["tanggal"]["/Rect"]]
    _, column_x1, _, _, room_top = letter.stamp_box
    # Right of the signature column's start (the stamp's left edge), above the room.
    assert date_rect[0] > column_x1 and date_rect[1] > room_top


def test_a_draft_has_no_qr_code_yet(letter: RenderedLetter, tmp_path: Path) -> None:
    # Its code verifies nothing until it is signed (the signed letter's QR: test_signing).
    pdf = _saved(letter.pdf, tmp_path)
    _run(require_tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
         str(tmp_path / "page"))  # fmt: skip
    image = next(tmp_path.glob("page*.png"))
    found = subprocess.run([require_tool("zbarimg"), "--raw", "-q", str(image)],
                           capture_output=True, text=True)  # fmt: skip
    assert found.stdout.strip() == ""
    assert VERIFY_URL not in _text(letter.pdf, tmp_path).replace("\n", "").replace(" ", "")


def test_boxes_lie_on_the_page_and_apart(letter: RenderedLetter) -> None:
    boxes = [letter.signature_box, *letter.paraf_boxes.values()]
    assert list(letter.paraf_boxes) == ["Kabid", "Sekretaris"]
    for box in [*boxes, letter.stamp_box]:
        assert box[0] == 0
        assert _inside(box, A4_POINTS)
    for index, box in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert not _overlap(box, other)
    _, x1, y1, x2, y2 = letter.signature_box
    assert 110 <= x2 - x1 <= 200 and 50 <= y2 - y1 <= 70
    # The signature sits in the right half, right of the stamp's place and clear of it
    # (and of the text: test_signature_block).
    assert x1 >= A4_POINTS[0] / 2
    assert not _overlap(letter.stamp_box, letter.signature_box)
    assert letter.stamp_box[3] < x1


def test_a_long_letter_moves_the_signature_with_the_closing(tmp_path: Path) -> None:
    body = ["Paragraf isi surat yang panjang untuk mengisi halaman. " * 6] * 9
    rendered = letter_render(_letter(body=body))
    assert _page_count(rendered.pdf, tmp_path) == 2
    assert rendered.signature_box[0] == 1
    assert all(box[0] == 1 for box in rendered.paraf_boxes.values())
    second = _text(rendered.pdf, tmp_path, "-f", "2", "-l", "2")
    assert "Demikian surat rekomendasi" in second and "NIP. 19700512" in second


def test_a_batch_table_spans_pages_with_its_header_repeated(tmp_path: Path) -> None:
    rendered = letter_render(_batch(300))
    pages = _page_count(rendered.pdf, tmp_path)
    assert pages >= 4
    assert rendered.signature_box[0] == 0
    seen: set[str] = set()
    for page in range(2, pages + 1):
        text = _text(rendered.pdf, tmp_path, "-f", str(page), "-l", str(page))
        assert re.search(r"No\s+NIK\s+Nama\s+Keterangan", text), f"no header on page {page}"
        seen.update(re.findall(r"Penerima (\d+)\b", text))
    assert seen == {str(n) for n in range(1, 301)}
    assert "DAFTAR USULAN BARU DTKS" in _text(rendered.pdf, tmp_path, "-f", "2", "-l", "2")


def test_the_same_layout_renders_the_same_bytes() -> None:
    assert letter_render(_letter()).pdf == letter_render(_letter()).pdf


def test_a_logo_is_drawn_from_the_given_bytes(tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image

    image = BytesIO()
    Image.new("RGB", (40, 48), (200, 30, 30)).save(image, format="PNG")
    head = Letterhead(lines=LETTERHEAD.lines, logo=image.getvalue())
    rendered = letter_render(_letter(letterhead=head))
    assert b"/Subtype /Image" in rendered.pdf


def test_a_batch_table_wraps_long_cells_and_prints_them_literally(tmp_path: Path) -> None:
    address = "Desa Sukamaju RT 002 RW 001 Kecamatan Banyuasin III Kabupaten Banyuasin " * 2
    layout = _batch(2)
    assert layout.table is not None
    headers, rows = layout.table
    table = ([*headers, "Alamat"], [[*row, f"{address}& <x>"] for row in rows])
    rendered = letter_render(dataclasses.replace(layout, table=table))
    text = " ".join(_text(rendered.pdf, tmp_path, "-f", "2", "-l", "2").split())
    assert text.count("Kabupaten Banyuasin") == 4
    assert "& <x>" in text


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (([], []), "headers"),
        ((["No", "Nama"], [["1", "Budi", "lebih"]]), "row 1"),
    ],
)
def test_it_refuses_a_table_that_would_lose_cells(table: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        letter_render(_letter(table=table))


def test_a_long_place_keeps_the_date_field_on_the_paper() -> None:
    signer = dataclasses.replace(PLT_SIGNER, place="Kota Baru Sulawesi Tenggara Kepulauan")
    fields = _fields(letter_render(_letter(signer=signer)).pdf)
    x1, _, x2, _ = (float(value) for value in fields["tanggal"]["/Rect"])
    assert x2 <= A4_POINTS[0]
    assert x2 - x1 >= _width_of("30 September 2026")


def test_the_placeholder_sits_on_the_field_baseline(letter: RenderedLetter) -> None:
    """The filler draws the number and date FIELD_BASELINE above the field's bottom edge;
    the draft's dots are drawn there too, level with the words around them."""
    fields = _fields(letter.pdf)
    for field in (fields["nomor"], fields["tanggal"]):
        appearance = field["/AP"]["/N"].get_object()
        assert float(appearance["/BBox"][3]) == FIELD_HEIGHT
        offset = re.search(rb"1 0 0 1 \S+ (\S+) Tm", appearance.data)
        assert offset, appearance.data
        assert float(offset[1]) == FIELD_BASELINE
