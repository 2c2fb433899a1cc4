"""The forms of the agreements section: the data processing agreement's data, the contract's
terms, and the contract signature (with the password again: step-up)."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, NokField, PlainDecimalField

from .models import ContractType

TEXT = {"rows": 3}
LONG = 4000
HUGE = 20000


class DpaForm(BokmalForm):
    processor_name = forms.CharField(
        label=_("Databehandler (leverandør)"), max_length=200, required=False, help_text=_("Påkrevd fra kontraktsfasen.")
    )
    processor_name.conditionally_required = True
    processor_org_number = forms.CharField(
        label=_("Organisasjonsnummer"), max_length=20, required=False, help_text=_("Påkrevd fra kontraktsfasen.")
    )
    processor_org_number.conditionally_required = True
    processor_address = forms.CharField(label=_("Adresse"), max_length=255, required=False)
    processor_contact = forms.CharField(label=_("Kontaktperson hos databehandler"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Formål med behandlingen"), max_length=LONG, widget=forms.Textarea(attrs=TEXT))
    nature = forms.CharField(label=_("Behandlingens art"), max_length=LONG, widget=forms.Textarea(attrs=TEXT))
    duration = forms.CharField(label=_("Varighet"), max_length=LONG, widget=forms.Textarea(attrs={"rows": 2}))
    data_subjects = forms.CharField(
        label=_("Kategorier av registrerte"), max_length=LONG, widget=forms.Textarea(attrs=TEXT), help_text=_("Én kategori per linje.")
    )
    personal_data = forms.CharField(
        label=_("Kategorier av personopplysninger"), max_length=LONG, widget=forms.Textarea(attrs=TEXT),
        help_text=_("Én kategori per linje."),
    )
    health_data = forms.BooleanField(label=_("Det behandles helseopplysninger (velferdsteknologi)"), required=False)
    special_categories = forms.CharField(
        label=_("Særlige kategorier av personopplysninger"), max_length=LONG, required=False, widget=forms.Textarea(attrs=TEXT),
        help_text=_("Påkrevd når det behandles helseopplysninger."),
    )
    special_categories.conditionally_required = True
    special_safeguards = forms.CharField(
        label=_("Særlige tiltak for de særlige kategoriene"), max_length=LONG, required=False, widget=forms.Textarea(attrs=TEXT)
    )
    security_measures = forms.CharField(label=_("Tekniske og organisatoriske tiltak"), max_length=HUGE, widget=forms.Textarea(attrs={"rows": 5}))
    sub_processors = forms.CharField(
        label=_("Underdatabehandlere"), max_length=LONG, required=False, widget=forms.Textarea(attrs=TEXT),
        help_text=_("Én per linje: navn; land; hva de gjør."),
    )
    transfers = forms.CharField(label=_("Overføring til land utenfor EU/EØS"), max_length=LONG, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PerMilleField(PlainDecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def strip_text(self, text: str) -> str:
        return text.replace("‰", "").replace("%", "").replace(" ", "").replace("\u00a0", "")


class ContractForm(BokmalForm):
    contract_type = forms.ChoiceField(label=_("Avtaletype"), choices=ContractType.choices)
    other_type = forms.CharField(label=_("Annen avtaletype"), max_length=120, required=False, help_text=_("Når avtaletypen er «Annen avtale»."))
    other_type.conditionally_required = True
    supplier_name = forms.CharField(label=_("Leverandør"), max_length=200)
    supplier_org_number = forms.CharField(label=_("Leverandørens organisasjonsnummer"), max_length=20)
    subject = forms.CharField(label=_("Hva avtalen gjelder"), max_length=LONG, widget=forms.Textarea(attrs=TEXT))
    value = NokField(label=_("Kontraktsverdi (kr eks. mva.)"), max_digits=12)
    one_off_cost = NokField(label=_("Engangskostnader (kr eks. mva.)"), max_digits=12)
    yearly_cost = NokField(label=_("Årlige kostnader (kr eks. mva.)"), max_digits=12)
    acceptance_test_days = forms.IntegerField(label=_("Godkjenningsperiode (dager)"), min_value=0, max_value=1200)
    delay_penalty_per_mille = PerMilleField(label=_("Dagbot (promille av prisen per kalenderdag)"), max_value=Decimal(1000))
    delay_penalty_cap_percent = PerMilleField(label=_("Tak for dagbot (prosent av prisen)"), max_value=Decimal(100))
    duration_months = forms.IntegerField(label=_("Varighet (måneder)"), min_value=1, max_value=1200)
    extensions = forms.IntegerField(label=_("Antall forlengelser"), min_value=0, max_value=20, initial=0)
    extension_months = forms.IntegerField(label=_("Måneder per forlengelse"), min_value=0, max_value=1200, initial=0)
    options = forms.CharField(label=_("Opsjoner"), max_length=LONG, required=False, widget=forms.Textarea(attrs=TEXT))


class StepUpForm(BokmalForm):
    password = forms.CharField(
        label=_("Passordet ditt"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Bekreft signaturen med passordet du logger inn med."),
    )
