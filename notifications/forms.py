from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm

from .channels import GROUPS
from .models import Language


class NotificationSettingsForm(BokmalForm):
    language = forms.ChoiceField(label=_("Språk i e-post"), choices=Language.choices, widget=forms.RadioSelect)
    in_app_only = forms.MultipleChoiceField(
        label=_("Bare i løsningen, ikke på e-post"),
        help_text=_("Det du krysser av, får du bare i listen over varsler her. Alt annet kommer også på e-post."),
        choices=GROUPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
