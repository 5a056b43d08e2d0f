"""Signer keys: made from the office root, or imported from a PKCS#12 of another CA."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from layan.catalogue.schema import StepKind
from layan.letters.keys import (
    SigningKeyError,
    office_authority,
    signer_key_for,
    signer_key_import_pkcs12,
)
from layan.letters.models import KeySource, Letter, SignerKey
from layan.letters.services import letter_current_pdf
from layan.letters.verification import letter_verify_pdf
from layan.offices.models import Office

pytestmark = pytest.mark.django_db


def _ca_pkcs12(password: bytes, *, expired=False) -> bytes:
    """A PKCS#12 as a national CA would issue it: an ECDSA key, its certificate and the CA."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Uji Nasional")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    end = now - datetime.timedelta(days=1) if expired else now + datetime.timedelta(days=365)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kadin Bersertifikat")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
        .not_valid_before(now - datetime.timedelta(days=2)).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    return pkcs12.serialize_key_and_certificates(
        b"kadin", key, cert, [ca], serialization.BestAvailableEncryption(password)
    )


def test_office_root_is_made_once_and_signs_signer_certificates(seeded, make_user):
    office = Office.objects.get(slug="bone")
    root = office_authority(office)
    assert office_authority(office).pk == root.pk
    key = signer_key_for(office, make_user("ttd", bone=["kadin"]))
    certificate = x509.load_pem_x509_certificate(key.certificate.encode())
    issuer = x509.load_pem_x509_certificate(root.certificate.encode())
    assert certificate.issuer == issuer.subject
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert b"PRIVATE KEY" not in bytes(key.key)  # stored sealed, never in the clear


def test_a_pkcs12_key_signs_and_its_ca_is_trusted(walk, make_user):
    case, user = walk("bone", until=StepKind.SIGN, name="Pkcs")
    signer_key_import_pkcs12(office=case.office, user=user, data=_ca_pkcs12(b"rahasia"),
                             password="rahasia")  # fmt: skip
    assert SignerKey.objects.get(user=user, is_active=True).source == KeySource.PKCS12
    from layan.cases.services import case_act
    from layan.cases.testing import PASSWORD

    case_act(case_id=case.pk, user=user, step="ttd_kadin", outcome="setuju",
             data={"password": PASSWORD})  # fmt: skip
    result = letter_verify_pdf(letter_current_pdf(Letter.objects.get(case=case)))
    assert result.valid, result.reasons
    assert result.signatures[-1].signer == "Kadin Bersertifikat"


@pytest.mark.parametrize(
    ("data", "password", "message"),
    [
        (None, "salah", "kata sandi salah"),
        (b"bukan pkcs12", "x", "tidak dapat dibuka"),
        ("expired", "rahasia", "kedaluwarsa"),
    ],
)
def test_a_bad_pkcs12_is_refused_with_the_reason(seeded, make_user, data, password, message):
    office = Office.objects.get(slug="bone")
    user = make_user("kadin.p12", bone=["kadin"])
    if data is None:
        data = _ca_pkcs12(b"rahasia")
    elif data == "expired":
        data = _ca_pkcs12(b"rahasia", expired=True)
    with pytest.raises(SigningKeyError, match=message):
        signer_key_import_pkcs12(office=office, user=user, data=data, password=password)
    assert not SignerKey.objects.filter(user=user).exists()


def test_letter_keys_command_makes_roots_and_keys_once(seeded, make_user):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    make_user("kabid.bone", bone=["kabid"])
    out = StringIO()
    call_command("letter_keys", stdout=out)
    call_command("letter_keys", office="bone", stdout=out)
    assert "bone: sertifikat induk SHA-256" in out.getvalue()
    assert SignerKey.objects.filter(office__slug="bone").count() == 1
    with pytest.raises(CommandError, match="--office dan --user"):
        call_command("letter_keys", pkcs12="x.p12")
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("letter_keys", office="tidak-ada")
