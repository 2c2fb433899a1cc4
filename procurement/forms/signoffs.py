"""A signature at a gate: approve or reject, a comment, and the hash of the version read."""
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Decision


class SignOffForm(forms.Form):
    """Approve or reject the version of a gate's document the signer read; the hash ties the
    signature to that version so a newer upload is never signed unseen."""

    decision = forms.ChoiceField(
        label=_("Beslutning"),
        choices=Decision.choices,
        error_messages={
            "required": _("Velg godkjenn eller avvis."),
            "invalid_choice": _("Velg godkjenn eller avvis."),
        },
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Påkrevd hvis du avviser."),
    )
    comment.conditionally_required = True  # the field include then does not call it optional
    # Step-up: the signer's password again, checked by the view (core.stepup), so a session
    # left open cannot sign.
    password = forms.CharField(
        label=_("Passordet ditt"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Bekreft signaturen med passordet du logger inn med."),
        error_messages={"required": _("Skriv passordet ditt for å signere.")},
    )

    # Only for a body whose decisions a designated recorder enters (the service requires them there).
    meeting_on = forms.DateField(label=_("Møtedato"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    meeting_on.conditionally_required = True
    case_number = forms.CharField(label=_("Saksnummer"), required=False, max_length=50)
    case_number.conditionally_required = True
    slot = forms.CharField(widget=forms.HiddenInput, max_length=40)
    document_sha256 = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Dokumentversjonen mangler. Last siden på nytt.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.REJECT and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", gettext("Skriv hvorfor du avviser."))
        return cleaned
