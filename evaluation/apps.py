from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """The tender period, qualification, evaluation and negotiation of a procurement:
    suppliers and their questions, tenders received, evaluators and their impartiality,
    scores, consensus, ranking and the evaluation report."""

    name = "evaluation"
    verbose_name = _("Tilbud og evaluering")

    def ready(self):
        from procurement.extensions import task_source_register

        from .tasks import tasks_for

        task_source_register(tasks_for, kinds={"impartiality", "score", "consensus", "report", "award_notice"})
