"""The forms of the evaluation page. Each has its own prefix, so several stand on one page
and a bound one with errors replaces only its own empty twin. The services validate what
matters (prices, scores, organisation numbers) and name the field; the forms read input."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, DocumentField

from .models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, Qualification

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


def _datetime_field(label):
    return forms.DateTimeField(
        label=label, input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _text(label, *, rows=3, required=True, max_length=TEXT_MAX_LENGTH):
    return forms.CharField(label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}))


class PeriodForm(BokmalForm):
    prefix = "periode"
    question_deadline = _datetime_field(_("Frist for spørsmål"))
    answers_by = _datetime_field(_("Svar publiseres senest"))
    tender_deadline = _datetime_field(_("Tilbudsfrist"))
    prequalification = forms.BooleanField(label=_("Prosedyren har prekvalifisering"), required=False)
    negotiation = forms.BooleanField(label=_("Prosedyren tillater forhandling"), required=False)


class SupplierForm(BokmalForm):
    prefix = "leverandor"
    name = forms.CharField(label=_("Navn"), max_length=NAME_MAX_LENGTH)
    country = forms.ChoiceField(label=_("Land"), choices=[("NO", _("Norge")), ("DK", _("Danmark"))], initial="NO")
    org_number = forms.CharField(label=_("Organisasjonsnummer"), max_length=20, help_text=_("9 siffer i Norge, CVR-nummer (8 siffer) i Danmark."))
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=NAME_MAX_LENGTH)
    contact_email = forms.EmailField(label=_("E-post"), max_length=254)


class _SupplierChoice(BokmalForm):
    def __init__(self, *args, procurement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = procurement.suppliers.all()


class QuestionForm(_SupplierChoice):
    prefix = "sporsmal"
    supplier = forms.ModelChoiceField(label=_("Fra leverandør"), queryset=None)
    text = _text(_("Spørsmål"))


class AnswerForm(BokmalForm):
    prefix = "svar"
    answer = _text(_("Svar"))


class TenderForm(_SupplierChoice):
    prefix = "tilbud"
    supplier = forms.ModelChoiceField(label=_("Leverandør"), queryset=None)
    lot = forms.CharField(label=_("Delkontrakt"), required=False, max_length=100)
    price = forms.CharField(label=_("Evaluert pris (kr)"), max_length=40)
    file = DocumentField(label=_("Tilbudet"))


class QualifyForm(BokmalForm):
    prefix = "kvalifikasjon"
    decision = forms.ChoiceField(
        label=_("Avgjørelse"), choices=[(Qualification.QUALIFIED, _("Kvalifisert")), (Qualification.REJECTED, _("Avvist"))],
        widget=forms.RadioSelect,
    )
    reason = _text(_("Begrunnelse"), rows=2)


class CharacteristicsForm(BokmalForm):
    prefix = "egenskaper"
    characteristics = _text(_("Egenskaper og relative fortrinn"), rows=3)


class EvaluatorForm(BokmalForm):
    prefix = "evaluator"
    person = forms.ModelChoiceField(label=_("Hvem skal evaluere"), queryset=None)
    criterion = forms.ModelChoiceField(label=_("Kriterium"), queryset=None)

    def __init__(self, *args, people, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["criterion"].queryset = criteria


class DeclareForm(BokmalForm):
    prefix = "habilitet"
    confirm = forms.BooleanField(label=_("Jeg bekrefter erklæringen"), required=False)


class ScoreForm(BokmalForm):
    score = forms.CharField(label=_("Poeng (0–10)"), max_length=10, widget=forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1}))
    justification = _text(_("Begrunnelse"), rows=2)


class MeetingForm(BokmalForm):
    prefix = "forhandling"
    held_on = forms.DateField(label=_("Møtedato"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    minutes = _text(_("Referat"), rows=4, max_length=20000)


class ReviseForm(BokmalForm):
    prefix = "revisjon"
    price = forms.CharField(label=_("Ny evaluert pris (kr)"), max_length=40)
    file = DocumentField(label=_("Revidert tilbud"))
