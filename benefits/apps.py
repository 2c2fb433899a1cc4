from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    """Benefit-realisation plans. The foundation keeps the draft plan as a document on the
    procurement; structured plans, benefits and measurements arrive with their own issue."""

    name = "benefits"
    verbose_name = _("Gevinstrealisering")
