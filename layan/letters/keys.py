"""Keys and certificates of an office's signers.

On first use an office gets its own root certificate, and each signer a key
and certificate issued by it (key usage: digital signature and non-repudiation,
as a signing certificate needs). An office can instead give a signer a PKCS#12
issued by a real CA (for example BSrE). Private keys are stored encrypted with
AES-GCM under a key derived from LAYAN_LETTER_KEY_SECRET, bound to their row.
"""

import base64
import datetime
import hashlib
import os
from functools import lru_cache

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, transaction

from layan.letters.models import KeySource, OfficeAuthority, SignerKey
from layan.offices.models import Membership, Office

ROOT_YEARS = 20
SIGNER_YEARS = 5
KEY_BITS = 2048


class SigningKeyError(Exception):
    """A key or certificate that cannot be used; the message says why (Bahasa Indonesia)."""


def _aead() -> AESGCM:
    secret = settings.LETTER_KEY_SECRET.encode()
    return AESGCM(hashlib.sha256(b"layan-letter-keys\0" + secret).digest())


def _seal(der: bytes, purpose: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + _aead().encrypt(nonce, der, purpose.encode())


def _unseal(blob: bytes, purpose: str) -> bytes:
    blob = bytes(blob)
    return _aead().decrypt(blob[:12], blob[12:], purpose.encode())


def _key_der(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _name(office: Office, common_name: str, title: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(
            NameOID.ORGANIZATION_NAME, office.government[:64] or "Pemerintah Daerah"
        ),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, office.name[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
    ]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title[:64]))
    return x509.Name(attributes)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def office_authority(office: Office) -> OfficeAuthority:
    """The office's root certificate, made on first use (once, even when two ask at once)."""
    existing = OfficeAuthority.objects.filter(office=office).first()
    if existing:
        return existing
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = _name(office, f"Layan Root CA {office.name}")
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    try:
        with transaction.atomic():
            return OfficeAuthority.objects.create(
                office=office,
                certificate=certificate.public_bytes(serialization.Encoding.PEM).decode(),
                key=_seal(_key_der(key), f"authority:{office.pk}"),
            )
    except IntegrityError:  # another process made it first: use theirs
        return OfficeAuthority.objects.get(office=office)


def _authority_key(authority: OfficeAuthority):
    der = _unseal(authority.key, f"authority:{authority.office_id}")
    return serialization.load_der_private_key(der, None)


def signer_key_for(office: Office, user) -> SignerKey:
    """The active key of a user at an office; issued by the office's root on first use."""
    existing = SignerKey.objects.filter(office=office, user=user, is_active=True).first()
    if existing:
        return existing
    authority = office_authority(office)
    issuer = x509.load_pem_x509_certificate(authority.certificate.encode())
    issuer_key = _authority_key(authority)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(office, user.full_name or user.username, _position(office, user)))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )
    return _signer_key_store(office, user, KeySource.LAYAN, certificate, key, chain=[])


def _position(office: Office, user) -> str:
    membership = user.memberships.filter(office=office, is_active=True).exclude(position="").first()
    return membership.position if membership else ""


def _signer_key_store(office, user, source, certificate, key, *, chain) -> SignerKey:
    pem = serialization.Encoding.PEM
    try:
        with transaction.atomic():
            SignerKey.objects.filter(office=office, user=user, is_active=True).update(
                is_active=False
            )
            row = SignerKey.objects.create(
                office=office, user=user, source=source,
                certificate=certificate.public_bytes(pem).decode(),
                chain="".join(c.public_bytes(pem).decode() for c in chain), key=b"",
            )  # fmt: skip
            # The key is sealed to its own row: a copied blob does not open elsewhere.
            row.key = _seal(_key_der(key), f"signer:{row.pk}")
            row.save(update_fields=["key"])
            return row
    except IntegrityError:  # two first signings at once: the other one made it
        return SignerKey.objects.get(office=office, user=user, is_active=True)


def signer_key_import_pkcs12(*, office: Office, user, data: bytes, password: str) -> SignerKey:
    """Give a signer a key from a PKCS#12 file (e.g. issued by a national CA)."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError as exc:
        raise SigningKeyError(
            "Berkas PKCS#12 tidak dapat dibuka: kata sandi salah atau berkas rusak."
        ) from exc
    if key is None or certificate is None:
        raise SigningKeyError("Berkas PKCS#12 harus berisi kunci privat dan sertifikatnya.")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningKeyError("Jenis kunci tidak didukung; pakai RSA atau ECDSA.")
    if key.public_key() != certificate.public_key():
        raise SigningKeyError("Kunci privat tidak cocok dengan sertifikatnya.")
    if certificate.not_valid_after_utc < _now():
        raise SigningKeyError("Sertifikat dalam berkas PKCS#12 sudah kedaluwarsa.")
    return _signer_key_store(office, user, KeySource.PKCS12, certificate, key, chain=chain or [])


@lru_cache(maxsize=256)
def _private_key(pk: int, blob: bytes):
    # Keys are checked when made or imported; skipping RSA's validation on load
    # saves ~40 ms per signature (the cache keeps them per process anyway).
    der = _unseal(blob, f"signer:{pk}")
    return serialization.load_der_private_key(der, None, unsafe_skip_rsa_key_validation=True)


def signer_private_key(row: SignerKey):
    return _private_key(row.pk, bytes(row.key))


def certificates_pem(pem: str) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM text, as asn1crypto objects (what pyHanko takes)."""
    return [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in x509.load_pem_x509_certificates(pem.encode())
    ] if pem.strip() else []  # fmt: skip


def trust_roots() -> list[asn1_x509.Certificate]:
    """What a Layan letter may chain to: every office root, and the roots of imported chains."""
    roots = [certificates_pem(a.certificate)[0] for a in OfficeAuthority.objects.all()]
    for chain in SignerKey.objects.filter(source=KeySource.PKCS12).values_list("chain", flat=True):
        roots += [c for c in certificates_pem(chain) if c.self_signed in ("yes", "maybe")]
    return roots


def fingerprint(pem: str) -> str:
    """SHA-256 of a certificate's DER, as shown to people comparing certificates."""
    der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
    return base64.b16encode(hashlib.sha256(der).digest()).decode()


# Roles whose holders initial or sign letters in the bundled SOPs.
SIGNING_ROLES = ("supervisor", "kabid", "sekretaris", "kadin")


def signer_keys_ensure(office: Office) -> list[SignerKey]:
    """The office root and a key for every active holder of a signing role (first run)."""
    office_authority(office)
    holders = (
        Membership.objects.filter(office=office, role__in=SIGNING_ROLES, is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    users = {m.user_id: m.user for m in holders}
    return [signer_key_for(office, user) for user in users.values()]
