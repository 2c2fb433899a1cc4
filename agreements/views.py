"""The agreements screens: the data processing agreement's data, the contract's terms and its
signature (password again), and the printed and signed PDFs. Views are thin: a form, one
service, refusals turned into messages."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.actions import Action
from audit.services import audit_record
from procurement.exceptions import ProcurementError
from procurement.views.detail import visible_procurement_or_404

from . import services
from .forms import ContractForm, DpaForm, StepUpForm
from .models import Contract, DataProcessingAgreement
from .printing import before_contract, dpa_render
from .selectors import agreement_section


def _page(request, procurement, *, status=200, dpa_form=None, contract_form=None, sign_form=None, refusal=""):
    section = agreement_section(user=request.user, procurement=procurement)
    if section is None:
        raise Http404
    if dpa_form is None and section.may_edit_dpa:
        initial = {name: getattr(section.dpa, name) for name in services.DPA_FIELDS} if section.dpa else {}
        dpa_form = DpaForm(initial=initial, prefix="dpa")
    if contract_form is None and section.may_edit_contract:
        initial = {name: getattr(section.contract, name) for name in services.CONTRACT_FIELDS} if section.contract else {}
        contract_form = ContractForm(initial=initial, prefix="contract")
    if sign_form is None and section.may_sign_contract:
        sign_form = StepUpForm(prefix="sign")
    error_form = next((f for f in (dpa_form, contract_form, sign_form) if f is not None and f.is_bound and f.errors), None)
    return render(
        request,
        "agreements/agreements_page.html",
        {
            "procurement": procurement,
            "section": section,
            "dpa_form": dpa_form if section.may_edit_dpa else None,
            "contract_form": contract_form if section.may_edit_contract else None,
            "sign_form": sign_form if section.may_sign_contract else None,
            "error_form": error_form,
            "refusal": refusal,
        },
        status=status,
    )


def _url(procurement_id: int, anchor: str = "") -> str:
    return reverse("agreements_page", args=[procurement_id]) + (f"#{anchor}" if anchor else "")


@login_required
@require_http_methods(["GET", "POST"])
def dpa_edit(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if request.method == "GET":
        return _page(request, procurement)
    if not services.may_edit_dpa(user=request.user, procurement=procurement):
        raise services.refusal_before_form(
            user=request.user, procurement=procurement, action=Action.DPA_REFUSED, what="endre databehandleravtalen",
            message=_("Bare de som styrer anskaffelsen og personvernombudet kan endre databehandleravtalen."),
        )
    form = DpaForm(request.POST, prefix="dpa")
    if form.is_valid():
        try:
            dpa = services.dpa_save(user=request.user, procurement_id=procurement.pk, values=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied:
            raise
        except ProcurementError as error:
            return _page(request, procurement, status=409, refusal=str(error))
        else:
            messages.success(request, _("Databehandleravtalen er lagret (revisjon %(n)s).") % {"n": dpa.revision})
            return redirect(_url(procurement.pk, "databehandleravtale"))
    return _page(request, procurement, status=400, dpa_form=form)


@login_required
@require_POST
def contract_edit(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if not request.user.has_perm("procurement.manage_procurement", procurement):
        raise services.refusal_before_form(
            user=request.user, procurement=procurement, action=Action.CONTRACT_REFUSED, what="endre kontrakten",
            message=_("Bare de som styrer anskaffelsen kan endre kontrakten."),
        )
    form = ContractForm(request.POST, prefix="contract")
    if form.is_valid():
        try:
            services.contract_save(user=request.user, procurement_id=procurement.pk, values=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied:
            raise
        except ProcurementError as error:
            return _page(request, procurement, status=409, refusal=str(error))
        else:
            messages.success(request, _("Kontrakten er lagret."))
            return redirect(_url(procurement.pk, "kontrakt"))
    return _page(request, procurement, status=400, contract_form=form)


@login_required
@require_POST
def contract_sign_view(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if not services.contract_signer_bodies(user=request.user, procurement=procurement):
        raise services.refusal_before_form(
            user=request.user, procurement=procurement, action=Action.CONTRACT_REFUSED, what="signere kontrakten",
            message=_("Bare samarbeidets koordinator eller daglig leder signerer kontrakten."),
        )
    form = StepUpForm(request.POST, prefix="sign")
    if form.is_valid():
        try:
            services.contract_sign(
                user=request.user, procurement_id=procurement.pk, password=form.cleaned_data["password"], request=request
            )
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied:
            raise
        except ProcurementError as error:
            return _page(request, procurement, status=409, refusal=str(error))
        else:
            messages.success(request, _("Kontrakten er signert. Den signerte kopien ligger under."))
            return redirect(_url(procurement.pk, "kontrakt"))
    return _page(request, procurement, status=400, sign_form=form)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@transaction.atomic
def _read(request, procurement, what: str) -> None:
    audit_record(actor=request.user, action=Action.PRINT_AGREEMENT, procurement=procurement, message=f"Åpnet {what} (PDF).", data={"what": what})


@login_required
@require_GET
def dpa_pdf(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    pdf = dpa_render(procurement, draft=before_contract(procurement))
    _read(request, procurement, "databehandleravtalen")
    return _pdf_response(pdf, f"databehandleravtale-{procurement.pk}.pdf")


def _signed_copy(request, procurement_id: int, model, what: str, filename: str):
    """The sealed copy of MODEL's row (the agreement or the contract) to those who see the
    procurement, its reading audited; 404 until it is signed."""
    procurement = visible_procurement_or_404(request.user, procurement_id)
    row = model.objects.filter(procurement=procurement).exclude(signed_copy="").first()
    if row is None:
        raise Http404
    with row.signed_copy.open("rb") as handle:
        data = handle.read()
    _read(request, procurement, what)
    return _pdf_response(data, f"{filename}-{procurement.pk}.pdf")


@login_required
@require_GET
def dpa_signed_pdf(request, procurement_id: int):
    return _signed_copy(request, procurement_id, DataProcessingAgreement, "den signerte databehandleravtalen", "databehandleravtale-signert")


@login_required
@require_GET
def contract_signed_pdf(request, procurement_id: int):
    return _signed_copy(request, procurement_id, Contract, "den signerte kontrakten", "kontrakt-signert")
