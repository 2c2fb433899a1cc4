"""The dashboard's filter form."""
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm


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
