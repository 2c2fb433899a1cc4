"""Intake screens (seed 000 points 1, 2 and 10): report a need or an initiative for
information, invite the other municipalities, answer for one's own municipality, and agree
the cost-sharing key. Each view checks permission, validates its form, calls one service
and redirects; the service's ValidationErrors go back next to the fields they name."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.numbers import kroner_text, percent_text
from municipalities.models import Municipality

from .. import phases
from ..exceptions import ProcurementError
from ..forms.intake import (
    JOIN_NO,
    JOIN_YES,
    AnswerForm,
    CostShareForm,
    InvitationForm,
    ReportNeedForm,
)
from ..models import Participation, ParticipationStatus
from ..refusals import answer_phase_refused, answer_refused
from ..selectors.intake import expected_share, initiatives_visible, reporting_options
from ..services.guards import require_manage
from ..services.intake import (
    can_answer_for,
    cost_shares_set,
    initiative_report,
    invitation_answer,
    invitations_send,
    procurement_report,
)
from .detail import visible_procurement_or_404


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_need(request):
    options = reporting_options(user=request.user)
    if not options:
        raise PermissionDenied(
            _(
                "Du har ingen rolle som kan melde inn behov. Behov meldes inn av kommunens representant "
                "i samarbeidet eller av koordinatoren."
            )
        )
    form = ReportNeedForm(_posted(request), request.FILES if request.method == "POST" else None, options=options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["information_only"]:
                initiative = initiative_report(
                    user=request.user,
                    municipality=data["municipality"],
                    collaboration=data["collaboration"],
                    title=data["title"],
                    description=data["description"],
                )
            else:
                procurement = procurement_report(
                    user=request.user,
                    municipality=data["municipality"],
                    collaboration=data["collaboration"],
                    title=data["title"],
                    kind=data["kind"],
                    description=data["description"],
                    funding=data["funding"],
                    draft_benefit_plan=data["draft_benefit_plan"] or None,
                    estimated_value=data["estimated_value"],
                )
        except ValidationError as error:
            form.add_service_error(error)
        except ProcurementError as error:
            messages.error(request, str(error))
        else:
            if data["information_only"]:
                messages.success(
                    request,
                    _("Initiativet «%(title)s» er meldt til %(collaboration)s til orientering.")
                    % {"title": initiative.title, "collaboration": initiative.collaboration},
                )
                return redirect("initiative_detail", initiative_id=initiative.pk)
            messages.success(
                request,
                _("Behovet «%(title)s» er meldt inn til %(collaboration)s. Neste steg er å invitere de andre kommunene.")
                % {"title": procurement.title, "collaboration": procurement.collaboration},
            )
            return redirect("procurement_detail", procurement_id=procurement.pk)
    return render(
        request,
        "procurement/need_report.html",
        {"form": form, "file_reselect": bool(request.FILES.get("draft_benefit_plan")) and form.has_errors},
        status=400 if request.method == "POST" else 200,  # a POST that got here was refused
    )


@login_required
@require_safe
def initiative_detail(request, initiative_id: int):
    initiative = get_object_or_404(initiatives_visible(user=request.user), pk=initiative_id)
    return render(request, "procurement/initiative_detail.html", {"initiative": initiative})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    require_manage(request.user, procurement, _("Bare koordinatoren for anskaffelsen kan invitere kommunene."))
    if procurement.state != phases.INTAKE:
        messages.info(request, _("Anskaffelsen har startet, så det kan ikke sendes flere invitasjoner."))
        return redirect("procurement_detail", procurement_id=procurement.pk)
    form = InvitationForm(_posted(request), procurement=procurement)
    if request.method == "POST" and form.is_valid():
        try:
            invited = invitations_send(
                user=request.user,
                procurement=procurement,
                municipalities=list(form.cleaned_data["municipalities"]),
                answer_deadline=form.cleaned_data["answer_deadline"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        except ProcurementError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Invitasjonen er sendt til %(count)d kommune med svarfrist %(deadline)s.",
                    "Invitasjonen er sendt til %(count)d kommuner med svarfrist %(deadline)s.",
                    len(invited),
                )
                % {"count": len(invited), "deadline": form.cleaned_data["answer_deadline"].strftime("%d.%m.%Y")},
            )
            return redirect("procurement_detail", procurement_id=procurement.pk)
    participations = list(procurement.participations.select_related("municipality"))
    return render(
        request,
        "procurement/invitation_form.html",
        {"procurement": procurement, "form": form, "participations": participations},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_invitation(request, procurement_id: int, municipality_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    municipality = get_object_or_404(Municipality, pk=municipality_id, participations__procurement=procurement)
    if not can_answer_for(request.user, municipality):
        raise PermissionDenied(answer_refused(request.user, municipality))
    participation = get_object_or_404(
        Participation.objects.select_related("answered_by"), procurement=procurement, municipality=municipality
    )
    if participation.is_lead:
        messages.info(request, _("%(name)s meldte inn behovet og er alltid med.") % {"name": municipality})
        return redirect("procurement_detail", procurement_id=procurement.pk)
    answerable = procurement.state == phases.INTAKE
    if request.method == "POST" and not answerable:
        messages.error(request, answer_phase_refused(procurement, procurement.get_state_display()))
        return redirect("procurement_detail", procurement_id=procurement.pk)
    initial = {
        ParticipationStatus.JOINED: {"join": JOIN_YES},
        ParticipationStatus.DECLINED: {"join": JOIN_NO, "reason": participation.decline_reason},
    }.get(participation.status, {})
    form = AnswerForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        join = form.cleaned_data["join"]
        try:
            invitation_answer(
                user=request.user,
                procurement=procurement,
                municipality=municipality,
                join=join,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        except ProcurementError as error:
            messages.error(request, str(error))
        else:
            if join:
                messages.success(request, _("Svaret er lagret: %(name)s blir med.") % {"name": municipality})
            else:
                messages.success(request, _("Svaret er lagret: %(name)s takker nei.") % {"name": municipality})
            return redirect("procurement_detail", procurement_id=procurement.pk)
    share = expected_share(procurement=procurement, participation=participation)
    return render(
        request,
        "procurement/invitation_answer.html",
        {
            "procurement": procurement,
            "municipality": municipality,
            "participation": participation,
            "answered_by": (participation.answered_by.get_full_name() or participation.answered_by.username)
            if participation.answered_by_id
            else "",
            "answerable": answerable,
            "not_answerable_reason": "" if answerable else answer_phase_refused(procurement, procurement.get_state_display()),
            "share": share,
            "share_percent": percent_text(share.percent) if share.percent is not None else "",
            "share_kroner": kroner_text(share.kroner) if share.kroner is not None else "",
            "estimated_value": kroner_text(procurement.estimated_value) if procurement.estimated_value is not None else "",
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cost_shares(request, procurement_id: int):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    require_manage(request.user, procurement, _("Bare koordinatoren for anskaffelsen kan sette kostnadsfordelingen."))
    if not procurement.is_open:
        messages.info(request, _("Anskaffelsen er avsluttet; kostnadsfordelingen kan ikke endres."))
        return redirect("procurement_detail", procurement_id=procurement.pk)
    participations = list(procurement.participations.select_related("municipality"))
    form = CostShareForm(_posted(request), procurement=procurement, participations=participations)
    if request.method == "POST" and form.is_valid():
        try:
            cost_shares_set(
                user=request.user,
                procurement=procurement,
                method=form.cleaned_data["method"],
                custom=form.custom_shares(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        except ProcurementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Kostnadsfordelingen er lagret."))
            return redirect("procurement_detail", procurement_id=procurement.pk)
    return render(
        request,
        "procurement/cost_shares_form.html",
        {"procurement": procurement, "form": form, "participations": participations},
        status=400 if request.method == "POST" else 200,  # a POST that got here was refused
    )
