from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Kommentarer")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from procurement.extensions import task_source_register

        from .user_tasks import tasks_for

        task_source_register(tasks_for, kinds={"mention"})
