"""The evaluation report (the award gate's document) and the award notice to each tenderer,
rendered to PDF by WeasyPrint through core.pdf. The report can be added as a new version of
the evaluation phase's ranking deliverable, so the award gate signs the SHA-256 of exactly
those bytes."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record
from core.pdf import render_pdf
from procurement.models import DeliverableDefinition, DeliverableVersion, Procurement
from procurement.services.deliverables import deliverable_version_add
from procurement.services.guards import refusals_audited

from .access import evaluation_access
from .selectors import EvaluationView, TenderRow, evaluation_view_full

REPORT_DELIVERABLE = "evaluation-ranking"


def report_context(view: EvaluationView) -> dict:
    return {"procurement": view.procurement, "view": view, "printed_at": timezone.now(), "title": gettext("Evalueringsrapport")}


def report_render(procurement: Procurement) -> bytes:
    return render_pdf("pdf/evaluation_report.html", report_context(evaluation_view_full(procurement)))


@refusals_audited(Action.DOWNLOAD_REFUSED, lambda kw: "forsøkte å skrive ut evalueringsrapporten")
@transaction.atomic
def report_pdf_read(*, user, procurement: Procurement) -> bytes:
    """The report for those who run the procurement (it holds prices and every score)."""
    if not evaluation_access(user=user, procurement=procurement).runs:
        raise PermissionDenied(gettext("Evalueringsrapporten er bare tilgjengelig for koordinatoren og regional innkjøper."))
    pdf = report_render(procurement)
    audit_record(actor=user, action=Action.PRINT_EVALUATION_REPORT, procurement=procurement, message="Skrev ut evalueringsrapporten (PDF).")
    return pdf


@refusals_audited(Action.DELIVERABLE_UPLOAD_REFUSED, lambda kw: "forsøkte å legge inn evalueringsrapporten som dokument")
@transaction.atomic
def report_version_add(*, user, procurement: Procurement) -> DeliverableVersion:
    """Renders the report and stores it as a new version of the ranking deliverable: the
    document the award gate's steps sign (a new version voids earlier signatures)."""
    if not evaluation_access(user=user, procurement=procurement).runs:
        raise PermissionDenied(gettext("Bare koordinatoren og regional innkjøper legger inn evalueringsrapporten."))
    view = evaluation_view_full(procurement)
    if not view.qualified or view.winner is None:
        raise ValidationError(gettext("Rapporten kan legges inn når alle kvalifiserte tilbud har konsensuspoeng på alle kriterier."))
    definition = (
        DeliverableDefinition.objects.select_related("phase").prefetch_related("gates")
        .filter(version_id=procurement.process_version_id, code=REPORT_DELIVERABLE).first()
    )
    if definition is None:
        raise ValidationError(gettext("Prosessen denne anskaffelsen følger, har ingen leveranse «%(code)s».") % {"code": REPORT_DELIVERABLE})
    pdf = render_pdf("pdf/evaluation_report.html", report_context(view))
    upload = SimpleUploadedFile(f"evalueringsrapport-{procurement.pk}.pdf", pdf, content_type="application/pdf")
    version = deliverable_version_add(user=user, procurement=procurement, definition=definition, file=upload)
    audit_record(
        actor=user, action=Action.EVALUATION_REPORT_ADDED, procurement=procurement,
        message=f"Evalueringsrapporten er lagt inn som versjon {version.number} av «{definition.name}».",
        data={"version": version.pk, "sha256": version.sha256},
    )
    return version


def award_letter_context(*, view: EvaluationView, row: TenderRow, notice) -> dict:
    """What one tenderer is told: who won, the winning tender's characteristics and relative
    advantages, this tenderer's own scores (and rank), and the standstill period."""
    return {
        "procurement": view.procurement,
        "view": view,
        "row": row,
        "winner": view.winner,
        "is_winner": view.winner is not None and view.winner.tender.pk == row.tender.pk,
        "notice": notice,
        "ends_at": notice.standstill_ends_at.astimezone(view.procurement.collaboration.tzinfo),
        "title": gettext("Meddelelse om tildeling"),
        "printed_at": timezone.now(),
    }


def award_letter_render(*, view: EvaluationView, row: TenderRow, notice) -> bytes:
    return render_pdf("pdf/award_letter.html", award_letter_context(view=view, row=row, notice=notice))
