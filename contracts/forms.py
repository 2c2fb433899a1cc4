"""The forms of the award section on the procurement page: record the award notice,
withdraw it, register a complaint and resolve one. Each form has its own ids, so several
can stand on one page and a bound one with errors replaces only its own empty twin."""
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, DocumentField

from .models import AwardNotice, Complaint, ComplaintKind, ComplaintState, NoticeChannel
from .selectors import AwardSection
from .services import NAME_MAX_LENGTH, STANDSTILL_DAYS_MAX, SUMMARY_MAX_LENGTH

OUTCOMES = [(state.value, state.label) for state in (ComplaintState.UPHELD, ComplaintState.DISMISSED, ComplaintState.WITHDRAWN)]


def _date_widget(today) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "max": today.isoformat()}, format="%Y-%m-%d")


class _CaseDatesForm(BokmalForm):
    """A date that must lie between the day the procurement was reported and today in the
    collaboration's calendar: nothing about the case happened before it existed (which also
    keeps year 1 and year 9999 out of the rules that count days)."""

    date_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args, procurement, **kwargs):
        super().__init__(*args, **kwargs)
        self.procurement = procurement
        self.future_messages: dict[str, str] = {}
        zone = procurement.collaboration.tzinfo
        self.today = procurement.collaboration.today()
        self.earliest = timezone.localdate(procurement.created_at, timezone=zone)
        for name in self.date_fields:
            self.fields[name].widget = _date_widget(self.today)
            self.fields[name].widget.attrs["min"] = self.earliest.isoformat()

    def clean(self):
        cleaned = super().clean()
        for name in self.date_fields:
            value = cleaned.get(name)
            if value is None:
                continue
            if value > self.today:
                self.add_error(name, ValidationError(self.future_messages[name], code="future"))
            elif value < self.earliest:
                self.add_error(
                    name,
                    ValidationError(
                        gettext("Datoen kan ikke være før anskaffelsen ble meldt inn (%(date)s).")
                        % {"date": self.earliest.strftime("%d.%m.%Y")},
                        code="before_case",
                    ),
                )
        return cleaned


class AwardNoticeForm(_CaseDatesForm):
    """The award notice as sent: when, how, and the standstill period chosen (the legal
    minimum unless a longer one was given). The service refuses a shorter period."""

    sent_on = forms.DateField(
        label=_("Dato meddelelsen ble sendt"),
        help_text=_("Meddelelsen skal gå til alle tilbyderne samtidig."),
        error_messages={"required": _("Skriv datoen meddelelsen ble sendt.")},
    )
    channel = forms.ChoiceField(
        label=_("Sendt som"),
        choices=NoticeChannel.choices,
        initial=NoticeChannel.ELECTRONIC,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvordan meddelelsen ble sendt."), "invalid_choice": _("Velg hvordan meddelelsen ble sendt.")},
    )
    standstill_days = forms.IntegerField(
        label=_("Karensperiode (kalenderdager)"),
        min_value=1,
        max_value=STANDSTILL_DAYS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Skriv hvor mange dager karensperioden varer."),
            "min_value": _("Karensperioden må være minst %(limit_value)s dag."),
            "max_value": _("Skriv høyst %(limit_value)s dager."),
        },
    )
    note = forms.CharField(
        label=_("Merknad"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel hvordan meddelelsen ble sendt og til hvem."),
    )

    date_fields = ("sent_on",)

    def __init__(self, *args, procurement, minimums=(), **kwargs):
        """MINIMUMS: the StandstillMinimum rows in force, one per channel; the first
        electronic one is what the form proposes."""
        kwargs.setdefault("auto_id", "id_award_%s")
        super().__init__(*args, procurement=procurement, **kwargs)
        self.future_messages = {"sent_on": gettext("Meddelelsen kan ikke være sendt i fremtiden.")}
        self.fields["sent_on"].initial = self.today
        days = self.fields["standstill_days"]
        days.widget.attrs["max"] = str(STANDSTILL_DAYS_MAX)
        proposed = next((m.days for m in minimums if m.channel == NoticeChannel.ELECTRONIC), None)
        if proposed is not None:
            days.initial = proposed
        if minimums:
            days.help_text = gettext("Lovens minimum er %(minimums)s. Du kan velge en lengre periode, aldri en kortere.") % {
                "minimums": ", ".join(
                    gettext("%(channel)s %(days)d dager") % {"days": m.days, "channel": m.get_channel_display().lower()}
                    for m in minimums
                )
            }


class AwardNoticeWithdrawForm(BokmalForm):
    reason = forms.CharField(
        label=_("Hvorfor trekkes meddelelsen tilbake?"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Karensperioden faller bort. En ny meddelelse starter en ny karensperiode."),
        error_messages={"required": _("Skriv hvorfor meddelelsen trekkes tilbake.")},
    )

    def __init__(self, *args, notice: AwardNotice, **kwargs):
        kwargs.setdefault("auto_id", "id_withdraw_%s")
        super().__init__(*args, **kwargs)
        self.notice = notice


class ComplaintForm(_CaseDatesForm):
    received_on = forms.DateField(
        label=_("Dato klagen kom"),
        error_messages={"required": _("Skriv datoen klagen kom.")},
    )
    complainant = forms.CharField(
        label=_("Hvem klager?"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Leverandøren eller en annen som har klaget."),
        error_messages={"required": _("Skriv hvem som klager.")},
    )
    summary = forms.CharField(
        label=_("Hva klagen gjelder"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv hva klagen gjelder.")},
    )
    kind = forms.ChoiceField(
        label=_("Hvor er klagen sendt?"),
        choices=ComplaintKind.choices,
        initial=ComplaintKind.BUYER,
        required=False,  # a complaint to the buyer unless said otherwise
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvor klagen er sendt."), "invalid_choice": _("Velg hvor klagen er sendt.")},
    )
    document = DocumentField(label=_("Klagen som dokument"), required=False)

    date_fields = ("received_on",)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ComplaintKind.BUYER

    def __init__(self, *args, procurement, **kwargs):
        kwargs.setdefault("auto_id", "id_complaint_%s")
        super().__init__(*args, procurement=procurement, **kwargs)
        self.future_messages = {"received_on": gettext("Klagen kan ikke være mottatt i fremtiden.")}
        self.fields["received_on"].initial = self.today


class ComplaintResolveForm(BokmalForm):
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg utfallet av klagen."), "invalid_choice": _("Velg utfallet av klagen.")},
    )
    resolution = forms.CharField(
        label=_("Avgjørelse og begrunnelse"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv avgjørelsen og begrunnelsen.")},
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        kwargs.setdefault("auto_id", f"id_resolve_{complaint.pk}_%s")
        super().__init__(*args, **kwargs)
        self.complaint = complaint


AWARD_FORMS = (AwardNoticeForm, AwardNoticeWithdrawForm, ComplaintForm, ComplaintResolveForm)


def award_section_forms(section: AwardSection | None, *, bound: BokmalForm | None = None) -> AwardSection | None:
    """Gives SECTION the forms its reader may use; BOUND (a form posted with errors)
    takes the place of its empty twin, so the messages stand next to its fields."""
    if section is None or not section.writable:
        return section
    procurement = section.procurement

    def pick(cls, make, matches=lambda form: True):
        return bound if isinstance(bound, cls) and matches(bound) else make()

    if isinstance(bound, AwardNoticeForm):
        # Shown even when a notice went out meanwhile: its error says to withdraw that first.
        section.notice_form = bound
    elif section.notice is None:
        section.notice_form = AwardNoticeForm(procurement=procurement, minimums=section.minimums)
    if section.notice is not None:
        notice = section.notice
        section.withdraw_form = pick(
            AwardNoticeWithdrawForm,
            lambda: AwardNoticeWithdrawForm(notice=notice),
            lambda form: form.notice.pk == notice.pk,
        )
    section.complaint_form = pick(ComplaintForm, lambda: ComplaintForm(procurement=procurement))
    for row in section.open_complaints:
        complaint = row.complaint
        row.resolve_form = pick(
            ComplaintResolveForm,
            lambda complaint=complaint: ComplaintResolveForm(complaint=complaint),
            lambda form, complaint=complaint: form.complaint.pk == complaint.pk,
        )
    return section
