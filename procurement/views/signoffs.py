"""One signature at a gate step. Works as a plain form (POST, redirect to the sign-off
section) and, with htmx, answers with the refreshed sign-off section plus the page parts a
signature changes (what blocks the procurement, the phase buttons, the history)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.htmx import is_htmx
from core.ids import id_from
from core.stepup import step_up_confirm
from municipalities.models import Body, Municipality

from ..exceptions import ProcurementError
from ..models import Decision, GateStep
from ..readiness import SlotStatus
from ..services.signoffs import can_sign_slot, signoff_not_allowed, signoff_record
from .detail import (
    detail_context,
    render_detail,
    signoff_form_for,
    visible_procurement_or_404,
)


def _section(request, procurement_id: int, **forms):
    """The sign-off section for htmx (always 200 so htmx swaps it, errors and all)."""
    context = detail_context(request, procurement_id, **forms)
    return render(request, "procurement/_signoffs_response.html", context)


def _may_sign(user, step_id: int, slot: str) -> bool:
    """Whether USER holds the step's role for the municipality or body SLOT names ("m:<id>"
    or "b:<id>"): the service's own rule, asked before the form is read so that someone who
    may not sign gets 403, not form errors to correct."""
    kind, _, raw = slot.partition(":")
    pk = id_from(raw)
    if kind not in ("m", "b") or pk is None:
        return False
    step = get_object_or_404(GateStep, pk=step_id)
    target = SlotStatus(
        slot=slot,
        label="",
        municipality_id=pk if kind == "m" else None,
        body_id=pk if kind == "b" else None,
    )
    municipalities = {m.pk: m for m in Municipality.objects.filter(pk=target.municipality_id)}
    bodies = {b.pk: b for b in Body.objects.filter(pk=target.body_id)}
    if not municipalities and not bodies:
        return False
    return can_sign_slot(user, step, target, municipalities=municipalities, bodies=bodies)


@login_required
@require_POST
def sign(request, procurement_id: int, step_id: int):
    before = visible_procurement_or_404(request.user, procurement_id)
    slot = request.POST.get("slot", "")[:40]
    if not _may_sign(request.user, step_id, slot):
        raise signoff_not_allowed(user=request.user, procurement_id=procurement_id, step_id=step_id, slot=slot)
    form = signoff_form_for(step_id, slot, data=request.POST)
    key = (step_id, slot)
    if form.is_valid():
        data = form.cleaned_data
        try:
            step_up_confirm(
                user=request.user, password=data["password"], procurement_id=procurement_id, what=f"signatur {slot}", request=request
            )
            signoff_record(
                user=request.user,
                procurement_id=procurement_id,
                step_id=step_id,
                slot=data["slot"],
                decision=data["decision"],
                comment=data["comment"],
                document_sha256=data["document_sha256"],
                meeting_on=data.get("meeting_on"),
                case_number=data.get("case_number", ""),
            )
        except ValidationError as error:
            add_service_error(form, error)
        except ProcurementError as error:
            messages.error(request, str(error))
            return _done(request, procurement_id, phase_changed=False)
        else:
            after = visible_procurement_or_404(request.user, procurement_id)
            if data["decision"] == Decision.APPROVE:
                messages.success(request, _("Du har godkjent dokumentet."))
            else:
                messages.success(request, _("Du har avvist dokumentet. Begrunnelsen er sendt videre."))
            if after.state != before.state:
                messages.info(
                    request,
                    _("Godkjenningen er komplett. Anskaffelsen står nå i fasen «%(phase)s».")
                    % {"phase": after.get_state_display()},
                )
            return _done(request, procurement_id, phase_changed=after.state != before.state)
    if is_htmx(request):
        return _section(request, procurement_id, signoff_form=form, signoff_key=key)
    return render_detail(request, procurement_id, status=400, signoff_form=form, signoff_key=key)


def _done(request, procurement_id: int, *, phase_changed: bool):
    url = reverse("procurement_detail", args=[procurement_id])
    if is_htmx(request):
        if phase_changed:
            # The gate completed and the phase moved on: the whole page changes. No fragment,
            # so the browser loads the page even when it is already showing it.
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return _section(request, procurement_id)
    return redirect(url if phase_changed else url + "#signering")
