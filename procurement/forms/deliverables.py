"""A new version of a deliverable: a document, a text, or either."""
from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.forms import DocumentField

from ..models import DeliverableDefinition, DeliverableKind


class DeliverableForm(forms.Form):
    """A new version of one deliverable: a document, a text, or either, as its definition says."""

    file = DocumentField(label=_("Last opp dokument"), required=False)
    text = forms.CharField(
        label=_("Skriv teksten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, definition: DeliverableDefinition, voids=(), **kwargs):
        """VOIDS: the live signatures a new version would void (services.deliverables.
        signoffs_a_new_version_voids). The form then says how many and whose before anything
        is saved, and asks the uploader to confirm it."""
        kwargs.setdefault("prefix", definition.code)
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.voids = list(voids)
        if self.voids:
            from ..services.deliverables import signer_names

            count = len(self.voids)
            self.void_names = signer_names(self.voids)
            self.fields["void_confirmed"] = forms.BooleanField(
                label=ngettext(
                    "Jeg forstår at %(count)d signatur blir ugyldig og må gis på nytt",
                    "Jeg forstår at %(count)d signaturer blir ugyldige og må gis på nytt",
                    count,
                )
                % {"count": count},
                help_text=gettext("Signert av %(names)s. De får beskjed og en oppgave om å signere på nytt.")
                % {"names": self.void_names},
                error_messages={"required": gettext("Kryss av for at signaturene blir ugyldige, eller avbryt.")},
            )
            self.fields["voids_expected"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=count, min_value=0, max_value=10_000
            )
        for field in self.fields.values():
            field.conditionally_required = True  # one of the two is needed; neither is optional
        if definition.kind == DeliverableKind.DOCUMENT:
            del self.fields["text"]
        elif definition.kind == DeliverableKind.TEXT:
            del self.fields["file"]
        else:
            self.fields["text"].label = _("… eller skriv teksten")
            self.fields["text"].help_text = _("Fyll ut enten dokument eller tekst, ikke begge.")

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
