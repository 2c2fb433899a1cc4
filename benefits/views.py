"""The benefit screens: the plan of a procurement, its forms, a frozen version, the
attachment, the PDF and the portfolio of a collaboration. Each view finds the procurement
among those the person may see (404 otherwise), checks the right before reading a form
(403), calls one service and turns its errors into messages next to the fields."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_error
from core.ids import id_from
from core.uploads import CONTENT_TYPES, extension_of
from municipalities.models import Municipality

from . import services
from .access import benefit_rights
from .export import XLSX, plan_xlsx, portfolio_xlsx
from .forms import BenefitForm, BenefitShareForm, MeasurementForm, PlanForm
from .models import Benefit, BenefitShare
from .printing import plan_pdf as plan_pdf_render
from .selectors import collaborations_for_portfolio, participant, plan_page, plan_version_page, portfolio, visible_procurement


def _to_plan(procurement_id: int, anchor: str = ""):
    return redirect(reverse("benefit_plan", args=[procurement_id]) + anchor)


def _form_page(request, procurement, form, *, heading: str, intro: str = "", status: int = 200, extra: dict | None = None):
    return render(
        request,
        "benefits/form_page.html",
        {"procurement": procurement, "form": form, "heading": heading, "intro": intro, **(extra or {})},
        status=status,
    )


def _submit(request, procurement, form, call, *, success: str, anchor: str, heading: str, intro: str = "", extra=None):
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return _to_plan(procurement.pk, anchor)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, procurement, form, heading=heading, intro=intro, status=status, extra=extra)


@login_required
@require_GET
def benefit_plan(request, procurement_id: int):
    page = plan_page(user=request.user, procurement_id=procurement_id)
    return render(request, "benefits/plan_detail.html", {"page": page, "procurement": page.procurement, "view": page.view})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, procurement_id: int):
    procurement = visible_procurement(user=request.user, procurement_id=procurement_id)
    rights = benefit_rights(user=request.user, procurement=procurement)
    if not rights.can_edit_plan:
        raise PermissionDenied(_("Bare de som styrer eller bidrar i anskaffelsen, kan endre gevinstplanen."))
    plan = getattr(procurement, "benefit_plan", None)  # made by the service on first save if missing
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS} if plan is not None else {}
    form = PlanForm(request.POST if request.method == "POST" else None, initial=initial)

    def call(data):
        return services.plan_update(user=request.user, procurement=procurement, **{name: data[name] for name in services.PLAN_FIELDS})

    return _submit(
        request, procurement, form, call, success=_("Gevinstplanen er lagret."), anchor="#plan", heading=_("Endre gevinstplanen")
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_edit(request, procurement_id: int, benefit_id: int | None = None):
    procurement = visible_procurement(user=request.user, procurement_id=procurement_id)
    rights = benefit_rights(user=request.user, procurement=procurement)
    if not rights.can_edit_plan:
        raise PermissionDenied(_("Bare de som styrer eller bidrar i anskaffelsen, kan endre gevinstplanen."))
    benefit = None
    if benefit_id is not None:
        benefit = Benefit.objects.filter(pk=benefit_id, plan__procurement=procurement).first()
        if benefit is None:
            raise Http404
    initial = BenefitForm.initial_of(benefit) if benefit is not None else {}
    form = BenefitForm(request.POST if request.method == "POST" else None, initial=initial)

    def call(data):
        return services.benefit_save(user=request.user, procurement=procurement, benefit_id=benefit_id, **data)

    return _submit(
        request,
        procurement,
        form,
        call,
        success=_("Gevinsten er lagret.") if benefit else _("Gevinsten er lagt til. Hver kommune som venter den, legger inn sin eier, sitt nullpunkt og sitt mål."),
        anchor=f"#gevinst-{benefit_id}" if benefit_id else "#gevinster",
        heading=_("Endre %(benefit)s") % {"benefit": benefit} if benefit else _("Ny gevinst"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_edit(request, procurement_id: int, benefit_id: int, municipality_id: int):
    procurement = visible_procurement(user=request.user, procurement_id=procurement_id)
    rights = benefit_rights(user=request.user, procurement=procurement)
    benefit = Benefit.objects.filter(pk=benefit_id, plan__procurement=procurement).first()
    if benefit is None or municipality_id not in rights.participants:
        raise Http404
    if not rights.may_edit_share(municipality_id):
        raise PermissionDenied(_("Du kan bare endre gevinstene til din egen kommune."))
    share = BenefitShare.objects.filter(benefit=benefit, municipality_id=municipality_id).select_related("municipality").first()
    municipality = share.municipality if share else participant(procurement=procurement, municipality_id=municipality_id)
    initial = {}
    if share is not None:
        initial = {name: getattr(share, name) for name in services.SHARE_FIELDS if name != "owner"}
        initial["owner"] = share.owner_id
    form = BenefitShareForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        owners=services.owner_candidates(municipality_id=municipality_id),
    )

    def call(data):
        return services.benefit_share_save(
            user=request.user,
            procurement=procurement,
            benefit_id=benefit.pk,
            municipality_id=municipality_id,
            owner_id=data["owner"],
            baseline_value=data["baseline_value"],
            baseline_date=data["baseline_date"],
            target_value=data["target_value"],
            target_date=data["target_date"],
            nok_per_year=data["nok_per_year"],
            hours_per_year=data["hours_per_year"],
        )

    return _submit(
        request,
        procurement,
        form,
        call,
        success=_("%(municipality)s sin del av gevinsten er lagret.") % {"municipality": municipality},
        anchor=f"#gevinst-{benefit.pk}",
        heading=_("%(benefit)s i %(municipality)s") % {"benefit": benefit, "municipality": municipality},
        intro=_("Eier, nullpunkt og mål for kommunen. Bare kommunens egne folk og koordinatoren ser og endrer dette."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def measurement_add(request, procurement_id: int, share_id: int):
    procurement = visible_procurement(user=request.user, procurement_id=procurement_id)
    rights = benefit_rights(user=request.user, procurement=procurement)
    share = (
        BenefitShare.objects.filter(pk=share_id, benefit__plan__procurement=procurement).select_related("benefit", "municipality").first()
    )
    if share is None or not (rights.visible is None or share.municipality_id in rights.visible):
        raise Http404
    if not rights.may_edit_share(share.municipality_id):
        raise PermissionDenied(_("Du kan bare registrere målinger for din egen kommune."))
    form = MeasurementForm(
        request.POST if request.method == "POST" else None, initial={"measured_on": procurement.collaboration.today()}
    )

    def call(data):
        return services.measurement_record(
            user=request.user,
            procurement=procurement,
            share_id=share.pk,
            measured_on=data["measured_on"],
            value_measured=data["value"],
            explanation=data["explanation"],
        )

    return _submit(
        request,
        procurement,
        form,
        call,
        success=_("Målingen er registrert."),
        anchor=f"#gevinst-{share.benefit_id}",
        heading=_("Ny måling: %(benefit)s i %(municipality)s") % {"benefit": share.benefit, "municipality": share.municipality},
        intro=_("Nullpunkt %(baseline)s %(unit)s (%(baseline_date)s), mål %(target)s %(unit)s innen %(target_date)s.")
        % {
            "baseline": share.baseline_value.normalize(),
            "target": share.target_value.normalize(),
            "unit": share.benefit.unit,
            "baseline_date": share.baseline_date.strftime("%d.%m.%Y"),
            "target_date": share.target_date.strftime("%d.%m.%Y"),
        },
    )


@login_required
@require_GET
def plan_version(request, procurement_id: int, number: int):
    procurement, version, view = plan_version_page(user=request.user, procurement_id=procurement_id, number=number)
    return render(request, "benefits/plan_version.html", {"procurement": procurement, "version": version, "view": view})


@login_required
@require_GET
def plan_attachment(request, procurement_id: int):
    procurement = visible_procurement(user=request.user, procurement_id=procurement_id)
    try:
        plan = services.plan_attachment_read_record(user=request.user, procurement=procurement)
        handle = plan.attachment.open("rb")
    except (ValidationError, FileNotFoundError):
        raise Http404 from None
    name = plan.attachment_name or "gevinstplan"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES.get(extension_of(name), "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def portfolio_index(request):
    collaborations = collaborations_for_portfolio(user=request.user)
    if len(collaborations) == 1:
        return redirect("benefit_portfolio", collaboration_id=collaborations[0].pk)
    return render(request, "benefits/portfolio_index.html", {"collaborations": collaborations})


@login_required
@require_GET
def portfolio_detail(request, collaboration_id: int):
    return render(request, "benefits/portfolio.html", {"portfolio": portfolio(user=request.user, collaboration_id=collaboration_id)})


@login_required
@require_GET
def plan_pdf(request, procurement_id: int):
    """The plan as PDF: whole for those who see every municipality, otherwise the reader's
    own municipality (?kommune=<id> picks one of theirs)."""
    procurement = visible_procurement(user=request.user, procurement_id=procurement_id)
    rights = benefit_rights(user=request.user, procurement=procurement)
    municipality = None
    if not rights.sees_all:
        wanted = request.GET.get("kommune", "")
        own = sorted(rights.own)
        if not own:
            raise PermissionDenied(_("Utskriften viser kommunenes rader; du hører ikke til en kommune som deltar."))
        chosen = id_from(wanted) if id_from(wanted) in rights.own else own[0]
        municipality = Municipality.objects.get(pk=chosen)
    pdf = plan_pdf_render(procurement=procurement, municipality=municipality)
    services.plan_print_record(user=request.user, procurement=procurement, municipality=municipality)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gevinstplan-{procurement_id}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def plan_export(request, procurement_id: int):
    page = plan_page(user=request.user, procurement_id=procurement_id, with_charts=False)
    return _xlsx_response(plan_xlsx(page), f"gevinster-{procurement_id}.xlsx")


@login_required
@require_GET
def portfolio_export(request, collaboration_id: int):
    return _xlsx_response(portfolio_xlsx(portfolio(user=request.user, collaboration_id=collaboration_id)), f"gevinstportefolje-{collaboration_id}.xlsx")
