"""The requirement specification's part of "Mine oppgaver" (registered in
TenderingConfig.ready): while the tender-documents phase is open and the specification is
not published, each owner of a category (tendering/ownership.py) is asked to write its
requirements, and the regional buyer the tender documents' own text and the publishing.
Three queries whatever the number of procurements."""
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from procurement import phases
from procurement.extensions import Task
from procurement.selectors.access import procurements_visible, roles_by_procurement
from procurement.selectors.paging import PROCUREMENT_ORDER

from .models import PackageState, Specification, SpecificationState, TenderPackage
from .ownership import TENDER_TEXT_WRITERS, Category, owned_categories


def tasks_for(*, user) -> list[Task]:
    published = Specification.objects.filter(procurement_id=OuterRef("pk"), state=SpecificationState.PUBLISHED)
    tasks = _export_tasks(user, published)
    procurements = list(
        procurements_visible(user=user)
        .filter(state=phases.TENDER_DOCUMENTS)
        .exclude(Exists(published))
        .select_related("collaboration")
        .order_by(*PROCUREMENT_ORDER)
    )
    if not procurements:
        return tasks
    roles = roles_by_procurement(user=user, procurements=procurements)
    for procurement in procurements:
        held = roles.get(procurement.pk, set())
        categories = owned_categories(held)
        url = reverse("tendering_specification", args=[procurement.pk])
        if categories:
            names = ", ".join(str(Category(c).label).lower() for c in categories)
            tasks.append(
                Task(
                    "requirements",
                    _("Skriv kravene om %(categories)s i kravspesifikasjonen") % {"categories": names},
                    url,
                    procurement,
                    detail=_("Konkurransegrunnlaget er under arbeid; de andre kan kommentere kravene dine."),
                )
            )
        if held & TENDER_TEXT_WRITERS:
            tasks.append(
                Task(
                    "tender_documents",
                    _("Skriv konkurransegrunnlagets tekst, bestem tildelingskriteriene og publiser"),
                    reverse("tendering_tender_text", args=[procurement.pk]),
                    procurement,
                )
            )
    return tasks


def _export_tasks(user, published) -> list[Task]:
    """The regional buyer's export: once the tender documents are published, the package for
    the suppliers (ZIP, PDFs, workbook, OCDS) until one has been made. Three queries."""
    packaged = TenderPackage.objects.filter(procurement_id=OuterRef("pk"), state=PackageState.DONE)
    procurements = list(
        procurements_visible(user=user)
        .filter(Exists(published), state=phases.TENDER_DOCUMENTS)
        .exclude(Exists(packaged))
        .select_related("collaboration")
        .order_by(*PROCUREMENT_ORDER)
    )
    if not procurements:
        return []
    roles = roles_by_procurement(user=user, procurements=procurements)
    return [
        Task(
            "export",
            _("Lag konkurransepakken til leverandørene (ZIP med dokumentene, kravene som regneark og OCDS)"),
            reverse("tendering_specification", args=[procurement.pk]) + "#pakke",
            procurement,
        )
        for procurement in procurements
        if roles.get(procurement.pk, set()) & TENDER_TEXT_WRITERS
    ]
