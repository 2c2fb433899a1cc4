"""The dashboard: every procurement the user may see with what holds it up."""
from dataclasses import dataclass
from datetime import date

from django.db.models import Min, Q

from municipalities.models import Collaboration, Membership

from ..models import Procurement
from ..readiness import Readiness, ReadinessLoader
from .access import procurements_visible


@dataclass
class DashboardRow:
    procurement: Procurement
    readiness: Readiness
    next_deadline: date | None


def procurement_list(
    *, user, collaboration_id: int | None = None, municipality_id: int | None = None, phase: str | None = None
) -> list[DashboardRow]:
    procurements = (
        procurements_visible(user=user)
        .select_related("collaboration", "lead_municipality")
        .annotate(next_deadline=Min("deadlines__due_date", filter=Q(deadlines__done_at__isnull=True)))
        .order_by("collaboration__name", "-created_at")
    )
    if collaboration_id:
        procurements = procurements.filter(collaboration_id=collaboration_id)
    if municipality_id:
        procurements = procurements.filter(participations__municipality_id=municipality_id).distinct()
    if phase:
        procurements = procurements.filter(state=phase)
    procurements = list(procurements)
    loader = ReadinessLoader(procurements)
    return [DashboardRow(p, loader.for_procurement(p), p.next_deadline) for p in procurements]


def dashboard_filter_choices(*, user) -> dict:
    collaborations = Collaboration.objects.filter(procurements__in=procurements_visible(user=user)).distinct()
    return {
        "collaborations": list(collaborations),
        "memberships": list(
            Membership.objects.filter(collaboration__in=collaborations)
            .select_related("collaboration", "municipality")
            .order_by("collaboration__name", "municipality__name")
        ),
        "phases": [(code, label) for code, label in Procurement._meta.get_field("state").choices],
    }
