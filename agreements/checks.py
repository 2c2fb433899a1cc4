"""A system check for the installation's sealing certificate, so a production installation
without one (or with one it cannot open) fails when it starts (collectstatic, migrate, check
--deploy) instead of at the first signature, and an expiring one is noticed a month ahead."""
import datetime
from pathlib import Path

from django.conf import settings
from django.core import checks

EXPIRY_WARNING = datetime.timedelta(days=30)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def signing_certificate_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Errors (production, where no demo certificate is made) when AGREEMENTS_SIGNING_PKCS12 or
    its passphrase is unset; anywhere a certificate is configured, errors when the file cannot
    be read or opened with the passphrase or has expired, and warns when it expires within
    30 days."""
    path = getattr(settings, "AGREEMENTS_SIGNING_PKCS12", "")
    passphrase = getattr(settings, "AGREEMENTS_SIGNING_PASSPHRASE", "")
    if not path:
        if getattr(settings, "AGREEMENTS_DEMO_CERTIFICATE", False):
            return []  # the demo and the tests make their own at first use
        return [
            checks.Error(
                "No certificate to seal signed contracts and data processing agreements with.",
                hint="Set AGREEMENTS_SIGNING_PKCS12 (a PKCS#12 file) and AGREEMENTS_SIGNING_PASSPHRASE.",
                id="agreements.E001",
            )
        ]
    if not passphrase and not getattr(settings, "AGREEMENTS_DEMO_CERTIFICATE", False):
        return [
            checks.Error(
                "AGREEMENTS_SIGNING_PKCS12 is set, but its passphrase is not.",
                hint="Set AGREEMENTS_SIGNING_PASSPHRASE: the installation's key must not lie unencrypted.",
                id="agreements.E001",
            )
        ]
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(
            Path(path).read_bytes(), passphrase.encode() if passphrase else None
        )
    except (OSError, ValueError, TypeError) as error:
        # The message names the file, never the passphrase.
        return [
            checks.Error(
                f"The sealing certificate {path} cannot be opened: {type(error).__name__}.",
                hint="Check that the file exists, is readable by the app and that AGREEMENTS_SIGNING_PASSPHRASE is its passphrase.",
                id="agreements.E002",
            )
        ]
    if key is None or certificate is None:
        return [
            checks.Error(
                f"The sealing certificate {path} holds no private key with its certificate.",
                id="agreements.E002",
            )
        ]
    expires = certificate.not_valid_after_utc
    if expires <= _now():
        return [
            checks.Error(
                f"The sealing certificate {path} expired {expires:%Y-%m-%d %H:%M} UTC.",
                hint="Install a renewed certificate (AGREEMENTS_SIGNING_PKCS12).",
                id="agreements.E003",
            )
        ]
    if expires - _now() <= EXPIRY_WARNING:
        return [
            checks.Warning(
                f"The sealing certificate {path} expires {expires:%Y-%m-%d %H:%M} UTC, within 30 days.",
                hint="Renew it before then: signed copies cannot be sealed with an expired certificate.",
                id="agreements.W001",
            )
        ]
    return []
