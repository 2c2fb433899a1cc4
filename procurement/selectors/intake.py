"""Intake: where a person may report a need, and the initiatives reported for information."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from municipalities.models import Collaboration, Membership, Municipality, RoleAssignment
from municipalities.roles import REPORTING_ROLES, Role

from ..models import CostSharingMethod, InformationInitiative, Participation, ParticipationStatus, Procurement


def reporting_options(*, user) -> list[tuple[Collaboration, Municipality]]:
    """(collaboration, municipality) pairs USER may report a need for (seed 000): their own
    municipality as its representative, in each collaboration it is a member of today
    (only the collaboration of the body they represent it in, when the role names one);
    and every current member of a collaboration whose steering group they coordinate.
    Two queries."""
    if not user.is_authenticated:
        return []
    assignments = list(
        RoleAssignment.objects.filter(person=user)
        .filter(Q(role__in=REPORTING_ROLES, municipality__isnull=False) | Q(role=Role.COORDINATOR, body__isnull=False))
        .select_related("body")
    )
    if not assignments:
        return []
    wanted = Q(pk__in=[])
    for a in assignments:
        if a.role == Role.COORDINATOR:
            wanted |= Q(collaboration_id=a.body.collaboration_id)
        elif a.body_id:
            wanted |= Q(municipality_id=a.municipality_id, collaboration_id=a.body.collaboration_id)
        else:
            wanted |= Q(municipality_id=a.municipality_id)
    memberships = Membership.objects.current().filter(wanted).select_related("collaboration", "municipality")
    pairs = {(m.collaboration_id, m.municipality_id): (m.collaboration, m.municipality) for m in memberships}
    return sorted(pairs.values(), key=lambda pair: (pair[0].name, pair[1].name))


def may_report(*, user) -> bool:
    """Whether reporting_options(user=USER) has any pair, in one query: the menu asks it on
    every page."""
    if not user.is_authenticated:
        return False
    same_collaboration = Q(body__collaboration_id=OuterRef("collaboration_id"))
    roles = RoleAssignment.objects.filter(person_id=user.pk).filter(
        Q(role=Role.COORDINATOR) & same_collaboration
        | Q(role__in=REPORTING_ROLES, municipality_id=OuterRef("municipality_id")) & (Q(body__isnull=True) | same_collaboration)
    )
    return Membership.objects.current().filter(Exists(roles)).exists()


def municipalities_for_reporting(*, user) -> list[Municipality]:
    seen: dict[int, Municipality] = {}
    for _collaboration, municipality in reporting_options(user=user):
        seen.setdefault(municipality.pk, municipality)
    return sorted(seen.values(), key=lambda m: m.name)


def initiatives_visible(*, user) -> QuerySet[InformationInitiative]:
    """Initiatives reported for information (seed 000 point 10), visible to everyone with a
    role in a member municipality or a body of the collaboration; a superuser sees them all."""
    if not user.is_authenticated:
        return InformationInitiative.objects.none()
    initiatives = InformationInitiative.objects.select_related("collaboration", "municipality", "reported_by")
    if user.is_superuser:
        return initiatives
    collaborations = Collaboration.objects.filter(
        Q(memberships__municipality__role_assignments__person=user) | Q(bodies__role_assignments__person=user)
    ).values("pk")
    return initiatives.filter(collaboration__in=collaborations)


@dataclass(frozen=True)
class ExpectedShare:
    percent: Decimal | None  # None: a custom key the coordinator has not set for it yet
    kroner: Decimal | None  # None: no estimated value, or no percent
    participants: int  # how many would share, this municipality included
    settled: bool  # the share is the one set now (it has joined), not a forecast


def expected_share(*, procurement: Procurement, participation: Participation) -> ExpectedShare:
    """The share of the cost PARTICIPATION's municipality can expect, what it decides on:
    its share now when it has joined; otherwise the key applied to those who joined and it.
    A custom key has no forecast until the coordinator sets one. One query."""
    from .. import cost_sharing

    joined = [
        p
        for p in procurement.participations.filter(status=ParticipationStatus.JOINED).select_related("municipality")
        if p.pk != participation.pk
    ]
    sharing = [*joined, participation]
    if participation.status == ParticipationStatus.JOINED and participation.cost_share is not None:
        percent, settled = participation.cost_share, True
    elif procurement.cost_sharing_method == CostSharingMethod.EQUAL:
        percent, settled = cost_sharing.equal_shares([p.pk for p in sharing])[participation.pk], False
    elif procurement.cost_sharing_method == CostSharingMethod.POPULATION:
        try:
            shares = cost_sharing.population_shares({p.pk: p.municipality.population for p in sharing})
        except cost_sharing.CostShareError:
            shares = {}
        percent, settled = shares.get(participation.pk), False
    else:
        percent, settled = participation.cost_share, False
    kroner = None
    if percent is not None and procurement.estimated_value is not None:
        kroner = (Decimal(procurement.estimated_value) * percent / 100).quantize(Decimal("1"))
    return ExpectedShare(percent=percent, kroner=kroner, participants=len(sharing), settled=settled)
