from django.db.models import QuerySet

from .models import AuditEntry


def audit_entries_for_procurement(*, procurement, limit: int | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(procurement=procurement).select_related("actor", "municipality")
    return entries[:limit] if limit else entries
