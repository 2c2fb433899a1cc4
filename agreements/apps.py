from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """The contract (SSA) and the data processing agreement as structured documents, their
    signatures and signed copies, and their distribution to the municipalities."""

    name = "agreements"
    verbose_name = _("Kontrakt og databehandleravtale")

    def ready(self):
        from django.core import checks

        from procurement.extensions import deadline_rule_register, signoff_recorded_subscribe, task_source_register

        from .checks import signing_certificate_check
        from .services import contract_terms_recipients, dpa_signature_recorded
        from .tasks import tasks_for

        # Not deploy-only: production settings fail at startup without the certificate.
        checks.register(signing_certificate_check, checks.Tags.security, "agreements")

        signoff_recorded_subscribe(dpa_signature_recorded)
        deadline_rule_register("contract_terms", contract_terms_recipients)
        task_source_register(tasks_for, kinds={"agreement", "sign_contract", "budget"})
