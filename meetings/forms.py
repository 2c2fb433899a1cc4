"""The meeting screens' forms. The services check everything again; the forms ask first so
that every error shows at once, next to its field."""
from datetime import datetime, time

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, IdsChoiceField

from .models import MeetingGroup
from .services import TEXT_LIMITS


class PersonChoice(IdsChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class SecretaryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class MeetingForm(BokmalForm):
    group = forms.ChoiceField(label=_("Gruppe"), choices=MeetingGroup.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Tittel"), max_length=TEXT_LIMITS["title"], help_text=_("For eksempel «Møte 3: kravspesifikasjonen»."))
    date = forms.DateField(
        label=_("Dato"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Velg datoen for møtet.")},
    )
    start = forms.TimeField(
        label=_("Klokkeslett"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=time(9, 0),
        error_messages={"required": _("Velg når møtet begynner."), "invalid": _("Skriv et klokkeslett, for eksempel 09:30.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Varighet i minutter"), min_value=15, max_value=24 * 60, initial=120, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    place = forms.CharField(label=_("Sted"), max_length=TEXT_LIMITS["place"], required=False)
    link = forms.URLField(
        label=_("Lenke til møtet"),
        max_length=TEXT_LIMITS["link"],
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Skriv en hel nettadresse, for eksempel https://teams.microsoft.com/…")},
        help_text=_("Skriv sted, lenke eller begge."),
    )
    agenda = forms.CharField(
        label=_("Saksliste"), max_length=TEXT_LIMITS["agenda"], required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    participants = PersonChoice(
        label=_("Deltakere"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Referenten er alltid med."),
    )
    secretary = SecretaryChoice(label=_("Referent"), queryset=None, empty_label=_("Velg referent"))

    def __init__(self, *args, people, time_zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["secretary"].queryset = people
        self.time_zone = time_zone
        self.fields["place"].conditionally_required = True

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("link") and "place" not in self.errors and "link" not in self.errors:
            self.add_error("place", _("Skriv hvor møtet holdes, eller en lenke til det."))
        return data

    def starts_at(self) -> datetime:
        return datetime.combine(self.cleaned_data["date"], self.cleaned_data["start"], tzinfo=self.time_zone)


class MinutesForm(BokmalForm):
    minutes = forms.CharField(
        label=_("Referat"), max_length=TEXT_LIMITS["minutes"], required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    file = forms.FileField(label=_("Referat som fil"), required=False, help_text=_("PDF, Word eller tekst. Valgfritt når referatet står over."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_minutes_%s")
        super().__init__(*args, **kwargs)


class CorrectionForm(BokmalForm):
    text = forms.CharField(
        label=_("Rettelse"),
        max_length=TEXT_LIMITS["correction"],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv hva som skal stå i stedet, og hvor i referatet."),
        error_messages={"required": _("Skriv rettelsen.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_correction_%s")
        super().__init__(*args, **kwargs)
