"""A new deadline on the procurement page."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm

from ..models import ProcurementState
from ..services.deadlines import TITLE_MAX_LENGTH, phases_open_for_deadlines


class DeadlineForm(BokmalForm):
    """A new deadline: what it is about, the date, and optionally the phase it belongs to
    (the current phase or a later one; the deadline is done when the procurement leaves it)."""

    title = forms.CharField(
        label=_("Hva gjelder fristen?"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For eksempel «Møte i styringsgruppen: tildeling»."),
        error_messages={"required": _("Skriv hva fristen gjelder.")},
    )
    due_date = forms.DateField(
        label=_("Dato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Velg en dato for fristen.")},
    )
    phase = forms.ChoiceField(
        label=_("Fase"),
        required=False,
        help_text=_("En frist i en fase regnes som ferdig når anskaffelsen går videre fra fasen."),
        error_messages={"invalid_choice": _("Velg fasen anskaffelsen står i eller en senere fase.")},
    )

    def __init__(self, *args, procurement, **kwargs):
        kwargs.setdefault("auto_id", "id_deadline_%s")
        super().__init__(*args, **kwargs)
        self.procurement = procurement
        self.fields["phase"].choices = [("", _("Ingen bestemt fase"))] + [
            (code, ProcurementState(code).label) for code in phases_open_for_deadlines(procurement)
        ]
        self.today = timezone.localdate(timezone=procurement.collaboration.tzinfo)
        self.fields["due_date"].widget.attrs["min"] = self.today.isoformat()

    def clean_due_date(self):
        # The service says the same; asked here too so that every error shows at once.
        due_date = self.cleaned_data["due_date"]
        if due_date < self.today:
            raise ValidationError(gettext("Fristen kan ikke være tilbake i tid."), code="past")
        return due_date
