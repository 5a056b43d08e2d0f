"""A letter a head of office would sign: the draft says DRAF and nothing of a signature;
the signed letter's visible signature, in the letter's serif, stands clear of the stamp's
circle and of every line of text. Read back with pdftotext -bbox, pdfsig, zbarimg and
pyHanko's reader."""

import io
import math
import re
import subprocess
from html import unescape

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from layan.cases.services import case_act
from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind
from layan.core.testing import require_tool
from layan.letters.models import Letter
from layan.letters.pdf import letter_render
from layan.letters.services import letter_current_pdf
from layan.letters.tests.test_pdf import PLT_SIGNER, _batch, _letter

Rect = tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom left
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def _words(pdf: bytes, tmp_path, page: int = 1) -> list[tuple[str, Rect]]:
    """Every word poppler finds on a page (annotation looks included), with its box."""
    path = tmp_path / "surat.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        [require_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), path, "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = _PAGE.search(html)
    assert found, html[:500]
    height = float(found[2])
    words = [
        (unescape(word), (float(x1), height - float(y2), float(x2), height - float(y1)))
        for x1, y1, x2, y2, word in _WORD.findall(found[3])
    ]
    # The DRAF watermark crosses the page on purpose, light and see-through; letters'
    # words are at most a line high.
    return [(word, box) for word, box in words if box[3] - box[1] < 3 * 15]


def _text(pdf: bytes, tmp_path, page: int | None = None) -> str:
    path = tmp_path / "teks.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run([require_tool("pdftotext"), *pages, path, "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return " ".join(out.split())


def _apart(first: Rect, second: Rect) -> bool:
    return (
        first[2] <= second[0]
        or second[2] <= first[0]
        or first[3] <= second[1]
        or (second[3] <= first[1])
    )


def _circle_clear_of(centre: tuple[float, float], radius: float, rect: Rect) -> bool:
    """The nearest point of the rectangle lies outside the circle."""
    x = min(max(centre[0], rect[0]), rect[2])
    y = min(max(centre[1], rect[1]), rect[3])
    return math.hypot(x - centre[0], y - centre[1]) >= radius


def _circle(stamp) -> tuple[tuple[float, float], float]:
    _, x1, y1, x2, y2 = stamp
    return ((x1 + x2) / 2, (y1 + y2) / 2), (x2 - x1) / 2


def _assert_clear(signature, stamp, words) -> None:
    sig = tuple(signature[1:])
    centre, radius = _circle(stamp)
    assert _circle_clear_of(centre, radius, sig), "the signature overlaps the stamp's circle"
    for word, box in words:
        if word in {"tempat", "stempel"}:  # the circle's own label
            continue
        assert _apart(sig, box), f"the signature's box overlaps '{word}'"
        assert _circle_clear_of(centre, radius, box), f"the stamp's circle overlaps '{word}'"


def test_signature_box_stamp_and_text_never_overlap(tmp_path):
    rendered = letter_render(_letter())
    words = _words(rendered.pdf, tmp_path)
    _assert_clear(rendered.signature_box, rendered.stamp_box, words)
    # Inside the signature block: right of the stamp, under the jabatan, above the name.
    by_word = dict(words)
    title, name = by_word["Plt."], by_word["SALAHUDDIN"]
    sig = rendered.signature_box
    assert sig[1] >= title[0] and sig[4] < title[1] and sig[2] > name[3]
    assert sig[3] <= 595.276 - 25 * 72 / 25.4 + 0.01  # within the text column


def test_a_long_title_and_name_still_keep_clear(tmp_path):
    from dataclasses import replace

    signer = replace(
        PLT_SIGNER,
        name="Dr. Hj. ANDI MUHAMMAD SALAHUDDIN RAHMAN, S.Sos., M.Si.",
        title_lines=["Plt. Kepala Dinas Sosial Kabupaten Pangkajene dan Kepulauan,"],
    )
    rendered = letter_render(_letter(signer=signer))
    words = _words(rendered.pdf, tmp_path)
    _assert_clear(rendered.signature_box, rendered.stamp_box, words)


def test_a_draft_says_draf_on_every_page_and_nothing_of_a_signature(tmp_path):
    rendered = letter_render(_batch(40))
    assert rendered.pages >= 2
    for page in range(1, rendered.pages + 1):
        text = _text(rendered.pdf, tmp_path, page)
        assert "DRAF" in text and "belum ditandatangani" in text
        assert "ditandatangani secara elektronik" not in text.lower()
    _assert_no_qr(rendered.pdf, tmp_path)


def _qr_read(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    subprocess.run([require_tool("pdftoppm"), "-r", "150", "-png", "-f", "1", "-l", "1", path,
                    tmp_path / "qr"], check=True)  # fmt: skip
    png = next(tmp_path.glob("qr*.png"))
    return subprocess.run([require_tool("zbarimg"), "--raw", "-q", png], capture_output=True,
                          text=True).stdout.strip()  # fmt: skip


def _assert_no_qr(pdf: bytes, tmp_path) -> None:
    assert _qr_read(pdf, tmp_path) == ""


def _appearance_fonts(pdf: bytes, field: str) -> set[str]:
    """The fonts a field's look uses (through the form XObjects it draws)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    for ref in reader.root["/AcroForm"]["/Fields"]:
        entry = ref.get_object()
        if str(entry.get("/T")) == field:
            return _fonts_in(entry["/AP"]["/N"].get_object())
    raise AssertionError(f"no field {field}")


def _fonts_in(xobject, seen=None) -> set[str]:
    seen = seen if seen is not None else set()
    resources = xobject.get("/Resources")
    names: set[str] = set()
    if resources is None or id(xobject) in seen:
        return names
    seen.add(id(xobject))
    resources = resources.get_object()
    fonts = resources.get("/Font")
    for font in (fonts.get_object() if fonts is not None else {}).values():
        names.add(str(font.get_object()["/BaseFont"]))
    inners = resources.get("/XObject")
    for inner in (inners.get_object() if inners is not None else {}).values():
        names |= _fonts_in(inner.get_object(), seen)
    return names


@pytest.fixture
def signed(walk, make_user):
    kadin = make_user("andi.kadin", bone=["kadin"])
    kadin.full_name, kadin.nip = "Andi Kepala, S.Sos", "197001011990031001"
    kadin.save()
    case, _ = walk("bone", until=StepKind.SIGN, name="Siti")
    draft = letter_current_pdf(Letter.objects.get(case=case))
    case_act(case_id=case.pk, user=kadin, step="ttd_kadin", outcome="setuju",
             data={"password": PASSWORD})  # fmt: skip
    letter = Letter.objects.get(case=case)
    return letter, draft, letter_current_pdf(letter)


@pytest.mark.django_db
def test_the_signed_letter_loses_draf_and_gains_notice_and_qr(signed, tmp_path, settings):
    letter, draft, pdf = signed
    before = _text(draft, tmp_path)
    assert "DRAF" in before and "ditandatangani secara elektronik" not in before.lower()
    _assert_no_qr(draft, tmp_path)
    after = _text(pdf, tmp_path)
    assert "DRAF" not in after and "belum ditandatangani" not in after
    assert "Dokumen ini ditandatangani secara elektronik" in after
    assert "Ditandatangani secara elektronik Andi Kepala, S.Sos" in after
    assert letter.number in after
    assert _qr_read(pdf, tmp_path) == f"{settings.PUBLIC_URL}/verifikasi/{letter.verify_code}/"


@pytest.mark.django_db
def test_the_visible_signature_is_in_the_letters_serif_and_clear(signed, tmp_path):
    letter, _, pdf = signed
    # The shipped Liberation Serif, embedded; reportlab names Helvetica as every page's
    # starting font, and nothing is set in it.
    fonts = _appearance_fonts(pdf, "ttd") - {"/Helvetica"}
    assert fonts and all("LiberationSerif" in font for font in fonts), fonts
    assert not any("Courier" in font for font in _appearance_fonts(pdf, "paraf_kabid"))
    # The widget sits where the renderer left room, and nothing printed overlaps it.
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    rects = {
        str(ref.get_object()["/T"]): [float(v) for v in ref.get_object()["/Rect"]]
        for ref in reader.root["/AcroForm"]["/Fields"]
    }
    assert rects["ttd"] == pytest.approx(letter.boxes["signature"][1:], abs=0.01)
    stamp = letter.boxes.get("stamp")
    words = [(w, box) for w, box in _words(pdf, tmp_path) if not _inside(box, rects["ttd"])]
    _assert_clear(letter.boxes["signature"], stamp, words)


def _inside(box: Rect, rect) -> bool:
    return rect[0] <= box[0] and box[2] <= rect[2] and rect[1] <= box[1] and box[3] <= rect[3]
