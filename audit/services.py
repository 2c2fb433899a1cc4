from typing import Any

from django.conf import settings
from django.utils import translation

from .models import AuditEntry


def record_language():
    """Audit messages are records: they are written in bokmål (the site's language) whatever
    language the person who acted reads the application in. Wrap message building in this."""
    return translation.override(settings.LANGUAGE_CODE)


def audit_record(
    *,
    actor,
    action: str,
    message: str,
    procurement=None,
    municipality=None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Called inside the caller's transaction so the entry and the change
    it describes commit or roll back together."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        message=message,
        procurement=procurement,
        municipality=municipality,
        data=data or {},
    )


def _without_nul(value):
    """VALUE with every NUL character shown as U+FFFD: PostgreSQL stores no NUL in text or JSON."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_nul(item) for item in value]
    return value


def audit_refusal(*, actor, action: str, message: str, procurement_id: int | None = None, data: dict | None = None) -> AuditEntry:
    """A refusal: written on its own, after the refused work was rolled back. The procurement
    is named only when it exists (a refusal may be about an id that does not). A refusal
    quotes what was sent, unchecked, so a NUL in it is replaced rather than refused by the
    database."""
    from django.apps import apps

    message, data = _without_nul(message), _without_nul(data or {})
    procurement = None
    if procurement_id is not None:
        procurement = apps.get_model("procurement", "Procurement").objects.filter(pk=procurement_id).first()
    return audit_record(actor=actor, action=action, message=message, procurement=procurement, data=data or {})
