from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only REST API (Django REST framework) with its OpenAPI 3 schema: what the
    screens show, with the same visibility. No models of its own."""

    name = "api"
    verbose_name = _("Programmeringsgrensesnitt (API)")
