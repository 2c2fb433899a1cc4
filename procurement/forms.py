"""Forms of intake and the dashboard: reporting a need, inviting the other municipalities,
answering an invitation and agreeing the cost-sharing key. They check what a person can
get wrong while typing; the services decide everything else, and their ValidationErrors
are put back next to the fields they name (``add_service_error``)."""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from .models import CostSharingMethod, Funding, NeedKind, Participation, ParticipationStatus, Procurement
from .uploads import validate_upload

# Bokmål replacements for Django's English default messages, by error code. A message a
# field sets itself (error_messages=...) is kept.
NORWEGIAN_MESSAGES = {
    "required": _("Fyll ut feltet."),
    "invalid_choice": _("Velg et av alternativene."),
    "invalid_list": _("Velg et eller flere av alternativene."),
    "invalid_pk_value": _("Velg et av alternativene."),
    "max_length": _("Skriv høyst %(limit_value)d tegn (nå %(show_value)d)."),
    "min_length": _("Skriv minst %(limit_value)d tegn (nå %(show_value)d)."),
    "null_characters_not_allowed": _("Teksten inneholder ugyldige tegn."),
    "invalid": _("Verdien er ugyldig."),
    "max_digits": _("Skriv et tall med høyst %(max)s sifre."),
    "max_decimal_places": _("Skriv høyst %(max)s desimaler."),
    "max_whole_digits": _("Skriv høyst %(max)s sifre før desimaltegnet."),
    "min_value": _("Verdien kan ikke være mindre enn %(limit_value)s."),
    "max_value": _("Verdien kan ikke være større enn %(limit_value)s."),
    "step_size": _("Verdien må være et multiplum av %(limit_value)s."),
    "missing": _("Velg en fil å laste opp."),
    "empty": _("Filen er tom."),
    "contradiction": _("Velg enten en ny fil eller ingen."),
}
FIELD_INVALID = {
    forms.DecimalField: _("Skriv et tall, for eksempel 250000."),
    forms.IntegerField: _("Skriv et helt tall."),
    forms.DateField: _("Skriv en gyldig dato, for eksempel 31.12.2026."),
    forms.FileField: _("Filen kunne ikke leses. Prøv å laste den opp på nytt."),
}


@dataclass
class GroupError:
    anchor: str
    messages: list[str] = field(default_factory=list)


def _django_defaults(form_field: forms.Field) -> dict:
    defaults: dict = {}
    for cls in reversed(type(form_field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


class BokmalForm(forms.Form):
    """A form whose default error messages are in bokmål (translated to English through the
    .po files like every other string). ``group_errors`` holds errors about several fields at
    once (such as shares that do not total 100); they are shown next to a group of fields and
    linked from the error summary to ``#id_<group>``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, GroupError] = {}
        for form_field in self.fields.values():
            defaults = _django_defaults(form_field)
            for code, message in list(form_field.error_messages.items()):
                if message is not defaults.get(code):
                    continue  # the field chose its own message
                if code == "invalid":
                    replacement = next(
                        (text for cls, text in FIELD_INVALID.items() if isinstance(form_field, cls)),
                        NORWEGIAN_MESSAGES["invalid"],
                    )
                    form_field.error_messages[code] = replacement
                elif code in NORWEGIAN_MESSAGES:
                    form_field.error_messages[code] = NORWEGIAN_MESSAGES[code]

    def group_anchor(self, group: str) -> str:
        """The id the error summary links to for GROUP; forms override it."""
        return f"id_{group}"

    def add_group_error(self, group: str, message: str) -> None:
        error = self.group_errors.setdefault(group, GroupError(anchor=self.group_anchor(group)))
        error.messages.append(str(message))

    def is_valid(self) -> bool:
        return super().is_valid() and not self.group_errors

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.group_errors)

    #: Service error keys that are not form fields but a group on the page.
    service_error_groups: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the field (or group) it names; a message
        without a field goes to the top of the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            if key in self.fields:
                self.add_error(key, errors)
            elif key in self.service_error_groups:
                for item in errors:
                    for message in item.messages:
                        self.add_group_error(self.service_error_groups[key], message)
            else:
                self.add_error(None, errors)


class NokField(forms.DecimalField):
    """Whole kroner; accepts what people type: spaces as thousand separators, 'kr', 'NOK'."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
            for unit in ("NOK", "nok", "kr", ",-", ".-"):
                value = value.replace(unit, "")
        return super().to_python(value)


class PercentField(forms.DecimalField):
    """A share in percent; a comma works as the decimal mark."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("%", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class ReportNeedForm(BokmalForm):
    """Seed 000 point 1 and 10: a need reported to SuksIT, or an initiative for information."""

    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        empty_label=_("Velg kommune"),
        error_messages={"required": _("Velg kommunen som melder inn behovet.")},
    )
    information_only = forms.BooleanField(
        label=_("Kun til orientering – blir ikke en anskaffelse"),
        required=False,
        help_text=_(
            "Kryss av når initiativet ikke skal bli en felles anskaffelse. SuksIT og de andre kommunene "
            "får vite om det, slik at dere unngår dobbeltarbeid. Da trenger du bare tittel og beskrivelse."
        ),
    )
    title = forms.CharField(
        label=_("Tittel"),
        max_length=200,
        help_text=_("Et kort navn, for eksempel «Nytt fagsystem for barnehage»."),
        error_messages={"required": _("Skriv en tittel.")},
    )
    description = forms.CharField(
        label=_("Beskriv behovet"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("Hva skal løses, for hvem, og hvorfor nå? Nevn dagens løsning hvis dere har en."),
        error_messages={"required": _("Beskriv behovet.")},
    )
    kind = forms.ChoiceField(
        label=_("Hva slags behov er det?"),
        choices=NeedKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    funding = forms.ChoiceField(
        label=_("Hvordan skal anskaffelsen finansieres?"),
        choices=Funding.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("En anskaffelse som ikke er i SuksITs tiltaksplan, betales av kommunene selv."),
    )
    draft_benefit_plan = forms.FileField(
        label=_("Utkast til gevinstrealiseringsplan"),
        required=False,
        max_length=255,
        allow_empty_file=False,
        widget=forms.FileInput,
        help_text=_("Bruk den felles malen. PDF, Word, Excel, PowerPoint, OpenDocument, tekst, PNG eller JPG."),
    )
    estimated_value = NokField(
        label=_("Estimert kontraktsverdi (NOK eks. mva.)"),
        required=False,
        max_digits=14,
        decimal_places=0,
        min_value=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Hele kroner for hele avtaleperioden, hvis dere vet det. Verdien avgjør hvilke regler som gjelder."),
    )

    # Needed for a procurement, not for an initiative for information.
    procurement_only = ("kind", "funding")

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities
        choices = list(municipalities)
        several_regions = len({m.region_id for m in choices}) > 1
        field.label_from_instance = lambda m: f"{m} ({m.region})" if several_regions else str(m)
        if len(choices) == 1 and not self.is_bound:
            field.initial = choices[0].pk
        for name in self.procurement_only:
            self.fields[name].conditionally_required = True

    def clean_draft_benefit_plan(self):
        upload = self.cleaned_data.get("draft_benefit_plan")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("information_only"):
            if not cleaned.get("kind") and "kind" not in self.errors:
                self.add_error("kind", gettext("Velg hva slags behov det er."))
            if not cleaned.get("funding") and "funding" not in self.errors:
                self.add_error("funding", gettext("Velg hvordan anskaffelsen skal finansieres."))
        return cleaned


class InvitationForm(BokmalForm):
    """Seed 000 point 2: SuksIT asks the other municipalities whether they want to join."""

    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner som inviteres"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alle kommunene i regionen som ikke er med ennå, er valgt."),
        error_messages={"required": _("Velg minst én kommune å invitere.")},
    )
    answer_deadline = forms.DateField(
        label=_("Svarfrist"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Kommunene svarer innen denne datoen om de blir med."),
        error_messages={"required": _("Velg en svarfrist.")},
    )

    DEFAULT_ANSWER_DAYS = 14

    def __init__(self, *args, procurement: Procurement, **kwargs):
        super().__init__(*args, **kwargs)
        self.procurement = procurement
        taking_part = Participation.objects.filter(procurement=procurement).values("municipality_id")
        candidates = Municipality.objects.filter(region_id=procurement.region_id).exclude(pk__in=taking_part)
        self.fields["municipalities"].queryset = candidates
        self.today = timezone.localdate(timezone=procurement.region.tzinfo)
        if not self.is_bound:
            self.fields["municipalities"].initial = [m.pk for m in candidates]
            self.fields["answer_deadline"].initial = self.today + timedelta(days=self.DEFAULT_ANSWER_DAYS)
        self.fields["answer_deadline"].widget.attrs["min"] = (self.today + timedelta(days=1)).isoformat()

    @property
    def has_candidates(self) -> bool:
        return self.fields["municipalities"].queryset.exists()

    def clean_answer_deadline(self):
        deadline = self.cleaned_data["answer_deadline"]
        if deadline <= self.today:
            raise ValidationError(gettext("Svarfristen må være etter i dag."), code="past")
        return deadline


JOIN_YES = "yes"
JOIN_NO = "no"


class AnswerForm(BokmalForm):
    """Seed 000 point 2: one municipality answers join or decline, with a reason when it declines."""

    join = forms.TypedChoiceField(
        label=_("Blir kommunen med i anskaffelsen?"),
        choices=[(JOIN_YES, _("Ja, kommunen blir med")), (JOIN_NO, _("Nei, kommunen takker nei"))],
        coerce=lambda value: value == JOIN_YES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg ja eller nei.")},
    )
    reason = forms.CharField(
        label=_("Hvorfor takker kommunen nei?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Må fylles ut når kommunen takker nei. Begrunnelsen vises for de andre kommunene."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].conditionally_required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("join") is False and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", gettext("Skriv hvorfor kommunen takker nei."))
        return cleaned


class CostShareForm(BokmalForm):
    """The cost-sharing key between the municipalities that joined: equal, by population, or
    one percentage per municipality that must total exactly 100 (the service checks)."""

    method = forms.ChoiceField(
        label=_("Fordelingsnøkkel"),
        choices=CostSharingMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvordan kostnadene skal fordeles.")},
    )

    SHARES_GROUP = "shares"
    service_error_groups = {"custom": SHARES_GROUP}

    def __init__(self, *args, procurement: Procurement, participations: list[Participation], **kwargs):
        super().__init__(*args, **kwargs)
        self.procurement = procurement
        self.participations = [p for p in participations if p.status == ParticipationStatus.JOINED]
        if not self.is_bound:
            self.fields["method"].initial = procurement.cost_sharing_method
        for participation in self.participations:
            self.fields[self.share_name(participation.municipality_id)] = PercentField(
                label=gettext("Andel for %(name)s (prosent)") % {"name": participation.municipality},
                required=False,
                max_digits=5,
                decimal_places=2,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                initial=participation.cost_share,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8, "data-share": "true"}
                ),
            )

    @staticmethod
    def share_name(municipality_id: int) -> str:
        return f"share_{municipality_id}"

    @property
    def share_fields(self):
        return [self[self.share_name(p.municipality_id)] for p in self.participations]

    @property
    def share_rows(self):
        """(participation, bound share field) per municipality that joined."""
        return list(zip(self.participations, self.share_fields))

    def group_anchor(self, group: str) -> str:
        fields = self.share_fields
        return fields[0].id_for_label if fields else "id_method_0"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == CostSharingMethod.CUSTOM:
            for participation in self.participations:
                name = self.share_name(participation.municipality_id)
                if name not in self.errors and cleaned.get(name) is None:
                    self.add_error(
                        name, gettext("Skriv andelen til %(name)s.") % {"name": participation.municipality}
                    )
        return cleaned

    def custom_shares(self) -> dict[int, Decimal] | None:
        if self.cleaned_data.get("method") != CostSharingMethod.CUSTOM:
            return None
        return {p.municipality_id: self.cleaned_data[self.share_name(p.municipality_id)] for p in self.participations}

    @property
    def total(self) -> Decimal | None:
        """What the share inputs add up to now, for the page's running total."""
        total = Decimal("0")
        for bound in self.share_fields:
            value = bound.value()
            try:
                total += Decimal(str(value).replace(",", ".").replace("%", "").strip() or "0")
            except (ArithmeticError, ValueError):
                return None
        return total


class DashboardFilterForm(BokmalForm):
    """The dashboard's filters. A value that is not a choice is reported next to its field
    and ignored, so a hand-edited address never fails."""

    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False, empty_value=None)
    municipality = forms.TypedChoiceField(label=_("Kommune"), coerce=int, required=False, empty_value=None)
    phase = forms.ChoiceField(label=_("Fase"), required=False)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        regions = choices["regions"]
        self.fields["region"].choices = [("", gettext("Alle regioner"))] + [(r.pk, str(r)) for r in regions]
        municipalities = choices["municipalities"]
        if len(regions) > 1:
            grouped: dict[str, list] = {}
            for m in municipalities:
                grouped.setdefault(str(m.region), []).append((m.pk, str(m)))
            municipality_choices = list(grouped.items())
        else:
            municipality_choices = [(m.pk, str(m)) for m in municipalities]
        self.fields["municipality"].choices = [("", gettext("Alle kommuner"))] + municipality_choices
        self.fields["phase"].choices = [("", gettext("Alle faser"))] + list(choices["phases"])
        self.show_region = len(regions) > 1
        if not self.show_region:
            del self.fields["region"]  # one region: nothing to choose, a stray ?region= is ignored

    def filters(self) -> dict:
        """The valid filters only (an invalid one is left out, its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "region_id": data.get("region"),
            "municipality_id": data.get("municipality"),
            "phase": data.get("phase") or None,
        }
