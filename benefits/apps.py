from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    """Benefit-realisation plans: the common template per procurement, each municipality's
    owners, baselines and targets, measurements over time, values and charts. Procurement
    knows nothing of this app; it tells us through procurement.extensions when a need is
    reported and when a phase ends, and asks for the plan's lines in its timeline."""

    name = "benefits"
    verbose_name = _("Gevinstrealisering")

    def ready(self):
        from procurement.extensions import (
            deadline_rule_register,
            phase_ended_subscribe,
            procurement_reported_subscribe,
            timeline_entries_register,
        )

        from .services import (
            MEASUREMENT_DUE_RULE,
            measurement_due_recipients,
            plan_start,
            plan_timeline_entries,
            plan_version_freeze,
        )

        procurement_reported_subscribe(plan_start)
        phase_ended_subscribe(plan_version_freeze)
        timeline_entries_register(plan_timeline_entries)
        deadline_rule_register(MEASUREMENT_DUE_RULE, measurement_due_recipients)
        from procurement.extensions import task_source_register

        from .user_tasks import tasks_for

        task_source_register(tasks_for)
