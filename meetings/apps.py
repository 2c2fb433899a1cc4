from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings of a procurement's or a collaboration's groups and their minutes (seed 003):
    minutes due 2 working days after the meeting, corrections in the app, approval by itself
    when none arrived by the 4th working day before the next meeting."""

    name = "meetings"
    verbose_name = _("Møter")

    def ready(self):
        from procurement.extensions import task_source_register

        from .user_tasks import tasks_for

        task_source_register(tasks_for)
