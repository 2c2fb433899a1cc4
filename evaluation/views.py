"""The evaluation page and its POSTs, under anskaffelser/<procurement_id>/evaluering/. Each
POST reads one form, calls one service and goes back to its section; a form with errors
shows the page again (400) with the messages next to the fields; a refusal is 403 (and is
in the audit log)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_error
from procurement import phases
from procurement.views.deliverables import _attachment
from procurement.views.detail import visible_procurement_or_404
from tendering.models import AwardCriterion

from . import documents, services
from .access import evaluation_access
from .forms import (
    AnswerForm,
    CharacteristicsForm,
    DeclareForm,
    EvaluatorForm,
    MeetingForm,
    PeriodForm,
    QualifyForm,
    QuestionForm,
    ReviseForm,
    ScoreForm,
    SupplierForm,
    TenderForm,
)
from .models import NegotiationMeeting, Question, Tender, TenderVersion
from .selectors import evaluation_view


def _candidates(procurement):
    """People who may be named evaluators: those who can see the procurement."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from procurement.models import Procurement

    ids = UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Procurement), object_pk=str(procurement.pk), permission__codename="view_procurement"
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name", "pk")


def _page(request, procurement, *, status=200, bound=None):
    access = evaluation_access(user=request.user, procurement=procurement)
    if not access.sees_page:
        raise PermissionDenied(_("Evalueringen er bare tilgjengelig for evalueringsgruppen, koordinatoren og regional innkjøper."))
    view = evaluation_view(user=request.user, procurement=procurement, access=access)
    bound = bound or {}
    writable = procurement.state == phases.EVALUATION
    forms = {}
    if access.runs and writable:
        period = view.period
        forms["period"] = bound.get("period") or PeriodForm(
            initial={
                "question_deadline": period.question_deadline, "answers_by": period.answers_by, "tender_deadline": period.tender_deadline,
                "prequalification": period.prequalification, "negotiation": period.negotiation,
            } if period else None
        )
        forms["supplier"] = bound.get("supplier") or SupplierForm()
        forms["question"] = bound.get("question") or QuestionForm(procurement=procurement)
        forms["tender"] = bound.get("tender") or TenderForm(procurement=procurement)
        criteria = AwardCriterion.objects.filter(pk__in=[leaf.id for leaf in view.leaves if not leaf.is_price])
        forms["evaluator"] = bound.get("evaluator") or EvaluatorForm(people=_candidates(procurement), criteria=criteria)
    if access.must_declare and writable:
        forms["declare"] = bound.get("declare") or DeclareForm()
    if access.runs and writable:
        for row in view.tenders:
            pk = row.tender.pk
            row.qualify_form = bound.get(f"qualify-{pk}") or QualifyForm(
                prefix=f"kvalifikasjon-{pk}", initial={"decision": row.tender.qualification, "reason": row.tender.qualification_reason}
            )
            row.characteristics_form = bound.get(f"characteristics-{pk}") or CharacteristicsForm(
                prefix=f"egenskaper-{pk}", initial={"characteristics": row.tender.characteristics}
            )
            if view.period and view.period.negotiation:
                row.meeting_form = bound.get(f"meeting-{pk}") or MeetingForm(prefix=f"forhandling-{pk}")
                row.revise_form = bound.get(f"revise-{pk}") or ReviseForm(prefix=f"revisjon-{pk}")
        for q in view.questions:
            if not q.published_at:
                q.answer_form = bound.get(f"answer-{q.pk}") or AnswerForm(prefix=f"svar-{q.pk}", initial={"answer": q.answer})
    my_grid = []
    if access.named and access.declared:
        for row in view.qualified:
            cells = []
            for leaf in view.my_leaves:
                mine = view.my_scores.get((row.tender.pk, leaf.id))
                key = f"score-{row.tender.pk}-{leaf.id}"
                form = bound.get(key) or ScoreForm(
                    prefix=f"poeng-{row.tender.pk}-{leaf.id}", initial={"score": mine.score, "justification": mine.justification} if mine else None
                )
                cells.append({"leaf": leaf, "score": mine, "form": form if writable else None})
            my_grid.append({"row": row, "cells": cells})
    consensus_grid = []
    if access.runs:
        for row in view.qualified:
            cells = []
            for leaf in view.leaves:
                if leaf.is_price:
                    continue
                agreed = row.consensus.get(leaf.id)
                key = f"consensus-{row.tender.pk}-{leaf.id}"
                form = bound.get(key) or ScoreForm(
                    prefix=f"konsensus-{row.tender.pk}-{leaf.id}",
                    initial={"score": agreed.score, "justification": agreed.justification} if agreed else None,
                )
                cells.append(
                    {"leaf": leaf, "consensus": agreed, "scores": view.scores_by_leaf.get((row.tender.pk, leaf.id), []), "form": form if writable else None}
                )
            consensus_grid.append({"row": row, "cells": cells})
    context = {
        "my_grid": my_grid,
        "consensus_grid": consensus_grid,
        "procurement": procurement,
        "view": view,
        "access": access,
        "writable": writable,
        "forms": forms,
        "bound": bound,
        "statement": services.IMPARTIALITY_STATEMENT,
    }
    return render(request, "evaluation/evaluation_page.html", context, status=status)


def _procurement(request, procurement_id):
    return visible_procurement_or_404(request.user, procurement_id)


@login_required
@require_GET
def evaluation_page(request, procurement_id: int):
    return _page(request, _procurement(request, procurement_id))


def _back(procurement, anchor: str):
    return redirect(reverse("evaluation_page", args=[procurement.pk]) + anchor)


def _handle(request, procurement, key: str, form, call, success: str, anchor: str, *, default_field: str):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict") and default_field not in form.fields:
                messages.error(request, " ".join(error.messages))
                return _back(procurement, anchor)
            add_service_error(form, error, default_field=default_field)
        else:
            messages.success(request, success)
            return _back(procurement, anchor)
    return _page(request, procurement, status=400, bound={key: form})


def _runs(request, procurement):
    if not evaluation_access(user=request.user, procurement=procurement).runs:
        raise PermissionDenied(_("Bare koordinatoren og regional innkjøper kan gjøre dette."))


@login_required
@require_POST
def period_save(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    form = PeriodForm(request.POST)
    return _handle(
        request, procurement, "period", form,
        lambda d: services.tender_period_save(user=request.user, procurement=procurement, **d),
        _("Tilbudsperioden er lagret."), "#tilbudsperiode", default_field="question_deadline",
    )


@login_required
@require_POST
def supplier_add(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    form = SupplierForm(request.POST)
    return _handle(
        request, procurement, "supplier", form,
        lambda d: services.supplier_add(user=request.user, procurement=procurement, **d),
        _("Leverandøren er registrert."), "#leverandorer", default_field="name",
    )


@login_required
@require_POST
def question_add(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    form = QuestionForm(request.POST, procurement=procurement)
    return _handle(
        request, procurement, "question", form,
        lambda d: services.question_add(user=request.user, procurement=procurement, supplier=d["supplier"], text=d["text"]),
        _("Spørsmålet er registrert."), "#sporsmal", default_field="text",
    )


@login_required
@require_POST
def question_answer(request, procurement_id: int, question_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    question = get_object_or_404(Question, pk=question_id, procurement=procurement)
    form = AnswerForm(request.POST, prefix=f"svar-{question.pk}")
    return _handle(
        request, procurement, f"answer-{question.pk}", form,
        lambda d: services.question_answer(user=request.user, question=question, answer=d["answer"]),
        _("Svaret er lagret. Det publiseres til alle leverandører samtidig."), "#sporsmal", default_field="answer",
    )


@login_required
@require_POST
def answers_publish(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    try:
        published = services.answers_publish(user=request.user, procurement=procurement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)d svar er publisert til alle leverandører samtidig.") % {"count": len(published)})
    return _back(procurement, "#sporsmal")


@login_required
@require_POST
def tender_register(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    form = TenderForm(request.POST, request.FILES, procurement=procurement)
    return _handle(
        request, procurement, "tender", form,
        lambda d: services.tender_register(
            user=request.user, procurement=procurement, supplier=d["supplier"], price=d["price"], file=d["file"], lot=d["lot"]
        ),
        _("Tilbudet er registrert."), "#tilbud", default_field="file",
    )


def _tender(procurement, tender_id) -> Tender:
    return get_object_or_404(Tender.objects.select_related("supplier"), pk=tender_id, procurement=procurement)


@login_required
@require_POST
def tender_qualify(request, procurement_id: int, tender_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    tender = _tender(procurement, tender_id)
    form = QualifyForm(request.POST, prefix=f"kvalifikasjon-{tender.pk}")
    return _handle(
        request, procurement, f"qualify-{tender.pk}", form,
        lambda d: services.tender_qualify(user=request.user, tender=tender, decision=d["decision"], reason=d["reason"]),
        _("Kvalifikasjonen er lagret."), f"#tilbud-{tender.pk}", default_field="reason",
    )


@login_required
@require_POST
def tender_characteristics(request, procurement_id: int, tender_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    tender = _tender(procurement, tender_id)
    form = CharacteristicsForm(request.POST, prefix=f"egenskaper-{tender.pk}")
    return _handle(
        request, procurement, f"characteristics-{tender.pk}", form,
        lambda d: services.tender_characteristics_save(user=request.user, tender=tender, text=d["characteristics"]),
        _("Beskrivelsen er lagret."), f"#tilbud-{tender.pk}", default_field="characteristics",
    )


@login_required
@require_GET
def tender_download(request, procurement_id: int, tender_id: int, version_id: int):
    procurement = _procurement(request, procurement_id)
    tender = _tender(procurement, tender_id)
    version = get_object_or_404(TenderVersion, pk=version_id, tender=tender)
    try:
        version = services.tender_open(user=request.user, tender=tender, version=version)
    except TenderVersion.DoesNotExist:
        raise Http404 from None
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _attachment(handle, filename=version.original_name, content_type="application/octet-stream")


@login_required
@require_POST
def evaluator_assign(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    criteria = AwardCriterion.objects.filter(pk__in=[c.pk for c in services.scorable_criteria(procurement)])
    form = EvaluatorForm(request.POST, people=_candidates(procurement), criteria=criteria)
    return _handle(
        request, procurement, "evaluator", form,
        lambda d: services.evaluator_assign(user=request.user, procurement=procurement, person=d["person"], criterion=d["criterion"]),
        _("Evaluatoren er utpekt."), "#evaluatorer", default_field="person",
    )


@login_required
@require_POST
def impartiality_declare(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    form = DeclareForm(request.POST)
    return _handle(
        request, procurement, "declare", form,
        lambda d: services.impartiality_declare(user=request.user, procurement=procurement, confirm=d["confirm"]),
        _("Du har erklært deg habil og kan nå åpne tilbudene."), "#habilitet", default_field="confirm",
    )


def _criterion(procurement, criterion_id) -> AwardCriterion:
    return get_object_or_404(AwardCriterion, pk=criterion_id, specification__procurement=procurement)


@login_required
@require_POST
def score_save(request, procurement_id: int, tender_id: int, criterion_id: int):
    procurement = _procurement(request, procurement_id)
    tender, criterion = _tender(procurement, tender_id), _criterion(procurement, criterion_id)
    form = ScoreForm(request.POST, prefix=f"poeng-{tender.pk}-{criterion.pk}")
    return _handle(
        request, procurement, f"score-{tender.pk}-{criterion.pk}", form,
        lambda d: services.score_save(user=request.user, tender=tender, criterion=criterion, **d),
        _("Poengene er lagret."), "#mine-poeng", default_field="score",
    )


@login_required
@require_POST
def consensus_save(request, procurement_id: int, tender_id: int, criterion_id: int):
    procurement = _procurement(request, procurement_id)
    tender, criterion = _tender(procurement, tender_id), _criterion(procurement, criterion_id)
    form = ScoreForm(request.POST, prefix=f"konsensus-{tender.pk}-{criterion.pk}")
    return _handle(
        request, procurement, f"consensus-{tender.pk}-{criterion.pk}", form,
        lambda d: services.consensus_save(user=request.user, tender=tender, criterion=criterion, **d),
        _("Konsensuspoengene er lagret."), "#konsensus", default_field="score",
    )


@login_required
@require_POST
def negotiation_meeting_add(request, procurement_id: int, tender_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    tender = _tender(procurement, tender_id)
    form = MeetingForm(request.POST, prefix=f"forhandling-{tender.pk}")
    return _handle(
        request, procurement, f"meeting-{tender.pk}", form,
        lambda d: services.negotiation_meeting_add(user=request.user, tender=tender, **d),
        _("Forhandlingsmøtet er registrert."), f"#tilbud-{tender.pk}", default_field="minutes",
    )


@login_required
@require_POST
def tender_revise(request, procurement_id: int, tender_id: int):
    procurement = _procurement(request, procurement_id)
    _runs(request, procurement)
    tender = _tender(procurement, tender_id)
    form = ReviseForm(request.POST, request.FILES, prefix=f"revisjon-{tender.pk}")
    meeting = NegotiationMeeting.objects.filter(tender=tender).order_by("-held_on", "-id").first()
    return _handle(
        request, procurement, f"revise-{tender.pk}", form,
        lambda d: services.tender_revise(user=request.user, tender=tender, file=d["file"], price=d["price"], meeting=meeting),
        _("Det reviderte tilbudet er lagret som en ny versjon."), f"#tilbud-{tender.pk}", default_field="file",
    )


@login_required
@require_GET
def report_pdf(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    pdf = documents.report_pdf_read(user=request.user, procurement=procurement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evalueringsrapport-{procurement.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_version_add(request, procurement_id: int):
    procurement = _procurement(request, procurement_id)
    try:
        version = documents.report_version_add(user=request.user, procurement=procurement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(procurement, "#rapport")
    messages.success(
        request, _("Evalueringsrapporten er lagt inn som versjon %(number)d. Tildelingen signeres på denne versjonen.") % {"number": version.number}
    )
    return redirect(reverse("procurement_detail", args=[procurement.pk]) + "#leveranse-evaluation-ranking")
