"""A network's joining rounds and work packages (models/network.py): the coordinator sets
up a round or a package; a municipality's chief executive or representative records its
joining before the round's deadline; a participating municipality takes a package and
delivers it. Each round's and package's date is a derived Deadline (rule_deadline_set),
reminded to those who still have something to do (the recipients below, registered in
ProcurementConfig.ready)."""
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record
from municipalities.models import Membership, Municipality
from municipalities.roles import CONTRIBUTING_ROLES, Role

from .. import phases
from ..exceptions import ProcurementError
from ..models import (
    DeadlineKind,
    Joining,
    JoiningRound,
    ParticipationStatus,
    Procurement,
    WorkPackage,
    WorkPackageState,
)
from ..refusals import manage_refused
from .deadlines import rule_deadline_set
from .guards import procurement_locked, refusals_audited, require_manage
from .intake import can_answer_for

JOINING_RULE = "joining_round"
WORK_PACKAGE_RULE = "work_package"
# The municipal roles that write deliverables for their municipality take and deliver its
# work packages, and are reminded of them.
WORK_PACKAGE_ROLES = frozenset(CONTRIBUTING_ROLES) - {Role.COORDINATOR, Role.REGIONAL_BUYER}
NAME_MAX_LENGTH = JoiningRound._meta.get_field("name").max_length
TITLE_MAX_LENGTH = WorkPackage._meta.get_field("title").max_length
AGREEMENT_MAX_LENGTH = Joining._meta.get_field("agreement").max_length
MONEY_MAX = Decimal(10) ** JoiningRound._meta.get_field("price").max_digits


class DeadlinePassed(ProcurementError):
    """Joining after the round's deadline: a refusal (audited), not a form to correct."""


def can_manage(user, procurement: Procurement) -> bool:
    return user.has_perm("procurement.manage_procurement", procurement)


def _require_manage(user, procurement: Procurement, what: str) -> None:
    require_manage(user, procurement, manage_refused(user, procurement, what))


def can_work_for(user, municipality_id: int) -> bool:
    from municipalities.roles import act_as_codename

    return any(user.has_perm(f"municipalities.{act_as_codename(r)}", Municipality(pk=municipality_id)) for r in WORK_PACKAGE_ROLES)


def current_member_ids(procurement: Procurement) -> set[int]:
    """The collaboration's member municipalities today, in its time zone."""
    today = procurement.collaboration.today()
    return set(
        Membership.objects.current(on=today).filter(collaboration_id=procurement.collaboration_id).values_list("municipality_id", flat=True)
    )


def joined_participant_ids(procurement: Procurement) -> set[int]:
    return set(procurement.participations.filter(status=ParticipationStatus.JOINED).values_list("municipality_id", flat=True))


def _money(errors: dict, name: str, value, *, required: bool = True) -> Decimal | None:
    """The forms check first; the service again, so a caller other than the form (the demo,
    a script) cannot store a negative, infinite or NaN amount."""
    if value is None or value == "":
        if required:
            errors[name] = gettext("Skriv beløpet.")
        return None
    try:
        value = Decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        errors[name] = gettext("Skriv beløpet i hele kroner med sifre, for eksempel 1 250 000.")
        return None
    if not value.is_finite():
        errors[name] = gettext("Skriv beløpet i hele kroner med sifre, for eksempel 1 250 000.")
    elif value < 0:
        errors[name] = gettext("Beløpet kan ikke være negativt.")
    elif value != value.to_integral_value():
        errors[name] = gettext("Skriv beløpet i hele kroner, uten øre.")
    elif value >= MONEY_MAX:
        errors[name] = gettext("Beløpet er for stort.")
    else:
        return value
    return None


def _text(errors: dict, name: str, value: str, limit: int, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[name] = missing
    elif len(value) > limit:
        errors[name] = gettext("Skriv høyst %(max)d tegn (nå %(count)d).") % {"max": limit, "count": len(value)}
    return value


def _require_open(procurement: Procurement) -> None:
    if not procurement.is_open:
        raise ValidationError(gettext("Anskaffelsen er avsluttet."))


# --------------------------------------------------------------------------------------
# Joining rounds
# --------------------------------------------------------------------------------------


def _round_deadline(round: JoiningRound) -> None:
    rule_deadline_set(
        procurement=round.procurement, kind=DeadlineKind.JOINING, rule=JOINING_RULE, key=str(round.pk),
        title=f"Frist for tilslutning: {round.name}", due_date=round.deadline, inputs={"round": round.pk},
    )


@refusals_audited(Action.JOINING_REFUSED, lambda kw: "forsøkte å endre en tilslutningsrunde")
@transaction.atomic
def joining_round_save(
    *, user, procurement: Procurement, round_id: int | None = None, name: str, deadline: date | None, price, late_price=None
) -> JoiningRound:
    """A new round, or ROUND_ID changed; a moved deadline moves its Deadline."""
    procurement = procurement_locked(procurement.pk)
    _require_manage(user, procurement, gettext("endre tilslutningsrundene"))
    _require_open(procurement)
    round = None
    if round_id is not None:
        round = JoiningRound.objects.select_for_update().filter(pk=round_id, procurement=procurement).first()
        if round is None:
            raise ValidationError(gettext("Tilslutningsrunden finnes ikke i denne anskaffelsen."))
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, NAME_MAX_LENGTH, gettext("Skriv hva runden heter, for eksempel «Udbudsnetværket»."))
    if name and JoiningRound.objects.filter(procurement=procurement, name=name).exclude(pk=getattr(round, "pk", None)).exists():
        errors["name"] = gettext("Anskaffelsen har allerede en runde med dette navnet.")
    if deadline is None:
        errors["deadline"] = gettext("Velg fristen for tilslutning.")
    price = _money(errors, "price", price)
    late_price = _money(errors, "late_price", late_price, required=False)
    if price is not None and late_price is not None and late_price < price:
        errors["late_price"] = gettext("Prisen for dem som ikke var med i en tidligere runde, kan ikke være lavere enn den vanlige prisen.")
    if errors:
        raise ValidationError(errors)
    created = round is None
    if created:
        round = JoiningRound(procurement=procurement)
    before = None if created else (round.name, round.deadline, round.price, round.late_price)
    round.name, round.deadline, round.price, round.late_price = name, deadline, price, late_price
    round.save()
    _round_deadline(round)
    audit_record(
        actor=user,
        action=Action.JOINING_ROUND_SAVED,
        procurement=procurement,
        message=(
            f"Tilslutningsrunden «{name}» er {'opprettet' if created else 'endret'}: frist {deadline:%d.%m.%Y}, "
            f"pris {price} kr per kommune" + (f", {late_price} kr uten en tidligere runde" if late_price is not None else "") + "."
        ),
        data={"round": round.pk, "created": created, "deadline": deadline, "price": str(price),
              "late_price": None if late_price is None else str(late_price), "before": [str(v) for v in before] if before else None},
    )
    return round


def joined_earlier(round: JoiningRound, municipality_id: int) -> bool:
    return Joining.objects.filter(
        round__procurement_id=round.procurement_id, round__deadline__lt=round.deadline, municipality_id=municipality_id
    ).exists()


def price_for(round: JoiningRound, municipality_id: int) -> Decimal:
    """The round's price, or its late price for a municipality that joined no earlier round
    of the procurement (when the round has earlier rounds and a late price at all)."""
    if round.late_price is None:
        return round.price
    earlier = JoiningRound.objects.filter(procurement_id=round.procurement_id, deadline__lt=round.deadline).exists()
    if earlier and not joined_earlier(round, municipality_id):
        return round.late_price
    return round.price


@refusals_audited(Action.JOINING_REFUSED, lambda kw: f"forsøkte å registrere tilslutning for kommune {kw.get('municipality_id')}")
@transaction.atomic
def joining_record(
    *, user, procurement: Procurement, round_id: int, municipality_id: int, joined_on: date | None, agreement: str
) -> Joining:
    """MUNICIPALITY_ID joins the round, by its chief executive or representative or by the
    coordinator for it, on or before the round's deadline (in the collaboration's time zone)."""
    procurement = procurement_locked(procurement.pk)
    round = JoiningRound.objects.select_for_update().filter(pk=round_id, procurement=procurement).first()
    if round is None:
        raise ValidationError(gettext("Tilslutningsrunden finnes ikke i denne anskaffelsen."))
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None or municipality.pk not in current_member_ids(procurement):
        raise ValidationError({"municipality": gettext("Velg en kommune som er medlem av samarbeidet.")})
    if not (can_manage(user, procurement) or can_answer_for(user, municipality)):
        raise PermissionDenied(
            gettext("Bare kommunedirektøren eller kommunerepresentanten i %(municipality)s, eller koordinatoren, kan registrere tilslutningen.")
            % {"municipality": municipality}
        )
    _require_open(procurement)
    today = procurement.collaboration.today()
    if today > round.deadline:
        raise DeadlinePassed(
            gettext("Fristen for tilslutning til «%(round)s» var %(date)s. Ta kontakt med koordinatoren om en sen tilslutning.")
            % {"round": round.name, "date": round.deadline.strftime("%d.%m.%Y")}
        )
    if Joining.objects.filter(round=round, municipality=municipality).exists():
        raise ValidationError({"municipality": gettext("%(municipality)s er allerede med i «%(round)s».") % {"municipality": municipality, "round": round.name}})
    errors: dict[str, str] = {}
    agreement = _text(errors, "agreement", agreement, AGREEMENT_MAX_LENGTH, gettext("Skriv referansen til den signerte tilslutningsavtalen, for eksempel dato og saksnummer."))
    if joined_on is None:
        errors["joined_on"] = gettext("Velg datoen avtalen ble signert.")
    elif joined_on > today:
        errors["joined_on"] = gettext("Datoen kan ikke være fram i tid.")
    elif joined_on > round.deadline:
        errors["joined_on"] = gettext("Avtalen må være signert innen fristen %(date)s.") % {"date": round.deadline.strftime("%d.%m.%Y")}
    if errors:
        raise ValidationError(errors)
    price = price_for(round, municipality.pk)
    joining = Joining.objects.create(round=round, municipality=municipality, joined_on=joined_on, agreement=agreement, price=price, recorded_by=user)
    audit_record(
        actor=user,
        action=Action.JOINING_RECORDED,
        procurement=procurement,
        municipality=municipality,
        message=f"{municipality} er med i «{round.name}» fra {joined_on:%d.%m.%Y} ({agreement}), pris {price} kr.",
        data={"round": round.pk, "joining": joining.pk, "municipality": municipality.pk, "price": str(price), "agreement": agreement},
    )
    return joining


def joining_deadline_recipients(*, deadlines) -> dict[int, set[int]]:
    """Those who answer for the collaboration's current members that have not joined the
    round, and its coordinators; nobody once the deadline has passed (joining is refused
    then, so a reminder would ask for what cannot be done). Five queries for any number."""
    from ..models import Deadline
    from ..recipients import answerers_by_municipality, coordinators_by_collaboration

    # A registered rule outlives the case in the sweep; a joining round does not.
    rows = list(
        Deadline.objects.filter(pk__in=[pk for pk, _inputs in deadlines], procurement__state__in=list(phases.OPEN_STATES)).values_list(
            "pk", "due_date", "procurement__collaboration_id", "procurement__collaboration__time_zone"
        )
    )
    rounds = {pk: inputs.get("round") for pk, inputs in deadlines}
    collaborations = {collaboration_id for _pk, _due, collaboration_id, _tz in rows}
    members: dict[int, set[int]] = {}
    for collaboration_id, municipality_id, joined_on, left_on in Membership.objects.filter(
        collaboration_id__in=collaborations
    ).values_list("collaboration_id", "municipality_id", "joined_on", "left_on"):
        members.setdefault(collaboration_id, set()).add((municipality_id, joined_on, left_on))
    joined: dict[int, set[int]] = {}
    for round_id, municipality_id in Joining.objects.filter(round_id__in=set(rounds.values())).values_list("round_id", "municipality_id"):
        joined.setdefault(round_id, set()).add(municipality_id)
    coordinators = coordinators_by_collaboration(collaborations)
    answering = answerers_by_municipality({m for ms in members.values() for m, _j, _l in ms})
    people: dict[int, set[int]] = {}
    for pk, due, collaboration_id, time_zone in rows:
        today = timezone.localdate(timezone=_zone(time_zone))
        if today > due:
            people[pk] = set()
            continue
        waiting = {
            m for m, joined_on, left_on in members.get(collaboration_id, ())
            if joined_on <= today and (left_on is None or left_on > today) and m not in joined.get(rounds[pk], set())
        }
        people[pk] = set(coordinators.get(collaboration_id, set())).union(*(answering.get(m, set()) for m in waiting))
    return people


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


# --------------------------------------------------------------------------------------
# Work packages
# --------------------------------------------------------------------------------------


def _package_deadline(package: WorkPackage) -> None:
    rule_deadline_set(
        procurement=package.procurement, kind=DeadlineKind.WORK_PACKAGE, rule=WORK_PACKAGE_RULE, key=str(package.pk),
        title=f"Frist for arbeidspakke: {package.title}", due_date=package.due_date, inputs={"package": package.pk},
    )


def _locked_package(procurement: Procurement, package_id: int) -> WorkPackage:
    package = WorkPackage.objects.select_for_update().filter(pk=package_id, procurement=procurement).first()
    if package is None:
        raise ValidationError(gettext("Arbeidspakken finnes ikke i denne anskaffelsen."))
    return package


@refusals_audited(Action.WORK_PACKAGE_REFUSED, lambda kw: "forsøkte å endre en arbeidspakke")
@transaction.atomic
def work_package_save(
    *, user, procurement: Procurement, package_id: int | None = None, title: str, description: str = "", payment, due_date: date | None
) -> WorkPackage:
    procurement = procurement_locked(procurement.pk)
    _require_manage(user, procurement, gettext("endre arbeidspakkene"))
    _require_open(procurement)
    package = _locked_package(procurement, package_id) if package_id is not None else None
    if package is not None and package.state == WorkPackageState.DELIVERED:
        raise ValidationError(gettext("Arbeidspakken er levert og kan ikke endres."))
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, TITLE_MAX_LENGTH, gettext("Skriv hva arbeidspakken gjelder."))
    payment = _money(errors, "payment", payment)
    if due_date is None:
        errors["due_date"] = gettext("Velg fristen for arbeidspakken.")
    elif package is None and due_date < procurement.collaboration.today():
        errors["due_date"] = gettext("Fristen kan ikke være tilbake i tid.")
    if errors:
        raise ValidationError(errors)
    created = package is None
    if created:
        package = WorkPackage(procurement=procurement)
    package.title, package.description, package.payment, package.due_date = title, (description or "").strip(), payment, due_date
    package.save()
    _package_deadline(package)
    audit_record(
        actor=user,
        action=Action.WORK_PACKAGE_SAVED,
        procurement=procurement,
        message=f"Arbeidspakken «{title}» er {'opprettet' if created else 'endret'}: {payment} kr, frist {due_date:%d.%m.%Y}.",
        data={"package": package.pk, "created": created, "payment": str(payment), "due_date": due_date},
    )
    return package


@refusals_audited(Action.WORK_PACKAGE_REFUSED, lambda kw: f"forsøkte å ta arbeidspakke {kw.get('package_id')}")
@transaction.atomic
def work_package_take(*, user, procurement: Procurement, package_id: int, municipality_id: int) -> WorkPackage:
    """A municipality that takes part in the procurement takes an open package: by one of its
    people who write deliverables, or by the coordinator for it."""
    procurement = procurement_locked(procurement.pk)
    package = _locked_package(procurement, package_id)
    if not (can_manage(user, procurement) or can_work_for(user, municipality_id)):
        raise PermissionDenied(gettext("Bare kommunens representanter, eller koordinatoren, kan ta en arbeidspakke for kommunen."))
    _require_open(procurement)
    if municipality_id not in joined_participant_ids(procurement):
        raise ValidationError({"municipality": gettext("Velg en kommune som deltar i anskaffelsen.")})
    if package.state != WorkPackageState.OPEN:
        raise ValidationError(gettext("Arbeidspakken er allerede tatt av %(municipality)s.") % {"municipality": package.municipality})
    package.state, package.municipality_id, package.taken_by, package.taken_at = WorkPackageState.TAKEN, municipality_id, user, timezone.now()
    package.save(update_fields=["state", "municipality", "taken_by", "taken_at"])
    municipality = Municipality.objects.get(pk=municipality_id)
    audit_record(
        actor=user,
        action=Action.WORK_PACKAGE_TAKEN,
        procurement=procurement,
        municipality=municipality,
        message=f"{municipality} har tatt arbeidspakken «{package.title}» ({package.payment} kr, frist {package.due_date:%d.%m.%Y}).",
        data={"package": package.pk, "municipality": municipality_id},
    )
    return package


@refusals_audited(Action.WORK_PACKAGE_REFUSED, lambda kw: f"forsøkte å levere arbeidspakke {kw.get('package_id')}")
@transaction.atomic
def work_package_deliver(*, user, procurement: Procurement, package_id: int) -> WorkPackage:
    """The taker (or the coordinator) marks the package delivered; its deadline is done."""
    procurement = procurement_locked(procurement.pk)
    package = _locked_package(procurement, package_id)
    if package.state == WorkPackageState.OPEN:
        raise ValidationError(gettext("Ingen kommune har tatt arbeidspakken ennå."))
    if not (can_manage(user, procurement) or can_work_for(user, package.municipality_id)):
        raise PermissionDenied(gettext("Bare representantene for kommunen som tok arbeidspakken, eller koordinatoren, kan melde den levert."))
    if package.state == WorkPackageState.DELIVERED:
        return package
    _require_open(procurement)
    now = timezone.now()
    package.state, package.delivered_by, package.delivered_at = WorkPackageState.DELIVERED, user, now
    package.save(update_fields=["state", "delivered_by", "delivered_at"])
    from ..models import Deadline

    Deadline.objects.filter(
        procurement=procurement, rule=WORK_PACKAGE_RULE, rule_inputs__key=str(package.pk), done_at__isnull=True
    ).update(done_at=now)
    audit_record(
        actor=user,
        action=Action.WORK_PACKAGE_DELIVERED,
        procurement=procurement,
        municipality=package.municipality,
        message=f"Arbeidspakken «{package.title}» er levert av {package.municipality}.",
        data={"package": package.pk, "municipality": package.municipality_id},
    )
    return package


def work_package_deadline_recipients(*, deadlines) -> dict[int, set[int]]:
    """The coordinators, and for a taken package the taking municipality's people who write
    deliverables for it; nobody once the case has ended. Four queries for any number."""
    from municipalities.models import RoleAssignment

    from ..recipients import coordinators_by_deadline

    # A registered rule outlives the case in the sweep; a work package does not: its
    # procurement's state is read with the takers, and a closed case's packages remind nobody.
    packages = {inputs.get("package"): pk for pk, inputs in deadlines}
    found = list(
        WorkPackage.objects.filter(pk__in=list(packages), procurement__state__in=list(phases.OPEN_STATES)).values_list(
            "pk", "state", "municipality_id"
        )
    )
    live = {packages[pk] for pk, _state, _m in found}
    people = {pk: set(who) for pk, who in coordinators_by_deadline(deadlines=[d for d in deadlines if d[0] in live]).items()} if live else {}
    takers = {pk: municipality_id for pk, state, municipality_id in found if state == WorkPackageState.TAKEN}
    if takers:
        by_municipality: dict[int, set[int]] = {}
        for municipality_id, person_id in (
            RoleAssignment.objects.filter(municipality_id__in=set(takers.values()), role__in=WORK_PACKAGE_ROLES, person__is_active=True)
            .exclude(person__email="")
            .values_list("municipality_id", "person_id")
        ):
            by_municipality.setdefault(municipality_id, set()).add(person_id)
        for package_id, municipality_id in takers.items():
            people.setdefault(packages[package_id], set()).update(by_municipality.get(municipality_id, set()))
    return people
