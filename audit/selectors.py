from django.db.models import QuerySet

from .models import AuditEntry

# What a list of entries shows (when, who, for which municipality, what): the rest of the
# row, the data of the decision above all, stays in the database.
LISTED_FIELDS = (
    "at", "action", "message", "procurement_id",
    "actor", "actor__first_name", "actor__last_name", "actor__username",
    "municipality", "municipality__name",
)


def audit_entries_for_procurement(*, procurement, limit: int | None = None) -> QuerySet[AuditEntry]:
    """The procurement's entries, newest first, with what a list of them shows."""
    entries = AuditEntry.objects.filter(procurement=procurement).select_related("actor", "municipality").only(*LISTED_FIELDS)
    return entries[:limit] if limit else entries
