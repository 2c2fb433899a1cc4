"""The only writers of the requirement specification and the evaluation model. Each locks the
procurement, checks that the person holds a role that owns what is written
(tendering.ownership), that the specification is not frozen, validates, saves, audits.

The specification is frozen when the tender documents are published: by the regional buyer
(specification_publish) or, at the latest, when the tender-documents phase is completed
(specification_phase_left, called by the process engine). After that, changes are
clarifications, seen by everyone who sees the procurement."""
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, audit_refusal
from procurement import phases
from procurement.models import Procurement
from procurement.selectors.access import roles_in_procurement
from procurement.services.guards import REFUSALS, procurement_locked, refusals_audited

from . import library_scope
from .models import (
    SCALE,
    SECTION_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    AwardCriterion,
    Clarification,
    Comment,
    CriterionStatus,
    Need,
    PriceModel,
    QualificationRequirement,
    Requirement,
    RequirementKind,
    Specification,
    SpecificationState,
)
from .ownership import (
    CATEGORY_OWNERS,
    CLARIFIERS,
    CRITERION_DECIDERS,
    CRITERION_PROPOSERS,
    NEED_WRITERS,
    PUBLISHERS,
    TENDER_TEXT_WRITERS,
    Category,
    owners_text,
    owns_category,
)
from .weights import CriterionWeights, WeightError, format_percent, model_problems, weight_clean

TITLE_MAX_LENGTH = 200
SCALE_TEXT_MAX_LENGTH = 500
REQUIREMENT_REF = re.compile(r"K-(\d+)")
NEED_REF = re.compile(r"B-(\d+)")


def _refused(kw: dict) -> str:
    return "forsøkte å endre kravspesifikasjonen"


# ----------------------------------------------------------------------------- checks


def writable_phase(procurement: Procurement) -> bool:
    """Requirements are written from the needs phase up to and including the tender
    documents; a cancelled or closed procurement is history."""
    return procurement.state in phases.PHASES and phases.PHASES.index(procurement.state) <= phases.PHASES.index(
        phases.TENDER_DOCUMENTS
    )


def _open(*, user, procurement: Procurement) -> tuple[Procurement, Specification, set[str]]:
    """The procurement locked, its specification (made on first write) and USER's roles in it."""
    procurement = procurement_locked(procurement.pk)
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    specification, _ = Specification.objects.get_or_create(procurement=procurement)
    return procurement, specification, roles_in_procurement(user=user, procurement=procurement)


def _require_roles(roles: set[str], allowed: frozenset[str], message: str) -> None:
    if not roles & allowed:
        raise PermissionDenied(message)


def _require_owner(roles: set[str], category: str) -> None:
    if not owns_category(roles, category):
        raise PermissionDenied(
            gettext("Bare %(owners)s skriver krav i kategorien «%(category)s».")
            % {"owners": owners_text(category), "category": Category(category).label}
        )


def _require_draft(procurement: Procurement, specification: Specification) -> None:
    if specification.is_frozen:
        raise ValidationError(
            gettext("Kravspesifikasjonen er publisert og kan ikke endres lenger. Endringer skrives som avklaringer.")
        )
    if not writable_phase(procurement):
        raise ValidationError(gettext("Kravspesifikasjonen skrives fra behovsfasen til og med konkurransegrunnlaget."))


def _text(value, *, field: str, required: bool, limit: int, errors: dict, missing: str) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        errors[field] = gettext("Teksten inneholder ugyldige tegn.")
    elif required and not text:
        errors[field] = missing
    elif len(text) > limit:
        errors[field] = gettext("Skriv høyst %(max)d tegn (nå %(count)d).") % {"max": limit, "count": len(text)}
    return text


def _weight_message(error: WeightError) -> str:
    if error.code == "total":
        return gettext("Vektene summerer til %(total)s %%, men må bli nøyaktig 100 %%.") % error.params
    return {
        "empty": gettext("Det er ingen tildelingskriterier å vekte."),
        "not_a_weight": gettext("En vekt må være et tall mellom 0 og 100."),
        "negative": gettext("En vekt kan ikke være negativ."),
        "too_many_decimals": gettext("Vekter oppgis med høyst to desimaler."),
    }[error.code]


def _next_ref(existing, pattern: re.Pattern, prefix: str, width: int) -> str:
    numbers = [int(m.group(1)) for ref in existing if (m := pattern.fullmatch(ref))]
    return f"{prefix}-{(max(numbers, default=0) + 1):0{width}d}"


# ----------------------------------------------------------------------------- requirements


def _requirement_fields(
    specification: Specification, *, kind: str, text: str, need_id, weight, criterion_id, errors: dict
) -> dict:
    text = _text(text, field="text", required=True, limit=TEXT_MAX_LENGTH, errors=errors, missing=gettext("Skriv kravet."))
    if kind not in RequirementKind.values:
        errors["kind"] = gettext("Velg om kravet er et må-krav eller et bør-krav.")
    need = None
    if need_id:
        need = specification.needs.filter(pk=need_id).first()
        if need is None:
            errors["need"] = gettext("Velg et behov fra denne kravspesifikasjonen.")
    criterion = None
    if criterion_id:
        criterion = specification.criteria.filter(pk=criterion_id, is_price=False).first()
        if criterion is None:
            errors["criterion"] = gettext("Velg et tildelingskriterium fra denne kravspesifikasjonen.")
    cleaned_weight = None
    if weight is not None:
        try:
            cleaned_weight = weight_clean(weight)
        except WeightError as error:
            errors["weight"] = _weight_message(error)
    if kind == RequirementKind.MUST:
        if weight is not None:
            errors["weight"] = gettext("Et må-krav er ja eller nei og har ingen vekt.")
        if criterion_id:
            errors["criterion"] = gettext("Et må-krav er ja eller nei og hører ikke til et tildelingskriterium.")
    elif kind == RequirementKind.SHOULD and weight is None and not criterion_id and "criterion" not in errors:
        errors["weight"] = gettext("Et bør-krav må ha en vekt eller høre til et tildelingskriterium.")
    return {"kind": kind, "text": text, "need": need, "weight": cleaned_weight, "criterion": criterion}


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def requirement_add(
    *, user, procurement: Procurement, category: str, kind: str, text: str, need_id=None, weight: Decimal | None = None,
    criterion_id=None,
) -> Requirement:
    procurement, specification, roles = _open(user=user, procurement=procurement)
    if category not in Category.values:
        raise ValidationError({"category": gettext("Velg en kategori.")})
    _require_owner(roles, category)
    _require_draft(procurement, specification)
    errors: dict = {}
    fields = _requirement_fields(
        specification, kind=kind, text=text, need_id=need_id, weight=weight, criterion_id=criterion_id, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    ref = _next_ref(specification.requirements.values_list("ref", flat=True), REQUIREMENT_REF, "K", 3)
    requirement = Requirement.objects.create(specification=specification, ref=ref, category=category, author=user, **fields)
    audit_record(
        actor=user,
        action=Action.REQUIREMENT_ADDED,
        procurement=procurement,
        message=f"Krav {ref} ({requirement.get_kind_display().lower()}) lagt til i «{Category(category).label}».",
        data={"requirement": requirement.pk, "ref": ref, "category": category, "kind": kind},
    )
    return requirement


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def requirement_change(
    *, user, procurement: Procurement, requirement_id: int, kind: str, text: str, need_id=None,
    weight: Decimal | None = None, criterion_id=None,
) -> Requirement:
    procurement, specification, roles = _open(user=user, procurement=procurement)
    requirement = specification.requirements.select_for_update().filter(pk=requirement_id).first()
    if requirement is None:
        raise Requirement.DoesNotExist
    _require_owner(roles, requirement.category)
    _require_draft(procurement, specification)
    errors: dict = {}
    fields = _requirement_fields(
        specification, kind=kind, text=text, need_id=need_id, weight=weight, criterion_id=criterion_id, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in fields.items() if getattr(requirement, name) != value]
    for name, value in fields.items():
        setattr(requirement, name, value)
    requirement.save()
    if changed:
        audit_record(
            actor=user,
            action=Action.REQUIREMENT_CHANGED,
            procurement=procurement,
            message=f"Krav {requirement.ref} endret ({', '.join(changed)}).",
            data={"requirement": requirement.pk, "ref": requirement.ref, "changed": changed},
        )
    return requirement


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def requirement_remove(*, user, procurement: Procurement, requirement_id: int) -> None:
    """Takes a requirement out of the draft (its comments go with it; the audit entry keeps
    its text). After publication a requirement is changed by a clarification instead."""
    procurement, specification, roles = _open(user=user, procurement=procurement)
    requirement = specification.requirements.select_for_update().filter(pk=requirement_id).first()
    if requirement is None:
        raise Requirement.DoesNotExist
    _require_owner(roles, requirement.category)
    _require_draft(procurement, specification)
    audit_record(
        actor=user,
        action=Action.REQUIREMENT_REMOVED,
        procurement=procurement,
        message=f"Krav {requirement.ref} er tatt ut av kravspesifikasjonen.",
        data={"ref": requirement.ref, "category": requirement.category, "text": requirement.text},
    )
    requirement.delete()


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def need_add(*, user, procurement: Procurement, title: str, text: str = "") -> Need:
    procurement, specification, roles = _open(user=user, procurement=procurement)
    _require_roles(roles, NEED_WRITERS, gettext("Bare brukerrepresentantene beskriver behovene."))
    _require_draft(procurement, specification)
    errors: dict = {}
    title = _text(title, field="title", required=True, limit=TITLE_MAX_LENGTH, errors=errors, missing=gettext("Skriv behovet."))
    text = _text(text, field="text", required=False, limit=TEXT_MAX_LENGTH, errors=errors, missing="")
    if errors:
        raise ValidationError(errors)
    ref = _next_ref(specification.needs.values_list("ref", flat=True), NEED_REF, "B", 2)
    need = Need.objects.create(specification=specification, ref=ref, title=title, text=text, author=user)
    audit_record(
        actor=user,
        action=Action.NEED_ADDED,
        procurement=procurement,
        message=f"Behov {ref} «{title}» lagt til i kravspesifikasjonen.",
        data={"need": need.pk, "ref": ref},
    )
    return need


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def comment_add(*, user, procurement: Procurement, category: str, text: str, requirement_id=None) -> Comment:
    """Everyone who sees the procurement may comment on a category or a requirement, also
    after publication (the comments are the participants' own, not sent to suppliers)."""
    procurement, specification, _roles = _open(user=user, procurement=procurement)
    if procurement.state in phases.FINAL_STATES:
        raise ValidationError(gettext("Anskaffelsen er avsluttet eller avlyst."))
    errors: dict = {}
    requirement = None
    if requirement_id:
        requirement = specification.requirements.filter(pk=requirement_id).first()
        if requirement is None:
            errors["requirement"] = gettext("Kravet finnes ikke i denne kravspesifikasjonen.")
        else:
            category = requirement.category
    if category not in Category.values:
        errors["category"] = gettext("Velg en kategori.")
    text = _text(text, field="text", required=True, limit=TEXT_MAX_LENGTH, errors=errors, missing=gettext("Skriv kommentaren."))
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(specification=specification, category=category, requirement=requirement, text=text, author=user)
    where = f"krav {requirement.ref}" if requirement else f"«{Category(category).label}»"
    audit_record(
        actor=user,
        action=Action.SPECIFICATION_COMMENTED,
        procurement=procurement,
        message=f"Kommentar til {where} i kravspesifikasjonen.",
        data={"comment": comment.pk, "category": category, **({"requirement": requirement.pk} if requirement else {})},
    )
    return comment


# ----------------------------------------------------------------------------- award criteria


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def criterion_propose(
    *, user, procurement: Procurement, name: str, description: str = "", weight: Decimal | None = None, parent_id=None,
    is_price: bool = False,
) -> AwardCriterion:
    """A new award criterion (or sub-criterion of PARENT_ID), proposed: the regional buyer
    decides the criteria as a whole (criteria_decide)."""
    procurement, specification, roles = _open(user=user, procurement=procurement)
    _require_roles(roles, CRITERION_PROPOSERS, gettext("Bare brukerrepresentantene og regional innkjøper foreslår tildelingskriterier."))
    _require_draft(procurement, specification)
    errors: dict = {}
    name = _text(name, field="name", required=True, limit=TITLE_MAX_LENGTH, errors=errors, missing=gettext("Skriv navnet på kriteriet."))
    description = _text(description, field="description", required=False, limit=TEXT_MAX_LENGTH, errors=errors, missing="")
    parent = None
    if parent_id:
        parent = specification.criteria.filter(pk=parent_id, parent__isnull=True).first()
        if parent is None:
            errors["parent"] = gettext("Velg et hovedkriterium fra denne kravspesifikasjonen.")
        elif parent.is_price:
            errors["parent"] = gettext("Priskriteriet har ingen underkriterier.")
        if is_price:
            errors["is_price"] = gettext("Pris er et hovedkriterium, ikke et underkriterium.")
    if is_price and specification.criteria.filter(is_price=True).exists():
        errors["is_price"] = gettext("Det finnes allerede et priskriterium.")
    cleaned = Decimal("0.00")
    if weight is not None:
        try:
            cleaned = weight_clean(weight)
        except WeightError as error:
            errors["weight"] = _weight_message(error)
    if errors:
        raise ValidationError(errors)
    order = (specification.criteria.filter(parent=parent).aggregate(top=Max("order"))["top"] or 0) + 1
    criterion = AwardCriterion.objects.create(
        specification=specification, parent=parent, name=name, description=description, weight=cleaned, is_price=is_price,
        order=order, proposed_by=user,
    )
    if parent is not None and parent.status == CriterionStatus.DECIDED:
        # A new sub-criterion changes what was decided: the criterion goes back to proposed.
        AwardCriterion.objects.filter(pk=parent.pk).update(status=CriterionStatus.PROPOSED, decided_by=None, decided_at=None)
    where = f" under «{parent.name}»" if parent else ""
    audit_record(
        actor=user,
        action=Action.CRITERION_PROPOSED,
        procurement=procurement,
        message=f"Tildelingskriterium «{name}»{where} foreslått med vekt {format_percent(cleaned)} %.",
        data={"criterion": criterion.pk, "weight": str(cleaned), "parent": parent.pk if parent else None},
    )
    return criterion


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def criterion_remove(*, user, procurement: Procurement, criterion_id: int) -> None:
    """Withdraws a proposed criterion (with its sub-criteria): by whoever proposed it, or by the
    regional buyer. Not while requirements are evaluated under it: they would be left without."""
    procurement, specification, roles = _open(user=user, procurement=procurement)
    criterion = specification.criteria.select_for_update().filter(pk=criterion_id).first()
    if criterion is None:
        raise AwardCriterion.DoesNotExist
    if criterion.proposed_by_id != user.pk and not roles & CRITERION_DECIDERS:
        raise PermissionDenied(gettext("Bare den som foreslo kriteriet, eller regional innkjøper, kan trekke det."))
    _require_draft(procurement, specification)
    linked = Requirement.objects.filter(criterion__in=[criterion, *criterion.children.all()]).order_by("ref")
    if linked.exists():
        raise ValidationError(
            gettext("Kravene %(refs)s vurderes under kriteriet. Knytt dem til et annet kriterium først.")
            % {"refs": ", ".join(linked.values_list("ref", flat=True))}
        )
    audit_record(
        actor=user,
        action=Action.CRITERION_REMOVED,
        procurement=procurement,
        message=f"Tildelingskriteriet «{criterion.name}» er trukket.",
        data={"criterion": criterion.pk, "weight": str(criterion.weight)},
    )
    if criterion.parent_id:
        AwardCriterion.objects.filter(pk=criterion.parent_id).update(status=CriterionStatus.PROPOSED, decided_by=None, decided_at=None)
    criterion.delete()


def criteria_tree(specification: Specification) -> list[CriterionWeights]:
    return criteria_tree_from(specification.criteria.all())


def weight_problem_messages(specification: Specification, tree: list[CriterionWeights]) -> dict:
    """The problems of the model, worded, keyed "weights" (the criteria) or "weights-<id>" (a
    criterion's sub-criteria)."""
    names = dict(specification.criteria.values_list("pk", "name"))
    messages: dict[str, str] = {}
    for problem in model_problems(tree):
        if problem.criterion is None:
            messages["weights"] = _weight_message(problem.error)
        else:
            messages[f"weights-{problem.criterion}"] = gettext("Underkriteriene til «%(name)s»: %(problem)s") % {
                "name": names.get(problem.criterion, ""),
                "problem": _weight_message(problem.error),
            }
    return messages


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def criteria_weights_set(*, user, procurement: Procurement, weights: dict[int, Decimal]) -> list[AwardCriterion]:
    """New weights for every criterion and sub-criterion at once, saved only when each level
    totals exactly 100 %. A change by someone who does not decide sends the changed criteria
    back to proposed."""
    procurement, specification, roles = _open(user=user, procurement=procurement)
    _require_roles(roles, CRITERION_PROPOSERS, gettext("Bare brukerrepresentantene og regional innkjøper vekter tildelingskriteriene."))
    _require_draft(procurement, specification)
    criteria = {c.pk: c for c in specification.criteria.select_for_update()}
    if set(weights) != set(criteria):
        raise ValidationError(gettext("Kriteriene er endret mens du skrev. Last siden på nytt og prøv igjen."))
    errors: dict = {}
    cleaned: dict[int, Decimal] = {}
    for pk, value in weights.items():
        try:
            cleaned[pk] = weight_clean(value)
        except WeightError as error:
            errors[f"weight_{pk}"] = _weight_message(error)
    if errors:
        raise ValidationError(errors)
    before = {pk: criterion.weight for pk, criterion in criteria.items()}
    for pk, criterion in criteria.items():
        criterion.weight = cleaned[pk]
    problems = weight_problem_messages(specification, criteria_tree_from(criteria.values()))
    if problems:
        raise ValidationError(problems)
    decides = bool(roles & CRITERION_DECIDERS)
    changed = []
    for criterion in criteria.values():
        if before[criterion.pk] == criterion.weight:
            continue
        changed.append(criterion)
        if not decides:
            criterion.status, criterion.decided_by, criterion.decided_at = CriterionStatus.PROPOSED, None, None
        criterion.save(update_fields=["weight", "status", "decided_by", "decided_at"])
    if changed:
        audit_record(
            actor=user,
            action=Action.CRITERIA_WEIGHTED,
            procurement=procurement,
            message="Nye vekter for tildelingskriteriene: "
            + ", ".join(f"«{c.name}» {format_percent(c.weight)} %" for c in changed)
            + ".",
            data={"weights": {str(c.pk): str(c.weight) for c in changed}},
        )
    return list(criteria.values())


def criteria_tree_from(criteria) -> list[CriterionWeights]:
    criteria = sorted(criteria, key=lambda c: (c.order, c.pk))
    children: dict[int, dict[int, Decimal]] = {}
    for criterion in criteria:
        if criterion.parent_id:
            children.setdefault(criterion.parent_id, {})[criterion.pk] = criterion.weight
    return [CriterionWeights(c.pk, c.weight, children.get(c.pk, {})) for c in criteria if c.parent_id is None]


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def criteria_decide(*, user, procurement: Procurement) -> int:
    """The regional buyer decides the award criteria as proposed and weighted. Returns how
    many were decided now."""
    procurement, specification, roles = _open(user=user, procurement=procurement)
    _require_roles(roles, CRITERION_DECIDERS, gettext("Bare regional innkjøper beslutter tildelingskriteriene."))
    _require_draft(procurement, specification)
    problems = weight_problem_messages(specification, criteria_tree(specification))
    if problems:
        raise ValidationError(problems)
    decided = specification.criteria.filter(status=CriterionStatus.PROPOSED).update(
        status=CriterionStatus.DECIDED, decided_by=user, decided_at=timezone.now()
    )
    audit_record(
        actor=user,
        action=Action.CRITERIA_DECIDED,
        procurement=procurement,
        message=f"Tildelingskriteriene er besluttet ({decided} kriterier besluttet nå).",
        data={"decided": decided},
    )
    return decided


# ----------------------------------------------------------------------------- tender documents


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def tender_text_save(
    *, user, procurement: Procurement, instructions: str, procedure_text: str, timetable: str, price_model: str,
    price_clamp_at_zero: bool = False, scale: list[str] | None = None,
) -> Specification:
    procurement, specification, roles = _open(user=user, procurement=procurement)
    _require_roles(roles, TENDER_TEXT_WRITERS, gettext("Bare regional innkjøper skriver konkurransegrunnlagets tekst."))
    _require_draft(procurement, specification)
    errors: dict = {}
    values = {
        name: _text(value, field=name, required=False, limit=SECTION_MAX_LENGTH, errors=errors, missing="")
        for name, value in (("instructions", instructions), ("procedure_text", procedure_text), ("timetable", timetable))
    }
    if price_model not in PriceModel.values:
        errors["price_model"] = gettext("Velg lineær eller forholdsmessig prismodell.")
    if scale is not None:
        if len(scale) != len(SCALE):
            errors["scale"] = gettext("Skalaen har poeng fra 0 til 10.")
        else:
            scale = [
                _text(text, field=f"scale_{score}", required=True, limit=SCALE_TEXT_MAX_LENGTH, errors=errors,
                      missing=gettext("Skriv hva som gir %(score)d poeng.") % {"score": score})
                for score, text in zip(SCALE, scale, strict=True)
            ]
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(specification, name, value)
    specification.price_model = price_model
    specification.price_clamp_at_zero = bool(price_clamp_at_zero)
    if scale is not None:
        specification.scale = scale
    specification.save()
    audit_record(
        actor=user,
        action=Action.TENDER_TEXT_SAVED,
        procurement=procurement,
        message=f"Konkurransegrunnlagets tekst, prismodell ({specification.get_price_model_display().lower()}) og poengskala lagret.",
        data={"price_model": price_model, "clamp": specification.price_clamp_at_zero},
    )
    return specification


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def qualification_add(*, user, procurement: Procurement, text: str, evidence: str = "") -> QualificationRequirement:
    procurement, specification, roles = _open(user=user, procurement=procurement)
    _require_roles(roles, TENDER_TEXT_WRITERS, gettext("Bare regional innkjøper skriver kvalifikasjonskravene."))
    _require_draft(procurement, specification)
    errors: dict = {}
    text = _text(text, field="text", required=True, limit=TEXT_MAX_LENGTH, errors=errors, missing=gettext("Skriv kvalifikasjonskravet."))
    evidence = _text(evidence, field="evidence", required=False, limit=TEXT_MAX_LENGTH, errors=errors, missing="")
    if errors:
        raise ValidationError(errors)
    order = (specification.qualifications.aggregate(top=Max("order"))["top"] or 0) + 1
    qualification = QualificationRequirement.objects.create(
        specification=specification, text=text, evidence=evidence, order=order, author=user
    )
    audit_record(
        actor=user,
        action=Action.QUALIFICATION_ADDED,
        procurement=procurement,
        message=f"Kvalifikasjonskrav {order} lagt til.",
        data={"qualification": qualification.pk},
    )
    return qualification


# ----------------------------------------------------------------------------- freezing


def publish_problems(specification: Specification) -> list[str]:
    """What stops the specification from being published, in words; empty when it can be."""
    problems = []
    if not specification.requirements.exists():
        problems.append(gettext("Kravspesifikasjonen har ingen krav."))
    if not specification.criteria.exists():
        problems.append(gettext("Det er ingen tildelingskriterier."))
    else:
        problems.extend(weight_problem_messages(specification, criteria_tree(specification)).values())
        if specification.criteria.filter(status=CriterionStatus.PROPOSED).exists():
            problems.append(gettext("Regional innkjøper har ikke besluttet alle tildelingskriteriene."))
    return problems


def _freeze(specification: Specification, *, actor) -> None:
    specification.state = SpecificationState.PUBLISHED
    specification.published_at = timezone.now()
    specification.published_by = actor if getattr(actor, "is_authenticated", False) else None
    specification.save(update_fields=["state", "published_at", "published_by", "updated_at"])


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def specification_publish(*, user, procurement: Procurement) -> Specification:
    """The regional buyer publishes the tender documents: the specification is frozen."""
    procurement, specification, roles = _open(user=user, procurement=procurement)
    _require_roles(roles, PUBLISHERS, gettext("Bare regional innkjøper publiserer konkurransegrunnlaget."))
    if specification.is_frozen:
        raise ValidationError(gettext("Kravspesifikasjonen er allerede publisert."))
    if procurement.state != phases.TENDER_DOCUMENTS:
        raise ValidationError(gettext("Konkurransegrunnlaget publiseres i fasen for konkurransegrunnlag."))
    problems = publish_problems(specification)
    if problems:
        raise ValidationError(problems)
    _freeze(specification, actor=user)
    audit_record(
        actor=user,
        action=Action.SPECIFICATION_PUBLISHED,
        procurement=procurement,
        message=(
            f"Konkurransegrunnlaget er publisert: kravspesifikasjonen med {specification.requirements.count()} krav er "
            "frosset, og endringer skrives som avklaringer."
        ),
        data={"specification": specification.pk},
    )
    return specification


def specification_phase_left(*, procurement: Procurement, phase: str, actor) -> None:
    """Called by the process engine when a phase is completed: completing the tender
    documents publishes them, so a specification not yet frozen is frozen now (one with no
    rows is made, so it cannot be written later either)."""
    if phase != phases.TENDER_DOCUMENTS:
        return
    specification, _ = Specification.objects.select_for_update().get_or_create(procurement=procurement)
    if specification.is_frozen:
        return
    _freeze(specification, actor=actor)
    audit_record(
        actor=actor,
        action=Action.SPECIFICATION_PUBLISHED,
        procurement=procurement,
        message="Kravspesifikasjonen er frosset da fasen for konkurransegrunnlag ble fullført; endringer skrives som avklaringer.",
        data={"specification": specification.pk, "automatic": True},
    )


@refusals_audited(Action.SPECIFICATION_REFUSED, _refused)
@transaction.atomic
def clarification_add(*, user, procurement: Procurement, text: str, requirement_id=None) -> Clarification:
    """A clarification of the published tender documents, for every supplier: by the regional
    buyer, or by the owner of the category of the requirement it is about."""
    procurement, specification, roles = _open(user=user, procurement=procurement)
    requirement = None
    if requirement_id:
        requirement = specification.requirements.filter(pk=requirement_id).first()
        if requirement is None:
            raise ValidationError({"requirement": gettext("Kravet finnes ikke i denne kravspesifikasjonen.")})
    allowed = set(CLARIFIERS) | (set(CATEGORY_OWNERS[requirement.category]) if requirement else set())
    _require_roles(
        roles, frozenset(allowed), gettext("Bare regional innkjøper, eller den som eier kravets kategori, skriver avklaringer.")
    )
    if not specification.is_frozen:
        raise ValidationError(gettext("Kravspesifikasjonen er ikke publisert ennå; endre kravet i stedet."))
    if procurement.state in phases.FINAL_STATES:
        raise ValidationError(gettext("Anskaffelsen er avsluttet eller avlyst."))
    errors: dict = {}
    text = _text(text, field="text", required=True, limit=TEXT_MAX_LENGTH, errors=errors, missing=gettext("Skriv avklaringen."))
    if errors:
        raise ValidationError(errors)
    number = (specification.clarifications.aggregate(top=Max("number"))["top"] or 0) + 1
    clarification = Clarification.objects.create(
        specification=specification, number=number, requirement=requirement, text=text, author=user
    )
    about = f" til krav {requirement.ref}" if requirement else ""
    audit_record(
        actor=user,
        action=Action.CLARIFICATION_ADDED,
        procurement=procurement,
        message=f"Avklaring {number}{about} er lagt til konkurransegrunnlaget.",
        data={"clarification": clarification.pk, **({"requirement": requirement.pk} if requirement else {})},
    )
    return clarification


__all__ = [
    "clarification_add",
    "comment_add",
    "criteria_decide",
    "criteria_weights_set",
    "criterion_propose",
    "need_add",
    "qualification_add",
    "requirement_add",
    "requirement_change",
    "specification_phase_left",
    "specification_publish",
    "tender_text_save",
]


# ----------------------------------------------------------------------------- the reuse library


def library_copy(*, user, procurement: Procurement, kind: str, source_id: int):
    """Copies a requirement, need or award criterion from the library (tendering.library_scope)
    into PROCUREMENT's draft specification, keeping its origin. Only the one who would be
    allowed to write the row here may copy it (the owner of a requirement's category, the user
    representatives a need, the proposers a criterion). Every refusal is audited, a frozen
    specification included, since copying into it would change published tender documents."""
    try:
        return _library_copy(user=user, procurement=procurement, kind=kind, source_id=source_id)
    except (*REFUSALS, ValidationError) as error:
        reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
        audit_refusal(
            actor=user,
            action=Action.LIBRARY_COPY_REFUSED,
            procurement_id=getattr(procurement, "pk", None),
            message=f"Avvist: {user} forsøkte å kopiere fra biblioteket. {' '.join(reasons)}",
            data={"refusal": type(error).__name__, "kind": str(kind)[:20], "source": source_id, "reasons": reasons},
        )
        raise


@transaction.atomic
def _library_copy(*, user, procurement: Procurement, kind: str, source_id: int):
    if kind not in library_scope.KINDS:
        raise ValidationError({"kind": gettext("Velg krav, behov eller tildelingskriterium.")})
    procurement, specification, roles = _open(user=user, procurement=procurement)
    source = (
        library_scope.library_rows(user=user, kind=kind, exclude_procurement_id=procurement.pk)
        .select_related("specification__procurement")
        .filter(pk=source_id)
        .first()
    )
    if source is None:
        raise library_scope.MODEL_OF[kind].DoesNotExist
    if kind == library_scope.REQUIREMENT:
        _require_owner(roles, source.category)
    elif kind == library_scope.NEED:
        _require_roles(roles, NEED_WRITERS, gettext("Bare brukerrepresentantene beskriver behovene."))
    else:
        _require_roles(
            roles, CRITERION_PROPOSERS, gettext("Bare brukerrepresentantene og regional innkjøper foreslår tildelingskriterier.")
        )
    _require_draft(procurement, specification)
    label = library_scope.origin_label_for(source)
    origin = {"origin": source, "origin_label": label}
    if kind == library_scope.REQUIREMENT:
        ref = _next_ref(specification.requirements.values_list("ref", flat=True), REQUIREMENT_REF, "K", 3)
        # The need and criterion it served belong to the other specification; a should
        # requirement keeps its weight, and its owner links it here.
        copy = Requirement.objects.create(
            specification=specification, ref=ref, category=source.category, kind=source.kind, text=source.text,
            weight=source.weight if source.kind == RequirementKind.SHOULD else None, author=user, **origin,
        )
        what = f"Krav {ref}"
    elif kind == library_scope.NEED:
        ref = _next_ref(specification.needs.values_list("ref", flat=True), NEED_REF, "B", 2)
        copy = Need.objects.create(specification=specification, ref=ref, title=source.title, text=source.text, author=user, **origin)
        what = f"Behov {ref}"
    else:
        order = (specification.criteria.filter(parent=None).aggregate(top=Max("order"))["top"] or 0) + 1
        # Weighted afresh here: the weights must total 100 % in this evaluation model.
        copy = AwardCriterion.objects.create(
            specification=specification, name=source.name, description=source.description, weight=Decimal("0.00"),
            order=order, proposed_by=user, **origin,
        )
        what = f"Tildelingskriterium «{copy.name}»"
    audit_record(
        actor=user,
        action=Action.LIBRARY_COPIED,
        procurement=procurement,
        message=f"{what} kopiert fra biblioteket: hentet fra «{label}».",
        data={"kind": kind, "copy": copy.pk, "source": source.pk, "origin_label": label},
    )
    return copy
