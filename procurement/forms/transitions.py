"""What a transition needs besides the click: the reason for cancelling, and the phase to
go back to with the reason for going back."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm

from .. import phases
from ..models import ProcurementState


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse for avlysningen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Skriv en begrunnelse for avlysningen.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(gettext("Skriv en begrunnelse for avlysningen."), code="required")
        return reason


class ReopenForm(BokmalForm):
    """Back to an earlier phase (an upheld complaint, a rejected recommendation). The gates of
    the phases reopened lose their signatures, so the form says so."""

    phase = forms.ChoiceField(
        label=_("Gå tilbake til fasen"),
        error_messages={
            "required": _("Velg fasen anskaffelsen skal tilbake til."),
            "invalid_choice": _("Velg en fase anskaffelsen allerede har vært gjennom."),
        },
    )
    reason = forms.CharField(
        label=_("Hvorfor går anskaffelsen tilbake?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("For eksempel «Klagen fra leverandør X er tatt til følge; tilbudene evalueres på nytt»."),
        error_messages={"required": _("Skriv hvorfor anskaffelsen går tilbake til en tidligere fase.")},
    )

    def __init__(self, *args, procurement, phase_labels: dict[str, str] | None = None, **kwargs):
        """PHASE_LABELS: the phases' names in the procurement's own process template."""
        kwargs.setdefault("auto_id", "id_reopen_%s")
        super().__init__(*args, **kwargs)
        labels = phase_labels or {}
        earlier = phases.earlier_phases(procurement.state)
        self.fields["phase"].choices = [("", _("Velg fase"))] + [
            (code, labels.get(code) or ProcurementState(code).label) for code in reversed(earlier)
        ]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(gettext("Skriv hvorfor anskaffelsen går tilbake til en tidligere fase."), code="required")
        return reason

    @classmethod
    def initial_from(cls, query, procurement) -> dict:
        """?fase=<phase>&grunn=<text> from a link that proposes going back (an upheld
        complaint links here): only a phase the case can go back to, the reason cut to the
        field's limit. Nothing is sent until the coordinator submits the form."""
        initial = {}
        phase = query.get("fase", "")
        if phase in phases.earlier_phases(procurement.state):
            initial["phase"] = phase
        reason = query.get("grunn", "").replace("\x00", "").strip()
        if reason:
            initial["reason"] = reason[: cls.base_fields["reason"].max_length]
        return initial
