"""The catalogue and the procurement records in the Django admin.

The catalogue (phases, deliverables, checklists, gates) is meant to be edited here. A
procurement's data is mostly edited in the app through the services; the admin may correct
descriptive fields and participation, but never the phase (a protected FSM field whose
transitions carry conditions, audit and notifications), and never signatures or document
versions, which are evidence."""
from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import (
    ChecklistItemDefinition,
    Deadline,
    DeliverableDefinition,
    DeliverableVersion,
    GateDefinition,
    GateStep,
    InformationInitiative,
    Participation,
    PhaseDefinition,
    Procurement,
    SignOff,
)
from .services.access import procurement_access_sync


class DeliverableDefinitionInline(admin.TabularInline):
    model = DeliverableDefinition
    fields = ["order", "code", "name", "name_en", "kind", "required", "description"]
    extra = 0
    show_change_link = True


class ChecklistItemDefinitionInline(admin.TabularInline):
    model = ChecklistItemDefinition
    fields = ["order", "name", "name_en"]
    extra = 0


@admin.register(PhaseDefinition)
class PhaseDefinitionAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "name_en", "guide_step"]
    list_display_links = ["code", "name"]
    ordering = ["order"]
    inlines = [DeliverableDefinitionInline, ChecklistItemDefinitionInline]


@admin.register(DeliverableDefinition)
class DeliverableDefinitionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "phase", "kind", "required"]
    list_filter = ["phase", "kind", "required"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["phase"]


class GateStepInline(admin.TabularInline):
    model = GateStep
    fields = ["order", "name", "name_en", "role", "scope", "body_kind"]
    extra = 0


class GateDefinitionForm(forms.ModelForm):
    class Meta:
        model = GateDefinition
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        phase, document = cleaned.get("phase"), cleaned.get("document")
        # A document from another phase would make the gate unpassable or pass it unseen.
        if phase and document and document.phase_id != phase.pk:
            self.add_error("document", _("Dokumentet må høre til samme fase som porten."))
        return cleaned


@admin.register(GateDefinition)
class GateDefinitionAdmin(admin.ModelAdmin):
    form = GateDefinitionForm
    list_display = ["code", "name", "phase", "document"]
    list_select_related = ["phase", "document"]
    inlines = [GateStepInline]


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["municipality", "status", "is_lead", "decline_reason", "cost_share", "answered_by", "answered_at"]
    readonly_fields = ["answered_by", "answered_at"]
    extra = 0


class DeadlineInline(admin.TabularInline):
    model = Deadline
    fields = ["kind", "phase", "title", "due_date", "done_at"]
    extra = 0


@admin.register(Procurement)
class ProcurementAdmin(admin.ModelAdmin):
    list_display = ["title", "collaboration", "state", "lead_municipality", "created_at"]
    list_filter = ["collaboration", "state", "funding"]
    search_fields = ["title", "description"]
    list_select_related = ["collaboration", "lead_municipality"]
    # The region and the reporter fix who may see the case; moving them would orphan its
    # access, participations and audit trail.
    readonly_fields = [
        "state",
        "collaboration",
        "lead_municipality",
        "reported_by",
        "invitations_sent_at",
        "created_at",
        "updated_at",
    ]
    exclude = ["draft_benefit_plan"]
    inlines = [ParticipationInline, DeadlineInline]

    def has_add_permission(self, request):
        # A case is born through procurement_report: lead participation, access and audit.
        return False

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            procurement_access_sync(procurement=form.instance)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["procurement", "municipality", "status", "is_lead", "cost_share"]
    list_filter = ["status", "municipality"]
    search_fields = ["procurement__title", "municipality__name"]
    list_select_related = ["procurement", "municipality"]
    readonly_fields = ["answered_by", "answered_at"]

    # Participation decides who sees and contributes to the case.
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            procurement_access_sync(procurement=obj.procurement)

    def delete_model(self, request, obj):
        procurement = obj.procurement
        with transaction.atomic():
            super().delete_model(request, obj)
            procurement_access_sync(procurement=procurement)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            procurements = {p.procurement for p in queryset.select_related("procurement")}
            super().delete_queryset(request, queryset)
            for procurement in procurements:
                procurement_access_sync(procurement=procurement)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["title", "procurement", "kind", "phase", "due_date", "done_at"]
    list_filter = ["kind", "phase"]
    search_fields = ["title", "procurement__title"]
    list_select_related = ["procurement"]


@admin.register(InformationInitiative)
class InformationInitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "collaboration", "reported_by", "created_at"]
    list_filter = ["collaboration", "municipality"]
    search_fields = ["title", "description"]
    list_select_related = ["municipality", "collaboration", "reported_by"]


class EvidenceAdmin(admin.ModelAdmin):
    """Signatures and document versions are what sign-offs are checked against: viewable,
    never added, edited or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignOff)
class SignOffAdmin(EvidenceAdmin):
    list_display = ["procurement", "step", "slot", "person", "decision", "signed_at", "voided_at"]
    list_filter = ["decision", "step__gate"]
    search_fields = ["procurement__title", "person__username"]
    list_select_related = ["procurement", "step", "person"]


@admin.register(DeliverableVersion)
class DeliverableVersionAdmin(EvidenceAdmin):
    list_display = ["deliverable", "number", "original_name", "size", "created_by", "created_at"]
    search_fields = ["deliverable__procurement__title", "original_name"]
    list_select_related = ["deliverable__definition", "deliverable__procurement", "created_by"]
    # MEDIA_URL is never served; downloads go through the app's permission-checked view.
    exclude = ["file"]
