"""The benefit screens' forms, in bokmål with the messages next to the fields (core.forms).
Numbers are typed the Norwegian way (decimal comma, spaces between thousands); Infinity,
NaN and 1e999 are refused as text, never reach the arithmetic."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, NokField, PlainDecimalField

from .models import Benefit, BenefitCategory, BenefitPlan, BenefitType, Frequency, GainSharing
from .services import EXPLANATION_MAX_LENGTH, TEXT_MAX_LENGTH

NUMBER_HELP = _("Desimaltegn med komma, for eksempel 12,5.")


class NumberField(PlainDecimalField):
    """A measured or planned value with up to two decimals; spaces between thousands are
    allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        kwargs["error_messages"] = {
            "invalid": _("Skriv et tall, for eksempel 12,5."),
            "max_digits": _("Tallet er for stort."),
            "max_whole_digits": _("Tallet er for stort."),
            "max_decimal_places": _("Skriv høyst to desimaler."),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    def strip_text(self, text: str) -> str:
        return text.replace("\u00a0", "").replace(" ", "").replace("\u202f", "")


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _section(name: str, *, rows: int = 3, help_text=None) -> forms.CharField:
    """A section of the common template: the model field's heading, free text."""
    return forms.CharField(
        label=BenefitPlan._meta.get_field(name).verbose_name,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class PlanForm(BokmalForm):
    rationale = _section("rationale", rows=4, help_text=_("Hvorfor anskaffelsen gjøres, hva den skal oppnå og hva den leverer."))
    owner_responsibilities = _section(
        "owner_responsibilities", help_text=_("Hver kommune realiserer sine egne gevinster; eieren i hver kommune står i tabellen.")
    )
    overview = _section("overview")
    measures_and_risk = _section("measures_and_risk")
    baseline_follow_up = _section("baseline_follow_up")
    benefit_map = _section(
        "benefit_map", help_text=_("Hvordan tiltakene fører til endringer og gevinstene henger sammen med målene.")
    )
    gain_sharing = forms.ChoiceField(
        label=_("Gevinstdeling med leverandøren"),
        choices=GainSharing.choices,
        widget=forms.RadioSelect,
        initial=GainSharing.NONE,
    )
    gain_sharing_amount = PlainDecimalField(
        label=_("Prosentandel eller antall årsverk"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("For eksempel 1 for verdien av ett årsverk når gevinsten er nådd (seed 002), eller 20 for 20 %."),
        error_messages={"invalid": _("Skriv et tall, for eksempel 1 eller 20.")},
    )
    gain_sharing_terms = forms.CharField(
        label=_("Vilkår for gevinstdelingen"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BenefitForm(BokmalForm):
    title = forms.CharField(label=_("Gevinst"), max_length=200, help_text=_("For eksempel «Spart tid per hjemmebesøk»."))
    type = forms.ChoiceField(label=_("Gevinsttype"), choices=BenefitType.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Kategori"), choices=BenefitCategory.choices, widget=forms.RadioSelect)
    beneficiaries = forms.CharField(label=_("Hvem får gevinsten"), max_length=200, help_text=_("For eksempel hjemmetjenesten."))
    indicator = forms.CharField(label=_("Indikator"), max_length=200, help_text=_("Hva som måles, for eksempel minutter dokumentasjon per besøk."))
    unit = forms.CharField(label=_("Måleenhet"), max_length=40, help_text=_("For eksempel timer, antall eller minutter."))
    additive = forms.BooleanField(
        label=_("Kommunenes verdier kan legges sammen"),
        required=False,
        initial=True,
        help_text=_("Ja for timer, kroner og antall; nei for snitt og andeler (minutter per besøk, prosent)."),
    )
    baseline_method = forms.CharField(
        label=_("Metode for nullpunktsmåling"), max_length=300, help_text=_("Hvordan nullpunktet og senere målinger gjøres.")
    )
    frequency = forms.TypedChoiceField(label=_("Målefrekvens"), choices=Frequency.choices, coerce=int, initial=Frequency.QUARTERLY)
    measures = forms.CharField(label=_("Tiltak"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    assumptions = forms.CharField(
        label=_("Forutsetninger"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    risk = forms.CharField(label=_("Risiko"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    planned = forms.BooleanField(
        label=_("Planlagt gevinst"),
        required=False,
        initial=True,
        help_text=_("Ta bort krysset for en gevinst som ble oppdaget underveis eller etter at kontrakten ble signert."),
    )

    @classmethod
    def initial_of(cls, benefit: Benefit) -> dict:
        return {name: getattr(benefit, name) for name in cls.base_fields}


class BenefitShareForm(BokmalForm):
    owner = forms.TypedChoiceField(label=_("Gevinsteier"), coerce=int, help_text=_("Personen i kommunen som svarer for gevinsten."))
    baseline_value = NumberField(label=_("Nullpunkt"), help_text=NUMBER_HELP, error_messages={"required": _("Skriv nullpunktet.")})
    baseline_date = forms.DateField(
        label=_("Dato for nullpunkt"), widget=_date_widget(), error_messages={"required": _("Skriv datoen nullpunktet ble målt.")}
    )
    target_value = NumberField(label=_("Målverdi"), help_text=NUMBER_HELP, error_messages={"required": _("Skriv målverdien.")})
    target_date = forms.DateField(
        label=_("Måldato"), widget=_date_widget(), error_messages={"required": _("Skriv datoen målet skal være nådd.")}
    )
    nok_per_year = NokField(
        label=_("Verdi i kroner per år"),
        required=False,
        max_digits=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Hva gevinsten er verdt for kommunen et år når målet er nådd."),
    )
    hours_per_year = NumberField(
        label=_("Timer spart per år"),
        required=False,
        min_value=Decimal("0"),
        help_text=_("Regnes om til årsverk med samarbeidets timer per årsverk."),
        error_messages={"min_value": _("Timene kan ikke være negative.")},
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Velg person"))] + [(p.pk, str(p)) for p in owners]
        self.fields["owner"].error_messages.update(
            {"required": _("Velg en gevinsteier."), "invalid_choice": _("Velg en av personene i kommunen.")}
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("baseline_date"), cleaned.get("target_date")
        if start and end and end <= start:
            self.add_error("target_date", _("Måldatoen må være etter datoen for nullpunktet."))
        return cleaned


class MeasurementForm(BokmalForm):
    measured_on = forms.DateField(label=_("Målt dato"), widget=_date_widget(), error_messages={"required": _("Skriv datoen det ble målt.")})
    value = NumberField(label=_("Målt verdi"), help_text=NUMBER_HELP, error_messages={"required": _("Skriv den målte verdien.")})
    explanation = forms.CharField(
        label=_("Forklaring av avvik"),
        required=False,
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Må fylles ut når målingen ligger utenfor planen."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_measurement_%s")
        super().__init__(*args, **kwargs)
        self.fields["explanation"].conditionally_required = True
