"""The phase buttons: one POST fires one transition of the state machine through the
lifecycle service; the reasons it refuses come back as a message."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..exceptions import CompletionNotConfirmed, TransitionRefused
from ..forms.transitions import CancelForm, ReopenForm
from ..models import ProcurementState
from ..models.procurement import can_manage
from ..selectors.detail import phase_labels
from ..services.lifecycle import PHASE_ENDINGS, TRANSITIONS, procurement_transition, transition_not_allowed
from .detail import render_detail, visible_procurement_or_404


def refusal_message(error: TransitionRefused) -> str:
    """The service's sentence followed by each reason, for one message."""
    text = str(error)
    if error.reasons:
        text = f"{text.rstrip('.')}: " + "; ".join(error.reasons) + "."
    return text


@login_required
@require_POST
def transition(request, procurement_id: int, transition: str):
    if transition not in TRANSITIONS:
        raise Http404
    procurement = visible_procurement_or_404(request.user, procurement_id)
    reason = phase = ""
    # Completing a phase asks whether the benefit-realisation plan was reviewed (a checkbox
    # on the button's form); the answer goes into the audit entry and the frozen plan version.
    plan_reviewed = (request.POST.get("plan_reviewed") == "1") if transition in PHASE_ENDINGS else None
    if transition in ("cancel", "reopen"):
        if not can_manage(procurement, request.user):
            # Before the form: someone who may not cancel gets no form errors to correct.
            raise transition_not_allowed(user=request.user, procurement_id=procurement_id, transition=transition)
        if transition == "cancel":
            form = CancelForm(request.POST, auto_id="id_cancel_%s")
            if not form.is_valid():
                return render_detail(request, procurement_id, status=400, cancel_form=form)
        else:
            form = ReopenForm(request.POST, procurement=procurement, phase_labels=phase_labels(procurement=procurement))
            if not form.is_valid():
                return render_detail(request, procurement_id, status=400, reopen_form=form)
            phase = form.cleaned_data["phase"]
        reason = form.cleaned_data["reason"]
    try:
        procurement = procurement_transition(
            user=request.user,
            procurement_id=procurement_id,
            transition=transition,
            reason=reason,
            phase=phase,
            plan_reviewed=plan_reviewed,
            # The page's button asks nothing more; when the phase looks unfinished the
            # service refuses until the confirmation page's own button says so.
            confirmed=(request.POST.get("confirmed") == "1") if transition in ("complete_phase", "close") else None,
        )
    except CompletionNotConfirmed as error:
        return render(
            request,
            "procurement/phase_complete_confirm.html",
            {
                "procurement": procurement,
                "transition": transition,
                "phase_label": phase_labels(procurement=procurement).get(procurement.state) or procurement.get_state_display(),
                "warnings": error.warnings,
                "unticked": [w for w in error.warnings if w.kind == "checklist"],
                "short": [w for w in error.warnings if w.kind == "short"],
                "plan_reviewed": plan_reviewed,
            },
        )
    except TransitionRefused as error:
        messages.error(request, refusal_message(error))
    else:
        if procurement.state == ProcurementState.CANCELLED:
            messages.success(request, _("Anskaffelsen er avlyst. Deltakerne får beskjed."))
        elif procurement.state == ProcurementState.CLOSED:
            messages.success(request, _("Anskaffelsen er avsluttet."))
        else:
            messages.success(
                request,
                _("Anskaffelsen står nå i fasen «%(phase)s».")
                % {
                    "phase": phase_labels(procurement=procurement).get(procurement.state)
                    or ProcurementState(procurement.state).label
                },
            )
    return redirect(reverse("procurement_detail", args=[procurement_id]))
