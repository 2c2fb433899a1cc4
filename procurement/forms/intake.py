"""Forms of intake: reporting a need, inviting the other municipalities, answering an
invitation and agreeing the cost-sharing key. They check what a person can get wrong while
typing; the services decide everything else, and their ValidationErrors are put back next
to the fields they name (``add_service_error``)."""
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, IdsChoiceField, NokField, PercentField, plain_decimal
from core.uploads import validate_upload
from municipalities.models import Collaboration, Membership, Municipality

from ..models import CostSharingMethod, Funding, NeedKind, Participation, ParticipationStatus, Procurement


class ReportNeedForm(BokmalForm):
    """Seed 000 point 1 and 10: a need reported to the collaboration, or an initiative for
    information."""

    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        empty_label=_("Velg kommune"),
        error_messages={"required": _("Velg kommunen som melder inn behovet.")},
    )
    collaboration = forms.ModelChoiceField(
        label=_("Samarbeid"),
        queryset=Collaboration.objects.none(),
        required=False,
        empty_label=_("Velg samarbeid"),
        help_text=_("Kommunen er med i flere samarbeid. Velg det behovet meldes inn til."),
    )
    information_only = forms.BooleanField(
        label=_("Kun til orientering – blir ikke en anskaffelse"),
        required=False,
        help_text=_(
            "Kryss av når initiativet ikke skal bli en felles anskaffelse. Samarbeidet og de andre kommunene "
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
        help_text=_("En anskaffelse som ikke er i samarbeidets tiltaksplan, betales av kommunene selv."),
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

    def __init__(self, *args, options: list, **kwargs):
        """OPTIONS: the (collaboration, municipality) pairs the person may report for."""
        super().__init__(*args, **kwargs)
        self.options = {(c.pk, m.pk) for c, m in options}
        municipalities = {m.pk: m for _c, m in options}
        collaborations = {c.pk: c for c, _m in options}
        field = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(pk__in=list(municipalities)).order_by("name")
        if len(municipalities) == 1 and not self.is_bound:
            field.initial = next(iter(municipalities))
        self.fields["collaboration"].queryset = Collaboration.objects.filter(pk__in=list(collaborations)).order_by("name")
        self.show_collaboration = len(collaborations) > 1
        if not self.show_collaboration:
            del self.fields["collaboration"]
            self.only_collaboration = next(iter(collaborations.values()), None)
        for name in self.procurement_only:
            self.fields[name].conditionally_required = True

    def clean_draft_benefit_plan(self):
        upload = self.cleaned_data.get("draft_benefit_plan")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        if self.show_collaboration and municipality is not None:
            collaboration = cleaned.get("collaboration")
            choices = [c for c, m in self.options if m == municipality.pk]
            if collaboration is None and len(choices) == 1:
                cleaned["collaboration"] = Collaboration.objects.get(pk=choices[0])
            elif collaboration is None:
                self.add_error("collaboration", gettext("Velg hvilket samarbeid behovet meldes inn til."))
            elif (collaboration.pk, municipality.pk) not in self.options:
                self.add_error(
                    "collaboration",
                    gettext("%(municipality)s kan ikke melde inn behov til %(collaboration)s.")
                    % {"municipality": municipality, "collaboration": collaboration},
                )
        elif not self.show_collaboration:
            cleaned["collaboration"] = self.only_collaboration
        if not cleaned.get("information_only"):
            if not cleaned.get("kind") and "kind" not in self.errors:
                self.add_error("kind", gettext("Velg hva slags behov det er."))
            if not cleaned.get("funding") and "funding" not in self.errors:
                self.add_error("funding", gettext("Velg hvordan anskaffelsen skal finansieres."))
        return cleaned


class InvitationForm(BokmalForm):
    """Seed 000 point 2: the collaboration asks the other municipalities whether they want to join."""

    municipalities = IdsChoiceField(
        label=_("Kommuner som inviteres"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alle medlemmene i samarbeidet som ikke er med ennå, er valgt."),
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
        members = Membership.objects.current(procurement.collaboration.today()).filter(collaboration_id=procurement.collaboration_id)
        candidates = Municipality.objects.filter(pk__in=members.values("municipality_id")).exclude(pk__in=taking_part)
        self.fields["municipalities"].queryset = candidates
        self.today = timezone.localdate(timezone=procurement.collaboration.tzinfo)
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
        """What the share inputs add up to now, for the page's running total; None while any
        of them is not a share (the field says why)."""
        total = Decimal("0")
        for bound in self.share_fields:
            text = bound.field.strip_text(str(bound.value() or ""))
            if not text:
                continue
            share = plain_decimal(text)
            if share is None or not Decimal("0") <= share <= Decimal("100"):
                return None
            total += share
        return total
