"""Award notices and complaints are records their services write (with the deadlines the
law ties to them): shown here, never edited. The minimum standstill periods are dated
reference data an administrator corrects, through an audited service."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ServiceAdmin

from .models import AwardNotice, Complaint, StandstillMinimum
from .services import standstill_minimum_save


@admin.register(AwardNotice)
class AwardNoticeAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "state", "sent_on", "channel", "standstill_days", "standstill_ends_on"]
    list_filter = ["state", "channel"]
    search_fields = ["procurement__title"]
    list_select_related = ["procurement"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "complainant", "received_on", "state", "resolved_at"]
    list_filter = ["state"]
    search_fields = ["procurement__title", "complainant", "summary"]
    list_select_related = ["procurement"]


@admin.register(StandstillMinimum)
class StandstillMinimumAdmin(ServiceAdmin):
    # VERIFIED is the [check] mark of the legal notes: a value not yet confirmed in its source.
    list_display = ["country", "channel", "days", "valid_from", "valid_to", "verified", "source"]
    list_filter = ["country", "channel", "verified"]
    fields = ["country", "channel", "days", "valid_from", "valid_to", "source", "verified"]

    def has_delete_permission(self, request, obj=None):
        # Award notices were sent under these rows; a rule that ends gets an end date.
        return False

    def service_save(self, request, obj, form, change):
        standstill_minimum_save(actor=request.user, minimum=obj)
