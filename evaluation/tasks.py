"""What an evaluator, the coordinator and the regional buyer have to do in the evaluation,
as tasks of "Mine oppgaver" (registered in evaluation/apps.py). A fixed
number of queries per user: the procurements in evaluation they may see, then one query per
kind of row over all of them."""
from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext

from procurement import phases
from procurement.extensions import Task
from procurement.selectors.access import procurements_visible

from .access import RUNNING_ROLES
from .models import ConsensusScore, EvaluatorAssignment, ImpartialityDeclaration, Qualification, Score, Tender, TenderPeriod


def _task(title: str, url: str, procurement, due: date | None = None, kind: str = "") -> Task:
    return Task(kind=kind, title=title, url=url, procurement=procurement, due=due)


def tasks_for(user) -> list[Task]:
    if not getattr(user, "is_authenticated", False):
        return []
    from municipalities.models import RoleAssignment

    visible = list(procurements_visible(user=user).filter(state__in=[phases.EVALUATION, phases.CONTRACT]).select_related("collaboration"))
    procurements = [p for p in visible if p.state == phases.EVALUATION]
    in_contract = [p for p in visible if p.state == phases.CONTRACT]
    if not visible:
        return []
    ids = [p.pk for p in procurements]
    by_id = {p.pk: p for p in procurements}
    due = {
        pid: deadline.astimezone(by_id[pid].collaboration.tzinfo).date()
        for pid, deadline in TenderPeriod.objects.filter(procurement_id__in=ids).values_list("procurement_id", "tender_deadline")
    }
    tasks: list[Task] = []

    def url(pid: int, anchor: str) -> str:
        return reverse("evaluation_page", args=[pid]) + anchor

    # Evaluators: declare impartiality, then score every qualified tender on their criteria.
    mine = list(EvaluatorAssignment.objects.filter(person=user, procurement_id__in=ids).values_list("procurement_id", "criterion_id"))
    if mine:
        declared = set(ImpartialityDeclaration.objects.filter(person=user, procurement_id__in=ids).values_list("procurement_id", flat=True))
        qualified = {}
        for pid, tid in Tender.objects.filter(procurement_id__in=ids, qualification=Qualification.QUALIFIED).values_list("procurement_id", "pk"):
            qualified.setdefault(pid, set()).add(tid)
        scored = set(Score.objects.filter(evaluator=user, tender__procurement_id__in=ids).values_list("tender_id", "criterion_id"))
        criteria: dict[int, set[int]] = {}
        for pid, cid in mine:
            criteria.setdefault(pid, set()).add(cid)
        for pid, cids in criteria.items():
            p = by_id[pid]
            if pid not in declared:
                tasks.append(_task(gettext("Erklær habilitet før du evaluerer"), url(pid, "#habilitet"), p, due.get(pid), "impartiality"))
                continue
            missing = sum(1 for tid in qualified.get(pid, ()) for cid in cids if (tid, cid) not in scored)
            if missing:
                tasks.append(
                    _task(
                        gettext("Gi poeng: %(count)d vurderinger mangler") % {"count": missing}, url(pid, "#mine-poeng"), p, due.get(pid), "score"
                    )
                )
    # Coordinator and regional buyer: consensus, the report, the award notices.
    running = set(
        RoleAssignment.objects.filter(person=user, role__in=RUNNING_ROLES, body__collaboration_id__in={p.collaboration_id for p in procurements})
        .values_list("body__collaboration_id", flat=True)
    )
    run_ids = [p.pk for p in procurements if p.collaboration_id in running]
    if run_ids:
        leaves_scored = set(Score.objects.filter(tender__procurement_id__in=run_ids).values_list("tender__procurement_id", flat=True))
        agreed = set(ConsensusScore.objects.filter(tender__procurement_id__in=run_ids).values_list("tender_id", "criterion_id"))
        pending = set(
            Score.objects.filter(tender__procurement_id__in=run_ids, tender__qualification=Qualification.QUALIFIED)
            .values_list("tender__procurement_id", "tender_id", "criterion_id")
        )
        waiting: dict[int, int] = {}
        for pid, tid, cid in pending:
            if (tid, cid) not in agreed:
                waiting[pid] = waiting.get(pid, 0) + 1
        for pid in run_ids:
            p = by_id[pid]
            if waiting.get(pid):
                tasks.append(
                    _task(
                        gettext("Registrer konsensuspoeng: %(count)d mangler") % {"count": waiting[pid]}, url(pid, "#konsensus"), p, due.get(pid), "consensus"
                    )
                )
            elif pid in leaves_scored:
                tasks.append(_task(gettext("Legg evalueringsrapporten inn som dokument for tildelingen"), url(pid, "#rapport"), p, due.get(pid), "report"))
    # The award notices, once the award is approved and the case is in the contract phase.
    if in_contract:
        from contracts.models import AwardNotice, AwardNoticeState

        running_c = set(
            RoleAssignment.objects.filter(person=user, role__in=RUNNING_ROLES, body__collaboration_id__in={p.collaboration_id for p in in_contract})
            .values_list("body__collaboration_id", flat=True)
        )
        sent = set(
            AwardNotice.objects.filter(procurement__in=in_contract, state=AwardNoticeState.SENT).values_list("procurement_id", flat=True)
        )
        with_tenders = set(Tender.objects.filter(procurement__in=in_contract).values_list("procurement_id", flat=True))
        for p in in_contract:
            if p.collaboration_id in running_c and p.pk not in sent and p.pk in with_tenders:
                tasks.append(
                    _task(
                        gettext("Send meddelelse om tildeling til alle tilbyderne"),
                        reverse("procurement_detail", args=[p.pk]) + "#tildeling", p, None, "award_notice",
                    )
                )
    return tasks
