"""The award section's POSTs: record and withdraw the award notice, register and resolve a
complaint. Each checks that the person runs the procurement before reading the form (403),
calls one service and returns to the section; a form with errors shows the procurement page
again (400) with the messages next to the fields."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from procurement.models import Procurement
from procurement.services.guards import require_manage
from procurement.views.detail import render_detail, visible_procurement_or_404

from . import services
from .forms import (
    AwardNoticeForm,
    AwardNoticeWithdrawForm,
    ComplaintForm,
    ComplaintResolveForm,
)
from .models import AwardNotice, AwardNoticeState, Complaint, ComplaintState
from .selectors import award_section_writable

SECTION = "#tildeling"


def _to_section(procurement_id: int, anchor: str = SECTION):
    return redirect(reverse("procurement_detail", args=[procurement_id]) + anchor)


def _procurement_run_by(request, procurement_id: int) -> Procurement:
    """The procurement (404 when it is not visible), 403 for someone who may see it but not
    run it: asked before the form is read, so nobody corrects a form they may not send."""
    procurement = visible_procurement_or_404(request.user, procurement_id)
    require_manage(request.user, procurement, _("Bare de som styrer anskaffelsen, kan endre tildelingen og klagene."))
    return procurement


def _closed_phase(request, procurement: Procurement):
    """The page offers these forms in the evaluation and contract phases only; a post from
    an old page learns why nothing happened."""
    if award_section_writable(procurement):
        return None
    messages.error(request, _("Tildelingen og klagene kan bare endres i fasene evaluering og kontrakt."))
    return _to_section(procurement.pk)


def _submit(request, procurement: Procurement, form, call, success, *, default_field: str):
    """Validate FORM, CALL the service with its cleaned data, and answer: back to the
    section with SUCCESS(result) on success; a service error without a field (the notice is
    already withdrawn, the complaint already decided) as a message, since the form it
    belongs to is no longer on the page; field errors on the page again, status 400."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return _to_section(procurement.pk)
            add_service_error(form, error, default_field=default_field)
        else:
            text, anchor = success(result)
            messages.success(request, text)
            return _to_section(procurement.pk, anchor)
    return render_detail(request, procurement.pk, status=400, award_form=form)


@login_required
@require_POST
def award_notice_send(request, procurement_id: int):
    procurement = _procurement_run_by(request, procurement_id)
    if (refused := _closed_phase(request, procurement)) is not None:
        return refused
    form = AwardNoticeForm(request.POST, procurement=procurement)

    def call(data):
        return services.award_notice_send(
            user=request.user,
            procurement=procurement,
            sent_on=data["sent_on"],
            channel=data["channel"],
            standstill_days=data["standstill_days"],
            note=data["note"],
        )

    def success(notice):
        return (
            _("Meddelelsen om tildeling er registrert. Karensperioden løper til og med %(date)s.")
            % {"date": notice.standstill_ends_on.strftime("%d.%m.%Y")},
            SECTION,
        )

    return _submit(request, procurement, form, call, success, default_field="sent_on")


@login_required
@require_POST
def award_notice_withdraw(request, procurement_id: int, notice_id: int):
    procurement = _procurement_run_by(request, procurement_id)
    notice = get_object_or_404(AwardNotice, pk=notice_id, procurement=procurement)
    if (refused := _closed_phase(request, procurement)) is not None:
        return refused
    if notice.state != AwardNoticeState.SENT:
        # From an old page: the form is gone, so say it here whatever was typed (the service
        # refuses it with the same words).
        messages.error(request, _("Meddelelsen er allerede trukket tilbake."))
        return _to_section(procurement.pk)
    form = AwardNoticeWithdrawForm(request.POST, notice=notice)

    def call(data):
        return services.award_notice_withdraw(user=request.user, notice=notice, reason=data["reason"])

    def success(notice):
        return _("Meddelelsen om tildeling er trukket tilbake. Karensperioden gjelder ikke lenger."), SECTION

    return _submit(request, procurement, form, call, success, default_field="reason")


@login_required
@require_POST
def complaint_register(request, procurement_id: int):
    procurement = _procurement_run_by(request, procurement_id)
    if (refused := _closed_phase(request, procurement)) is not None:
        return refused
    form = ComplaintForm(request.POST, request.FILES, procurement=procurement)

    def call(data):
        return services.complaint_register(
            user=request.user,
            procurement=procurement,
            received_on=data["received_on"],
            complainant=data["complainant"],
            summary=data["summary"],
            kind=data["kind"],
            document=data.get("document"),
        )

    def success(complaint):
        return (
            _("Klagen fra %(complainant)s er registrert. Kontrakten kan ikke signeres før den er avgjort.")
            % {"complainant": complaint.complainant},
            f"#klage-{complaint.pk}",
        )

    return _submit(request, procurement, form, call, success, default_field="summary")


@login_required
@require_POST
def complaint_resolve(request, procurement_id: int, complaint_id: int):
    procurement = _procurement_run_by(request, procurement_id)
    complaint = get_object_or_404(Complaint, pk=complaint_id, procurement=procurement)
    if (refused := _closed_phase(request, procurement)) is not None:
        return refused
    if complaint.state != ComplaintState.OPEN:
        messages.error(request, _("Klagen er allerede avgjort."))
        return _to_section(procurement.pk, f"#klage-{complaint.pk}")
    form = ComplaintResolveForm(request.POST, complaint=complaint)

    def call(data):
        return services.complaint_resolve(
            user=request.user, complaint=complaint, outcome=data["outcome"], resolution=data["resolution"]
        )

    def success(complaint):
        return (
            _("Klagen fra %(complainant)s er avgjort: %(outcome)s.")
            % {"complainant": complaint.complainant, "outcome": complaint.get_state_display().lower()},
            f"#klage-{complaint.pk}",
        )

    return _submit(request, procurement, form, call, success, default_field="resolution")


@login_required
def complaint_document_download(request, procurement_id: int, complaint_id: int, document_id: int):
    """A complaint's document, for those who run the procurement (it may quote a tender)."""
    from procurement.views.deliverables import _attachment

    from .models import ComplaintDocument

    procurement = _procurement_run_by(request, procurement_id)
    document = get_object_or_404(ComplaintDocument, pk=document_id, complaint_id=complaint_id, complaint__procurement=procurement)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        from django.http import Http404

        raise Http404 from None
    return _attachment(handle, filename=document.original_name, content_type="application/octet-stream")
