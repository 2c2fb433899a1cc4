from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm

from .channels import GROUPS
from .models import Language


class NotificationSettingsForm(BokmalForm):
    language = forms.ChoiceField(
        label=_("Språk i e-post"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvilket språk e-postene skal ha."), "invalid_choice": _("Velg bokmål eller engelsk.")},
    )
    in_app_only = forms.MultipleChoiceField(
        label=_("Bare i løsningen, ikke på e-post"),
        help_text=_("Det du krysser av, får du bare i listen over varsler her. Alt annet kommer også på e-post."),
        choices=GROUPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Siden er utdatert: last den på nytt og velg igjen.")},
    )
