from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The outbox every e-mail leaves through: notifications of decisions and reminders of
    deadlines, one row per person and message, sent exactly once as far as this side of the
    mail server can tell (see notifications/services.py)."""

    name = "notifications"
    verbose_name = _("Varsler")
