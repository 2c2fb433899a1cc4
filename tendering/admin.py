"""The specification is written by its owners on its own screens, through tendering.services;
the admin shows it read-only (a hand edit would bypass the ownership, the freezing and the audit)."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import AwardCriterion, Clarification, Requirement, Specification


class RequirementInline(ReadOnlyInline):
    model = Requirement
    fields = ["ref", "category", "kind", "text", "weight", "criterion", "author"]
    show_change_link = False


class CriterionInline(ReadOnlyInline):
    model = AwardCriterion
    fields = ["name", "parent", "weight", "is_price", "status"]
    show_change_link = False


class ClarificationInline(ReadOnlyInline):
    model = Clarification
    fields = ["number", "requirement", "text", "author", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = False


@admin.register(Specification)
class SpecificationAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "state", "published_at", "price_model"]
    list_filter = ["state", "price_model"]
    search_fields = ["procurement__title"]
    list_select_related = ["procurement"]
    inlines = [CriterionInline, RequirementInline, ClarificationInline]
