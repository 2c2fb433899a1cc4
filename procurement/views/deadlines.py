"""The coordinator's deadlines on the procurement page: add one, mark one as done, remove
one set by mistake. Plain POST forms that return to the deadlines section; a new deadline
with errors shows the page again with the messages next to the fields."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error

from ..exceptions import DeadlineDerived
from ..forms.deadlines import DeadlineForm
from ..models import Deadline, Procurement
from ..refusals import manage_refused
from ..services.deadlines import deadline_add, deadline_complete, deadline_remove
from ..services.guards import require_manage
from .detail import render_detail, visible_procurement_or_404


def _require_manage(user, procurement: Procurement) -> None:
    """403 for someone who may see the procurement but not set its deadlines: asked before
    the form is read, so nobody gets errors to correct in a form they may not send."""
    if not user.has_perm("procurement.manage_procurement", procurement):
        require_manage(user, procurement, manage_refused(user, procurement, _("endre fristene")))


def _deadline_or_404(procurement: Procurement, deadline_id: int) -> Deadline:
    return get_object_or_404(Deadline, pk=deadline_id, procurement=procurement)


def _to_deadlines(procurement_id: int):
    return redirect(reverse("procurement_detail", args=[procurement_id]) + "#frister")


@login_required
@require_POST
def add(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    _require_manage(request.user, procurement)
    if not procurement.is_open:
        # The page offers no form any more; someone posting from an old page learns why.
        messages.error(request, _("Anskaffelsen er avsluttet."))
        return _to_deadlines(procurement_id)
    form = DeadlineForm(request.POST, procurement=procurement)
    if form.is_valid():
        data = form.cleaned_data
        try:
            deadline = deadline_add(
                user=request.user,
                procurement=procurement,
                title=data["title"],
                due_date=data["due_date"],
                phase=data["phase"],
            )
        except ValidationError as error:
            add_service_error(form, error, default_field="title")
        else:
            messages.success(
                request,
                _("Fristen «%(title)s» er lagt til med dato %(date)s.")
                % {"title": deadline.title, "date": deadline.due_date.strftime("%d.%m.%Y")},
            )
            return _to_deadlines(procurement_id)
    return render_detail(request, procurement_id, status=400, deadline_form=form)


def _change(request, procurement_id: int, deadline_id: int, service, success: str):
    """Complete or remove: the same checks and the same way back to the deadlines section."""
    procurement = visible_procurement_or_404(request.user, procurement_id)
    deadline = _deadline_or_404(procurement, deadline_id)
    _require_manage(request.user, procurement)
    try:
        service(user=request.user, deadline=deadline)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except DeadlineDerived as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success % {"title": deadline.title})
    return _to_deadlines(procurement_id)


@login_required
@require_POST
def complete(request, procurement_id: int, deadline_id: int):
    return _change(
        request, procurement_id, deadline_id, deadline_complete, _("Fristen «%(title)s» er markert som ferdig.")
    )


@login_required
@require_POST
def remove(request, procurement_id: int, deadline_id: int):
    return _change(request, procurement_id, deadline_id, deadline_remove, _("Fristen «%(title)s» er fjernet."))
