"""Benefit measurements due, as tasks in "Mine oppgaver" for the benefit's owner in each
municipality (registered in BenefitsConfig.ready): the next measurement's deadline within
the coming month, or passed. Two queries whatever the number of benefits."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from procurement import phases
from procurement.extensions import Task
from procurement.models import Deadline

from .models import BenefitShare
from .services import MEASUREMENT_DUE_RULE

AHEAD = timedelta(days=31)


def tasks_for(*, user) -> list[Task]:
    shares = {
        share.pk: share
        for share in BenefitShare.objects.filter(owner=user).exclude(benefit__plan__procurement__state=phases.CANCELLED).select_related(
            "benefit__plan", "municipality"
        )
    }
    if not shares:
        return []
    procurements = {share.benefit.plan.procurement_id for share in shares.values()}
    deadlines = (
        Deadline.objects.filter(
            procurement_id__in=procurements,
            rule=MEASUREMENT_DUE_RULE,
            done_at__isnull=True,
            due_date__lte=timezone.localdate() + AHEAD,
        )
        .select_related("procurement")
        .order_by("due_date", "pk")
    )
    tasks = []
    for deadline in deadlines:
        share = shares.get((deadline.rule_inputs or {}).get("share"))
        if share is None:
            continue
        tasks.append(
            Task(
                "measure",
                _("Mål gevinsten %(code)s «%(title)s» i %(municipality)s")
                % {"code": share.benefit.code, "title": share.benefit.title, "municipality": share.municipality},
                reverse("benefit_measurement_add", kwargs={"procurement_id": deadline.procurement_id, "share_id": share.pk}),
                deadline.procurement,
                due=deadline.due_date,
            )
        )
    return tasks
