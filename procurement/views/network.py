"""The joining rounds and work packages page (anskaffelser/<id>/tilslutning/): the list, and
plain POST forms that return to it. Each POST finds the procurement among those the person
may see (404 otherwise) and the round or package in it (404 for an id of another case),
refuses someone without the right before reading the form (403, audited), calls one service
and redirects; a form with errors comes back on the page with status 400."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.actions import Action
from audit.services import audit_refusal
from core.forms import add_service_error
from core.ids import id_from

from ..exceptions import ProcurementError
from ..forms.network import JoiningForm, JoiningRoundForm, TakeForm, WorkPackageForm
from ..models import JoiningRound, Procurement, WorkPackage
from ..selectors.network import network_page
from ..services import network as services
from ..services.intake import can_answer_for
from .detail import visible_procurement_or_404


def _page_url(procurement_id: int, anchor: str = "") -> str:
    return reverse("procurement_network", args=[procurement_id]) + anchor


def _refuse(request, procurement: Procurement, action: str, message: str):
    audit_refusal(actor=request.user, action=action, procurement_id=procurement.pk, message=f"Avvist: {request.user}. {message}")
    raise PermissionDenied(message)


def _posted_id(request, name: str) -> int | None:
    return id_from(request.POST.get(name))


def _render(request, procurement: Procurement, *, status: int = 200, round_form=None, round_id=None, join_form=None,
            package_form=None, package_id=None, take_form=None):
    page = network_page(user=request.user, procurement=procurement)
    for row in page.rounds:
        if join_form is not None and row.round.pk == round_id:
            row.form = join_form
        elif row.may_join_for:
            row.form = JoiningForm(prefix=f"join-{row.round.pk}", municipalities=row.may_join_for, initial={"joined_on": procurement.collaboration.today()})
        row.edit_form = (
            round_form if round_form is not None and round_id == row.round.pk and join_form is None
            else JoiningRoundForm(prefix=f"round-{row.round.pk}", initial={
                "name": row.round.name, "deadline": row.round.deadline, "price": row.round.price, "late_price": row.round.late_price})
        )
    for row in page.packages:
        if take_form is not None and row.package.pk == package_id:
            row.form = take_form
        elif row.may_take_for:
            row.form = TakeForm(prefix=f"take-{row.package.pk}", municipalities=row.may_take_for)
        row.edit_form = (
            package_form if package_form is not None and package_id == row.package.pk
            else WorkPackageForm(prefix=f"package-{row.package.pk}", initial={
                "title": row.package.title, "description": row.package.description, "payment": row.package.payment,
                "due_date": row.package.due_date})
        )
    context = {
        "procurement": procurement,
        "page": page,
        "new_round_form": round_form if round_form is not None and round_id is None else JoiningRoundForm(prefix="round-new"),
        "new_package_form": package_form if package_form is not None and package_id is None else WorkPackageForm(prefix="package-new"),
        "error_form": next((f for f in (round_form, join_form, package_form, take_form) if f is not None and f.has_errors), None),
    }
    return render(request, "procurement/network.html", context, status=status)


@login_required
@require_GET
def network(request, procurement_id: int):
    return _render(request, visible_procurement_or_404(request.user, procurement_id))


def _closed(request, procurement: Procurement):
    messages.error(request, _("Anskaffelsen er avsluttet."))
    return redirect(_page_url(procurement.pk))


def _managed_save(
    request, procurement_id: int, *, model, object_id, form_class, prefix: str, default_field: str, refusal: tuple, save, saved
):
    """A coordinator's new or changed round or package: the procurement and the row must be
    this procurement's (404 otherwise), the person must run it (an audited 403), the case
    must be open; then the form and the service. SAVE(form data) -> the saved row;
    SAVED(row) -> (message, anchor on the page)."""
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if object_id is not None:
        get_object_or_404(model, pk=object_id, procurement=procurement)
    if not services.can_manage(request.user, procurement):
        _refuse(request, procurement, *refusal)
    if not procurement.is_open:
        return _closed(request, procurement)
    form = form_class(request.POST, prefix=f"{prefix}-{object_id or 'new'}")
    if form.is_valid():
        try:
            row = save(procurement, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, default_field=default_field)
        else:
            message, anchor = saved(row)
            messages.success(request, message)
            return redirect(_page_url(procurement_id, anchor))
    # _render's round_form/round_id or package_form/package_id: the form shown again with its errors.
    return _render(request, procurement, status=400, **{f"{prefix}_form": form, f"{prefix}_id": object_id})


@login_required
@require_POST
def round_save(request, procurement_id: int, round_id: int | None = None):
    return _managed_save(
        request, procurement_id, model=JoiningRound, object_id=round_id, form_class=JoiningRoundForm, prefix="round", default_field="name",
        refusal=(Action.JOINING_REFUSED, _("Bare de som styrer anskaffelsen, kan endre tilslutningsrundene.")),
        save=lambda procurement, data: services.joining_round_save(
            user=request.user, procurement=procurement, round_id=round_id, **data
        ),
        saved=lambda round: (_("Tilslutningsrunden «%(name)s» er lagret.") % {"name": round.name}, f"#runde-{round.pk}"),
    )


@login_required
@require_POST
def joining_record(request, procurement_id: int, round_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    round = get_object_or_404(JoiningRound, pk=round_id, procurement=procurement)
    prefix = f"join-{round.pk}"
    municipality_id = _posted_id(request, f"{prefix}-municipality")
    if not services.can_manage(request.user, procurement):
        from municipalities.models import Municipality

        municipality = Municipality.objects.filter(pk=municipality_id).first() if municipality_id else None
        if municipality is None or not can_answer_for(request.user, municipality):
            _refuse(request, procurement, Action.JOINING_REFUSED, _("Bare kommunedirektøren eller kommunerepresentanten i kommunen, eller koordinatoren, kan registrere tilslutningen."))
    if not procurement.is_open:
        return _closed(request, procurement)
    page = network_page(user=request.user, procurement=procurement)
    row = next(r for r in page.rounds if r.round.pk == round.pk)
    # A late joining gets past the form to the service, which refuses it (audited) with the date.
    choices = row.may_join_for or [m for m in row.waiting if m.pk == municipality_id]
    form = JoiningForm(request.POST, prefix=prefix, municipalities=choices)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.joining_record(
                user=request.user, procurement=procurement, round_id=round.pk, municipality_id=data["municipality"],
                joined_on=data["joined_on"], agreement=data["agreement"],
            )
        except ValidationError as error:
            add_service_error(form, error, default_field="agreement")
        except PermissionDenied:
            raise
        except ProcurementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tilslutningen til «%(round)s» er registrert.") % {"round": round.name})
            return redirect(_page_url(procurement_id, f"#runde-{round.pk}"))
    return _render(request, procurement, status=400, join_form=form, round_id=round.pk)


@login_required
@require_POST
def package_save(request, procurement_id: int, package_id: int | None = None):
    return _managed_save(
        request, procurement_id, model=WorkPackage, object_id=package_id, form_class=WorkPackageForm, prefix="package", default_field="title",
        refusal=(Action.WORK_PACKAGE_REFUSED, _("Bare de som styrer anskaffelsen, kan endre arbeidspakkene.")),
        save=lambda procurement, data: services.work_package_save(
            user=request.user, procurement=procurement, package_id=package_id, **data
        ),
        saved=lambda package: (_("Arbeidspakken «%(title)s» er lagret.") % {"title": package.title}, f"#pakke-{package.pk}"),
    )


@login_required
@require_POST
def package_take(request, procurement_id: int, package_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    package = get_object_or_404(WorkPackage, pk=package_id, procurement=procurement)
    prefix = f"take-{package.pk}"
    municipality_id = _posted_id(request, f"{prefix}-municipality")
    if not (services.can_manage(request.user, procurement) or (municipality_id and services.can_work_for(request.user, municipality_id))):
        _refuse(request, procurement, Action.WORK_PACKAGE_REFUSED, _("Bare kommunens representanter, eller koordinatoren, kan ta en arbeidspakke for kommunen."))
    if not procurement.is_open:
        return _closed(request, procurement)
    page = network_page(user=request.user, procurement=procurement)
    row = next(r for r in page.packages if r.package.pk == package.pk)
    form = TakeForm(request.POST, prefix=prefix, municipalities=row.may_take_for)
    if form.is_valid():
        try:
            services.work_package_take(user=request.user, procurement=procurement, package_id=package.pk, municipality_id=form.cleaned_data["municipality"])
        except ValidationError as error:
            add_service_error(form, error, default_field="municipality")
        else:
            messages.success(request, _("Arbeidspakken «%(title)s» er tatt.") % {"title": package.title})
            return redirect(_page_url(procurement_id, f"#pakke-{package.pk}"))
    return _render(request, procurement, status=400, take_form=form, package_id=package.pk)


@login_required
@require_POST
def package_deliver(request, procurement_id: int, package_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    package = get_object_or_404(WorkPackage, pk=package_id, procurement=procurement)
    try:
        services.work_package_deliver(user=request.user, procurement=procurement, package_id=package.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Arbeidspakken «%(title)s» er meldt levert.") % {"title": package.title})
    return redirect(_page_url(procurement_id, f"#pakke-{package.pk}"))
