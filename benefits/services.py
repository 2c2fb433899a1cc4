"""The only writers of benefit plans, benefits, each municipality's part of them and their
measurements. Each locks the procurement row (so a plan is never frozen halfway through an
edit), checks who is asking, validates, saves, and writes the audit entry; refusals are
audited too."""
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.changes import changes_data, changes_sentence, field_changes
from audit.services import audit_record, record_language
from municipalities.models import Municipality, Person, RoleAssignment
from procurement.extensions import TimelineEntry
from procurement.models import Deadline, DeadlineKind, PhaseChange, Procurement
from procurement.services.guards import procurement_locked, refusals_audited

from . import value
from .access import BenefitRights, benefit_rights
from .content import content_sha256, plan_content
from .models import Benefit, BenefitPlan, BenefitSettings, BenefitShare, GainSharing, Measurement, PlanVersion

TEXT_MAX_LENGTH = 10_000
EXPLANATION_MAX_LENGTH = 5000
# No realistic benefit is worth more a year, or has more hours; a typo (or 1e30) is refused.
NOK_MAX = Decimal("100000000000")
HOURS_MAX = Decimal("10000000")
VALUE_MAX = Decimal("1000000000000")

PLAN_FIELDS = [*BenefitPlan.SECTIONS, "gain_sharing", "gain_sharing_amount", "gain_sharing_terms"]
BENEFIT_FIELDS = [
    "title",
    "type",
    "category",
    "beneficiaries",
    "indicator",
    "unit",
    "additive",
    "baseline_method",
    "frequency",
    "measures",
    "assumptions",
    "risk",
    "planned",
]
SHARE_FIELDS = ["owner", "baseline_value", "baseline_date", "target_value", "target_date", "nok_per_year", "hours_per_year"]


def benefit_settings_for(collaboration_id: int) -> BenefitSettings:
    """The collaboration's row, or an unsaved one with the defaults."""
    return BenefitSettings.objects.filter(collaboration_id=collaboration_id).first() or BenefitSettings(
        collaboration_id=collaboration_id
    )


# --- Hooks from procurement ------------------------------------------------------------


def plan_start(*, procurement: Procurement, user, attachment=None) -> BenefitPlan:
    """The draft plan of a need just reported (procurement.extensions), inside the intake's
    transaction; the upload sent with the need, already checked by the intake, is its
    attachment."""
    plan = BenefitPlan(procurement=procurement)
    if attachment is not None:
        plan.attachment = attachment
        plan.attachment_name = attachment.name[:255]
    plan.save()
    return plan


def _plan_of(procurement: Procurement) -> BenefitPlan:
    """The plan, made on first use for a procurement that has none (reported before plans
    existed and missed by the data migration, or made by hand)."""
    plan, _created = BenefitPlan.objects.get_or_create(procurement=procurement)
    return plan


def _benefits_for_content(plan: BenefitPlan) -> list[Benefit]:
    shares = BenefitShare.objects.select_related("municipality", "owner").order_by("municipality__name")
    return list(plan.benefits.prefetch_related(Prefetch("shares", queryset=shares)))


def plan_version_freeze(*, procurement: Procurement, change: PhaseChange, actor, plan_reviewed: bool | None) -> PlanVersion:
    """The plan as it stood when the phase CHANGE left ended (procurement.extensions), with
    the coordinator's answer to whether it was reviewed. Runs inside the transition's
    transaction, with the procurement row locked; a few queries, since it sits within the
    phase completion's query budget."""
    plan = (
        BenefitPlan.objects.filter(procurement=procurement).annotate(last_version=Max("versions__number")).first()
    )
    if plan is None:
        plan = BenefitPlan.objects.create(procurement=procurement)
        plan.last_version = None
    content = plan_content(plan, _benefits_for_content(plan))
    return PlanVersion.objects.create(
        plan=plan,
        number=(plan.last_version or 0) + 1,
        phase=change.from_state,
        phase_change=change,
        reviewed=plan_reviewed,
        content=content,
        sha256=content_sha256(content),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def plan_timeline_entries(*, procurement: Procurement) -> dict[str, list[TimelineEntry]]:
    """Each frozen version under the phase whose end froze it: one query."""
    from django.urls import reverse

    entries: dict[str, list[TimelineEntry]] = {}
    zone = procurement.collaboration.tzinfo
    versions = PlanVersion.objects.filter(plan__procurement=procurement).only("number", "phase", "reviewed", "created_at", "plan_id")
    for version in versions:
        if version.reviewed:
            text = gettext("Gevinstplan versjon %(number)d lagret %(date)s (gjennomgått)")
        elif version.reviewed is None:
            text = gettext("Gevinstplan versjon %(number)d lagret %(date)s")
        else:
            text = gettext("Gevinstplan versjon %(number)d lagret %(date)s (ikke gjennomgått)")
        entries.setdefault(version.phase, []).append(
            TimelineEntry(
                text=text % {"number": version.number, "date": f"{timezone.localtime(version.created_at, zone):%d.%m.%Y}"},
                url=reverse("benefit_plan_version", args=[procurement.pk, version.number]),
            )
        )
    return entries


# --- Checks ----------------------------------------------------------------------------


def _rights(user, procurement: Procurement) -> BenefitRights:
    rights = benefit_rights(user=user, procurement=procurement)
    if not rights.can_view:
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    return rights


def _require_plan_writer(rights: BenefitRights) -> None:
    if not rights.can_write:
        raise PermissionDenied(gettext("Anskaffelsen er avlyst; gevinstplanen kan ikke lenger endres."))
    if not rights.can_edit_plan:
        raise PermissionDenied(gettext("Bare de som styrer eller bidrar i anskaffelsen, kan endre gevinstplanen."))


def _text(errors: dict, name: str, text: str, *, required: str | None = None, max_length: int = TEXT_MAX_LENGTH) -> str:
    text = (text or "").replace("\x00", "").strip()
    if required and not text:
        errors[name] = required
    elif len(text) > max_length:
        errors[name] = gettext("Skriv høyst %(max)d tegn (nå %(count)d).") % {"max": max_length, "count": len(text)}
    return text


def _number(errors: dict, name: str, number, *, maximum: Decimal, required: str, minimum: Decimal | None = None) -> Decimal | None:
    if number is None:
        errors[name] = required
        return None
    if not isinstance(number, Decimal) or not number.is_finite():
        errors[name] = gettext("Skriv et tall.")
        return None
    if minimum is not None and number < minimum:
        errors[name] = gettext("Verdien kan ikke være negativ.")
    elif abs(number) > maximum:
        errors[name] = gettext("Tallet er for stort.")
    return number


def _audit_changes(*, user, procurement, action, what: str, before, after, fields, data: dict, municipality=None) -> None:
    if before is None:
        audit_record(actor=user, action=action, procurement=procurement, municipality=municipality, message=f"{what} lagt til.", data=data)
        return
    changes = field_changes(before, after, fields)
    if changes:
        audit_record(
            actor=user,
            action=action,
            procurement=procurement,
            municipality=municipality,
            message=f"{what} endret: {changes_sentence(changes)}.",
            data={**data, **changes_data(changes)},
        )


# --- The plan's texts ------------------------------------------------------------------


@refusals_audited(Action.BENEFIT_REFUSED, lambda kw: "forsøkte å endre gevinstplanen")
@transaction.atomic
def plan_update(*, user, procurement: Procurement, **fields) -> BenefitPlan:
    """The sections of the common template and the gain-sharing option. FIELDS: any of
    PLAN_FIELDS."""
    procurement = procurement_locked(procurement.pk)
    _require_plan_writer(_rights(user, procurement))
    plan = BenefitPlan.objects.select_for_update().filter(procurement=procurement).first() or _plan_of(procurement)
    before = BenefitPlan.objects.get(pk=plan.pk)
    errors: dict[str, str] = {}
    for name in BenefitPlan.SECTIONS:
        if name in fields:
            setattr(plan, name, _text(errors, name, fields[name]))
    if "gain_sharing" in fields:
        if fields["gain_sharing"] not in GainSharing.values:
            errors["gain_sharing"] = gettext("Velg et av alternativene.")
        else:
            plan.gain_sharing = fields["gain_sharing"]
    if "gain_sharing_amount" in fields:
        amount = _number(
            errors, "gain_sharing_amount", fields["gain_sharing_amount"] or Decimal(0), maximum=Decimal("10000"), required="", minimum=Decimal(0)
        )
        if amount is not None and "gain_sharing_amount" not in errors:
            plan.gain_sharing_amount = amount
    if plan.gain_sharing == GainSharing.PERCENT and plan.gain_sharing_amount > 100 and "gain_sharing_amount" not in errors:
        errors["gain_sharing_amount"] = gettext("En prosentandel kan ikke være over 100.")
    if plan.gain_sharing != GainSharing.NONE and plan.gain_sharing_amount <= 0 and "gain_sharing_amount" not in errors:
        errors["gain_sharing_amount"] = gettext("Skriv prosentandelen eller antall årsverk leverandøren får.")
    if "gain_sharing_terms" in fields:
        plan.gain_sharing_terms = _text(errors, "gain_sharing_terms", fields["gain_sharing_terms"])
    if errors:
        raise ValidationError(errors)
    plan.save()
    with record_language():
        _audit_changes(
            user=user,
            procurement=procurement,
            action=Action.BENEFIT_PLAN_CHANGED,
            what="Gevinstrealiseringsplanen",
            before=before,
            after=plan,
            fields=PLAN_FIELDS,
            data={"plan": plan.pk},
        )
    return plan


# --- Benefits ---------------------------------------------------------------------------


@refusals_audited(Action.BENEFIT_REFUSED, lambda kw: "forsøkte å endre en gevinst")
@transaction.atomic
def benefit_save(*, user, procurement: Procurement, benefit_id: int | None = None, **fields) -> Benefit:
    """A new benefit (BENEFIT_ID None) or changes to one: the columns of the common template
    that are the same for every municipality. FIELDS: BENEFIT_FIELDS."""
    procurement = procurement_locked(procurement.pk)
    _require_plan_writer(_rights(user, procurement))
    plan = _plan_of(procurement)
    if benefit_id is None:
        benefit, before = Benefit(plan=plan, created_by=user), None
    else:
        benefit = Benefit.objects.select_for_update().filter(pk=benefit_id, plan=plan).first()
        if benefit is None:
            raise PermissionDenied(gettext("Gevinsten finnes ikke i denne planen."))
        before = Benefit.objects.get(pk=benefit.pk)
    errors: dict[str, str] = {}
    for name in ("title", "beneficiaries", "indicator", "baseline_method"):
        limit = Benefit._meta.get_field(name).max_length
        setattr(benefit, name, _text(errors, name, fields.get(name, getattr(benefit, name)), required=gettext("Fyll ut feltet."), max_length=limit))
    benefit.unit = _text(errors, "unit", fields.get("unit", benefit.unit), required=gettext("Skriv måleenheten, for eksempel timer."), max_length=40)
    for name in ("measures", "assumptions", "risk"):
        setattr(benefit, name, _text(errors, name, fields.get(name, getattr(benefit, name))))
    for name in ("type", "category", "frequency"):
        choice = fields.get(name, getattr(benefit, name))
        if choice in (None, ""):
            errors[name] = gettext("Velg et av alternativene.")
        else:
            setattr(benefit, name, choice)
    for name in ("additive", "planned"):
        if name in fields:
            setattr(benefit, name, bool(fields[name]))
    if not errors:
        try:
            benefit.full_clean(exclude=["plan", "number", "created_by"])
        except ValidationError as error:
            errors.update({key: " ".join(messages) for key, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    if before is None:
        benefit.number = (plan.benefits.aggregate(last=Max("number"))["last"] or 0) + 1
    benefit.save()
    with record_language():
        _audit_changes(
            user=user,
            procurement=procurement,
            action=Action.BENEFIT_SAVED,
            what=f"Gevinst {benefit.code} «{benefit.title}»" + ("" if benefit.planned else " (ikke planlagt)"),
            before=before,
            after=benefit,
            fields=BENEFIT_FIELDS,
            data={"benefit": benefit.pk},
        )
    return benefit


def owner_candidates(*, municipality_id: int):
    """The people who may own a benefit in a municipality: anyone holding a role for it."""
    person_ids = RoleAssignment.objects.filter(municipality_id=municipality_id, person__is_active=True).values("person_id")
    return Person.objects.filter(pk__in=person_ids).order_by("first_name", "last_name", "username")


@refusals_audited(Action.BENEFIT_REFUSED, lambda kw: "forsøkte å endre en kommunes gevinst")
@transaction.atomic
def benefit_share_save(
    *,
    user,
    procurement: Procurement,
    benefit_id: int,
    municipality_id: int,
    owner_id: int | None,
    baseline_value: Decimal | None,
    baseline_date: date | None,
    target_value: Decimal | None,
    target_date: date | None,
    nok_per_year: Decimal | None = Decimal(0),
    hours_per_year: Decimal | None = Decimal(0),
) -> BenefitShare:
    """A municipality's own part of a benefit: its owner (a person of that municipality),
    its baseline and target, and what it is worth a year. Only the municipality's own people
    (or those who run the procurement) write it."""
    procurement = procurement_locked(procurement.pk)
    rights = _rights(user, procurement)
    if not rights.may_edit_share(municipality_id):
        raise PermissionDenied(gettext("Du kan bare endre gevinstene til din egen kommune."))
    benefit = Benefit.objects.filter(pk=benefit_id, plan__procurement=procurement).first()
    if benefit is None:
        raise PermissionDenied(gettext("Gevinsten finnes ikke i denne planen."))
    municipality = Municipality.objects.get(pk=municipality_id)
    share = BenefitShare.objects.select_for_update().filter(benefit=benefit, municipality_id=municipality_id).first()
    before = BenefitShare.objects.get(pk=share.pk) if share is not None else None
    if share is None:
        share = BenefitShare(benefit=benefit, municipality=municipality)
    errors: dict[str, str] = {}
    owner = owner_candidates(municipality_id=municipality_id).filter(pk=owner_id).first() if owner_id else None
    if owner is None:
        errors["owner"] = gettext("Velg en gevinsteier i %(municipality)s.") % {"municipality": municipality}
    baseline_value = _number(errors, "baseline_value", baseline_value, maximum=VALUE_MAX, required=gettext("Skriv nullpunktet."))
    target_value = _number(errors, "target_value", target_value, maximum=VALUE_MAX, required=gettext("Skriv målverdien."))
    nok = _number(errors, "nok_per_year", nok_per_year if nok_per_year is not None else Decimal(0), maximum=NOK_MAX, required="", minimum=Decimal(0))
    hours = _number(
        errors, "hours_per_year", hours_per_year if hours_per_year is not None else Decimal(0), maximum=HOURS_MAX, required="", minimum=Decimal(0)
    )
    if baseline_date is None:
        errors["baseline_date"] = gettext("Skriv datoen nullpunktet ble målt.")
    if target_date is None:
        errors["target_date"] = gettext("Skriv datoen målet skal være nådd.")
    elif baseline_date is not None and target_date <= baseline_date:
        errors["target_date"] = gettext("Måldatoen må være etter datoen for nullpunktet.")
    if errors:
        raise ValidationError(errors)
    share.owner = owner
    share.baseline_value, share.baseline_date = baseline_value, baseline_date
    share.target_value, share.target_date = target_value, target_date
    share.nok_per_year, share.hours_per_year = nok, hours
    share.updated_by = user
    share.save()
    latest = share.measurements.order_by("-measured_on").values_list("measured_on", flat=True).first()
    _measurement_deadline_sync(share, last_measured=latest)
    with record_language():
        _audit_changes(
            user=user,
            procurement=procurement,
            action=Action.BENEFIT_SHARE_SAVED,
            what=f"{municipality} sin del av gevinst {benefit.code} «{benefit.title}» (eier {owner})",
            before=before,
            after=share,
            fields=SHARE_FIELDS,
            data={"benefit": benefit.pk, "share": share.pk},
            municipality=municipality,
        )
    return share


# --- The next measurement, as a deadline the reminder task sees ----------------------------

MEASUREMENT_DUE_RULE = "benefit_measurement_due"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def _measurement_deadline_sync(share: BenefitShare, *, last_measured: date | None) -> Deadline:
    """The one open deadline for the next measurement of SHARE: its frequency after the last
    measurement (or the baseline). The one before is done; its owner is reminded through
    the procurement's reminder task (measurement_due_recipients)."""
    benefit = share.benefit
    procurement_id = benefit.plan.procurement_id
    Deadline.objects.filter(
        procurement_id=procurement_id, rule=MEASUREMENT_DUE_RULE, rule_inputs__share=share.pk, done_at__isnull=True
    ).update(done_at=timezone.now())
    last = last_measured or share.baseline_date
    with record_language():
        title = f"Måling av {benefit.code} «{benefit.title}» i {share.municipality}"[:200]
    return Deadline.objects.create(
        procurement_id=procurement_id,
        kind=DeadlineKind.OTHER,
        title=title,
        due_date=_add_months(last, benefit.frequency),
        rule=MEASUREMENT_DUE_RULE,
        rule_inputs={"share": share.pk, "owner": share.owner_id, "last": last.isoformat(), "months": benefit.frequency},
    )


def measurement_due_recipients(*, deadlines: list[tuple[int, dict]]) -> dict[int, set[int]]:
    """The owner of each benefit in its municipality, as the share names them now: one
    query for every deadline of the sweep."""
    share_of = {pk: inputs.get("share") for pk, inputs in deadlines}
    owners = dict(
        BenefitShare.objects.filter(pk__in=[s for s in share_of.values() if s], owner__is_active=True).values_list("pk", "owner_id")
    )
    return {pk: {owners[share]} for pk, share in share_of.items() if share in owners}


# --- Measurements -----------------------------------------------------------------------


@refusals_audited(Action.BENEFIT_REFUSED, lambda kw: "forsøkte å registrere en måling")
@transaction.atomic
def measurement_record(
    *, user, procurement: Procurement, share_id: int, measured_on: date | None, value_measured: Decimal | None, explanation: str = ""
) -> Measurement:
    """A realised value on a date, against the municipality's planned path from baseline to
    target. A value further from the plan than the collaboration's tolerance needs an
    explanation. Allowed in every phase and after the case is closed: benefits are followed
    into contract management and beyond."""
    procurement = procurement_locked(procurement.pk)
    rights = _rights(user, procurement)
    share = (
        BenefitShare.objects.select_related("benefit", "municipality")
        .filter(pk=share_id, benefit__plan__procurement=procurement)
        .first()
    )
    if share is None or not rights.may_edit_share(share.municipality_id):
        raise PermissionDenied(gettext("Du kan bare registrere målinger for din egen kommune."))
    errors: dict[str, str] = {}
    today = procurement.collaboration.today()
    if measured_on is None:
        errors["measured_on"] = gettext("Skriv datoen det ble målt.")
    elif measured_on > today:
        errors["measured_on"] = gettext("En måling kan ikke være gjort i fremtiden.")
    elif measured_on < share.baseline_date:
        errors["measured_on"] = gettext("Målingen kan ikke være før nullpunktet (%(date)s).") % {
            "date": share.baseline_date.strftime("%d.%m.%Y")
        }
    elif Measurement.objects.filter(share=share, measured_on=measured_on).exists():
        errors["measured_on"] = gettext("Det er allerede registrert en måling denne datoen.")
    measured = _number(errors, "value", value_measured, maximum=VALUE_MAX, required=gettext("Skriv den målte verdien."))
    explanation = _text(errors, "explanation", explanation, max_length=EXPLANATION_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    settings = benefit_settings_for(procurement.collaboration_id)
    planned = value.planned_value_at(
        baseline=share.baseline_value,
        baseline_date=share.baseline_date,
        target=share.target_value,
        target_date=share.target_date,
        on=measured_on,
    )
    deviates = value.deviates(
        baseline=share.baseline_value,
        target=share.target_value,
        planned=planned,
        measured=measured,
        tolerance_percent=settings.deviation_tolerance_percent,
    )
    if deviates and not explanation:
        raise ValidationError(
            {
                "explanation": gettext(
                    "Målingen avviker fra planen (planlagt %(planned)s %(unit)s). Forklar hvorfor."
                )
                % {"planned": _decimal_text(value.rounded(planned)), "unit": share.benefit.unit}
            }
        )
    measurement = Measurement.objects.create(
        share=share,
        measured_on=measured_on,
        value=measured,
        planned_value=value.rounded(planned),
        deviates=deviates,
        explanation=explanation,
        recorded_by=user,
    )
    latest = max(measured_on, Measurement.objects.filter(share=share).order_by("-measured_on").values_list("measured_on", flat=True).first())
    _measurement_deadline_sync(share, last_measured=latest)
    audit_record(
        actor=user,
        action=Action.BENEFIT_MEASURED,
        procurement=procurement,
        municipality=share.municipality,
        message=(
            f"Måling av {share.benefit.code} «{share.benefit.title}» i {share.municipality} {measured_on:%d.%m.%Y}: "
            f"{_decimal_text(measured)} {share.benefit.unit} (planlagt {_decimal_text(value.rounded(planned))})"
            + (f". Avvik: {explanation}" if deviates else ".")
        ),
        data={"share": share.pk, "measurement": measurement.pk, "deviates": deviates},
    )
    return measurement


def _decimal_text(number: Decimal) -> str:
    """A number as written in bokmål for the audit log (the record language)."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- Reading the attachment ---------------------------------------------------------------


@transaction.atomic
def plan_attachment_read_record(*, user, procurement: Procurement) -> BenefitPlan:
    """The draft plan uploaded with the reported need is read like any other document."""
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til dokumentet."))
    plan = BenefitPlan.objects.filter(procurement=procurement).exclude(attachment="").first()
    if plan is None:
        raise ValidationError(gettext("Gevinstplanen har ikke noe vedlegg."))
    audit_record(
        actor=user,
        action=Action.BENEFIT_PLAN_DOWNLOADED,
        procurement=procurement,
        message=f"Lastet ned vedlegget til gevinstrealiseringsplanen ({plan.attachment_name}).",
        data={"name": plan.attachment_name},
    )
    return plan


@transaction.atomic
def plan_print_record(*, user, procurement: Procurement, municipality=None) -> None:
    """The printed plan names owners and each municipality's numbers: read and logged
    like a document."""
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til dokumentet."))
    audit_record(
        actor=user,
        action=Action.PRINT_BENEFIT_PLAN,
        procurement=procurement,
        municipality=municipality,
        message=f"Skrev ut gevinstrealiseringsplanen (PDF){f' for {municipality}' if municipality else ''}.",
        data={"municipality": municipality.pk if municipality else None},
    )


# --- Settings -------------------------------------------------------------------------------

SETTINGS_FIELDS = ["hours_per_fte", "deviation_tolerance_percent", "hourly_cost"]


@transaction.atomic
def benefit_settings_save(*, actor, settings: BenefitSettings) -> BenefitSettings:
    """An administrator's numbers for one collaboration (the admin writes through here)."""
    if not actor.has_perm("benefits.change_benefitsettings" if settings.pk else "benefits.add_benefitsettings"):
        raise PermissionDenied(gettext("Du har ikke tilgang til å endre innstillingene."))
    before = BenefitSettings.objects.filter(pk=settings.pk).first() if settings.pk else None
    settings.full_clean()
    settings.save()
    with record_language():
        what = f"Innstillinger for gevinstrealisering i {settings.collaboration}"
        if before is None:
            audit_record(actor=actor, action=Action.BENEFIT_SETTINGS_SAVED, message=f"{what} lagt til.", data={"settings": settings.pk})
        else:
            changes = field_changes(before, settings, SETTINGS_FIELDS)
            if changes:
                audit_record(
                    actor=actor,
                    action=Action.BENEFIT_SETTINGS_SAVED,
                    message=f"{what} endret: {changes_sentence(changes)}.",
                    data={"settings": settings.pk, **changes_data(changes)},
                )
    return settings
