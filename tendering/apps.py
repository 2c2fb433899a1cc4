from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenderingConfig(AppConfig):
    """The requirement specification, the evaluation model and the tender documents. Registers
    the specification as a record kind, so a gate can ask for it to be published, and freezes
    it when the tender-documents phase is completed."""

    name = "tendering"
    verbose_name = _("Konkurransegrunnlag")

    def ready(self):
        from procurement.engine.records import RecordKind, record_kind_register

        from .models import SpecificationState
        from .services import specification_phase_left

        record_kind_register(
            RecordKind(
                code="specification",
                label=_("Kravspesifikasjon"),
                model="tendering.Specification",
                states=tuple(SpecificationState.choices),
                open_states=frozenset({SpecificationState.DRAFT}),
                on_phase_left=specification_phase_left,
            )
        )

        from procurement.extensions import task_source_register

        from .user_tasks import tasks_for

        task_source_register(tasks_for)
