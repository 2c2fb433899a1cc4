from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    """Award, standstill, contract, data processing agreement and contract management.
    The foundation signs these documents through procurement's sign-off engine; the
    contract-specific records arrive with their own issue."""

    name = "contracts"
    verbose_name = _("Kontrakter")
