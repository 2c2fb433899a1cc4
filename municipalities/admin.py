"""Collaborations, municipalities, memberships, bodies, people and their roles in the Django
admin. Every save and delete goes through municipalities.services, which audits it and
re-derives what it changes: a person's guardian permissions, and the procurement access of
the collaborations a role, membership or body belongs to."""
import copy
import functools

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceAdmin

from .models import (
    Body,
    Collaboration,
    Membership,
    Municipality,
    Person,
    RoleAssignment,
)
from .services import (
    body_delete,
    body_delete_problems,
    body_save,
    collaboration_save,
    membership_delete,
    membership_save,
    municipality_save,
    person_save,
    role_assignment_save,
    role_revoke,
)

VIA = "admin"


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["municipality", "joined_on", "left_on", "agreement"]
    autocomplete_fields = ["municipality"]
    extra = 0


class BodyInlineFormSet(BaseInlineFormSet):
    """Says why a body cannot be deleted above the rows, before body_delete would refuse."""

    def clean(self):
        super().clean()
        problems = [problem for form in self.deleted_forms if form.instance.pk for problem in body_delete_problems(form.instance)]
        if problems:
            raise forms.ValidationError(problems)


class BodyInline(admin.TabularInline):
    model = Body
    formset = BodyInlineFormSet
    fields = ["kind", "name"]
    extra = 0


def _row_save(request, obj) -> None:
    if isinstance(obj, Membership):
        membership_save(actor=request.user, membership=obj)
    elif isinstance(obj, Body):
        body_save(actor=request.user, body=obj)
    elif isinstance(obj, RoleAssignment):
        role_assignment_save(actor=request.user, assignment=obj, via=VIA)
    else:
        raise TypeError(type(obj))


def _row_delete(request, obj) -> None:
    if isinstance(obj, Membership):
        membership_delete(actor=request.user, membership=obj)
    elif isinstance(obj, Body):
        body_delete(actor=request.user, body=obj)
    elif isinstance(obj, RoleAssignment):
        role_revoke(actor=request.user, assignment=obj, via=VIA)
    else:
        raise TypeError(type(obj))


class MunicipalitiesAdmin(ServiceAdmin):
    """The rows of this app: one service per model, the same for a page and an inline."""

    def service_save(self, request, obj, form, change):
        if isinstance(obj, Collaboration):
            collaboration_save(actor=request.user, collaboration=obj)
        elif isinstance(obj, Municipality):
            municipality_save(actor=request.user, municipality=obj)
        elif isinstance(obj, Person):
            person_save(actor=request.user, person=obj)
        else:
            _row_save(request, obj)

    def service_delete(self, request, obj):
        _row_delete(request, obj)

    def inline_save(self, request, obj):
        _row_save(request, obj)

    def inline_delete(self, request, obj):
        _row_delete(request, obj)


@admin.register(Collaboration)
class CollaborationAdmin(MunicipalitiesAdmin):
    list_display = ["name", "country", "time_zone", "municipality_count"]
    search_fields = ["name"]
    inlines = [MembershipInline, BodyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(municipality_total=Count("memberships__municipality", distinct=True))

    @admin.display(description=_("kommuner"), ordering="municipality_total")
    def municipality_count(self, obj: Collaboration) -> int:
        return obj.municipality_total

    def has_delete_permission(self, request, obj=None):
        # Procurements, bodies and memberships point at it; a collaboration is never erased.
        return False


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalitiesAdmin):
    # The organisation number's check digit is validated in Municipality.clean(), which the
    # admin form runs through full_clean().
    list_display = ["name", "organisation_number", "population", "country"]
    list_filter = ["country", "memberships__collaboration"]
    search_fields = ["name", "organisation_number"]

    def has_delete_permission(self, request, obj=None):
        # Memberships over time, participations and the audit log name it.
        return False


@admin.register(Membership)
class MembershipAdmin(MunicipalitiesAdmin):
    list_display = ["municipality", "collaboration", "joined_on", "left_on", "agreement"]
    list_filter = ["collaboration"]
    search_fields = ["municipality__name", "collaboration__name", "agreement"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["municipality", "collaboration"]


@admin.register(Body)
class BodyAdmin(MunicipalitiesAdmin):
    list_display = ["name", "kind", "collaboration"]
    list_filter = ["collaboration", "kind"]
    search_fields = ["name"]
    list_select_related = ["collaboration"]

    def get_readonly_fields(self, request, obj=None):
        # A body belongs to its collaboration for good (municipalities.services.body_save).
        return ["collaboration"] if obj is not None else []


def _assignment_key(cleaned: dict, person_id) -> tuple:
    municipality, body = cleaned.get("municipality"), cleaned.get("body")
    return (person_id, cleaned.get("role"), municipality.pk if municipality else None, body.pk if body else None)


class RoleAssignmentForm(forms.ModelForm):
    """Refuses a second identical assignment next to the field, before the service would."""

    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "municipality", "body"]

    def clean(self):
        cleaned = super().clean()
        person_id = cleaned["person"].pk if cleaned.get("person") else self.instance.person_id
        if person_id and cleaned.get("role"):
            role, municipality_id, body_id = _assignment_key(cleaned, person_id)[1:]
            duplicates = RoleAssignment.objects.filter(
                person_id=person_id, role=role, municipality_id=municipality_id, body_id=body_id
            ).exclude(pk=self.instance.pk)
            if duplicates.exists():
                raise forms.ValidationError(_("Personen har allerede denne rollen her."))
        return cleaned


class RoleAssignmentFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            key = _assignment_key(form.cleaned_data, self.instance.pk)
            if key in seen:
                raise forms.ValidationError(_("Samme rolle er ført opp to ganger."))
            seen.add(key)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    fields = ["role", "municipality", "body"]
    autocomplete_fields = ["municipality", "body"]
    extra = 0


class PersonPasswordForm(AdminPasswordChangeForm):
    """Django's password form, saving through person_save (audited as "passord endret")."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def save(self, commit=True):
        person = super().save(commit=False)
        if commit:
            person_save(actor=self.actor, person=person)
        return person


@admin.register(Person)
class PersonAdmin(MunicipalitiesAdmin, UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "role_assignments__role"]
    # What a person may do comes from their role assignments; Django's groups and
    # per-user permissions are shown, never granted past the services.
    readonly_fields = ["groups", "user_permissions", "last_login", "date_joined"]
    filter_horizontal = []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_assignments")

    @admin.display(description=_("roller"))
    def roles(self, obj: Person) -> str:
        return ", ".join(sorted({a.get_role_display() for a in obj.role_assignments.all()}))

    def has_delete_permission(self, request, obj=None):
        # The audit log and the signatures name people; deactivate a login instead.
        return False

    def user_change_password(self, request, id, form_url=""):
        # Django's view builds the form from self.change_password_form without the request;
        # a copy of this admin for this request hands the form who is acting.
        bound = copy.copy(self)
        bound.change_password_form = functools.partial(PersonPasswordForm, actor=request.user)
        return UserAdmin.user_change_password(bound, request, id, form_url)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(MunicipalitiesAdmin):
    form = RoleAssignmentForm
    list_display = ["person", "role", "municipality", "body"]
    list_filter = ["role", "body__collaboration", "municipality", "body"]
    search_fields = ["person__username", "person__first_name", "person__last_name"]
    autocomplete_fields = ["person", "municipality", "body"]
    list_select_related = ["person", "municipality", "body"]
