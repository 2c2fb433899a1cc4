from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm

from .models import TEXT_MAX


class CommentForm(BokmalForm):
    text = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        error_messages={"required": _("Skriv kommentaren."), "max_length": _("Kommentaren kan være høyst %(limit_value)d tegn.")},
    )
    mentioned = forms.TypedChoiceField(
        label=_("Nevn en person (valgfritt)"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Personen får en oppgave under «Mine oppgaver» til de har fulgt den opp."),
        error_messages={"invalid_choice": _("Velg en person fra listen.")},
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentioned"].choices = [("", _("Ingen"))] + [(p.pk, p.get_full_name() or p.username) for p in people]
