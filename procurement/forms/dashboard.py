"""The dashboard's filter form."""
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BokmalForm


class DashboardFilterForm(BokmalForm):
    """The dashboard's filters. A value that is not a choice is reported next to its field
    and ignored, so a hand-edited address never fails."""

    collaboration = forms.TypedChoiceField(label=_("Samarbeid"), coerce=int, required=False, empty_value=None)
    municipality = forms.TypedChoiceField(label=_("Kommune"), coerce=int, required=False, empty_value=None)
    phase = forms.ChoiceField(label=_("Fase"), required=False)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        collaborations = choices["collaborations"]
        self.fields["collaboration"].choices = [("", gettext("Alle samarbeid"))] + [(r.pk, str(r)) for r in collaborations]
        memberships = choices["memberships"]
        if len(collaborations) > 1:
            grouped: dict[str, list] = {}
            for membership in memberships:
                grouped.setdefault(str(membership.collaboration), []).append(
                    (membership.municipality_id, str(membership.municipality))
                )
            municipality_choices = list(grouped.items())
        else:
            seen = {m.municipality_id: str(m.municipality) for m in memberships}
            municipality_choices = sorted(seen.items(), key=lambda item: item[1])
        self.fields["municipality"].choices = [("", gettext("Alle kommuner"))] + municipality_choices
        self.fields["phase"].choices = [("", gettext("Alle faser"))] + list(choices["phases"])
        self.show_collaboration = len(collaborations) > 1
        if not self.show_collaboration:
            del self.fields["collaboration"]  # one collaboration: nothing to choose, a stray ?collaboration= is ignored

    def filters(self) -> dict:
        """The valid filters only (an invalid one is left out, its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "collaboration_id": data.get("collaboration"),
            "municipality_id": data.get("municipality"),
            "phase": data.get("phase") or None,
        }
