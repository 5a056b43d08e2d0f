"""PAdES signatures on a letter's PDF, and their validation.

Each paraf and the signature is one incremental revision of the same PDF, so
every earlier signature stays intact. The letter's number and date are form
fields of the draft, filled in the signing revision: pyHanko's difference
analysis accepts form filling after an earlier signature, and anything else
(a changed byte of the page) makes validation fail.
"""

import asyncio
import io
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from layan.letters.keys import certificates_pem, signer_private_key
from layan.letters.models import KeySource, SignerKey
from layan.letters.pdf import FIELD_BASELINE, FIELD_FONT, FIELD_SIZE, Box

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


def _font_resource() -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject(f"/{FIELD_FONT}"),
            generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding"),
        }
    )


def _pdf_string(text: str) -> str:
    # A literal string of WinAnsi text: escape what PDF syntax reserves.
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _fill_text_field(writer: IncrementalPdfFileWriter, field, value: str) -> None:
    """Set a text field's value and draw its new appearance (the old one was the dots)."""
    rect = [float(v) for v in field["/Rect"]]
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    baseline = FIELD_BASELINE  # where the draft's dots sat: the words around it line up
    content = (
        f"/Tx BMC q BT /F1 {FIELD_SIZE} Tf 0 g 0 {baseline:.2f} Td "
        f"({_pdf_string(value)}) Tj ET Q EMC"
    ).encode("cp1252", errors="replace")
    appearance = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject(
                [
                    generic.FloatObject(0),
                    generic.FloatObject(0),
                    generic.FloatObject(width),
                    generic.FloatObject(height),
                ]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(
                {
                    generic.NameObject("/Font"): generic.DictionaryObject(
                        {generic.NameObject("/F1"): writer.add_object(_font_resource())}
                    )
                }
            ),
        },
        stream_data=content,
    )
    field["/V"] = generic.TextStringObject(value)
    field["/AP"] = generic.DictionaryObject(
        {generic.NameObject("/N"): writer.add_object(appearance)}
    )
    writer.update_container(field)


def _fill_fields(writer: IncrementalPdfFileWriter, values: dict[str, str], required) -> None:
    """Fill every field of `values` the PDF has; those in `required` must be there."""
    form = writer.root["/AcroForm"]
    found = set()
    for ref in form["/Fields"]:
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name in values:
            _fill_text_field(writer, field, values[name])
            found.add(name)
    missing = set(required) - found
    if missing:
        raise ValueError(f"PDF tidak punya isian {', '.join(sorted(missing))}")


@dataclass(frozen=True)
class SignRequest:
    field_name: str
    box: Box | None
    reason: str
    location: str
    stamp_text: str
    fill: dict[str, str] | None = None
    # Fields of `fill` the PDF must have (the others are filled where present).
    required: tuple[str, ...] = ()


def pdf_sign(pdf: bytes, *, key: SignerKey, request: SignRequest) -> bytes:
    """Add one PAdES signature (and any field values) as a new revision of `pdf`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if request.fill:
        _fill_fields(writer, request.fill, request.required)
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
        stamp_style=TextStampStyle(stamp_text=request.stamp_text, border_width=0),
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
