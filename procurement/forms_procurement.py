"""Forms of the procurement page: a new version of a deliverable, a signature at a gate,
the reason for cancelling and a new deadline. They check what a person can get wrong in
the form; the services decide everything else and their ValidationErrors are mapped back
onto these fields."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import BokmalForm
from .models import Decision, DeliverableDefinition, DeliverableKind, ProcurementState
from .services.deadlines import TITLE_MAX_LENGTH, phases_open_for_deadlines
from .uploads import validate_upload

FILE_ERRORS = {
    "invalid": _("Filen kunne ikke leses. Prøv å laste den opp på nytt."),
    "missing": _("Velg en fil å laste opp."),
    "empty": _("Filen er tom."),
    "max_length": _("Filnavnet er for langt (høyst %(max)d tegn)."),
    "contradiction": _("Velg enten en ny fil eller ingen."),
}


def add_service_error(form: forms.Form, error: ValidationError, *, default_field: str | None = None) -> None:
    """Put a service's ValidationError next to the field it names; a message without a
    field goes next to DEFAULT_FIELD when the form has it, otherwise to the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else default_field if default_field in form.fields else None, errors)
        return
    form.add_error(default_field if default_field in form.fields else None, error)


class DeliverableForm(forms.Form):
    """A new version of one deliverable: a document, a text, or either, as its definition says."""

    file = forms.FileField(
        label=_("Last opp dokument"),
        required=False,
        max_length=255,
        allow_empty_file=False,
        error_messages=FILE_ERRORS,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, tekst, PNG eller JPG."),
    )
    text = forms.CharField(
        label=_("Skriv teksten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, definition: DeliverableDefinition, **kwargs):
        kwargs.setdefault("prefix", definition.code)
        super().__init__(*args, **kwargs)
        self.definition = definition
        for field in self.fields.values():
            field.conditionally_required = True  # one of the two is needed; neither is optional
        if definition.kind == DeliverableKind.DOCUMENT:
            del self.fields["text"]
        elif definition.kind == DeliverableKind.TEXT:
            del self.fields["file"]
        else:
            self.fields["text"].label = _("… eller skriv teksten")
            self.fields["text"].help_text = _("Fyll ut enten dokument eller tekst, ikke begge.")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_text = bool((cleaned.get("text") or "").strip())
        if self.errors:
            return cleaned
        if not has_file and not has_text:
            if "file" in self.fields and "text" in self.fields:
                self.add_error("file", gettext("Last opp et dokument eller skriv teksten."))
            elif "file" in self.fields:
                self.add_error("file", gettext("Velg en fil å laste opp."))
            else:
                self.add_error("text", gettext("Skriv teksten."))
        elif has_file and has_text:
            self.add_error("text", gettext("Velg enten dokument eller tekst, ikke begge."))
        return cleaned


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


class DeadlineForm(BokmalForm):
    """A new deadline: what it is about, the date, and optionally the phase it belongs to
    (the current phase or a later one; the deadline is done when the procurement leaves it)."""

    title = forms.CharField(
        label=_("Hva gjelder fristen?"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For eksempel «RMU-møte: tildeling»."),
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
        self.today = timezone.localdate(timezone=procurement.region.tzinfo)
        self.fields["due_date"].widget.attrs["min"] = self.today.isoformat()

    def clean_due_date(self):
        # The service says the same; asked here too so that every error shows at once.
        due_date = self.cleaned_data["due_date"]
        if due_date < self.today:
            raise ValidationError(gettext("Fristen kan ikke være tilbake i tid."), code="past")
        return due_date
