"""The forms of the joining rounds and work packages page. The services check everything
again; the forms ask first so that every error shows at once, next to its field."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, NokField

from ..services.network import AGREEMENT_MAX_LENGTH, NAME_MAX_LENGTH, TITLE_MAX_LENGTH

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _amount(label, **kwargs) -> NokField:
    # 12 digits at most, as the models store.
    return NokField(label=label, max_digits=12, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs)


class JoiningRoundForm(BokmalForm):
    name = forms.CharField(label=_("Navn på runden"), max_length=NAME_MAX_LENGTH, help_text=_("For eksempel «Kravspecifikationsnetværket»."))
    deadline = forms.DateField(label=_("Frist for tilslutning"), error_messages={"required": _("Velg fristen for tilslutning.")}, **DATE)
    price = _amount(_("Pris per kommune"))
    late_price = _amount(
        _("Pris for kommuner som ikke var med i en tidligere runde"), required=False, help_text=_("Tom: samme pris for alle.")
    )


class JoiningForm(BokmalForm):
    municipality = forms.TypedChoiceField(label=_("Kommune"), coerce=int, choices=())
    joined_on = forms.DateField(label=_("Dato for signert avtale"), error_messages={"required": _("Velg datoen avtalen ble signert.")}, **DATE)
    agreement = forms.CharField(
        label=_("Referanse til tilslutningsavtalen"), max_length=AGREEMENT_MAX_LENGTH, help_text=_("For eksempel avtalens dato og saksnummer.")
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.pk, m.name) for m in municipalities]


class WorkPackageForm(BokmalForm):
    title = forms.CharField(label=_("Tittel"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    payment = _amount(_("Betaling"))
    due_date = forms.DateField(label=_("Frist"), error_messages={"required": _("Velg fristen for arbeidspakken.")}, **DATE)


class TakeForm(BokmalForm):
    municipality = forms.TypedChoiceField(label=_("Kommunen som tar arbeidspakken"), coerce=int, choices=())

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.pk, m.name) for m in municipalities]
