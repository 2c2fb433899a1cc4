"""Seed 000: a need is reported to the collaboration, the other municipalities are invited, each
answers join or decline, and the participants agree a cost-sharing key."""
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, record_language
from core.numbers import decimal_text, percent_text
from core.uploads import validate_upload
from municipalities.models import Collaboration, Membership, Municipality
from municipalities.roles import ANSWERING_ROLES, act_as_codename

from .. import cost_sharing, phases
from ..extensions import procurement_reported
from ..models import (
    CostSharingMethod,
    Deadline,
    DeadlineKind,
    InformationInitiative,
    Participation,
    ParticipationStatus,
    Procurement,
)
from ..selectors.intake import reporting_options
from .access import procurement_access_sync
from .guards import procurement_locked, require_manage
from .notifications import notify_on_commit
from .process import ProcessUnavailable, process_version_current


def reporting_collaborations(user, municipality: Municipality) -> list[Collaboration]:
    """The collaborations USER may report a need of MUNICIPALITY to (seed 000: through the
    municipality's own representative, or the coordinator of the collaboration)."""
    return [c for c, m in reporting_options(user=user) if m.pk == municipality.pk]


def can_report_for(user, municipality: Municipality, collaboration: Collaboration | None = None) -> bool:
    collaborations = reporting_collaborations(user, municipality)
    return bool(collaborations) if collaboration is None else any(c.pk == collaboration.pk for c in collaborations)


def _reporting_collaboration(user, municipality: Municipality, collaboration: Collaboration | None) -> Collaboration:
    collaborations = reporting_collaborations(user, municipality)
    if not collaborations:
        from ..refusals import report_refused

        raise PermissionDenied(report_refused(user, municipality, gettext("et behov")))
    if collaboration is None:
        if len(collaborations) > 1:
            raise ValidationError({"collaboration": gettext("Velg hvilket samarbeid behovet meldes inn til.")})
        return collaborations[0]
    if not any(c.pk == collaboration.pk for c in collaborations):
        raise PermissionDenied(
            gettext("Du kan ikke melde inn behov for %(municipality)s i %(collaboration)s.")
            % {"municipality": municipality, "collaboration": collaboration}
        )
    return collaboration


def can_answer_for(user, municipality: Municipality) -> bool:
    return any(user.has_perm(f"municipalities.{act_as_codename(r)}", municipality) for r in ANSWERING_ROLES)


def _require_manage(user, procurement: Procurement) -> None:
    if not user.has_perm("procurement.manage_procurement", procurement):
        from ..refusals import manage_refused

        require_manage(user, procurement, manage_refused(user, procurement, gettext("styre anskaffelsen")))


@transaction.atomic
def procurement_report(
    *,
    user,
    municipality: Municipality,
    title: str,
    kind: str,
    description: str,
    funding: str,
    draft_benefit_plan=None,
    estimated_value: Decimal | None = None,
    collaboration: Collaboration | None = None,
) -> Procurement:
    collaboration = _reporting_collaboration(user, municipality, collaboration)
    try:
        version = process_version_current(collaboration=collaboration)
    except ProcessUnavailable as error:
        raise ValidationError(str(error)) from error
    procurement = Procurement(
        collaboration=collaboration,
        process_version=version,
        lead_municipality=municipality,
        reported_by=user,
        title=title.strip(),
        kind=kind,
        description=description.strip(),
        funding=funding,
        estimated_value=estimated_value,
    )
    if draft_benefit_plan is not None:
        validate_upload(draft_benefit_plan)
    procurement.full_clean(exclude=["state"])  # FSM field is protected
    procurement.save()
    Participation.objects.create(
        procurement=procurement,
        municipality=municipality,
        status=ParticipationStatus.JOINED,
        is_lead=True,
        answered_by=user,
        answered_at=timezone.now(),
    )
    _shares_recompute(procurement)
    procurement_access_sync(procurement=procurement)
    # The draft benefit plan is started (with the upload, if any, as its attachment) by the
    # benefits app, which subscribes in its AppConfig.
    procurement_reported(procurement=procurement, user=user, attachment=draft_benefit_plan)
    audit_record(
        actor=user,
        action=Action.PROCUREMENT_REPORTED,
        procurement=procurement,
        municipality=municipality,
        message=f"{municipality} meldte inn behovet «{procurement.title}» til {collaboration}.",
        data={
            "kind": kind,
            "funding": funding,
            "benefit_plan": draft_benefit_plan.name[:255] if draft_benefit_plan is not None else "",
            "process_version": version.pk,
        },
    )
    notify_on_commit("procurement_reported", procurement_id=procurement.pk)
    return procurement


@transaction.atomic
def initiative_report(
    *, user, municipality: Municipality, title: str, description: str, collaboration: Collaboration | None = None
) -> InformationInitiative:
    if not reporting_collaborations(user, municipality):
        from ..refusals import report_refused

        raise PermissionDenied(report_refused(user, municipality, gettext("et initiativ")))
    collaboration = _reporting_collaboration(user, municipality, collaboration)
    initiative = InformationInitiative(
        collaboration=collaboration, municipality=municipality, reported_by=user, title=title.strip(), description=description.strip()
    )
    initiative.full_clean()
    initiative.save()
    audit_record(
        actor=user,
        action=Action.INITIATIVE_REPORTED,
        municipality=municipality,
        message=f"{municipality} meldte initiativet «{initiative.title}» til {collaboration} til orientering.",
        data={"initiative": initiative.pk},
    )
    return initiative


@transaction.atomic
def invitations_send(*, user, procurement: Procurement, municipalities: list[Municipality], answer_deadline: date) -> list[Participation]:
    procurement = procurement_locked(procurement.pk)
    _require_manage(user, procurement)
    if procurement.state != phases.INTAKE:
        raise ValidationError(gettext("Invitasjoner sendes før anskaffelsen starter."))
    today = timezone.localdate(timezone=procurement.collaboration.tzinfo)
    if answer_deadline <= today:
        raise ValidationError({"answer_deadline": gettext("Svarfristen må være etter i dag.")})
    if not municipalities:
        raise ValidationError({"municipalities": gettext("Velg minst én kommune å invitere.")})
    members = set(
        Membership.objects.current(today).filter(collaboration_id=procurement.collaboration_id).values_list("municipality_id", flat=True)
    )
    foreign = [m for m in municipalities if m.pk not in members]
    if foreign:
        raise ValidationError(
            {"municipalities": gettext("Bare kommuner som er medlem av %(name)s, kan inviteres.") % {"name": procurement.collaboration}}
        )
    existing = set(procurement.participations.values_list("municipality_id", flat=True))
    invited = [
        Participation(procurement=procurement, municipality=m, status=ParticipationStatus.INVITED)
        for m in municipalities
        if m.pk not in existing
    ]
    Participation.objects.bulk_create(invited)
    procurement.invitation_deadline = answer_deadline
    procurement.invitations_sent_at = procurement.invitations_sent_at or timezone.now()
    procurement.save(update_fields=["invitation_deadline", "invitations_sent_at", "updated_at"])
    Deadline.objects.update_or_create(
        procurement=procurement,
        kind=DeadlineKind.INVITATION_ANSWER,
        defaults={"title": "Svarfrist for invitasjonen", "due_date": answer_deadline, "done_at": None},
    )
    procurement_access_sync(procurement=procurement)
    names = ", ".join(str(p.municipality) for p in invited)
    audit_record(
        actor=user,
        action=Action.INVITATIONS_SENT,
        procurement=procurement,
        message=f"{user} inviterte {names or 'ingen nye kommuner'} med svarfrist {answer_deadline:%d.%m.%Y}.",
        data={"municipalities": [p.municipality_id for p in invited], "deadline": answer_deadline},
    )
    notify_on_commit("invitations_sent", procurement_id=procurement.pk, municipality_ids=[p.municipality_id for p in invited])
    return invited


@transaction.atomic
def invitation_answer(*, user, procurement: Procurement, municipality: Municipality, join: bool, reason: str = "") -> Participation:
    procurement = procurement_locked(procurement.pk)
    if not can_answer_for(user, municipality):
        from ..refusals import answer_refused

        raise PermissionDenied(answer_refused(user, municipality))
    try:
        participation = procurement.participations.select_for_update().get(municipality=municipality)
    except Participation.DoesNotExist:
        raise PermissionDenied(gettext("Kommunen er ikke invitert til denne anskaffelsen.")) from None
    if participation.is_lead:
        raise ValidationError(gettext("Kommunen som meldte inn behovet er alltid med."))
    if procurement.state != phases.INTAKE:
        from ..refusals import answer_phase_refused

        raise ValidationError(answer_phase_refused(procurement, procurement.get_state_display()))
    reason = reason.strip()
    if not join and not reason:
        raise ValidationError({"reason": gettext("Skriv hvorfor kommunen takker nei.")})
    participation.status = ParticipationStatus.JOINED if join else ParticipationStatus.DECLINED
    participation.decline_reason = "" if join else reason
    participation.answered_by = user
    participation.answered_at = timezone.now()
    if not join:
        participation.cost_share = None
    participation.save()
    _shares_recompute(procurement)
    if not procurement.participations.filter(status=ParticipationStatus.INVITED).exists():
        procurement.deadlines.filter(kind=DeadlineKind.INVITATION_ANSWER, done_at__isnull=True).update(done_at=timezone.now())
    procurement_access_sync(procurement=procurement)
    audit_record(
        actor=user,
        action=Action.INVITATION_JOINED if join else Action.INVITATION_DECLINED,
        procurement=procurement,
        municipality=municipality,
        message=(f"{municipality} blir med i anskaffelsen." if join else f"{municipality} takket nei: {reason}"),
        data={"join": join, "reason": reason},
    )
    notify_on_commit("invitation_answered", procurement_id=procurement.pk, municipality_ids=[municipality.pk])
    return participation


def _cost_shares_message(joined: list[Participation]) -> str:
    with record_language():
        return "Kostnadsfordeling: " + ", ".join(f"{p.municipality} {percent_text(p.cost_share)}" for p in joined)


def cost_share_message(error: cost_sharing.CostShareError) -> str:
    """The refusal of the pure cost-sharing module in the requester's language."""
    # Numbers as the reader writes them: 90,00 in bokmål, 90.00 in English.
    params = {key: decimal_text(value) if isinstance(value, Decimal) else str(value) for key, value in error.params.items()}
    if error.code == "no_positive_weight":
        return gettext("Det må være minst én deltaker med positiv vekt.")
    if error.code == "negative_population":
        return gettext("Innbyggertall kan ikke være negativt.")
    if error.code == "not_a_share":
        return gettext("En andel må være et tall mellom 0 og 100.")
    if error.code == "negative_share":
        return gettext("En andel kan ikke være negativ.")
    if error.code == "too_many_decimals":
        return gettext("Andeler oppgis med høyst to desimaler.")
    if error.code == "total":
        return gettext("Andelene summerer til %(total)s %%, men må bli nøyaktig 100 %%.") % params
    return str(error)


def _shares_recompute(procurement: Procurement) -> None:
    """Equal and population keys follow the participants automatically; a custom key is
    left for the coordinator to correct (readiness shows when it no longer totals 100)."""
    if procurement.cost_sharing_method == CostSharingMethod.CUSTOM:
        return
    joined = list(procurement.participations.filter(status=ParticipationStatus.JOINED).select_related("municipality"))
    if not joined:
        return
    if procurement.cost_sharing_method == CostSharingMethod.EQUAL:
        shares = cost_sharing.equal_shares([p.pk for p in joined])
    else:
        shares = cost_sharing.population_shares({p.pk: p.municipality.population for p in joined})
    for participation in joined:
        participation.cost_share = shares[participation.pk]
    Participation.objects.bulk_update(joined, ["cost_share"])


@transaction.atomic
def cost_shares_set(
    *, user, procurement: Procurement, method: str, custom: dict[int, Decimal] | None = None
) -> list[Participation]:
    """CUSTOM maps municipality id -> percent for every joined municipality."""
    procurement = procurement_locked(procurement.pk)
    _require_manage(user, procurement)
    if not procurement.is_open:
        raise ValidationError(gettext("Anskaffelsen er avsluttet."))
    if method not in CostSharingMethod.values:
        raise ValidationError({"method": gettext("Ukjent fordelingsnøkkel.")})
    joined = list(procurement.participations.filter(status=ParticipationStatus.JOINED).select_related("municipality"))
    procurement.cost_sharing_method = method
    procurement.save(update_fields=["cost_sharing_method", "updated_at"])
    if method == CostSharingMethod.CUSTOM:
        custom = custom or {}
        missing = [str(p.municipality) for p in joined if p.municipality_id not in custom]
        if missing:
            raise ValidationError({"custom": gettext("Oppgi andel for %(names)s.") % {"names": ", ".join(missing)}})
        try:
            shares = cost_sharing.custom_shares({p.pk: custom[p.municipality_id] for p in joined})
        except cost_sharing.CostShareError as error:
            raise ValidationError({"custom": cost_share_message(error)}) from error
        for participation in joined:
            participation.cost_share = shares[participation.pk]
        Participation.objects.bulk_update(joined, ["cost_share"])
    else:
        try:
            _shares_recompute(procurement)
        except cost_sharing.CostShareError as error:
            raise ValidationError({"method": cost_share_message(error)}) from error
        joined = list(procurement.participations.filter(status=ParticipationStatus.JOINED).select_related("municipality"))
    audit_record(
        actor=user,
        action=Action.COST_SHARES_SET,
        procurement=procurement,
        message=_cost_shares_message(joined),
        data={"method": method, "shares": {p.municipality_id: p.cost_share for p in joined}},
    )
    return joined
