"""Printed documents (PDF) of a procurement. Like document downloads they are served only to
those who may see the procurement, and every print is written to the audit log."""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from core.pdf import render_pdf

from ..models import Procurement
from ..selectors.prints import signoff_record_for_print
from ..services.deliverables import signoff_record_print_record

SIGNOFF_RECORD_TEMPLATE = "pdf/signoff_record.html"


@login_required
@require_GET
def signoff_record_pdf(request, procurement_id: int):
    try:
        context = signoff_record_for_print(user=request.user, procurement_id=procurement_id)
    except Procurement.DoesNotExist:
        raise Http404 from None
    pdf = render_pdf(SIGNOFF_RECORD_TEMPLATE, context)
    signoff_record_print_record(user=request.user, procurement=context["procurement"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="signaturprotokoll-{procurement_id}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
