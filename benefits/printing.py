"""The benefit plan as PDF, for the page's download and for `manage.py benefit_plan_pdf`:
one function, so both print the same document."""
from django.utils import timezone

from core.pdf import render_pdf
from municipalities.models import Municipality
from procurement.models import Procurement

from .selectors import plan_print

TEMPLATE = "pdf/benefit_plan.html"


def plan_pdf(*, procurement: Procurement, municipality: Municipality | None = None) -> bytes:
    page = plan_print(procurement=procurement, municipality_id=municipality.pk if municipality else None)
    return render_pdf(
        TEMPLATE,
        {
            "procurement": procurement,
            "municipality": municipality,
            "page": page,
            "latest_version": page.versions[-1] if page.versions else None,
            "printed_at": timezone.localtime(timezone=procurement.collaboration.tzinfo),
        },
    )
