"""What this person can do now in a procurement, as a short phrase with a link: the
dashboard's "Hva du kan gjøre" column. Worked out from the judgement already loaded for the
row (its verdict) and what the person holds, read once for the whole page, so a row costs no
query of its own."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from municipalities.roles import ANSWERING_ROLES

from . import phases
from .models import Procurement
from .selectors.access import slot_signable
from .verdicts import Verdict


@dataclass(frozen=True)
class NextAction:
    text: str
    url: str
    primary: bool = True  # a step forward (sign, answer, complete), not a follow-up


@dataclass(frozen=True)
class Holdings:
    """What the person holds, for every row on the page: signing rights (role, kind, id),
    and the ids of the page's procurements they run and write in."""

    rights: set
    manages: set
    contributes: set


def next_action(procurement: Procurement, verdict: Verdict, holdings: Holdings) -> NextAction | None:
    if not procurement.is_open:
        return None
    detail = reverse("procurement_detail", args=[procurement.pk])
    for step, slot in verdict.missing_signatures:
        if slot_signable(holdings.rights, step, slot):
            # Straight to the slot's sign-off form on the procurement page.
            return NextAction(
                _("Les og signer for %(slot)s") % {"slot": slot.label},
                detail + f"#sign-{step.step.pk}-{slot.slot.replace(':', '')}",
            )
    if procurement.state == phases.INTAKE:
        answering = {obj for role, kind, obj in holdings.rights if kind == "m" and role in ANSWERING_ROLES}
        for participation in verdict.unanswered:
            if participation.municipality_id in answering:
                return NextAction(
                    _("Svar på invitasjonen for %(name)s") % {"name": participation.municipality},
                    reverse(
                        "invitation_answer",
                        kwargs={"procurement_id": procurement.pk, "municipality_id": participation.municipality_id},
                    ),
                )
    manages = procurement.pk in holdings.manages
    if manages:
        if procurement.state == phases.INTAKE and verdict.participant_count <= 1:
            return NextAction(_("Inviter kommunene"), reverse("procurement_invite", args=[procurement.pk]))
        if verdict.refused_gates:
            return NextAction(_("Avvist: gå tilbake eller avlys"), detail + "#faseendring")
        if verdict.ready:
            text = {phases.INTAKE: _("Start anskaffelsen"), phases.CONTRACT_MANAGEMENT: _("Avslutt anskaffelsen")}.get(
                procurement.state, _("Fullfør fasen")
            )
            return NextAction(text, detail + "#faseendring")
    if verdict.missing and (manages or procurement.pk in holdings.contributes):
        definition = verdict.missing[0]
        return NextAction(_("Lever «%(name)s»") % {"name": definition.label}, detail + f"#leveranse-{definition.code}")
    return None
