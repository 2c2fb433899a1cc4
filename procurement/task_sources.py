"""The procurement app's sources for "Mine oppgaver" (procurement.extensions.tasks_for):
what the coordinator moves on, the invitations a municipality answers, the signatures
(and signatures to give again after a new version), and the deliverables a phase waits
for. Each source costs a fixed number of queries whatever the number of procurements: it
narrows in SQL, then judges the rest with one call of procurement.verdicts.verdicts_for."""
from datetime import timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.roles import Role

from . import phases
from .extensions import Task
from .models import Deadline, Participation, Procurement
from .selectors.access import procurements_permitted, user_signing_rights
from .selectors.paging import PROCUREMENT_ORDER
from .selectors.tasks import (
    deliverable_missing,
    gate_rejected,
    invitations_waiting,
    missing_deliverable_candidates,
    signature_candidates,
    signature_step_unsigned,
    signature_tasks_of,
)
from .verdicts import verdicts_for

# Kinds shown on "Mine oppgaver" in lists of their own, with their own pages.
SECTIONED_KINDS = frozenset({"answer", "sign", "sign_again", "acceptance", "deliver", "mention"})


def _detail(procurement, anchor: str = "") -> str:
    return reverse("procurement_detail", args=[procurement.pk]) + (f"#{anchor}" if anchor else "")


def coordinator_tasks(*, user) -> list[Task]:
    """For those who run procurements: invitations to send, a case that may start or a
    phase that may be completed, gates whose decision was no, and deadlines that have
    passed. Three queries and one snapshot load (none where the verdicts are cached).

    Only the cases that may have a phase to complete or a gate said no to are judged: SQL
    leaves out those still missing a required deliverable or a signature gate's step with no
    approval at all (never ready), unless a gate of their phase has a live "no"; a
    coordinator running hundreds of cases, most of them waiting for documents or
    signatures, then loads the snapshots of the few that can ask something."""
    # Counted in a subquery, not by a join and GROUP BY: with the EXISTS of "judged" on
    # every joined row that was most of the page's time (80 ms against 28 for 329 cases).
    participants = Subquery(
        Participation.objects.filter(procurement_id=OuterRef("pk"))
        .order_by()
        .values("procurement_id")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    managed = list(
        procurements_permitted(
            user=user, codename="manage_procurement", among=Procurement.objects.filter(state__in=phases.OPEN_STATES)
        )
        .select_related("collaboration")  # what the tasks and the verdicts read
        .annotate(
            participant_count=Coalesce(participants, 0),
            judged=ExpressionWrapper(
                (~Q(deliverable_missing()) & ~Q(signature_step_unsigned())) | Q(gate_rejected()), output_field=BooleanField()
            ),
        )
        .order_by(*PROCUREMENT_ORDER)
    )
    if not managed:
        return []
    tasks: list[Task] = []
    verdicts = verdicts_for(procurement for procurement in managed if procurement.judged)
    for procurement in managed:
        inviting = procurement.state == phases.INTAKE and procurement.participant_count <= 1
        if inviting:
            tasks.append(
                Task(
                    "invite",
                    _("Inviter de andre kommunene"),
                    reverse("procurement_invite", args=[procurement.pk]),
                    procurement,
                    detail=_("Behovet er meldt inn; ingen andre kommuner er invitert ennå."),
                )
            )
        if not procurement.judged:
            continue
        verdict = verdicts[procurement.pk]
        if not inviting and verdict.ready:
            if procurement.state == phases.INTAKE:
                title = _("Start anskaffelsen")
            elif procurement.state == phases.CONTRACT_MANAGEMENT:
                title = _("Avslutt anskaffelsen")
            else:
                title = _("Fullfør fasen «%(phase)s»") % {"phase": verdict.phase_label}
            tasks.append(Task("complete_phase", title, _detail(procurement, "faseendring"), procurement))
        for gate in verdict.refused_gates:
            tasks.append(
                Task(
                    "rejected_gate",
                    _("«%(gate)s» ble avvist: gå tilbake til en tidligere fase eller avlys") % {"gate": gate.label},
                    _detail(procurement, f"port-{gate.code}"),
                    procurement,
                    detail=_("Avvist av %(role)s.") % {"role": gate.role_label.lower()},
                )
            )
    by_pk = {p.pk: p for p in managed}
    # Overdue by each collaboration's own calendar: the widest day is asked in SQL, each
    # deadline is then judged against its collaboration's today.
    latest = timezone.localdate() + timedelta(days=1)
    overdue = Deadline.objects.filter(procurement_id__in=list(by_pk), done_at__isnull=True, due_date__lt=latest, rule="")
    for deadline in overdue.order_by("due_date", "pk"):
        procurement = by_pk[deadline.procurement_id]
        if deadline.due_date >= procurement.collaboration.today():
            continue
        tasks.append(
            Task(
                "overdue",
                _("Fristen «%(title)s» er passert") % {"title": deadline.title},
                _detail(procurement, "frister"),
                procurement,
                due=deadline.due_date,
            )
        )
    return tasks


def answer_tasks(*, user) -> list[Task]:
    """Invitations the person's municipality has not answered. One query (and one for the
    rights)."""
    rights = user_signing_rights(user=user)
    return [
        Task(
            "answer",
            _("Svar på invitasjonen for %(name)s") % {"name": participation.municipality},
            reverse(
                "invitation_answer",
                kwargs={"procurement_id": participation.procurement_id, "municipality_id": participation.municipality_id},
            ),
            participation.procurement,
            due=participation.procurement.invitation_deadline,
        )
        for participation in invitations_waiting(rights=rights)
    ]


def signature_tasks(*, user) -> list[Task]:
    """Signatures waiting for the person, "again" where a new version voided theirs, and
    the user representatives' acceptance."""
    rights = user_signing_rights(user=user)
    ids = list(signature_candidates(user=user, rights=rights).values_list("pk", flat=True))
    if not ids:
        return []
    rows = list(Procurement.objects.select_related("collaboration").filter(pk__in=ids).order_by(*PROCUREMENT_ORDER))
    tasks = []
    for task in signature_tasks_of(rows, verdicts=verdicts_for(rows), rights=rights):
        if task.again:
            kind, title = "sign_again", _("Signer på nytt: %(gate)s for %(slot)s") % {"gate": task.gate_name, "slot": task.slot.label}
        elif task.step.step.role == Role.USER_REPRESENTATIVE:
            kind, title = "acceptance", _("Godkjenn akseptansetesten for %(slot)s") % {"slot": task.slot.label}
        else:
            kind, title = "sign", _("Les og signer: %(gate)s for %(slot)s") % {"gate": task.gate_name, "slot": task.slot.label}
        tasks.append(Task(kind, title, _detail(task.procurement, "signering"), task.procurement))
    return tasks


def deliverable_tasks(*, user) -> list[Task]:
    """Required deliverables of the current phase not delivered yet, for those who write."""
    rows = list(missing_deliverable_candidates(user=user).select_related("collaboration").order_by(*PROCUREMENT_ORDER))
    if not rows:
        return []
    verdicts = verdicts_for(rows)
    return [
        Task("deliver", _("Lever «%(name)s»") % {"name": definition.label}, _detail(procurement, f"leveranse-{definition.code}"), procurement)
        for procurement in rows
        for definition in verdicts[procurement.pk].missing
    ]


def network_tasks(*, user) -> list[Task]:
    """A network's joining rounds still open to a municipality the person answers for that
    has not joined, and the work packages their municipality took and has not delivered.
    At most five queries whatever the number of procurements."""
    from municipalities.models import Membership
    from municipalities.roles import ANSWERING_ROLES

    from .models import Joining, JoiningRound, WorkPackage, WorkPackageState
    from .services.network import WORK_PACKAGE_ROLES

    rights = user_signing_rights(user=user)
    answer_for = {pk for role, kind, pk in rights if kind == "m" and role in ANSWERING_ROLES}
    work_for = {pk for role, kind, pk in rights if kind == "m" and role in WORK_PACKAGE_ROLES}
    tasks: list[Task] = []
    open_states = list(phases.OPEN_STATES)
    if answer_for:
        # A day of slack for the zones; each round is judged in its collaboration's.
        today = timezone.localdate()
        members: dict[int, set[int]] = {}
        for collaboration_id, municipality_id in (
            Membership.objects.current(on=today).filter(municipality_id__in=answer_for).values_list("collaboration_id", "municipality_id")
        ):
            members.setdefault(collaboration_id, set()).add(municipality_id)
        rounds = list(
            JoiningRound.objects.filter(
                procurement__collaboration_id__in=list(members), procurement__state__in=open_states, deadline__gte=today - timedelta(days=1)
            ).select_related("procurement__collaboration")
        ) if members else []
        joined = set(
            Joining.objects.filter(round__in=[r.pk for r in rounds], municipality_id__in=answer_for).values_list("round_id", "municipality_id")
        ) if rounds else set()
        names = dict(
            Membership.objects.filter(municipality_id__in=answer_for).values_list("municipality_id", "municipality__name")
        ) if rounds else {}
        for round in rounds:
            if round.deadline < round.procurement.collaboration.today():
                continue
            for municipality_id in sorted(members[round.procurement.collaboration_id]):
                if (round.pk, municipality_id) in joined:
                    continue
                tasks.append(
                    Task(
                        "join",
                        _("Tiltre «%(round)s» for %(municipality)s") % {"round": round.name, "municipality": names.get(municipality_id, "")},
                        reverse("procurement_network", args=[round.procurement_id]) + f"#runde-{round.pk}",
                        round.procurement,
                        due=round.deadline,
                    )
                )
    if work_for:
        for package in WorkPackage.objects.filter(
            state=WorkPackageState.TAKEN, municipality_id__in=work_for, procurement__state__in=open_states
        ).select_related("procurement", "municipality"):
            tasks.append(
                Task(
                    "work_package",
                    _("Lever arbeidspakken «%(title)s»") % {"title": package.title},
                    reverse("procurement_network", args=[package.procurement_id]) + f"#pakke-{package.pk}",
                    package.procurement,
                    due=package.due_date,
                    detail=package.municipality.name,
                )
            )
    return tasks
