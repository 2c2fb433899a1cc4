"""Regions, municipalities, bodies, people and their roles in the Django admin.

Role assignments are what every object permission is derived from, so each way the admin
can change them (the standalone page, the inline on a person, bulk delete) ends by
re-deriving the affected people's guardian permissions through the service layer, and
writes the change to the audit log like the services do."""
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record

from .models import Body, Collaboration, Membership, Municipality, Person, RoleAssignment
from .services import person_permissions_sync


def _audit_assignment(actor, assignment: RoleAssignment, action: str) -> None:
    verbs = {"role.assigned": "fikk", "role.revoked": "mistet", "role.changed": "har nå"}
    audit_record(
        actor=actor,
        action=action,
        municipality=assignment.municipality,
        message=(
            f"{assignment.person} {verbs[action]} rollen {assignment.get_role_display()} "
            f"({assignment.municipality or assignment.body}) (endret i administrasjonen)."
        ),
        data={"person": assignment.person_id, "role": assignment.role, "body": assignment.body_id, "via": "admin"},
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["municipality", "joined_on", "left_on", "agreement"]
    autocomplete_fields = ["municipality"]
    extra = 0


class BodyInline(admin.TabularInline):
    model = Body
    fields = ["kind", "name"]
    extra = 0


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "time_zone", "municipality_count"]
    search_fields = ["name"]
    inlines = [MembershipInline, BodyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(municipality_total=Count("memberships__municipality", distinct=True))

    @admin.display(description=_("kommuner"), ordering="municipality_total")
    def municipality_count(self, obj: Collaboration) -> int:
        return obj.municipality_total


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    # The organisation number's check digit is validated in Municipality.clean(), which the
    # admin form runs through full_clean().
    list_display = ["name", "organisation_number", "population", "country"]
    list_filter = ["country", "memberships__collaboration"]
    search_fields = ["name", "organisation_number"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "collaboration"]
    list_filter = ["collaboration", "kind"]
    search_fields = ["name"]
    list_select_related = ["collaboration"]


def _assignment_key(cleaned: dict, person_id) -> tuple:
    municipality, body = cleaned.get("municipality"), cleaned.get("body")
    return (person_id, cleaned.get("role"), municipality.pk if municipality else None, body.pk if body else None)


class RoleAssignmentForm(forms.ModelForm):
    """Refuses a second identical assignment. The model's unique constraint cannot: most
    assignments leave municipality or body empty, and NULLs never collide in SQL."""

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


@admin.register(Person)
class PersonAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "role_assignments__role"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_assignments")

    @admin.display(description=_("roller"))
    def roles(self, obj: Person) -> str:
        return ", ".join(sorted({a.get_role_display() for a in obj.role_assignments.all()}))

    def save_related(self, request, form, formsets, change):
        person = form.instance
        with transaction.atomic():
            before = {a.pk: a for a in RoleAssignment.objects.filter(person=person)} if change else {}
            super().save_related(request, form, formsets, change)
            after = {a.pk: a for a in RoleAssignment.objects.filter(person=person).select_related("municipality", "body")}
            for pk, assignment in after.items():
                if pk not in before:
                    _audit_assignment(request.user, assignment, "role.assigned")
                elif (before[pk].role, before[pk].municipality_id, before[pk].body_id) != (
                    assignment.role,
                    assignment.municipality_id,
                    assignment.body_id,
                ):
                    _audit_assignment(request.user, assignment, "role.changed")
            for pk, assignment in before.items():
                if pk not in after:
                    _audit_assignment(request.user, assignment, "role.revoked")
            # Always, even without inline changes: deactivating a person removes their grants.
            person_permissions_sync(person=person)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ["person", "role", "municipality", "body"]
    list_filter = ["role", "body__collaboration", "municipality", "body"]
    search_fields = ["person__username", "person__first_name", "person__last_name"]
    autocomplete_fields = ["person", "municipality", "body"]
    list_select_related = ["person", "municipality", "body"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            # Moving an assignment to another person must take the grants from the first one.
            previous_person = None
            if change:
                previous_person_id = RoleAssignment.objects.filter(pk=obj.pk).values_list("person_id", flat=True).first()
                if previous_person_id not in (None, obj.person_id):
                    previous_person = Person.objects.get(pk=previous_person_id)
            super().save_model(request, obj, form, change)
            _audit_assignment(request.user, obj, "role.changed" if change else "role.assigned")
            if previous_person is not None:
                person_permissions_sync(person=previous_person)
            person_permissions_sync(person=obj.person)

    def delete_model(self, request, obj):
        person = obj.person
        with transaction.atomic():
            _audit_assignment(request.user, obj, "role.revoked")
            super().delete_model(request, obj)
            person_permissions_sync(person=person)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            assignments = list(queryset.select_related("person", "municipality", "body"))
            for assignment in assignments:
                _audit_assignment(request.user, assignment, "role.revoked")
            super().delete_queryset(request, queryset)
            for person in {a.person for a in assignments}:
                person_permissions_sync(person=person)
