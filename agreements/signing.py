"""The signing step behind one small interface. A signed copy (a contract or a data
processing agreement with its signature page) is sealed with a PAdES signature; today by the
installation's own certificate through pyHanko, later perhaps by BankID or another e-signature
provider: write a class with the same ``sign`` and name it in settings.AGREEMENTS_PDF_SIGNER.

The certificate: in production a PKCS#12 file and its passphrase (AGREEMENTS_SIGNING_PKCS12,
AGREEMENTS_SIGNING_PASSPHRASE). For the demo and the tests a self-signed certificate is made
with ``cryptography`` at first use under $APP_VAR_DIR/agreements/ (that directory is never
committed), never in production (AGREEMENTS_DEMO_CERTIFICATE is False there)."""
import datetime
import io
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

DEMO_DIR_NAME = "agreements"
DEMO_FILE = "demo-signing.p12"
DEMO_PASSPHRASE_FILE = "demo-signing.passphrase"


class PdfSigner(Protocol):
    """Seals PDF bytes; returns the signed PDF bytes (an incremental update of the input)."""

    def sign(self, pdf: bytes, *, reason: str, location: str = "", contact: str = "") -> bytes: ...


def _demo_certificate(directory: Path) -> tuple[bytes, bytes]:
    """The demo PKCS#12 and its passphrase, made once per var directory. Two processes
    making it at once: the first to link its file wins and the other reads that one."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    directory.mkdir(parents=True, exist_ok=True)
    target, secret = directory / DEMO_FILE, directory / DEMO_PASSPHRASE_FILE
    if not target.exists():
        passphrase = secrets.token_urlsafe(24).encode()
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, "Felles anskaffelser (demosertifikat)"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Felles anskaffelser"),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "NO"),
            ]
        )
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                    key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        blob = pkcs12.serialize_key_and_certificates(
            b"demo", key, certificate, None, serialization.BestAvailableEncryption(passphrase)
        )
        stamp = f"{os.getpid()}-{secrets.token_hex(4)}"
        tmp_p12, tmp_secret = directory / f".{DEMO_FILE}.{stamp}", directory / f".{DEMO_PASSPHRASE_FILE}.{stamp}"
        tmp_secret.write_bytes(passphrase)
        tmp_p12.write_bytes(blob)
        os.chmod(tmp_p12, 0o600)
        os.chmod(tmp_secret, 0o600)
        try:
            os.link(tmp_secret, secret)
            os.link(tmp_p12, target)
        except FileExistsError:
            pass
        finally:
            tmp_p12.unlink(missing_ok=True)
            tmp_secret.unlink(missing_ok=True)
    for _ in range(50):  # the other process links its passphrase before its certificate
        if secret.exists():
            break
    return target.read_bytes(), secret.read_bytes()


def _pkcs12() -> tuple[bytes, bytes]:
    path = getattr(settings, "AGREEMENTS_SIGNING_PKCS12", "")
    if path:
        return Path(path).read_bytes(), (settings.AGREEMENTS_SIGNING_PASSPHRASE or "").encode()
    if not getattr(settings, "AGREEMENTS_DEMO_CERTIFICATE", False):
        raise ImproperlyConfigured(
            "Set AGREEMENTS_SIGNING_PKCS12 and AGREEMENTS_SIGNING_PASSPHRASE: signed copies need the installation's certificate."
        )
    return _demo_certificate(Path(settings.VAR_DIR) / DEMO_DIR_NAME)


class InstallationCertificateSigner:
    """PAdES (ETSI.CAdES.detached) signature by the installation's certificate, with pyHanko."""

    def __init__(self, pkcs12: bytes, passphrase: bytes):
        from pyhanko.sign import signers

        self._signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=passphrase or None)
        if self._signer is None:
            raise ImproperlyConfigured("The signing certificate (PKCS#12) could not be read with the passphrase given.")

    @property
    def certificate(self):
        """The signing certificate (asn1crypto), to trust when validating in a test."""
        return self._signer.signing_cert

    def sign(self, pdf: bytes, *, reason: str, location: str = "", contact: str = "") -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        metadata = signers.PdfSignatureMetadata(
            field_name="Signatur",
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason[:200],
            location=location[:200] or None,
            contact_info=contact[:200] or None,
        )
        return signers.sign_pdf(writer, metadata, signer=self._signer).getvalue()


@lru_cache(maxsize=1)
def _installation_signer() -> InstallationCertificateSigner:
    return InstallationCertificateSigner(*_pkcs12())


def pdf_signer() -> PdfSigner:
    """The signer settings name; the installation's certificate by default (loaded once)."""
    path = getattr(settings, "AGREEMENTS_PDF_SIGNER", "agreements.signing.InstallationCertificateSigner")
    if path == "agreements.signing.InstallationCertificateSigner":
        return _installation_signer()
    return import_string(path)()
