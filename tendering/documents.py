"""The printed tender documents: the requirement specification, the evaluation model and the
tender documents' own text, rendered to PDF by WeasyPrint from the same document templates
the screens show. A rendering can be added as a new version of the matching deliverable of the
tender-documents phase, so a gate signs the SHA-256 of exactly those bytes."""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.actions import Action
from audit.services import audit_record
from core.pdf import render_pdf
from procurement.models import DeliverableDefinition, DeliverableVersion, Procurement
from procurement.selectors.access import roles_in_procurement
from procurement.services.deliverables import deliverable_version_add
from procurement.services.guards import refusals_audited

from .ownership import TENDER_TEXT_WRITERS
from .selectors import evaluation_model_for, specification_view


@dataclass(frozen=True)
class Document:
    key: str
    title: object
    template: str  # the print wrapper; it includes the screen's document template
    filename: str
    deliverable_code: str


DOCUMENTS = {
    document.key: document
    for document in (
        Document("kravspesifikasjon", _("Kravspesifikasjon"), "pdf/requirement_specification.html", "kravspesifikasjon", "tender-requirements"),
        Document("evalueringsmodell", _("Modell for tilbudsevaluering"), "pdf/evaluation_model.html", "evalueringsmodell", "tender-evaluation-model"),
        Document("konkurransegrunnlag", _("Konkurransegrunnlag"), "pdf/tender_documents.html", "konkurransegrunnlag", "tender-documents"),
    )
}


def document_context(*, procurement: Procurement, document: str) -> dict:
    """What the print template needs: the specification as nobody in particular sees it (no
    forms), the evaluation model and when it was printed."""
    return {
        "procurement": procurement,
        "view": specification_view(user=None, procurement=procurement),
        "model": evaluation_model_for(procurement),
        "document": DOCUMENTS[document],
        "printed_at": timezone.now(),
        "printing": True,
    }


def document_render(*, procurement: Procurement, document: str) -> bytes:
    return render_pdf(DOCUMENTS[document].template, document_context(procurement=procurement, document=document))


@transaction.atomic
def document_pdf_read(*, user, procurement: Procurement, document: str) -> bytes:
    """The PDF for USER, who may see the procurement; every print is logged."""
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    pdf = document_render(procurement=procurement, document=document)
    audit_record(
        actor=user,
        action=Action.PRINT_TENDER_DOCUMENT,
        procurement=procurement,
        message=f"Skrev ut «{DOCUMENTS[document].filename}» (PDF).",
        data={"document": document},
    )
    return pdf


def may_add_versions(*, user, procurement: Procurement, roles: set[str]) -> bool:
    return bool(roles & TENDER_TEXT_WRITERS) or user.has_perm("procurement.manage_procurement", procurement)


@refusals_audited(Action.DELIVERABLE_UPLOAD_REFUSED, lambda kw: f"forsøkte å legge inn «{kw['document']}» som ny versjon")
def document_version_add(*, user, procurement: Procurement, document: str) -> DeliverableVersion:
    """Renders DOCUMENT and stores the bytes as a new version of its deliverable in the
    procurement's process (deliverable_version_add checks, hashes, voids signatures and
    audits). For the regional buyer and those who run the procurement."""
    spec = DOCUMENTS[document]
    if not may_add_versions(user=user, procurement=procurement, roles=roles_in_procurement(user=user, procurement=procurement)):
        raise PermissionDenied(gettext("Bare regional innkjøper og de som styrer anskaffelsen, legger inn konkurransegrunnlaget."))
    definition = (
        DeliverableDefinition.objects.select_related("phase")
        .prefetch_related("gates")
        .filter(version_id=procurement.process_version_id, code=spec.deliverable_code)
        .first()
    )
    if definition is None:
        raise ValidationError(
            gettext("Prosessen denne anskaffelsen følger, har ingen leveranse «%(code)s».") % {"code": spec.deliverable_code}
        )
    pdf = document_render(procurement=procurement, document=document)
    upload = SimpleUploadedFile(f"{spec.filename}-{procurement.pk}.pdf", pdf, content_type="application/pdf")
    return deliverable_version_add(user=user, procurement=procurement, definition=definition, file=upload)
