"""The dashboard: every procurement the user may see with what holds it up, a page at a time."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page
from django.db import connection
from django.db.models import Min, QuerySet

from municipalities.models import Collaboration, Membership

from ..models import Deadline, Participation, Procurement
from ..next_action import Holdings, NextAction, next_action
from ..verdicts import Verdict, verdict_key, verdicts_for
from .access import procurements_permitted, procurements_visible, user_signing_rights
from .paging import PROCUREMENT_ORDER, page_of


@dataclass
class DashboardRow:
    procurement: Procurement
    verdict: Verdict
    next_deadline: date | None
    action: NextAction | None = None  # what the person looking can do now

    @property
    def fragment_key(self) -> str:
        """Everything the row's HTML is made of, for the template's fragment cache: the
        verdict's key (the case's revision, its row, the day, the language), the next
        deadline and what the person looking can do. Empty, so nothing is cached, inside a
        transaction: what it read may yet be rolled back (as procurement.verdicts)."""
        if connection.in_atomic_block:
            return ""
        return f"{verdict_key(self.procurement)}:{self.next_deadline}:{self.action}"


@dataclass
class DashboardPage:
    """One page of the dashboard: PAGE says where it is among all the matching
    procurements (page.paginator.count of them), ROWS are the ones shown."""

    page: Page
    rows: list[DashboardRow]

    def __iter__(self) -> Iterator[DashboardRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def next_deadlines(procurement_ids: list[int]) -> dict[int, date]:
    """The earliest open deadline of each procurement: one query for the page's rows only."""
    rows = (
        Deadline.objects.filter(procurement_id__in=procurement_ids, done_at__isnull=True)
        .values("procurement_id")
        .annotate(due=Min("due_date"))
        .order_by()
    )
    return {row["procurement_id"]: row["due"] for row in rows}


def procurements_matching(
    *, user, collaboration_id: int | None = None, municipality_id: int | None = None, phase: str | None = None
) -> QuerySet[Procurement]:
    """The procurements USER may see that match the dashboard's filters, in its order."""
    procurements = procurements_visible(user=user)
    if collaboration_id:
        procurements = procurements.filter(collaboration_id=collaboration_id)
    if municipality_id:
        # A subquery rather than a join: no duplicate rows, so no DISTINCT for the count.
        procurements = procurements.filter(
            pk__in=Participation.objects.filter(municipality_id=municipality_id).values("procurement_id")
        )
    if phase:
        procurements = procurements.filter(state=phase)
    return procurements.select_related("collaboration", "lead_municipality").order_by(*PROCUREMENT_ORDER)


def holdings_for(*, user, procurement_ids: list[int]) -> Holdings:
    """What USER holds for the page's procurements: three queries for any page."""
    among = Procurement.objects.filter(pk__in=procurement_ids)
    return Holdings(
        rights=user_signing_rights(user=user),
        manages=set(procurements_permitted(user=user, codename="manage_procurement", among=among).values_list("pk", flat=True)),
        contributes=set(
            procurements_permitted(user=user, codename="contribute_procurement", among=among).values_list("pk", flat=True)
        ),
    )


def _rows(procurements: list[Procurement], *, user=None) -> list[DashboardRow]:
    verdicts = verdicts_for(procurements)
    deadlines = next_deadlines([p.pk for p in procurements])
    holdings = holdings_for(user=user, procurement_ids=[p.pk for p in procurements]) if user is not None and procurements else None
    rows = []
    for p in procurements:
        verdict = verdicts[p.pk]
        action = next_action(p, verdict, holdings) if holdings is not None else None
        rows.append(DashboardRow(p, verdict, deadlines.get(p.pk), action))
    return rows


def procurement_list(*, user, page=None, **filters) -> DashboardPage:
    """Page PAGE (the raw value from the address) of the procurements USER may see that
    match the filters. The judgement, the heaviest part, is made for that page's rows only
    (and read from the verdict cache where nothing changed since), so the queries and the
    work are the same for ten procurements or ten thousand."""
    shown = page_of(procurements_matching(user=user, **filters), page)
    return DashboardPage(page=shown, rows=_rows(list(shown.object_list), user=user))


EXPORT_BATCH = 200


def procurement_rows_all(*, user, **filters) -> Iterator[DashboardRow]:
    """Every matching row, judged EXPORT_BATCH at a time: the same queries per batch, and
    memory bounded by the batch whatever the number of procurements."""
    ids = list(procurements_matching(user=user, **filters).values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = ids[start : start + EXPORT_BATCH]
        found = Procurement.objects.select_related("collaboration", "lead_municipality").in_bulk(batch)
        yield from _rows([found[pk] for pk in batch if pk in found])


def dashboard_filter_choices(*, user) -> dict:
    # The collaborations first, as a list: the visibility subquery is then evaluated once,
    # without a join to every procurement and a DISTINCT over them.
    collaborations = list(
        Collaboration.objects.filter(pk__in=procurements_visible(user=user).values("collaboration_id"))
    )
    return {
        "collaborations": collaborations,
        "memberships": list(
            Membership.objects.filter(collaboration_id__in=[c.pk for c in collaborations])
            .select_related("collaboration", "municipality")
            .order_by("collaboration__name", "municipality__name")
        ),
        "phases": [(code, label) for code, label in Procurement._meta.get_field("state").choices],
    }
