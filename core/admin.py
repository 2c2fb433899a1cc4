"""What every app's Django admin shares: writes that go through the services, and pages that
only show.

The admin's own save and delete (ModelAdmin.save_model, save_formset, delete_model,
delete_queryset) would write rows past the services, without an audit entry or the side
effects a change needs. A ServiceAdmin sends each of them to a service instead; a refusal
the form could not foresee (a ValidationError from the service) rolls the whole request
back and comes back as a message on the page, never as a server error."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect


def _refusals_as_messages(request, view, *args, **kwargs):
    if request.method != "POST":
        return view(request, *args, **kwargs)
    try:
        # Django's own views open a transaction too; this one also covers the changelist's
        # actions, so the admin's log entry of a refused bulk delete rolls back with it.
        with transaction.atomic():
            return view(request, *args, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(request.get_full_path())


class ServiceAdmin(admin.ModelAdmin):
    """Subclasses say how a row is written and deleted: service_save(request, obj, form,
    change) and service_delete(request, obj), and for the rows of their inlines
    inline_save(request, obj) and inline_delete(request, obj)."""

    def service_save(self, request, obj, form, change):
        raise NotImplementedError(f"{type(self).__name__} writes {self.model.__name__} through no service")

    def service_delete(self, request, obj):
        raise NotImplementedError(f"{type(self).__name__} deletes {self.model.__name__} through no service")

    def inline_save(self, request, obj):
        raise NotImplementedError(f"{type(self).__name__} writes {type(obj).__name__} through no service")

    def inline_delete(self, request, obj):
        raise NotImplementedError(f"{type(self).__name__} deletes {type(obj).__name__} through no service")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return _refusals_as_messages(request, super().changeform_view, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return _refusals_as_messages(request, super().delete_view, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        return _refusals_as_messages(request, super().changelist_view, extra_context)

    def save_model(self, request, obj, form, change):
        self.service_save(request, obj, form, change)

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.service_delete(request, obj)

    def save_formset(self, request, form, formset, change):
        parent = form.instance
        inline = next((i for i in self.get_inline_instances(request, parent) if i.model is formset.model), None)
        if inline is None or not (
            inline.has_change_permission(request, parent)
            or inline.has_add_permission(request, parent)
            or inline.has_delete_permission(request, parent)
        ):
            # Shown only: its forms carry no data to save, and nothing changed in it.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        formset.save(commit=False)
        # Deletions first, so a row may be replaced by a new one with the same code.
        for obj in formset.deleted_objects:
            self.inline_delete(request, obj)
        for obj in formset.new_objects:
            self.inline_save(request, obj)
        for obj, _fields in formset.changed_objects:
            self.inline_save(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that are evidence or records written by their own services: shown, never added,
    changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
