"""The startup check of the sealing certificate (agreements.checks): production without one is
an error, a file that cannot be opened with the passphrase is an error, an expired one is an
error, one that expires within 30 days a warning; the demo and the tests need none."""
import datetime

import pytest
from django.core import checks

from agreements.checks import signing_certificate_check
from agreements.signing import InstallationCertificateSigner, _demo_certificate


def _pkcs12(directory, *, days: int, passphrase: bytes = b"hemmelig-passord") -> str:
    """A PKCS#12 file in DIRECTORY whose certificate runs out in DAYS (negative: ran out)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Testsegl")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=400))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    path = directory / f"segl-{days}.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"t", key, certificate, None, serialization.BestAvailableEncryption(passphrase)))
    return str(path)


def _ids(messages) -> list[tuple[str, int]]:
    return [(m.id, m.level) for m in messages]


@pytest.fixture
def production(settings):
    settings.AGREEMENTS_DEMO_CERTIFICATE = False
    settings.AGREEMENTS_SIGNING_PKCS12 = ""
    settings.AGREEMENTS_SIGNING_PASSPHRASE = ""
    return settings


def test_the_demo_and_the_tests_need_no_certificate(settings):
    settings.AGREEMENTS_DEMO_CERTIFICATE = True
    settings.AGREEMENTS_SIGNING_PKCS12 = ""
    assert signing_certificate_check() == []


def test_production_without_a_certificate_or_its_passphrase_is_an_error(production, tmp_path):
    assert _ids(signing_certificate_check()) == [("agreements.E001", checks.ERROR)]
    production.AGREEMENTS_SIGNING_PKCS12 = _pkcs12(tmp_path, days=365)
    assert _ids(signing_certificate_check()) == [("agreements.E001", checks.ERROR)]
    # Registered: Django's own run of the checks finds it.
    assert "agreements.E001" in [m.id for m in checks.run_checks(tags=["agreements"])]


def test_the_demo_certificate_passes_as_the_installations_certificate(production, tmp_path):
    blob, passphrase = _demo_certificate(tmp_path)
    path = tmp_path / "installasjon.p12"
    path.write_bytes(blob)
    production.AGREEMENTS_SIGNING_PKCS12 = str(path)
    production.AGREEMENTS_SIGNING_PASSPHRASE = passphrase.decode()
    assert signing_certificate_check() == []
    InstallationCertificateSigner(blob, passphrase)  # what the check accepts, the signer loads


def test_a_wrong_passphrase_or_a_missing_file_is_an_error_that_does_not_show_the_passphrase(production, tmp_path):
    production.AGREEMENTS_SIGNING_PKCS12 = _pkcs12(tmp_path, days=365)
    production.AGREEMENTS_SIGNING_PASSPHRASE = "feil-passord-123"
    (error,) = signing_certificate_check()
    assert (error.id, error.level) == ("agreements.E002", checks.ERROR)
    assert "feil-passord-123" not in error.msg + (error.hint or "")
    production.AGREEMENTS_SIGNING_PKCS12 = str(tmp_path / "finnes-ikke.p12")
    assert _ids(signing_certificate_check()) == [("agreements.E002", checks.ERROR)]
    production.AGREEMENTS_SIGNING_PKCS12 = str(tmp_path)  # a directory, not a file
    assert _ids(signing_certificate_check()) == [("agreements.E002", checks.ERROR)]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(365, []), (31, []), (29, [("agreements.W001", checks.WARNING)]), (1, [("agreements.W001", checks.WARNING)]),
     (-1, [("agreements.E003", checks.ERROR)])],
)
def test_expiry_within_30_days_warns_and_past_expiry_errors(production, tmp_path, days, expected):
    production.AGREEMENTS_SIGNING_PKCS12 = _pkcs12(tmp_path, days=days)
    production.AGREEMENTS_SIGNING_PASSPHRASE = "hemmelig-passord"
    assert _ids(signing_certificate_check()) == expected
