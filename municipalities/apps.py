from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Regioner og kommuner")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the login-failure audit)
