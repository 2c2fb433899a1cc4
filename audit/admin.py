"""The audit log is append-only (the model and, on PostgreSQL, a trigger refuse anything
else): the admin shows it and nothing more."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "procurement", "municipality", "message"]
    list_filter = ["action"]
    search_fields = ["message", "actor__username"]
    list_select_related = ["actor", "procurement", "municipality"]
