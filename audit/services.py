from typing import Any

from .models import AuditEntry


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
