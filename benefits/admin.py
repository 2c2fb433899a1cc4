"""Benefit plans and their rows are written on the benefit screens through the services;
the admin shows them. A collaboration's numbers (hours per FTE, tolerance, hourly cost)
are the administrator's to correct, through benefit_settings_save."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ServiceAdmin

from .models import Benefit, BenefitPlan, BenefitSettings, BenefitShare, Measurement, PlanVersion
from .services import benefit_settings_save


@admin.register(BenefitSettings)
class BenefitSettingsAdmin(ServiceAdmin):
    list_display = ["collaboration", "hours_per_fte", "deviation_tolerance_percent", "hourly_cost"]

    def service_save(self, request, obj, form, change):
        benefit_settings_save(actor=request.user, settings=obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BenefitPlan)
class BenefitPlanAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "gain_sharing", "updated_at"]
    list_select_related = ["procurement"]


@admin.register(Benefit)
class BenefitAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "plan", "type", "category", "planned"]
    list_select_related = ["plan__procurement"]


@admin.register(BenefitShare)
class BenefitShareAdmin(ReadOnlyAdmin):
    list_display = ["benefit", "municipality", "owner", "baseline_value", "target_value", "nok_per_year"]
    list_select_related = ["benefit", "municipality", "owner"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["share", "measured_on", "value", "deviates"]
    list_select_related = ["share__benefit", "share__municipality"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "phase", "reviewed", "created_at"]
    list_select_related = ["plan__procurement"]
    exclude = ["content"]
