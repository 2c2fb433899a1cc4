"""Refusals that say the real reason: which role the action needs, for which municipality
or collaboration, and what the person holds instead, or which phase the case stands in.
Built only when something is refused (two queries), never on the way to a yes."""
from django.utils.translation import gettext

from core.ids import id_from
from municipalities.models import Body, Municipality
from municipalities.roles import ANSWERING_ROLES, CONTRIBUTING_ROLES, COORDINATING_ROLES, REPORTING_ROLES, Role

from .selectors.access import user_signing_rights


def _role(role: str) -> str:
    return str(Role(role).label).lower() if role in Role.values else role


def _roles_list(roles) -> str:
    labels = sorted({_role(r) for r in roles})
    if len(labels) <= 1:
        return "".join(labels)
    return gettext("%(first)s eller %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def held_roles_text(user) -> str:
    """What USER holds, in words: "kommunedirektør for Flesberg, brukerrepresentant for
    Kongsberg" or "ingen rolle"."""
    rights = user_signing_rights(user=user)
    municipalities = Municipality.objects.in_bulk({obj for _r, kind, obj in rights if kind == "m"})
    bodies = Body.objects.in_bulk({obj for _r, kind, obj in rights if kind == "b"})
    parts = []
    for role, kind, obj in sorted(rights):
        where = municipalities.get(obj) if kind == "m" else bodies.get(obj)
        if where is not None:
            parts.append(gettext("%(role)s i %(where)s") % {"role": _role(role), "where": where})
    return ", ".join(sorted(parts)) or gettext("uten rolle")


def answer_refused(user, municipality) -> str:
    """Why USER may not answer MUNICIPALITY's invitation."""
    rights = user_signing_rights(user=user)
    mine = {role for role, kind, obj in rights if kind == "m" and obj == municipality.pk}
    elsewhere = sorted(
        {obj for role, kind, obj in rights if kind == "m" and role in ANSWERING_ROLES and obj != municipality.pk}
    )
    needed = _roles_list(ANSWERING_ROLES)
    if mine:
        return gettext(
            "Invitasjonen besvares av %(needed)s i %(municipality)s. Du er %(roles)s i %(municipality)s, og den rollen svarer ikke."
        ) % {"needed": needed, "municipality": municipality, "roles": _roles_list(mine)}
    if elsewhere:
        names = ", ".join(str(m) for m in Municipality.objects.filter(pk__in=elsewhere).order_by("name"))
        return gettext("Du svarer for %(yours)s, ikke for %(municipality)s; den besvares av %(needed)s i %(municipality)s.") % {
            "yours": names,
            "municipality": municipality,
            "needed": needed,
        }
    return gettext("Invitasjonen besvares av %(needed)s i %(municipality)s; du har ingen rolle i kommunen.") % {
        "needed": needed,
        "municipality": municipality,
    }


def answer_phase_refused(procurement, phase_label: str) -> str:
    return gettext(
        "Anskaffelsen står i fasen «%(phase)s». Svar på invitasjonen kan bare gis eller endres før anskaffelsen startes."
    ) % {"phase": phase_label}


def manage_refused(user, procurement, action: str) -> str:
    """ACTION is what was tried, as a verb phrase ("endre fasen")."""
    return gettext("Bare %(needed)s i %(collaboration)s kan %(action)s. Du er %(held)s.") % {
        "needed": _roles_list(COORDINATING_ROLES),
        "collaboration": procurement.collaboration,
        "action": action,
        "held": held_roles_text(user),
    }


def contribute_refused(user, procurement, action: str) -> str:
    return gettext(
        "Bare %(needed)s for en deltakerkommune eller et organ i %(collaboration)s kan %(action)s i «%(title)s». Du er %(held)s."
    ) % {
        "needed": _roles_list(CONTRIBUTING_ROLES),
        "collaboration": procurement.collaboration,
        "action": action,
        "title": procurement.title,
        "held": held_roles_text(user),
    }


def report_refused(user, municipality, what: str) -> str:
    """Why USER may not report WHAT ("et behov", "et initiativ") for MUNICIPALITY."""
    return gettext(
        "%(what)s for %(municipality)s meldes inn av kommunens %(needed)s eller av koordinatoren i samarbeidet. Du er %(held)s."
    ) % {
        "what": what[:1].upper() + what[1:],
        "municipality": municipality,
        "needed": _roles_list(REPORTING_ROLES),
        "held": held_roles_text(user),
    }


def signoff_refused(user, step_id: int, slot: str) -> str:
    """Why USER may not sign SLOT ("m:<municipality>" or "b:<body>") of gate step STEP_ID:
    the role the step needs, for whom, and what USER holds."""
    from .models import GateStep

    step = GateStep.objects.filter(pk=step_id).first()
    kind, _sep, pk = (slot or "").partition(":")
    where = None
    if (target := id_from(pk)) is not None:
        where = (Municipality if kind == "m" else Body if kind == "b" else None)
        where = where.objects.filter(pk=target).first() if where is not None else None
    if step is None or where is None:
        return gettext("Du kan ikke signere her: signaturen finnes ikke i denne anskaffelsen. Du er %(held)s.") % {
            "held": held_roles_text(user)
        }
    return gettext("Denne signaturen gis av %(role)s for %(where)s. Du er %(held)s.") % {
        "role": _role(step.role),
        "where": where,
        "held": held_roles_text(user),
    }
