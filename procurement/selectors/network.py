"""The joining rounds and work packages page: everything on it in a fixed number of
queries, whatever the number of rounds, joinings and packages."""
from dataclasses import dataclass, field

from django.db.models import Prefetch

from municipalities.models import Membership, Municipality
from municipalities.roles import ANSWERING_ROLES

from ..models import Joining, JoiningRound, ParticipationStatus, Procurement, WorkPackage, WorkPackageState
from ..services.network import WORK_PACKAGE_ROLES, can_manage
from .access import user_signing_rights


@dataclass
class RoundRow:
    round: JoiningRound
    joinings: list
    waiting: list  # current members that have not joined
    passed: bool
    may_join_for: list  # of WAITING, those the reader may record the joining for
    form: object = None


@dataclass
class PackageRow:
    package: WorkPackage
    may_take_for: list = field(default_factory=list)
    may_deliver: bool = False
    form: object = None


@dataclass
class NetworkPage:
    procurement: Procurement
    manage: bool
    rounds: list
    packages: list
    members: list
    participants: list


def network_page(*, user, procurement: Procurement) -> NetworkPage:
    today = procurement.collaboration.today()
    manage = can_manage(user, procurement)
    rights = user_signing_rights(user=user)
    answer_for = {pk for role, kind, pk in rights if kind == "m" and role in ANSWERING_ROLES}
    work_for = {pk for role, kind, pk in rights if kind == "m" and role in WORK_PACKAGE_ROLES}
    member_ids = Membership.objects.current(on=today).filter(collaboration_id=procurement.collaboration_id).values("municipality_id")
    members = list(Municipality.objects.filter(pk__in=member_ids).order_by("name"))
    participants = list(
        Municipality.objects.filter(
            participations__procurement=procurement, participations__status=ParticipationStatus.JOINED
        ).order_by("name")
    )
    rounds = []
    for round in JoiningRound.objects.filter(procurement=procurement).prefetch_related(
        Prefetch("joinings", queryset=Joining.objects.select_related("municipality").order_by("joined_on", "municipality__name"))
    ):
        joined = {j.municipality_id for j in round.joinings.all()}
        waiting = [m for m in members if m.pk not in joined]
        passed = today > round.deadline
        may = [] if passed or not procurement.is_open else [m for m in waiting if manage or m.pk in answer_for]
        rounds.append(RoundRow(round, list(round.joinings.all()), waiting, passed, may))
    packages = []
    for package in WorkPackage.objects.filter(procurement=procurement).select_related("municipality"):
        row = PackageRow(package)
        if procurement.is_open and package.state == WorkPackageState.OPEN:
            row.may_take_for = [m for m in participants if manage or m.pk in work_for]
        row.may_deliver = procurement.is_open and package.state == WorkPackageState.TAKEN and (manage or package.municipality_id in work_for)
        packages.append(row)
    return NetworkPage(procurement, manage and procurement.is_open, rounds, packages, members, participants)
