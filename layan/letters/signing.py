"""PAdES signatures on a letter's PDF, and their validation.

Each paraf and the signature is one incremental revision of the same PDF, so
every earlier signature stays intact. The letter's number and date are form
fields of the draft, filled in the signing revision, and so are the fields whose
look changes when the draft is signed (the DRAF watermark goes, the footer and the
QR come: `pdf.appearance`): pyHanko's difference analysis accepts form filling
after an earlier signature, and anything else (a changed byte of the page) makes
validation fail. The visible signature and each paraf are drawn in the letter's
own serif (`appearance.signature_drawer`, `paraf_drawer`).
"""

import asyncio
import io
import re
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from pyhanko.pdf_utils import content as pdf_content
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from layan.letters.keys import certificates_pem, signer_private_key
from layan.letters.models import KeySource, SignerKey
from layan.letters.pdf import Box
from layan.letters.pdf.appearance import Draw, appearance_pdf, field_text_drawer
from layan.letters.pdf.swapped import field_look_set, look_import

# Room for the CMS container: two 2048-bit certificates, the signature and the
# signed attributes take ~4 KB; reserving a fixed size spares pyHanko a trial signature.
SIGNATURE_BYTES = 16_384


class _PreparedSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the private key loaded once (not on every signature)."""

    def __init__(self, *, private_key, **kwargs):
        self._private_key = private_key
        super().__init__(**kwargs)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._private_key, ec.EllipticCurvePrivateKey):
            return self._private_key.sign(data, ec.ECDSA(algorithm))
        return self._private_key.sign(data, padding.PKCS1v15(), algorithm)


def pyhanko_signer(row: SignerKey) -> signers.Signer:
    """A pyHanko signer for a stored key, with its certificate chain embedded."""
    certificate, *_ = certificates_pem(row.certificate)
    # A key Layan made chains to its office's root; an imported one brought its chain.
    issuers = row.office.authority.certificate if row.source == KeySource.LAYAN else row.chain
    chain = certificates_pem(issuers)
    private_key = signer_private_key(row)
    key_info = asn1_keys.PrivateKeyInfo.load(
        private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return _PreparedSigner(
        private_key=private_key,
        signing_cert=certificate,
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


def _fill_fields(writer: IncrementalPdfFileWriter, request: "SignRequest") -> None:
    """Fill every field the request names that the PDF has; its `required` ones must be there.

    A `looks` name stands for the field of that name or each page's ("draf_p1", …).
    """
    values, looks = request.fill or {}, request.looks
    form = writer.root["/AcroForm"]
    found = set()
    for ref in form["/Fields"]:
        entry = ref.get_object()
        name = str(entry.get("/T", ""))
        if name in values:
            field_look_set(writer, entry, values[name], field_text_drawer(values[name]))
            found.add(name)
        stem = re.sub(r"_p\d+$", "", name)
        if stem in looks:
            value, draw = looks[stem]
            field_look_set(writer, entry, value, draw)
            found.add(stem)
    missing = set(request.required) - found
    if missing:
        raise ValueError(f"PDF tidak punya isian {', '.join(sorted(missing))}")


@dataclass(frozen=True)
class SignRequest:
    field_name: str
    box: Box | None
    reason: str
    location: str
    # How the visible signature looks, drawn to its box's size.
    look: Draw
    fill: dict[str, str] | None = None
    # Fields whose look is swapped: name -> (new value, how it looks now).
    looks: dict[str, tuple[str, Draw]] = field(default_factory=dict)
    # Fields of `fill` (or `looks`) the PDF must have (the others are filled where present).
    required: tuple[str, ...] = ()


class _Look(pdf_content.ImportedPdfPage):
    """A one-page PDF held in memory as a signature's look (pyHanko's reads a file)."""

    def __init__(self, pdf: bytes, width: float, height: float) -> None:
        super().__init__(file_name=None)
        self.pdf = pdf
        self.box = BoxConstraints(width=width, height=height)

    def render(self) -> bytes:
        self.resources.xobject["/Look"] = look_import(self._ensure_writer, self.pdf)
        return b"/Look Do"


def _stamp_style(request: "SignRequest") -> StaticStampStyle | None:
    if request.box is None:
        return None
    _, x1, y1, x2, y2 = request.box
    width, height = x2 - x1, y2 - y1
    look = _Look(appearance_pdf(width, height, request.look), width, height)
    return StaticStampStyle(background=look, background_opacity=1.0, border_width=0)


def pdf_sign(pdf: bytes, *, key: SignerKey, request: SignRequest) -> bytes:
    """Add one PAdES signature (and any field values) as a new revision of `pdf`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if request.fill or request.looks:
        _fill_fields(writer, request)
    meta = signers.PdfSignatureMetadata(
        field_name=request.field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=request.reason,
        location=request.location,
    )
    field_spec = None
    if request.box is not None:
        page, *box = request.box
        field_spec = fields.SigFieldSpec(
            request.field_name,
            on_page=page,
            # pyHanko annotates the box as ints but writes each corner as a PDF real:
            # a letter's boxes sit at fractions of a point.
            box=tuple(box),  # type: ignore[arg-type]
        )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=pyhanko_signer(key),
        new_field_spec=field_spec,
        stamp_style=_stamp_style(request),
    )
    out = pdf_signer.sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """One embedded signature as the validator judged it."""

    field: str
    signer: str
    signed_at: str
    intact: bool
    trusted: bool
    modification: str
    ok: bool
    covers_whole_file: bool


def pdf_signatures_check(pdf: bytes, roots) -> list[SignatureCheck]:
    """Validate every signature of a PDF against trust roots; [] when it has none.

    Raises ValueError for bytes that are not a readable PDF.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ValueError("Berkas bukan PDF yang dapat dibaca.") from exc
    return asyncio.run(_check_all(embedded, roots))


async def _check_all(embedded, roots) -> list[SignatureCheck]:
    results = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = await async_validate_pdf_signature(signature, context)
        except Exception:  # a mangled signature is a failed check, not a server error
            results.append(
                SignatureCheck(signature.field_name, "", "", False, False, "rusak", False, False)
            )
            continue
        results.append(
            SignatureCheck(
                field=signature.field_name,
                signer=status.signing_cert.subject.native.get("common_name", ""),
                signed_at=status.signer_reported_dt.isoformat()
                if status.signer_reported_dt
                else "",
                intact=bool(status.intact and status.valid),
                trusted=bool(status.trusted),
                modification=status.modification_level.name if status.modification_level else "",
                ok=bool(status.bottom_line),
                covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            )
        )
    return results
