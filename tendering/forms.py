"""The forms of the specification's screens. Choices (needs, criteria) come from the
procurement's own specification, so a tampered id is "not one of the choices"; the services
check everything again."""
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm, PercentField, plain_decimal

from . import library_scope
from .models import SCALE, SECTION_MAX_LENGTH, TEXT_MAX_LENGTH, PriceModel, RequirementKind, Specification
from .selectors import LIBRARY_QUERY_MAX_LENGTH
from .services import SCALE_TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from .weights import format_percent, weight_total


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _percent_input(**attrs) -> forms.TextInput:
    """A text box, not type=number: browsers drop the decimal comma Norwegians type there."""
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8, **attrs})


class RequirementForm(BokmalForm):
    kind = forms.ChoiceField(
        label=_("Type krav"),
        choices=RequirementKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Et må-krav er ja eller nei. Et bør-krav vurderes og har en vekt eller hører til et tildelingskriterium."),
        error_messages={"required": _("Velg om kravet er et må-krav eller et bør-krav.")},
    )
    text = forms.CharField(
        label=_("Krav"),
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(4),
        error_messages={"required": _("Skriv kravet.")},
    )
    need = forms.TypedChoiceField(label=_("Behov kravet dekker"), required=False, coerce=int, empty_value=None)
    weight = PercentField(label=_("Vekt (%)"), required=False, help_text=_("For bør-krav med egen vekt."), widget=_percent_input())
    criterion = forms.TypedChoiceField(label=_("Tildelingskriterium"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, specification: Specification | None, prefix_id: str = "req", **kwargs):
        kwargs.setdefault("auto_id", f"id_{prefix_id}_%s")
        super().__init__(*args, **kwargs)
        needs = list(specification.needs.all()) if specification and specification.pk else []
        criteria = list(specification.criteria.filter(is_price=False)) if specification and specification.pk else []
        self.fields["need"].choices = [("", gettext("Ingen"))] + [(n.pk, f"{n.ref} {n.title}") for n in needs]
        self.fields["criterion"].choices = [("", gettext("Ingen"))] + [
            (c.pk, f"– {c.name}" if c.parent_id else c.name) for c in criteria
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "need_id": data.get("need"),
            "weight": data.get("weight"),
            "criterion_id": data.get("criterion"),
        }


class NeedForm(BokmalForm):
    title = forms.CharField(label=_("Behov"), max_length=TITLE_MAX_LENGTH, error_messages={"required": _("Skriv behovet.")})
    text = forms.CharField(
        label=_("Brukerhistorie"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(3),
        help_text=_("For eksempel: «Som kontaktlærer vil jeg føre fravær ett sted, så foresatte får beskjed med én gang.»"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_need_%s")
        super().__init__(*args, **kwargs)


class CommentForm(BokmalForm):
    text = forms.CharField(
        label=_("Kommentar"), max_length=TEXT_MAX_LENGTH, widget=_textarea(2), error_messages={"required": _("Skriv kommentaren.")}
    )

    requirement = forms.TypedChoiceField(label=_("Gjelder krav"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, form_id: str = "comment", requirements=(), **kwargs):
        kwargs.setdefault("auto_id", f"id_{form_id}_%s")
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", gettext("Hele kategorien"))] + [
            (r.pk, f"{r.ref}: {r.text[:60]}") for r in requirements
        ]


class ClarificationForm(BokmalForm):
    text = forms.CharField(
        label=_("Avklaring"),
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(3),
        help_text=_("Avklaringen sendes til alle tilbyderne og vises for alle som ser anskaffelsen."),
        error_messages={"required": _("Skriv avklaringen.")},
    )
    requirement = forms.TypedChoiceField(label=_("Gjelder krav"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, specification: Specification | None, requirements=None, **kwargs):
        kwargs.setdefault("auto_id", "id_clarification_%s")
        super().__init__(*args, **kwargs)
        rows = requirements if requirements is not None else (list(specification.requirements.all()) if specification and specification.pk else [])
        self.fields["requirement"].choices = [("", gettext("Hele konkurransegrunnlaget"))] + [
            (r.pk, f"{r.ref}: {r.text[:60]}") for r in rows
        ]


class CriterionForm(BokmalForm):
    name = forms.CharField(label=_("Kriterium"), max_length=TITLE_MAX_LENGTH, error_messages={"required": _("Skriv navnet på kriteriet.")})
    description = forms.CharField(label=_("Hva som vurderes"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(2))
    weight = PercentField(
        label=_("Vekt (%)"), required=False, help_text=_("Et underkriteriums vekt er dets andel av hovedkriteriet."),
        widget=_percent_input(),
    )
    parent = forms.TypedChoiceField(label=_("Underkriterium av"), required=False, coerce=int, empty_value=None)
    is_price = forms.BooleanField(label=_("Dette er priskriteriet"), required=False)

    def __init__(self, *args, specification: Specification | None, **kwargs):
        kwargs.setdefault("auto_id", "id_criterion_%s")
        super().__init__(*args, **kwargs)
        top = (
            list(specification.criteria.filter(parent__isnull=True, is_price=False)) if specification and specification.pk else []
        )
        self.fields["parent"].choices = [("", gettext("Ingen (hovedkriterium)"))] + [(c.pk, c.name) for c in top]


class WeightsForm(BokmalForm):
    """One weight per criterion and sub-criterion, named weight_<id>."""

    def __init__(self, *args, criteria, **kwargs):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"weight_{criterion.pk}"] = PercentField(
                label=criterion.name,
                initial=format_percent(criterion.weight),
                error_messages={"required": _("Skriv en vekt (0 hvis kriteriet ikke skal telle).")},
                widget=_percent_input(**{"data-weight-group": str(criterion.parent_id or "")}),
            )

    def group_anchor(self, group: str) -> str:
        return "vekter" if group == "weights" else f"vekter-{group.removeprefix('weights-')}"

    def add_service_error(self, error) -> None:
        for key, errors in getattr(error, "error_dict", {}).items():
            if key.startswith("weights"):
                for item in errors:
                    for message in item.messages:
                        self.add_group_error(key, message)
            elif key in self.fields:
                self.add_error(key, errors)
            else:
                self.add_error(None, errors)
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)

    @property
    def groups(self) -> list[dict]:
        """The fields in fieldsets: the criteria, then the sub-criteria of each criterion that
        has any, each with its running total and its errors."""
        top = [c for c in self.criteria if c.parent_id is None]
        layout = [{"key": "", "parent": None, "anchor": "vekter", "error_key": "weights", "members": top}]
        for criterion in top:
            children = [c for c in self.criteria if c.parent_id == criterion.pk]
            if children:
                layout.append(
                    {
                        "key": str(criterion.pk),
                        "parent": criterion,
                        "anchor": f"vekter-{criterion.pk}",
                        "error_key": f"weights-{criterion.pk}",
                        "members": children,
                    }
                )
        for group in layout:
            fields = [self[f"weight_{c.pk}"] for c in group["members"]]
            group["fields"] = fields
            group["total"] = format_percent(weight_total([self._shown_value(field) for field in fields]))
            error = self.group_errors.get(group["error_key"])
            group["messages"] = error.messages if error else []
        return layout

    def _shown_value(self, field):
        value = field.value()
        if isinstance(value, str):
            value = plain_decimal(value.replace("%", "").replace(" ", "")) or 0
        return value if value is not None else 0

    def weights(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data[f"weight_{c.pk}"] for c in self.criteria}


class TenderTextForm(BokmalForm):
    instructions = forms.CharField(label=_("Instruks til tilbyderne"), required=False, max_length=SECTION_MAX_LENGTH, widget=_textarea(6))
    procedure_text = forms.CharField(label=_("Prosedyren"), required=False, max_length=SECTION_MAX_LENGTH, widget=_textarea(4))
    timetable = forms.CharField(
        label=_("Tidsplan"), required=False, max_length=SECTION_MAX_LENGTH, widget=_textarea(4),
        help_text=_("Frister for spørsmål, tilbud, vedståelse og planlagt tildeling."),
    )
    price_model = forms.ChoiceField(
        label=_("Prismodell"),
        choices=PriceModel.choices,
        widget=forms.RadioSelect,
        help_text=_("Lineær: 10 − 10 × (pris − laveste pris) / laveste pris. Forholdsmessig: 10 × laveste pris / pris."),
        error_messages={"required": _("Velg lineær eller forholdsmessig prismodell.")},
    )
    price_clamp_at_zero = forms.BooleanField(label=_("Ingen negative prispoeng (lineær modell)"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_text_%s")
        super().__init__(*args, **kwargs)
        for score in SCALE:
            self.fields[f"scale_{score}"] = forms.CharField(
                label=gettext("%(score)d poeng") % {"score": score},
                max_length=SCALE_TEXT_MAX_LENGTH,
                error_messages={"required": gettext("Skriv hva som gir %(score)d poeng.") % {"score": score}},
            )

    @classmethod
    def initial_for(cls, specification: Specification) -> dict:
        initial = {
            "instructions": specification.instructions,
            "procedure_text": specification.procedure_text,
            "timetable": specification.timetable,
            "price_model": specification.price_model,
            "price_clamp_at_zero": specification.price_clamp_at_zero,
        }
        initial.update({f"scale_{score}": text for score, text in specification.scale_rows()})
        return initial

    def scale_fields(self):
        return [self[f"scale_{score}"] for score in SCALE]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "instructions": data["instructions"],
            "procedure_text": data["procedure_text"],
            "timetable": data["timetable"],
            "price_model": data["price_model"],
            "price_clamp_at_zero": data["price_clamp_at_zero"],
            "scale": [data[f"scale_{score}"] for score in SCALE],
        }


class QualificationForm(BokmalForm):
    text = forms.CharField(
        label=_("Kvalifikasjonskrav"), max_length=TEXT_MAX_LENGTH, widget=_textarea(2),
        error_messages={"required": _("Skriv kvalifikasjonskravet.")},
    )
    evidence = forms.CharField(label=_("Dokumentasjonskrav"), required=False, max_length=TEXT_MAX_LENGTH, widget=_textarea(2))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_qualification_%s")
        super().__init__(*args, **kwargs)


class LibrarySearchForm(BokmalForm):
    """The reuse library's search (GET): words and what to look for."""

    KIND_CHOICES = [
        (library_scope.REQUIREMENT, _("Krav")),
        (library_scope.NEED, _("Behov og brukerhistorier")),
        (library_scope.CRITERION, _("Tildelingskriterier")),
    ]

    q = forms.CharField(
        label=_("Søk"),
        required=False,
        max_length=LIBRARY_QUERY_MAX_LENGTH,
        help_text=_("Ord fra teksten, for eksempel «arkiv» eller «journalføring»."),
    )
    kind = forms.ChoiceField(
        label=_("Hva du leter etter"), choices=KIND_CHOICES, required=False, error_messages={"invalid_choice": _("Velg krav, behov eller tildelingskriterier.")}
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_library_%s")
        super().__init__(*args, **kwargs)

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if "\x00" in text:
            raise forms.ValidationError(_("Teksten inneholder ugyldige tegn."))
        return text

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or library_scope.REQUIREMENT
