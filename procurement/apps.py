from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate
from django.utils.translation import gettext_lazy as _


def national_template_after_migrate(sender, apps=global_apps, **kwargs):
    # flush sends post_migrate without a model registry; migrate sends its historical one.
    """Reference data the application cannot run without, like Django's own permissions:
    installed after migrate (and after a test flush) when missing, never overwritten."""
    from .catalogue_seed import national_template_ensure

    if apps.is_installed("procurement"):
        national_template_ensure(apps)


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Anskaffelser")

    def ready(self):
        from municipalities.services import body_kind_uses_register, role_changes_subscribe

        from .engine.snapshot import catalogue_changed
        from .services.access import procurement_access_sync_for_collaborations
        from .services.process import open_procurements_needing_body_kind

        post_migrate.connect(national_template_after_migrate, sender=self)
        from .revisions import triggers_after_migrate, triggers_before_migrate

        pre_migrate.connect(triggers_before_migrate, sender=self, dispatch_uid="procurement_revision_triggers_off")
        post_migrate.connect(triggers_after_migrate, sender=self, dispatch_uid="procurement_revision_triggers")
        for name in ("ProcessVersion", "PhaseDefinition", "DeliverableDefinition", "ChecklistItemDefinition", "GateDefinition", "GateStep"):
            model = self.get_model(name)
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue_changed_save_{name}")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue_changed_delete_{name}")
        # municipalities knows nothing of procurements; it tells us when roles changed, and
        # asks before a body our open procurements' gates need is deleted or renamed.
        role_changes_subscribe(procurement_access_sync_for_collaborations)
        body_kind_uses_register(open_procurements_needing_body_kind)
        # Declared public holidays are data; the legal calendar reads them on first use.
        from . import deadlines
        from .services.holidays import declared_holidays_read

        if getattr(settings, "DECLARED_HOLIDAYS_AUTOLOAD", True):
            deadlines.declared_holidays_loader(declared_holidays_read)
        # Another web or worker process may have declared a holiday since: each request and
        # task looks again (once, at its first holiday lookup; see deadlines._recheck).
        from celery.signals import task_prerun
        from django.core.signals import request_started

        request_started.connect(deadlines.declared_holidays_recheck, dispatch_uid="declared_holidays_recheck")
        task_prerun.connect(deadlines.declared_holidays_recheck, dispatch_uid="declared_holidays_recheck", weak=False)

        # "Mine oppgaver": the procurement's own sources; other apps register theirs.
        from .extensions import task_source_register
        from .task_sources import answer_tasks, coordinator_tasks, deliverable_tasks, signature_tasks

        task_source_register(coordinator_tasks)
        task_source_register(answer_tasks, kinds={"answer"})
        task_source_register(signature_tasks, kinds={"sign", "sign_again", "acceptance"})
        task_source_register(deliverable_tasks, kinds={"deliver"})

        # A network's joining rounds and work packages: derived deadlines with their own recipients.
        from .extensions import deadline_rule_register
        from .services.network import (
            JOINING_RULE,
            WORK_PACKAGE_RULE,
            joining_deadline_recipients,
            work_package_deadline_recipients,
        )
        from .task_sources import network_tasks

        deadline_rule_register(JOINING_RULE, joining_deadline_recipients)
        deadline_rule_register(WORK_PACKAGE_RULE, work_package_deadline_recipients)
        task_source_register(network_tasks, kinds={"join", "work_package"})
