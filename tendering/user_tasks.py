"""The requirement specification's part of "Mine oppgaver" (registered in
TenderingConfig.ready): while the tender-documents phase is open and the specification is
not published, each owner of a category (tendering/ownership.py) is asked to write its
requirements, and the regional buyer the tender documents' own text and the publishing.
Three queries whatever the number of procurements."""
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from municipalities.models import RoleAssignment
from procurement import phases
from procurement.extensions import Task
from procurement.models import Participation, ParticipationStatus
from procurement.selectors.access import procurements_visible
from procurement.selectors.paging import PROCUREMENT_ORDER

from .models import Specification, SpecificationState
from .ownership import TENDER_TEXT_WRITERS, Category, owned_categories


def _roles_by_procurement(user, procurements) -> dict[int, set[str]]:
    """procurement.selectors.access.roles_in_procurement for many procurements at once."""
    assignments = list(RoleAssignment.objects.filter(person=user).values_list("role", "municipality_id", "body__collaboration_id"))
    if not assignments:
        return {}
    municipalities = {m for _r, m, _c in assignments if m is not None}
    joined: dict[int, set[int]] = defaultdict(set)
    if municipalities:
        for procurement_id, municipality_id in Participation.objects.filter(
            procurement__in=[p.pk for p in procurements], municipality_id__in=municipalities, status=ParticipationStatus.JOINED
        ).values_list("procurement_id", "municipality_id"):
            joined[procurement_id].add(municipality_id)
    roles: dict[int, set[str]] = defaultdict(set)
    for procurement in procurements:
        for role, municipality_id, collaboration_id in assignments:
            in_collaboration = collaboration_id is None or collaboration_id == procurement.collaboration_id
            if municipality_id is None:
                if collaboration_id == procurement.collaboration_id:
                    roles[procurement.pk].add(role)
            elif in_collaboration and municipality_id in joined[procurement.pk]:
                roles[procurement.pk].add(role)
    return roles


def tasks_for(*, user) -> list[Task]:
    published = Specification.objects.filter(procurement_id=OuterRef("pk"), state=SpecificationState.PUBLISHED)
    procurements = list(
        procurements_visible(user=user)
        .filter(state=phases.TENDER_DOCUMENTS)
        .exclude(Exists(published))
        .select_related("collaboration")
        .order_by(*PROCUREMENT_ORDER)
    )
    if not procurements:
        return []
    roles = _roles_by_procurement(user, procurements)
    tasks = []
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
