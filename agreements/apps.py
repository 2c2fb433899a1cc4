from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """The contract (SSA) and the data processing agreement as structured documents, their
    signatures and signed copies, and their distribution to the municipalities."""

    name = "agreements"
    verbose_name = _("Kontrakt og databehandleravtale")

    def ready(self):
        from procurement.extensions import deadline_rule_register, signoff_recorded_subscribe, task_source_register

        from .services import contract_terms_recipients, dpa_signature_recorded
        from .tasks import tasks_for

        signoff_recorded_subscribe(dpa_signature_recorded)
        deadline_rule_register("contract_terms", contract_terms_recipients)
        task_source_register(tasks_for, kinds={"agreement", "sign_contract", "budget"})
