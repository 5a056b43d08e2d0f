"""The rules of an uploaded scan, written once for every page and API that takes one:
its size, its type as its first bytes say, and whether a real parser can open it;
and the answer to a body too large to read at all (UploadLimitMiddleware)."""

import io
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader

logger = logging.getLogger(__name__)


def megabytes(limit_bytes: int) -> str:
    """'10 MB', '1,5 MB': a limit as people read it (decimal megabytes, Indonesian comma)."""
    if limit_bytes < 1_000_000:
        return f"{limit_bytes // 1000} KB"
    whole, rest = divmod(limit_bytes, 1_000_000)
    if rest == 0:
        return f"{whole} MB"
    return f"{limit_bytes / 1_000_000:.1f}".replace(".", ",") + " MB"


def upload_size_problem(upload: UploadedFile, limit_bytes: int) -> str:
    """Why the file is refused for its size, in Bahasa Indonesia; '' when it may be read."""
    # Django's upload handlers always count the size; only a file made by hand has None.
    size = upload.size or 0
    if size > limit_bytes:
        return f"Berkas lebih dari {megabytes(limit_bytes)}."
    if size == 0:
        return "Berkas kosong."
    return ""


# Magic numbers of the scan types accepted; the file name is not trusted.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first bytes, or None for anything else."""
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


# What a scan may be, in the order above (the API documents the download's types).
SCAN_TYPES = tuple(content_type for _, content_type, _ in _SIGNATURES)
# The accept= of a file input and the words of a form, from the same table.
SCAN_ACCEPT = ",".join(SCAN_TYPES)
SCAN_TYPE_WORDS = "PDF, JPEG atau PNG"


def scan_hint(limit_bytes: int) -> str:
    """What a form says next to its file input: 'PDF, JPEG atau PNG, paling besar 10 MB'."""
    return f"{SCAN_TYPE_WORDS}, paling besar {megabytes(limit_bytes)}"


class ScanRefused(ValueError):
    """A scan that will not be kept; the message names the file and says why, in Indonesian."""


def scan_examine(upload: UploadedFile, *, limit_bytes: int) -> tuple[str, str]:
    """(content type, extension) of a scan that may be kept; ScanRefused says why not.

    The first bytes say what the file claims to be; then the parser of that type
    must open it, so a truncated file, a 9-byte "PDF" or an executable behind a
    PDF header is refused before it is stored.
    """
    name = upload.name or "tanpa nama"
    if problem := upload_size_problem(upload, limit_bytes):
        raise ScanRefused(f"“{name}”: {problem[0].lower()}{problem[1:]}")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    sniffed = sniff_content_type(data[:16])
    if sniffed is None:
        raise ScanRefused(
            f"“{name}” bukan {SCAN_TYPE_WORDS} (diperiksa dari isinya, bukan dari namanya)."
        )
    content_type, _extension = sniffed
    reader = _pdf_problem if content_type == "application/pdf" else _image_problem
    if problem := reader(data, content_type):
        raise ScanRefused(f"“{name}” ditolak: {problem}.")
    return sniffed


# ---- PDF -------------------------------------------------------------------------------

# A scan of a KK or an akta is pages of pictures; it never needs to run a script,
# start a program or carry other files, and a viewer on an officer's desk may do all
# three. Names as the parser reads them (a hex-escaped /Java#53cript included).
_ACTIVE = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/Launch": "perintah menjalankan program",
    "/EmbeddedFile": "berkas sisipan",
    "/EmbeddedFiles": "berkas sisipan",
    "/RichMedia": "media sisipan",
}
# Objects walked at most: a scan has hundreds; more is a file built to keep us busy.
_PDF_MAX_OBJECTS = 100_000
# A PDF starts with its version ('%PDF-1.7'); '%PDF-MZ…' is a program dressed as one.
_HEADER = re.compile(rb"%PDF-[12]\.\d\s")
# What may follow the last %%EOF: line ends and padding, never another file.
_AFTER_EOF = re.compile(rb"%%EOF[\s\x00]*\Z")


def _pdf_problem(data: bytes, content_type: str) -> str:
    """Why pyHanko's reader (strict, with its decode limits) cannot take this as a scan."""
    if not _HEADER.match(data):
        return "bukan PDF: sesudah “%PDF-” tidak ada nomor versinya"
    if not _AFTER_EOF.search(data[-1024:]):
        return (
            "PDF tidak utuh: penanda akhir berkas (%%EOF) tidak ada, atau ada data lain sesudahnya"
        )
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        if reader.encrypted and reader.decrypt("").status == AuthStatus.FAILED:
            return "PDF dikunci dengan kata sandi; unggah salinan tanpa kata sandi"
        pages = reader.root["/Pages"]["/Count"]
        if not isinstance(pages, int) or pages < 1:
            return "PDF tidak berisi halaman"
        _first_page_read(reader)
        active = _active_content(reader)
    except Exception as exc:
        # Any failure of the parser on an uploaded file means the file is unreadable:
        # pyHanko raises its own errors, but also KeyError, TypeError, … on broken files.
        logger.info("PDF upload not readable: %r", exc)
        return "PDF tidak dapat dibaca (rusak, terpotong, atau bukan PDF)"
    if active:
        return (
            f"PDF berisi {active}, yang tidak pernah diperlukan pindaian dokumen; "
            "pindai ulang atau cetak ulang ke PDF biasa"
        )
    return ""


def _first_page_read(reader: PdfFileReader) -> None:
    """Find page 1 in the page tree and decode its content streams, as a viewer would."""
    page_ref, _resources = reader.find_page_for_modification(0)
    contents = page_ref.get_object().get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
    for stream in streams:
        stream = stream.get_object()
        if not isinstance(stream, generic.StreamObject):
            raise ValueError("page content is not a stream")
        stream.data  # noqa: B018 - decoding is the check (pyHanko bounds the expansion)


def _active_content(reader: PdfFileReader) -> str:
    """The first active thing the document holds, named as people know it; '' for none."""
    seen: set[generic.Reference] = set()
    todo: list[Any] = [reader.trailer_view]
    while todo:
        obj = todo.pop()
        if isinstance(obj, generic.IndirectObject):
            if obj.reference in seen:
                continue
            seen.add(obj.reference)
            if len(seen) > _PDF_MAX_OBJECTS:
                raise ValueError("too many objects for a scan")
            todo.append(obj.get_object())
        elif isinstance(obj, generic.DictionaryObject):  # a stream's dictionary too
            for name in obj:
                value = obj.raw_get(name)
                if found := _ACTIVE.get(name) or _ACTIVE.get(_name_of(value)):
                    return found
                todo.append(value)
        elif isinstance(obj, generic.ArrayObject):
            todo.extend(obj.iterate())
    return ""


def _name_of(value: Any) -> str:
    return str(value) if isinstance(value, generic.NameObject) else ""


# ---- images ----------------------------------------------------------------------------

# The largest picture decoded: 50 megapixels is a 48 MP phone camera or an A3 page at
# 500 dpi, and takes ~150 MB to decode. Above it, a small file could fill a worker's
# memory (a decompression bomb); Pillow's own alarm sits higher (~179 MP).
SCAN_MAX_PIXELS = 50_000_000
_PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def _image_problem(data: bytes, content_type: str) -> str:
    """Why Pillow cannot decode this as the image its first bytes say it is."""
    expected = _PILLOW_FORMATS[content_type]
    try:
        with Image.open(io.BytesIO(data), formats=[expected]) as image:
            image.verify()  # the file's structure (PNG: every chunk's checksum)
        with Image.open(io.BytesIO(data), formats=[expected]) as image:
            width, height = image.size
            if width * height > SCAN_MAX_PIXELS:
                return (
                    f"gambar {width} x {height} piksel terlalu besar "
                    f"(paling banyak {SCAN_MAX_PIXELS // 1_000_000} juta piksel)"
                )
            if image.format != expected:
                return f"isinya bukan {expected}"
            image.load()  # every pixel decoded: a truncated scan fails here
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:  # fmt: skip
        logger.info("Image upload not readable: %s", exc)
        return f"gambar {expected} tidak dapat dibaca (rusak atau terpotong)"
    return ""


# ---- bodies too large to read ------------------------------------------------------------

# The form's other fields and the multipart boundaries, above the file's own limit. A
# file just over its limit is read and refused by the size rule, with the form kept.
UPLOAD_ENVELOPE_BYTES = 1_000_000


def upload_limit_of(request: HttpRequest) -> int | None:
    """The file limit of the upload address the request is for (settings.UPLOAD_LIMITS)."""
    match = request.resolver_match
    if match is None or request.method != "POST":
        return None
    setting = settings.UPLOAD_LIMITS.get(match.view_name)
    return getattr(settings, setting) if setting else None


class UploadLimitMiddleware:
    """Refuse an upload larger than its address allows from its Content-Length, with 413,
    before anything reads the body: placed ahead of CsrfViewMiddleware, which reads the
    form (and so the whole upload) for its token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        limit = upload_limit_of(request)
        if limit is None:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length <= limit + UPLOAD_ENVELOPE_BYTES:
            return None
        # The unread body is the server's to discard (WSGI leaves the connection to it).
        return _too_large(request, limit)


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    reason = f"Berkas terlalu besar: paling besar {megabytes(limit)}."
    match = request.resolver_match
    if match is not None and match.namespace == "api":
        # The API's one error shape (layan/api.py), written here: core sits below it.
        body = {"detail": reason, "errors": [{"field": "file", "reason": reason}]}
        return JsonResponse(body, status=413, content_type="application/json; charset=utf-8")
    # The upload address itself takes only POST: the way back is the page the form was on.
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "413.html", {"reason": reason, "back": back}, status=413)
