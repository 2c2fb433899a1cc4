"""Process templates, their versions and catalogues, and the procurement records in the
Django admin.

A process version is edited only while it is a draft: its note, phases, deliverables,
checklists, gates and steps are saved through procurement.services.process (audited), and
a published version is shown read-only everywhere, with the way to change it (make a
draft from it, edit, publish). A procurement's descriptive fields are corrected through
procurement_details_update; everything else about a case changes in the app through its
services, so it is read-only here, and signatures, document versions and phase changes
are evidence."""
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin
from core.forms import BokmalForm, add_service_error
from core.ids import id_from
from municipalities.models import Body, Collaboration
from municipalities.roles import Role

from .engine.records import record_kind_choices
from .models import (
    NAMED_DEADLINE_KINDS,
    ChecklistItemDefinition,
    Deadline,
    DeclaredHoliday,
    DeliverableDefinition,
    DeliverableVersion,
    GateDefinition,
    GateKind,
    GateStep,
    InformationInitiative,
    Participation,
    PhaseChange,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
    Procurement,
    SignOff,
)
from .services.details import DETAIL_FIELDS, procurement_details_update
from .services.holidays import declared_holiday_delete, declared_holiday_save
from .services.process import (
    catalogue_row_delete,
    catalogue_row_save,
    catalogue_version_of,
    process_version_draft_from,
    process_version_publish,
    process_version_publish_problems,
)

# --------------------------------------------------------------------------------------
# Process versions: drafts are edited, published versions only shown
# --------------------------------------------------------------------------------------


def _published(obj) -> bool:
    return obj is not None and catalogue_version_of(obj).is_published


def in_use_label(count: int) -> str:
    return ngettext("i bruk av %(count)d anskaffelse", "i bruk av %(count)d anskaffelser", count) % {"count": count}


def version_notice(version: ProcessVersion | None) -> str:
    if version is None:
        return gettext("Nye rader legges bare til i et utkast. Publiserte versjoner endres ikke.")
    if version.is_published:
        return gettext(
            "«%(version)s» er publisert og kan ikke endres: anskaffelser som følger den, og deres utskrifter, beholder den. "
            "For å endre prosessen: lag et nytt utkast fra denne versjonen, endre utkastet og publiser det."
        ) % {"version": version}
    return gettext(
        "«%(version)s» er et utkast. Endringene gjelder nye anskaffelser først når utkastet er publisert."
    ) % {"version": version}


class CatalogueAdmin(ServiceAdmin):
    """A catalogue row (or a version) of a draft is written through catalogue_row_save and
    deleted through catalogue_row_delete; one of a published version cannot be changed."""

    change_form_template = "admin/procurement/catalogue_change_form.html"

    def has_change_permission(self, request, obj=None):
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _published(obj) and super().has_delete_permission(request, obj)

    def service_save(self, request, obj, form, change):
        catalogue_row_save(actor=request.user, obj=obj)

    def service_delete(self, request, obj):
        catalogue_row_delete(actor=request.user, obj=obj)

    def inline_save(self, request, obj):
        catalogue_row_save(actor=request.user, obj=obj)

    def inline_delete(self, request, obj):
        catalogue_row_delete(actor=request.user, obj=obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        version = catalogue_version_of(obj) if obj is not None else None
        context.update(process_version=version, process_notice=version_notice(version))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class TakesItsGatesAlong:
    """A phase or a draft is deleted with its gates (catalogue_row_delete deletes them
    first). Django's confirmation page counts a gate as protecting its document and would
    refuse; any protection that really stands is refused by the service with a message."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return [*deleted, *protected], model_count, perms_needed, []


class CatalogueInline(admin.TabularInline):
    """Rows of a draft's phase, gate or version; read-only under a published version."""

    extra = 0

    def _editable(self, parent) -> bool:
        return not _published(parent)

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


def _drafts_only(queryset):
    return queryset.filter(version__published_at__isnull=True)


class DraftPhaseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PhaseDefinition) -> str:
        return f"{obj.version} – {obj.name}"


class RolesField(forms.MultipleChoiceField):
    """A list of roles (stored as a JSON list) ticked in checkboxes; anything that is not a
    role is refused in the form."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, required=False, **kwargs)


class PhaseRowForm(forms.ModelForm):
    """A deliverable or gate belongs to a phase of a draft, and to the phase's version: the
    version is never chosen on its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.fields.get("phase"), forms.ModelChoiceField):
            self.fields["phase"] = DraftPhaseField(
                queryset=_drafts_only(PhaseDefinition.objects.select_related("version__template")).order_by(
                    "version", "order"
                ),
                label=self.fields["phase"].label,
            )

    def chosen_phase(self) -> PhaseDefinition | None:
        """The phase of the row, before validation (to narrow other choices to it)."""
        if self.instance.phase_id:
            return self.instance.phase
        pk = id_from(self.data.get(self.add_prefix("phase")) if self.is_bound else self.initial.get("phase"))
        return _drafts_only(PhaseDefinition.objects).filter(pk=pk).first() if pk else None

    def clean(self):
        cleaned = super().clean()
        phase = cleaned.get("phase") or (self.instance.phase if self.instance.phase_id else None)
        if phase is not None:
            self.instance.version_id = phase.version_id
            code = cleaned.get("code")
            model = self._meta.model
            if code and model.objects.filter(version_id=phase.version_id, code=code).exclude(pk=self.instance.pk).exists():
                self.add_error("code", _("Koden er allerede brukt i denne prosessversjonen."))
        return cleaned


class DeliverableDefinitionForm(PhaseRowForm):
    access_roles = RolesField(
        label=DeliverableDefinition._meta.get_field("access_roles").verbose_name,
        help_text=DeliverableDefinition._meta.get_field("access_roles").help_text,
    )

    class Meta:
        model = DeliverableDefinition
        fields = ["phase", "code", "order", "name", "name_en", "kind", "required", "description", "access", "access_roles"]


def _record_kind_choices():
    # Called when a form is built: the apps register their record kinds in ready(), after
    # this module is imported by the admin.
    return [("", "---------"), *record_kind_choices()]


# The fields each kind of gate reads (procurement.engine.evaluators); the others are
# emptied and never validated, so a stale value from an earlier kind cannot block a save.
KIND_FIELDS = {
    GateKind.SIGNATURES: {"document", "document_roles"},
    GateKind.DEADLINE_PASSED: {"deadline_kind"},
    GateKind.NONE_OPEN: {"record_kind"},
    GateKind.RECORD_STATE: {"record_kind", "record_states"},
}
KIND_EMPTY = {"document": None, "document_roles": [], "deadline_kind": "", "record_kind": "", "record_states": ""}


class GateDefinitionForm(PhaseRowForm):
    document_roles = RolesField(
        label=GateDefinition._meta.get_field("document_roles").verbose_name,
        help_text=GateDefinition._meta.get_field("document_roles").help_text,
    )
    record_kind = forms.ChoiceField(
        label=GateDefinition._meta.get_field("record_kind").verbose_name, choices=_record_kind_choices, required=False
    )
    deadline_kind = forms.ChoiceField(
        label=GateDefinition._meta.get_field("deadline_kind").verbose_name,
        choices=[("", "---------"), *NAMED_DEADLINE_KINDS],
        required=False,
    )

    class Meta:
        model = GateDefinition
        fields = [
            "phase", "code", "order", "name", "name_en", "kind", "description",
            "document", "document_roles", "deadline_kind", "record_kind", "record_states",
        ]
        help_texts = {"kind": _("Feltene som ikke gjelder typen, tømmes når porten lagres.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "document" in self.fields:
            documents = _drafts_only(DeliverableDefinition.objects.select_related("phase"))
            phase = self.chosen_phase()
            self.fields["document"].queryset = documents.filter(phase=phase) if phase is not None else documents

    def clean(self):
        kind = self.cleaned_data.get("kind")
        for name, empty in KIND_EMPTY.items():
            if name in self.fields and name not in KIND_FIELDS.get(kind, set()):
                self._errors.pop(name, None)
                self.cleaned_data[name] = empty
        return super().clean()


class PublishedFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Publisert")), ("no", _("Utkast"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(published_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(published_at__isnull=True)
        return queryset


def version_status(version: ProcessVersion) -> str:
    return gettext("Publisert") if version.is_published else gettext("Utkast")


class ProcessVersionInline(ReadOnlyInline):
    model = ProcessVersion
    fields = ["number", "status", "published_at", "note"]
    readonly_fields = ["status"]

    @admin.display(description=_("status"))
    def status(self, obj: ProcessVersion) -> str:
        return version_status(obj)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(ReadOnlyAdmin):
    """Templates are born with their first draft (process_version_draft_from for a
    collaboration, or the national one after migrate)."""

    list_display = ["name", "collaboration", "version_count"]
    list_select_related = ["collaboration"]
    inlines = [ProcessVersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(version_total=Count("versions"))

    @admin.display(description=_("versjoner"), ordering="version_total")
    def version_count(self, obj: ProcessTemplate) -> int:
        return obj.version_total


class PhaseDefinitionInline(CatalogueInline):
    model = PhaseDefinition
    fields = ["order", "code", "name", "name_en", "guide_step"]
    show_change_link = True


class DraftFromForm(BokmalForm):
    collaboration = forms.ModelChoiceField(
        label=_("Lag egen mal for samarbeid"),
        queryset=Collaboration.objects.filter(process_template__isnull=True),
        required=False,
        empty_label=_("Nei: neste versjon av samme mal"),
        help_text=_("Bare samarbeid som ikke har egen mal ennå. Utkastet blir versjon 1 av samarbeidets mal."),
    )
    note = forms.CharField(label=_("Hva skal endres"), widget=forms.Textarea, required=False, max_length=2000)


@admin.register(ProcessVersion)
class ProcessVersionAdmin(TakesItsGatesAlong, CatalogueAdmin):
    change_form_template = "admin/procurement/processversion/change_form.html"
    list_display = ["__str__", "template", "number", "status", "in_use", "created_at", "published_at"]
    list_filter = ["template", PublishedFilter]
    list_select_related = ["template__collaboration"]
    fields = ["template", "number", "status", "in_use", "based_on", "note", "created_by", "created_at", "published_at"]
    readonly_fields = ["template", "number", "status", "in_use", "based_on", "created_by", "created_at", "published_at"]
    inlines = [PhaseDefinitionInline]
    actions = ["draft_from_selected", "publish_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(procurement_total=Count("procurements"))

    @admin.display(description=_("status"))
    def status(self, obj: ProcessVersion) -> str:
        return version_status(obj)

    @admin.display(description=_("i bruk"), ordering="procurement_total")
    def in_use(self, obj: ProcessVersion) -> str:
        return in_use_label(obj.procurement_total)

    def has_add_permission(self, request):
        # A version is made from another one ("Lag nytt utkast fra denne versjonen").
        return False

    def has_delete_permission(self, request, obj=None):
        # Only a draft, one at a time; a published version is what procurements pinned.
        return obj is not None and super().has_delete_permission(request, obj)

    def has_draft_permission(self, request) -> bool:
        return request.user.has_perm("procurement.add_processversion")

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("procurement.change_processversion")

    def get_urls(self):
        own = [
            path("<path:object_id>/draft/", self.admin_site.admin_view(self.draft_view), name="procurement_processversion_draft"),
            path(
                "<path:object_id>/publish/", self.admin_site.admin_view(self.publish_view), name="procurement_processversion_publish"
            ),
        ]
        return own + super().get_urls()

    def _version_or_404(self, request, object_id) -> ProcessVersion:
        version = self.get_object(request, unquote(object_id))
        if version is None:
            raise Http404
        return version

    def _change_url(self, version: ProcessVersion) -> str:
        return reverse("admin:procurement_processversion_change", args=[version.pk])

    def draft_view(self, request, object_id):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        version = self._version_or_404(request, object_id)
        if not self.has_draft_permission(request):
            raise PermissionDenied
        form = DraftFromForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                draft = process_version_draft_from(
                    actor=request.user, version=version, collaboration=form.cleaned_data["collaboration"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_service_error(form, error, default_field="collaboration")
            else:
                messages.success(request, gettext("Utkastet «%(draft)s» er laget. Endre det, og publiser det når det er klart.") % {"draft": draft})
                return HttpResponseRedirect(self._change_url(draft))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "form": form,
            "title": gettext("Lag nytt utkast fra «%(version)s»") % {"version": version},
        }
        return TemplateResponse(request, "admin/procurement/processversion/draft_form.html", context)

    def publish_view(self, request, object_id):
        """GET shows what publishing means and what still stands in the way; POST publishes."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        version = self._version_or_404(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            self._publish(request, version)
            return HttpResponseRedirect(self._change_url(version))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "problems": process_version_publish_problems(version),
            "title": gettext("Publiser «%(version)s»") % {"version": version},
        }
        return TemplateResponse(request, "admin/procurement/processversion/publish_confirm.html", context)

    def _publish(self, request, version: ProcessVersion) -> bool:
        try:
            process_version_publish(actor=request.user, version=version)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"{version}: {message}")
            return False
        messages.success(
            request,
            gettext("«%(version)s» er publisert. Nye anskaffelser følger den; de som er i gang, beholder sin versjon.")
            % {"version": version},
        )
        return True

    @admin.action(description=_("Lag nytt utkast fra valgt versjon"), permissions=["draft"])
    def draft_from_selected(self, request, queryset):
        for version in queryset:
            draft = process_version_draft_from(actor=request.user, version=version)
            messages.success(request, gettext("Utkastet «%(draft)s» er laget.") % {"draft": draft})

    @admin.action(description=_("Publiser valgte utkast"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        for version in queryset:
            self._publish(request, version)


class DeliverableDefinitionInline(CatalogueInline):
    model = DeliverableDefinition
    form = DeliverableDefinitionForm
    fields = ["order", "code", "name", "name_en", "kind", "required", "access", "access_roles"]
    show_change_link = True


class ChecklistItemDefinitionInline(CatalogueInline):
    model = ChecklistItemDefinition
    fields = ["order", "name", "name_en"]


class GateSummaryInline(ReadOnlyInline):
    """Gates have steps of their own, so each is edited on its page."""

    model = GateDefinition
    fields = ["order", "code", "name", "kind"]
    verbose_name_plural = _("porter (endres på hver ports side)")


class PhaseDefinitionForm(forms.ModelForm):
    class Meta:
        model = PhaseDefinition
        fields = ["version", "code", "order", "name", "name_en", "guide_step", "description", "decision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].queryset = ProcessVersion.objects.filter(published_at__isnull=True).select_related("template")


@admin.register(PhaseDefinition)
class PhaseDefinitionAdmin(TakesItsGatesAlong, CatalogueAdmin):
    form = PhaseDefinitionForm
    list_display = ["order", "code", "name", "name_en", "version", "guide_step"]
    list_display_links = ["code", "name"]
    list_filter = ["version", "code"]
    list_select_related = ["version__template"]
    ordering = ["version", "order"]
    inlines = [DeliverableDefinitionInline, ChecklistItemDefinitionInline, GateSummaryInline]

    def get_fields(self, request, obj=None):
        fields = ["version", "code", "order", "name", "name_en", "guide_step", "description", "decision"]
        return fields + ["add_gate"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        # A phase stays in its version; a new version is made by copying, not by moving rows.
        return ["version", "add_gate"] if obj is not None else []

    @admin.display(description=_("ny port"))
    def add_gate(self, obj: PhaseDefinition) -> str:
        if obj.version.is_published:
            return "—"
        return format_html(
            '<a href="{}?phase={}">{}</a>', reverse("admin:procurement_gatedefinition_add"), obj.pk, gettext("Legg til en port i fasen")
        )


@admin.register(DeliverableDefinition)
class DeliverableDefinitionAdmin(CatalogueAdmin):
    form = DeliverableDefinitionForm
    list_display = ["code", "name", "phase", "version", "kind", "required", "access"]
    list_filter = ["version", "phase__code", "kind", "required", "access"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["phase", "version__template"]

    def get_readonly_fields(self, request, obj=None):
        # Gates point at their phase's documents; moving one would break them unseen.
        return ["phase"] if obj is not None else []


def body_kind_choices(version: ProcessVersion | None) -> list[tuple[str, str]]:
    """The kinds of body a step can name: those of the template's collaboration (every kind
    known for the national template, or before the version is known), and those its steps
    name already, so a stored value always stays valid."""
    collaboration_id = version.template.collaboration_id if version is not None else None
    bodies = Body.objects.all() if collaboration_id is None else Body.objects.filter(collaboration_id=collaboration_id)
    names: dict[str, list[str]] = defaultdict(list)
    for kind, name in bodies.values_list("kind", "name"):
        names[kind].append(name)
    if version is not None:
        for kind in GateStep.objects.filter(gate__version=version).exclude(body_kind="").values_list("body_kind", flat=True):
            names.setdefault(kind, [])
    choices = [("", "---------")]
    for kind, kind_names in sorted(names.items()):
        shown = ", ".join(sorted(kind_names)[:3]) + (" …" if len(kind_names) > 3 else "")
        if kind_names:
            choices.append((kind, f"{kind} ({shown})"))
        elif collaboration_id is not None:
            choices.append((kind, gettext("%(kind)s (samarbeidet har ikke et slikt organ)") % {"kind": kind}))
        else:
            choices.append((kind, kind))
    return choices


class GateStepForm(forms.ModelForm):
    body_kinds: tuple[tuple[str, str], ...] = ()

    body_kind = forms.ChoiceField(
        label=GateStep._meta.get_field("body_kind").verbose_name,
        help_text=GateStep._meta.get_field("body_kind").help_text,
        required=False,
    )

    class Meta:
        model = GateStep
        fields = ["order", "name", "name_en", "role", "scope", "body_kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_kind"].choices = list(self.body_kinds)


class GateStepInline(CatalogueInline):
    model = GateStep
    form = GateStepForm
    fields = ["order", "name", "name_en", "role", "scope", "body_kind"]

    def get_formset(self, request, obj=None, **kwargs):
        version = catalogue_version_of(obj) if obj is not None else None
        kwargs["form"] = type("GateStepForm", (GateStepForm,), {"body_kinds": tuple(body_kind_choices(version))})
        return super().get_formset(request, obj, **kwargs)


@admin.register(GateDefinition)
class GateDefinitionAdmin(CatalogueAdmin):
    form = GateDefinitionForm
    list_display = ["code", "name", "kind", "phase", "version", "document"]
    list_filter = ["version", "kind", "phase__code"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["phase", "document", "version__template"]
    inlines = [GateStepInline]

    def get_fieldsets(self, request, obj=None):
        first = ["code", "order", "name", "name_en", "kind", "description"]
        return [
            (None, {"fields": ["phase", *first]}),
            (_("Signaturer (type «signaturer»)"), {"fields": ["document", "document_roles"]}),
            (_("Frist (type «frist passert»)"), {"fields": ["deadline_kind"]}),
            (_("Saker (typene «ingen åpne» og «tilstand»)"), {"fields": ["record_kind", "record_states"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["phase"] if obj is not None else []


# --------------------------------------------------------------------------------------
# Procurements: descriptive fields through their service, the rest shown
# --------------------------------------------------------------------------------------


class ParticipationInline(ReadOnlyInline):
    model = Participation
    fields = ["municipality", "status", "is_lead", "decline_reason", "cost_share", "answered_by", "answered_at"]
    show_change_link = False


class DeadlineInline(ReadOnlyInline):
    model = Deadline
    fields = ["kind", "phase", "title", "due_date", "done_at"]
    show_change_link = False


class ProcurementDetailsForm(forms.ModelForm):
    """The fields procurement_details_update takes, with its rules next to the fields."""

    class Meta:
        model = Procurement
        fields = DETAIL_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "estimated_value" in self.fields:
            self.fields["estimated_value"].min_value = 0
            self.fields["estimated_value"].validators.append(MinValueValidator(0))


@admin.register(Procurement)
class ProcurementAdmin(ServiceAdmin):
    form = ProcurementDetailsForm
    list_display = ["title", "collaboration", "state", "lead_municipality", "process_version", "created_at"]
    list_filter = ["collaboration", "state", "funding", "process_version"]
    search_fields = ["title", "description"]
    list_select_related = ["collaboration", "lead_municipality", "process_version__template"]
    # Who takes part, the phase (a protected FSM field whose transitions carry conditions,
    # audit and notifications), the process version and who reported the need change only
    # through their services in the app.
    readonly_fields = [
        "state",
        "collaboration",
        "process_version",
        "lead_municipality",
        "reported_by",
        "invitation_deadline",
        "invitations_sent_at",
        "cost_sharing_method",
        "cancel_reason",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": DETAIL_FIELDS}),
        (_("Endres i saken, ikke her"), {"fields": readonly_fields}),
    ]
    inlines = [ParticipationInline, DeadlineInline]

    def has_add_permission(self, request):
        # A case is born through procurement_report: lead participation, access and audit.
        return False

    def has_delete_permission(self, request, obj=None):
        # Cancelling is a transition with a reason; the case and its audit trail stay.
        return False

    def service_save(self, request, obj, form, change):
        procurement_details_update(user=request.user, procurement=obj, **{name: form.cleaned_data[name] for name in DETAIL_FIELDS})


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "municipality", "status", "is_lead", "cost_share"]
    list_filter = ["status", "municipality"]
    search_fields = ["procurement__title", "municipality__name"]
    list_select_related = ["procurement", "municipality"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["title", "procurement", "kind", "phase", "due_date", "done_at"]
    list_filter = ["kind", "phase"]
    search_fields = ["title", "procurement__title"]
    list_select_related = ["procurement"]


@admin.register(InformationInitiative)
class InformationInitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "collaboration", "reported_by", "created_at"]
    list_filter = ["collaboration", "municipality"]
    search_fields = ["title", "description"]
    list_select_related = ["municipality", "collaboration", "reported_by"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "step", "slot", "person", "decision", "signed_at", "voided_at"]
    list_filter = ["decision", "step__gate__code"]
    search_fields = ["procurement__title", "person__username"]
    list_select_related = ["procurement", "step", "person"]


@admin.register(DeliverableVersion)
class DeliverableVersionAdmin(ReadOnlyAdmin):
    list_display = ["deliverable", "number", "original_name", "size", "created_by", "created_at"]
    search_fields = ["deliverable__procurement__title", "original_name"]
    list_select_related = ["deliverable__definition", "deliverable__procurement", "created_by"]
    # MEDIA_URL is never served; downloads go through the app's permission-checked view.
    exclude = ["file"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "kind", "from_state", "to_state", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["procurement__title", "reason"]
    list_select_related = ["procurement", "actor"]


@admin.register(DeclaredHoliday)
class DeclaredHolidayAdmin(ServiceAdmin):
    """Days off the authorities declared that the holidays library does not list yet; saving
    one moves the deadlines counted over it (procurement.services.holidays)."""

    list_display = ["day", "country", "name", "source"]
    list_filter = ["country"]
    fields = ["country", "day", "name", "source"]

    def service_save(self, request, obj, form, change):
        declared_holiday_save(actor=request.user, holiday=obj)

    def service_delete(self, request, obj):
        declared_holiday_delete(actor=request.user, holiday=obj)

    def delete_queryset(self, request, queryset):
        for holiday in queryset:
            declared_holiday_delete(actor=request.user, holiday=holiday)
