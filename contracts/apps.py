from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def standstill_minimums_after_migrate(sender, apps=global_apps, **kwargs):
    """The legal minimum standstill periods are reference data the award notice cannot do
    without: seeded after migrate (and after a test flush) when there are none, never
    overwritten, so an administrator's correction stays."""
    from procurement.deadlines import STANDSTILL_MINIMUM_DAYS_DEFAULTS

    StandstillMinimum = apps.get_model("contracts", "StandstillMinimum")
    if StandstillMinimum.objects.exists():
        return
    StandstillMinimum.objects.bulk_create(
        StandstillMinimum(
            country=str(row.country),
            channel=row.channel,
            days=row.days,
            valid_from=row.valid_from,
            source=row.source,
            verified=row.status == "verified",
        )
        for row in STANDSTILL_MINIMUM_DAYS_DEFAULTS
    )


class ContractsConfig(AppConfig):
    """Award, standstill and complaints, contract, data processing agreement and contract
    management. Registers the record kinds the contract phase's gates ask about."""

    name = "contracts"
    verbose_name = _("Kontrakter")

    def ready(self):
        from procurement.engine.records import RecordKind, record_kind_register

        post_migrate.connect(standstill_minimums_after_migrate, sender=self)

        from procurement.extensions import deadline_rule_register, holidays_changed_subscribe

        from .models import OPEN_COMPLAINT_STATES, AwardNoticeState, ComplaintState
        from .services import (
            COMPLAINT_ANSWER_RULE,
            COMPLAINT_RULE,
            award_notices_reopened,
            complaint_answer_deadlines_recompute,
            complaint_deadline_recipients,
            standstill_deadlines_recompute,
        )

        # The standstill's recompute moves the tenderers' deadline to complain with it.
        holidays_changed_subscribe(standstill_deadlines_recompute)
        holidays_changed_subscribe(complaint_answer_deadlines_recompute)
        deadline_rule_register(COMPLAINT_RULE, complaint_deadline_recipients)
        deadline_rule_register(COMPLAINT_ANSWER_RULE, complaint_deadline_recipients)

        record_kind_register(
            RecordKind(
                code="award_notice",
                label=_("Meddelelse om tildeling"),
                model="contracts.AwardNotice",
                states=tuple(AwardNoticeState.choices),
                open_states=frozenset(),
                on_reopen=award_notices_reopened,
            )
        )
        record_kind_register(
            RecordKind(
                code="complaint",
                label=_("Klage"),
                model="contracts.Complaint",
                states=tuple(ComplaintState.choices),
                open_states=OPEN_COMPLAINT_STATES,
            )
        )
