"""Read-only form fields whose look the signing swaps (watermark, footer, QR): add, then set.

The draft gets each field with its draft look (`fields_add`); the signing revision gives
it the issued look (`field_look_set`), which PDF viewers and pyHanko's difference
analysis treat as form filling, so every paraf made on the draft stays valid.
A look is a one-page PDF (`appearance.appearance_pdf`) imported as a form XObject.
"""

import hashlib
import io
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from layan.letters.pdf.appearance import Draw, appearance_pdf

READ_ONLY = 1
PRINT = 4  # annotation flag: printed as well as shown


@dataclass(frozen=True)
class SwappedField:
    name: str
    box: tuple[int, float, float, float, float]  # (page index, x1, y1, x2, y2)
    draw: Draw
    value: str = "draf"


class _ReproducibleWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer with the update's file ID derived from the file it
    updates rather than drawn at random: one layout renders the same draft bytes."""

    @classmethod
    def _handle_id(cls, prev):
        first, _ = super()._handle_id(prev)
        digest = hashlib.sha256(prev.stream.getvalue()).digest()[:16]
        return generic.ArrayObject([first, generic.ByteStringObject(digest)])

    def _update_meta(self):
        # pyHanko stamps /ModDate with the clock on every write; two renders either side of
        # a second would differ. The draft's dates are the rendered page's own (invariant).
        pass


def look_import(writer, pdf: bytes) -> generic.IndirectObject:
    """The first page of `pdf` as a form XObject of `writer`'s document."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return writer.import_page_as_xobject(reader, page_ix=0)


def _look(writer, width: float, height: float, draw: Draw) -> generic.IndirectObject:
    return look_import(writer, appearance_pdf(width, height, draw))


def fields_add(pdf: bytes, fields: list[SwappedField]) -> bytes:
    """`pdf` with the fields added, each showing its draft look (one incremental update)."""
    writer = _ReproducibleWriter(io.BytesIO(pdf), strict=False)
    form = writer.root["/AcroForm"]
    refs = form["/Fields"]
    for spec in fields:
        page_ref = writer.find_page_for_modification(spec.box[0])[0]
        page = page_ref.get_object()
        _, x1, y1, x2, y2 = spec.box
        widget = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Widget"),
                generic.NameObject("/FT"): generic.NameObject("/Tx"),
                generic.NameObject("/T"): generic.TextStringObject(spec.name),
                generic.NameObject("/V"): generic.TextStringObject(spec.value),
                generic.NameObject("/Ff"): generic.NumberObject(READ_ONLY),
                generic.NameObject("/F"): generic.NumberObject(PRINT),
                generic.NameObject("/DA"): generic.TextStringObject("/Helv 0 Tf 0 g"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.FloatObject(v) for v in (x1, y1, x2, y2)]
                ),
                generic.NameObject("/P"): page_ref,
                generic.NameObject("/AP"): generic.DictionaryObject(
                    {generic.NameObject("/N"): _look(writer, x2 - x1, y2 - y1, spec.draw)}
                ),
            }
        )
        ref = writer.add_object(widget)
        refs.append(ref)
        annots = page.get("/Annots")
        if annots is None:
            page[generic.NameObject("/Annots")] = generic.ArrayObject([ref])
        else:
            annots.get_object().append(ref)
            if isinstance(annots, generic.IndirectObject):
                writer.mark_update(annots)
        writer.update_container(page)
    writer.update_container(form)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def field_look_set(writer, field, value: str, draw: Draw) -> None:
    """Give a field a new value and look, drawn to the size of its box."""
    rect = [float(v) for v in field["/Rect"]]
    look = _look(writer, rect[2] - rect[0], rect[3] - rect[1], draw)
    field[generic.NameObject("/V")] = generic.TextStringObject(value)
    field[generic.NameObject("/AP")] = generic.DictionaryObject({generic.NameObject("/N"): look})
    writer.update_container(field)
