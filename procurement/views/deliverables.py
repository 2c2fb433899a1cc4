"""New versions of deliverables, their downloads, the draft benefit plan and the phase's
checklist. Documents are served only through these views, never from a public URL, and
every download is written to the audit log."""
import io
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_error
from core.htmx import is_htmx
from core.uploads import CONTENT_TYPES

from ..forms.deliverables import DeliverableForm
from ..models import ChecklistItemDefinition, DeliverableDefinition, DeliverableVersion
from ..selectors.detail import checklist_item_checked
from ..services.deliverables import (
    checklist_item_set,
    deliverable_download_record,
    deliverable_upload_not_allowed,
    deliverable_version_add,
    signoffs_a_new_version_voids,
)
from .detail import render_detail, visible_procurement_or_404


@login_required
@require_POST
def deliverable_add(request, procurement_id: int, code: str):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if not request.user.has_perm("procurement.contribute_procurement", procurement):
        # Before the form: someone who may not deliver gets no form errors to correct.
        raise deliverable_upload_not_allowed(user=request.user, procurement=procurement, code=code[:64])
    definition = get_object_or_404(
        DeliverableDefinition.objects.select_related("phase"), version_id=procurement.process_version_id, code=code
    )
    # Only a document of the phase the case is in can be replaced (the service says why
    # otherwise), so only then is there anything to warn about.
    voids = (
        signoffs_a_new_version_voids(procurement=procurement, definition=definition)
        if definition.phase.code == procurement.state
        else []
    )
    form = DeliverableForm(request.POST, request.FILES, definition=definition, voids=voids)
    form.file_reselect = bool(request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("file") or None
        try:
            version = deliverable_version_add(
                user=request.user,
                procurement=procurement,
                definition=definition,
                file=upload,
                text="" if upload else form.cleaned_data.get("text", ""),
                voids_expected=form.cleaned_data.get("voids_expected") if voids else 0,
            )
        except ValidationError as error:
            add_service_error(form, error, default_field="file" if upload else "text")
        else:
            saved = _("Versjon %(number)s av «%(name)s» er lagret.") % {"number": version.number, "name": definition.label}
            if voids:
                saved += " " + _("%(count)s signatur(er) er ugyldige; %(names)s har fått beskjed om å signere på nytt.") % {
                    "count": len(voids),
                    "names": form.void_names,
                }
            messages.success(request, saved)
            return redirect(reverse("procurement_detail", args=[procurement_id]) + f"#leveranse-{definition.code}")
    return render_detail(request, procurement_id, status=400, deliverable_form=form)


def _attachment(handle, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def version_download(request, procurement_id: int, version_id: int):
    visible_procurement_or_404(request.user, procurement_id)
    try:
        # Checks the document's access class and logs the read (or the refusal).
        version = deliverable_download_record(user=request.user, procurement_id=procurement_id, version_id=version_id)
    except DeliverableVersion.DoesNotExist:
        raise Http404 from None
    definition = version.deliverable.definition
    if version.file:
        try:
            handle = version.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = version.original_name or f"{definition.code}-v{version.number}{PurePath(version.file.name).suffix}"
        content_type = version.content_type or "application/octet-stream"
    else:
        handle = io.BytesIO(version.text.encode("utf-8"))
        filename = f"{definition.code}-v{version.number}.txt"
        content_type = CONTENT_TYPES["txt"]
    return _attachment(handle, filename=filename, content_type=content_type)


@login_required
@require_POST
def checklist_toggle(request, procurement_id: int, item_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    item = get_object_or_404(ChecklistItemDefinition.objects.select_related("phase"), pk=item_id)
    done = request.POST.get("done") == "1"
    try:
        checklist_item_set(user=request.user, procurement=procurement, item=item, done=done)
    except ValidationError as error:
        message = " ".join(error.messages)
        if is_htmx(request):
            # The item as it really is, no longer tickable, with the reason next to it.
            checked = checklist_item_checked(procurement=procurement, item=item)
            context = {"procurement": procurement, "item": item, "checked": checked, "can_check": False, "error": message}
            return render(request, "procurement/_checklist_item.html", context, status=400)
        messages.error(request, message)
        return render_detail(request, procurement_id, status=400)
    if is_htmx(request):
        return render(
            request,
            "procurement/_checklist_item.html",
            {"procurement": procurement, "item": item, "checked": done, "can_check": True, "saved": True},
        )
    messages.success(
        request,
        (_("«%(item)s» er krysset av.") if done else _("«%(item)s» er ikke lenger krysset av.")) % {"item": item.label},
    )
    return redirect(reverse("procurement_detail", args=[procurement_id]) + "#sjekkliste")
