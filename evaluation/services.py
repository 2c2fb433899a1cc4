"""The only writers of the tender period, suppliers, questions, tenders, qualification,
evaluators, impartiality, scores, consensus and negotiation. Each locks the procurement,
checks who acts, validates (a clear Norwegian message per field, nothing half-written),
saves and audits; refusals are audited after the rollback (refusals_audited)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from stdnum.dk import cvr
from stdnum.no import orgnr

from audit.actions import Action
from audit.services import audit_record
from core.uploads import sha256_of_file, validate_upload
from notifications.services import Message, outbox_add
from procurement import phases
from procurement.models import DeadlineKind, Procurement
from procurement.services.deadlines import rule_deadline_set
from procurement.services.guards import procurement_locked, refusals_audited, require_manage
from tendering.models import AwardCriterion

from .access import evaluation_access
from .models import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ConsensusScore,
    EvaluatorAssignment,
    ImpartialityDeclaration,
    NegotiationMeeting,
    Qualification,
    Question,
    Score,
    Supplier,
    Tender,
    TenderPeriod,
    TenderVersion,
)

PRICE_MAX = Decimal("999999999999.99")
IMPARTIALITY_STATEMENT = (
    "Jeg erklærer at jeg ikke har noen tilknytning til tilbyderne som kan svekke tilliten til min upartiskhet "
    "(forvaltningsloven § 6), og at jeg vil si fra straks hvis det endrer seg."
)


def _require_phase(procurement: Procurement) -> None:
    if procurement.state != phases.EVALUATION:
        raise ValidationError(gettext("Tilbud og evaluering kan bare endres i fasen evaluering og tildeling."))


def _text(value, field: str, errors: dict, *, required: str, limit: int = TEXT_MAX_LENGTH) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = required
    elif len(value) > limit:
        errors[field] = gettext("Skriv høyst %(max)d tegn.") % {"max": limit}
    return value


def price_parse(value) -> Decimal | None:
    """A price typed or posted: a positive, finite amount with at most two decimals, or None."""
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value).replace(" ", "").replace(",", "."))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not price.is_finite() or price <= 0 or price > PRICE_MAX or price != price.quantize(Decimal("0.01")):
        return None
    return price


def _aware(value: datetime | None, field: str, errors: dict, message: str) -> datetime | None:
    if value is None:
        errors[field] = message
        return None
    if timezone.is_naive(value):
        errors[field] = gettext("Tidspunktet mangler tidssone.")
        return None
    return value


# ------------------------------------------------------------------ tender period


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å endre tilbudsperioden")
@transaction.atomic
def tender_period_save(
    *, user, procurement: Procurement, question_deadline, answers_by, tender_deadline, prequalification=False, negotiation=False
) -> TenderPeriod:
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan sette fristene i tilbudsperioden."))
    _require_phase(procurement)
    errors: dict[str, str] = {}
    q = _aware(question_deadline, "question_deadline", errors, gettext("Skriv fristen for spørsmål."))
    a = _aware(answers_by, "answers_by", errors, gettext("Skriv når svarene senest publiseres."))
    t = _aware(tender_deadline, "tender_deadline", errors, gettext("Skriv tilbudsfristen."))
    if not errors:
        if a < q:
            errors["answers_by"] = gettext("Svarene kan ikke publiseres før spørsmålsfristen.")
        elif t < a:
            errors["tender_deadline"] = gettext("Tilbudsfristen må være etter at svarene er publisert.")
    if errors:
        raise ValidationError(errors)
    period, created = TenderPeriod.objects.update_or_create(
        procurement=procurement,
        defaults={
            "question_deadline": q, "answers_by": a, "tender_deadline": t, "prequalification": bool(prequalification),
            "negotiation": bool(negotiation), "updated_by": user,
        },
    )
    zone = procurement.collaboration.tzinfo
    # The same dates as deadlines of the case, so the reminders, the calendar feeds and the
    # dashboard see them; moved when the period is saved again.
    for kind, title, moment in (
        (DeadlineKind.QUESTIONS, "Frist for spørsmål fra tilbyderne", q),
        (DeadlineKind.ANSWERS, "Svar på spørsmålene publiseres", a),
        (DeadlineKind.TENDER, "Tilbudsfrist", t),
    ):
        rule_deadline_set(
            procurement=procurement, kind=kind, rule="tender_period", title=title, due_date=moment.astimezone(zone).date(),
            inputs={"at": moment.isoformat()},
        )
    audit_record(
        actor=user,
        action=Action.TENDER_PERIOD_SAVED,
        procurement=procurement,
        message=(
            f"Tilbudsperioden: spørsmål innen {q.astimezone(zone):%d.%m.%Y %H:%M}, svar publiseres innen "
            f"{a.astimezone(zone):%d.%m.%Y %H:%M}, tilbudsfrist {t.astimezone(zone):%d.%m.%Y %H:%M}."
        ),
        data={"period": period.pk, "created": created},
    )
    return period


# ------------------------------------------------------------------ suppliers and questions


def org_number_clean(country: str, value: str) -> str | None:
    """The organisation number in its compact form when valid for COUNTRY (Norway: the
    9-digit number of the Brønnøysund register, mod 11; Denmark: the 8-digit CVR), else None."""
    value = (value or "").strip()
    if len(value) > 20:
        return None
    module = {"NO": orgnr, "DK": cvr}.get(country)
    if module is None or not module.is_valid(value):
        return None
    return module.compact(value)


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å registrere en leverandør")
@transaction.atomic
def supplier_add(*, user, procurement: Procurement, name: str, country: str, org_number: str, contact_name: str, contact_email: str) -> Supplier:
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan registrere leverandører."))
    _require_phase(procurement)
    errors: dict[str, str] = {}
    name = _text(name, "name", errors, required=gettext("Skriv leverandørens navn."), limit=NAME_MAX_LENGTH)
    contact_name = _text(contact_name, "contact_name", errors, required=gettext("Skriv kontaktpersonen."), limit=NAME_MAX_LENGTH)
    contact_email = (contact_email or "").strip()
    if not contact_email:
        errors["contact_email"] = gettext("Skriv kontaktpersonens e-postadresse.")
    if country not in ("NO", "DK"):
        errors["country"] = gettext("Velg Norge eller Danmark.")
    else:
        number = org_number_clean(country, org_number)
        if number is None:
            errors["org_number"] = (
                gettext("Organisasjonsnummeret er ikke gyldig (9 siffer med riktig kontrollsiffer).")
                if country == "NO"
                else gettext("CVR-nummeret er ikke gyldig (8 siffer med riktig kontrollsiffer).")
            )
        elif Supplier.objects.filter(procurement=procurement, country=country, org_number=number).exists():
            errors["org_number"] = gettext("Leverandøren er allerede registrert.")
    if errors:
        raise ValidationError(errors)
    supplier = Supplier(
        procurement=procurement, name=name, country=country, org_number=number, contact_name=contact_name,
        contact_email=contact_email, created_by=user,
    )
    try:
        supplier.full_clean(exclude=["procurement", "created_by"])
    except ValidationError as error:
        raise ValidationError({k: v[0] for k, v in error.message_dict.items()}) from None
    supplier.save()
    audit_record(
        actor=user, action=Action.SUPPLIER_ADDED, procurement=procurement,
        message=f"Leverandør registrert: {name} ({number}).", data={"supplier": supplier.pk},
    )
    return supplier


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å registrere et spørsmål")
@transaction.atomic
def question_add(*, user, procurement: Procurement, supplier: Supplier, text: str, received_at: datetime | None = None) -> Question:
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan registrere spørsmål."))
    _require_phase(procurement)
    errors: dict[str, str] = {}
    text = _text(text, "text", errors, required=gettext("Skriv spørsmålet."))
    if supplier is None or supplier.procurement_id != procurement.pk:
        errors["supplier"] = gettext("Velg en leverandør i denne anskaffelsen.")
    received_at = received_at or timezone.now()
    period = TenderPeriod.objects.filter(procurement=procurement).first()
    if period is not None and received_at > period.question_deadline:
        errors["text"] = gettext("Spørsmålsfristen gikk ut %(when)s.") % {
            "when": f"{period.question_deadline.astimezone(procurement.collaboration.tzinfo):%d.%m.%Y %H:%M}"
        }
    if errors:
        raise ValidationError(errors)
    number = (Question.objects.filter(procurement=procurement).aggregate(n=Max("number"))["n"] or 0) + 1
    question = Question.objects.create(procurement=procurement, supplier=supplier, number=number, text=text, received_at=received_at)
    audit_record(
        actor=user, action=Action.QUESTION_RECEIVED, procurement=procurement,
        message=f"Spørsmål {number} mottatt fra {supplier.name}.", data={"question": question.pk},
    )
    return question


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å svare på et spørsmål")
@transaction.atomic
def question_answer(*, user, question: Question, answer: str) -> Question:
    procurement = procurement_locked(question.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan svare på spørsmål."))
    _require_phase(procurement)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.published_at is not None:
        raise ValidationError({"answer": gettext("Svaret er publisert og kan ikke endres. Skriv en ny avklaring i stedet.")})
    errors: dict[str, str] = {}
    answer = _text(answer, "answer", errors, required=gettext("Skriv svaret."))
    if errors:
        raise ValidationError(errors)
    question.answer, question.answered_by = answer, user
    question.save(update_fields=["answer", "answered_by"])
    audit_record(
        actor=user, action=Action.QUESTION_ANSWERED, procurement=procurement,
        message=f"Spørsmål {question.number} er besvart (ikke publisert ennå).", data={"question": question.pk},
    )
    return question


def published_answers_text(questions) -> str:
    """The answers as every supplier receives them: numbered, without who asked."""
    return "\n\n".join(f"Spørsmål {q.number}: {q.text}\nSvar: {q.answer}" for q in questions)


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å publisere svar")
@transaction.atomic
def answers_publish(*, user, procurement: Procurement) -> list[Question]:
    """Publishes every answered, unpublished question at one and the same instant, to every
    supplier (one e-mail each through the outbox, in this transaction), without the name of
    the supplier who asked."""
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan publisere svar."))
    _require_phase(procurement)
    pending = list(Question.objects.select_for_update().filter(procurement=procurement, published_at__isnull=True).exclude(answer=""))
    if not pending:
        raise ValidationError(gettext("Det er ingen besvarte spørsmål å publisere."))
    now = timezone.now()
    Question.objects.filter(pk__in=[q.pk for q in pending]).update(published_at=now)
    for q in pending:
        q.published_at = now
    period = TenderPeriod.objects.filter(procurement=procurement).first()
    late = period is not None and now > period.answers_by
    suppliers = list(Supplier.objects.filter(procurement=procurement))
    body = (
        f"Svar på spørsmål i konkurransen «{procurement.title}». Svarene gjelder alle leverandører og er "
        f"sendt til alle samtidig.\n\n{published_answers_text(pending)}"
    )
    stamp = now.strftime("%Y%m%d%H%M%S%f")
    outbox_add(
        Message(
            key=f"answers:{procurement.pk}:{stamp}:{s.pk}", kind="answers_published", recipient_id=None,
            subject=f"Svar på spørsmål – {procurement.title}"[:255], body=body, procurement_id=procurement.pk,
            address=s.contact_email,
        )
        for s in suppliers
    )
    audit_record(
        actor=user, action=Action.ANSWERS_PUBLISHED, procurement=procurement,
        message=(
            f"{len(pending)} svar publisert til alle {len(suppliers)} leverandører samtidig, uten navn på den som spurte"
            + (" (etter fristen for publisering)." if late else ".")
        ),
        data={"questions": [q.pk for q in pending], "suppliers": len(suppliers), "late": late},
    )
    return pending


# ------------------------------------------------------------------ tenders and qualification


def _version_store(*, user, tender: Tender, file, price: Decimal, meeting=None) -> TenderVersion:
    validate_upload(file)
    number = (tender.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return TenderVersion.objects.create(
        tender=tender, number=number, file=file, original_name=file.name[:255], size=file.size or 0,
        sha256=sha256_of_file(file), price=price, meeting=meeting, uploaded_by=user,
    )


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å registrere et tilbud")
@transaction.atomic
def tender_register(*, user, procurement: Procurement, supplier: Supplier, price, file, lot: str = "", received_at=None) -> Tender:
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan registrere tilbud."))
    _require_phase(procurement)
    errors: dict[str, str] = {}
    if supplier is None or supplier.procurement_id != procurement.pk:
        errors["supplier"] = gettext("Velg en leverandør i denne anskaffelsen.")
    amount = price_parse(price)
    if amount is None:
        errors["price"] = gettext("Skriv prisen som et positivt beløp i kroner, med høyst to desimaler.")
    lot = (lot or "").strip()
    if len(lot) > 100:
        errors["lot"] = gettext("Skriv høyst %(max)d tegn.") % {"max": 100}
    if file is None:
        errors["file"] = gettext("Last opp tilbudet.")
    received_at = received_at or timezone.now()
    period = TenderPeriod.objects.filter(procurement=procurement).first()
    if period is not None and received_at > period.tender_deadline:
        errors["file"] = gettext("Tilbudsfristen gikk ut %(when)s; et tilbud som kommer for sent, skal avvises.") % {
            "when": f"{period.tender_deadline.astimezone(procurement.collaboration.tzinfo):%d.%m.%Y %H:%M}"
        }
    if not errors and Tender.objects.filter(procurement=procurement, supplier=supplier, lot=lot).exists():
        errors["supplier"] = gettext("Leverandøren har allerede levert tilbud på denne delkontrakten.")
    if errors:
        raise ValidationError(errors)
    tender = Tender.objects.create(
        procurement=procurement, supplier=supplier, lot=lot, received_at=received_at, price=amount, registered_by=user
    )
    version = _version_store(user=user, tender=tender, file=file, price=amount)
    audit_record(
        actor=user, action=Action.TENDER_RECEIVED, procurement=procurement,
        message=f"Tilbud mottatt fra {supplier.name}{f' på {lot}' if lot else ''}.",
        data={"tender": tender.pk, "version": version.pk, "sha256": version.sha256},
    )
    return tender


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å kvalifisere eller avvise et tilbud")
@transaction.atomic
def tender_qualify(*, user, tender: Tender, decision: str, reason: str) -> Tender:
    procurement = procurement_locked(tender.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan kvalifisere tilbydere."))
    _require_phase(procurement)
    tender = Tender.objects.select_for_update().select_related("supplier").get(pk=tender.pk)
    errors: dict[str, str] = {}
    if decision not in (Qualification.QUALIFIED, Qualification.REJECTED):
        errors["decision"] = gettext("Velg kvalifisert eller avvist.")
    reason = _text(reason, "reason", errors, required=gettext("Skriv begrunnelsen."))
    if errors:
        raise ValidationError(errors)
    tender.qualification, tender.qualification_reason = decision, reason
    tender.qualified_by, tender.qualified_at = user, timezone.now()
    tender.save(update_fields=["qualification", "qualification_reason", "qualified_by", "qualified_at"])
    audit_record(
        actor=user, action=Action.TENDER_QUALIFIED, procurement=procurement,
        message=f"{tender.supplier.name}: {tender.get_qualification_display().lower()}. {reason}",
        data={"tender": tender.pk, "decision": decision},
    )
    return tender


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å skrive egenskaper ved et tilbud")
@transaction.atomic
def tender_characteristics_save(*, user, tender: Tender, text: str) -> Tender:
    """The characteristics and relative advantages of a tender, in words the award notice
    can quote (no business secrets)."""
    procurement = procurement_locked(tender.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan beskrive tilbudene."))
    _require_phase(procurement)
    errors: dict[str, str] = {}
    text = _text(text, "characteristics", errors, required=gettext("Beskriv egenskapene og de relative fortrinnene."))
    if errors:
        raise ValidationError(errors)
    Tender.objects.filter(pk=tender.pk).update(characteristics=text)
    tender.characteristics = text
    return tender


@refusals_audited(Action.TENDER_OPEN_REFUSED, lambda kw: f"forsøkte å åpne tilbud {kw['tender'].pk}")
@transaction.atomic
def tender_open(*, user, tender: Tender, version: TenderVersion | None = None) -> TenderVersion:
    """The version (the current one by default) for USER to read. Only the evaluation group
    (named evaluators who declared impartiality), the coordinator and the regional buyer;
    every opening and every refusal is in the audit log."""
    procurement = tender.procurement
    access = evaluation_access(user=user, procurement=procurement)
    if access.must_declare:
        raise PermissionDenied(gettext("Du må erklære deg habil før du kan åpne et tilbud."))
    if not access.sees_tenders:
        raise PermissionDenied(gettext("Tilbudene er bare tilgjengelige for evalueringsgruppen, koordinatoren og regional innkjøper."))
    version = version or tender.versions.order_by("-number").first()
    if version is None or version.tender_id != tender.pk:
        raise TenderVersion.DoesNotExist
    audit_record(
        actor=user, action=Action.TENDER_OPENED, procurement=procurement,
        message=f"Åpnet tilbudet fra {tender.supplier.name}, versjon {version.number}.",
        data={"tender": tender.pk, "version": version.pk},
    )
    return version


# ------------------------------------------------------------------ negotiation


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å registrere et forhandlingsmøte")
@transaction.atomic
def negotiation_meeting_add(*, user, tender: Tender, held_on, minutes: str) -> NegotiationMeeting:
    procurement = procurement_locked(tender.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan registrere forhandlingsmøter."))
    _require_phase(procurement)
    period = TenderPeriod.objects.filter(procurement=procurement).first()
    errors: dict[str, str] = {}
    if period is None or not period.negotiation:
        errors["minutes"] = gettext("Prosedyren tillater ikke forhandling (se tilbudsperioden).")
    minutes = _text(minutes, "minutes", errors, required=gettext("Skriv referatet."), limit=20000)
    if held_on is None:
        errors["held_on"] = gettext("Skriv datoen for møtet.")
    elif held_on > procurement.collaboration.today():
        errors["held_on"] = gettext("Møtet kan ikke være i fremtiden.")
    if errors:
        raise ValidationError(errors)
    meeting = NegotiationMeeting.objects.create(procurement=procurement, tender=tender, held_on=held_on, minutes=minutes, recorded_by=user)
    audit_record(
        actor=user, action=Action.NEGOTIATION_MEETING_RECORDED, procurement=procurement,
        message=f"Forhandlingsmøte med {tender.supplier.name} {held_on:%d.%m.%Y}: referat registrert.",
        data={"meeting": meeting.pk, "tender": tender.pk},
    )
    return meeting


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å registrere et revidert tilbud")
@transaction.atomic
def tender_revise(*, user, tender: Tender, file, price, meeting: NegotiationMeeting | None = None) -> TenderVersion:
    """A revised tender after negotiation: a new version; the earlier ones are kept."""
    procurement = procurement_locked(tender.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan registrere reviderte tilbud."))
    _require_phase(procurement)
    tender = Tender.objects.select_for_update().select_related("supplier").get(pk=tender.pk)
    errors: dict[str, str] = {}
    amount = price_parse(price)
    if amount is None:
        errors["price"] = gettext("Skriv prisen som et positivt beløp i kroner, med høyst to desimaler.")
    if file is None:
        errors["file"] = gettext("Last opp det reviderte tilbudet.")
    if meeting is not None and meeting.tender_id != tender.pk:
        errors["meeting"] = gettext("Velg et møte med denne leverandøren.")
    period = TenderPeriod.objects.filter(procurement=procurement).first()
    if period is None or not period.negotiation:
        errors["file"] = gettext("Prosedyren tillater ikke forhandling (se tilbudsperioden).")
    if errors:
        raise ValidationError(errors)
    version = _version_store(user=user, tender=tender, file=file, price=amount, meeting=meeting)
    Tender.objects.filter(pk=tender.pk).update(price=amount)
    audit_record(
        actor=user, action=Action.TENDER_REVISED, procurement=procurement,
        message=f"Revidert tilbud fra {tender.supplier.name}: versjon {version.number}; tidligere versjoner er beholdt.",
        data={"tender": tender.pk, "version": version.pk, "sha256": version.sha256},
    )
    return version


# ------------------------------------------------------------------ evaluators, impartiality, scores


def scorable_criteria(procurement: Procurement) -> list[AwardCriterion]:
    """The criteria evaluators score: sub-criteria, and criteria without sub-criteria, except price."""
    criteria = list(AwardCriterion.objects.filter(specification__procurement=procurement))
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if not c.is_price and c.pk not in parents]


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å utpeke en evaluator")
@transaction.atomic
def evaluator_assign(*, user, procurement: Procurement, person, criterion: AwardCriterion) -> EvaluatorAssignment:
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan utpeke evaluatorer."))
    _require_phase(procurement)
    errors: dict[str, str] = {}
    if criterion is None or criterion.pk not in {c.pk for c in scorable_criteria(procurement)}:
        errors["criterion"] = gettext("Velg et kvalitativt kriterium i denne anskaffelsen.")
    if person is None or not person.is_active or not person.has_perm("procurement.view_procurement", procurement):
        errors["person"] = gettext("Velg en person som deltar i anskaffelsen.")
    if not errors and EvaluatorAssignment.objects.filter(criterion=criterion, person=person).exists():
        errors["person"] = gettext("Personen evaluerer allerede dette kriteriet.")
    if errors:
        raise ValidationError(errors)
    assignment = EvaluatorAssignment.objects.create(procurement=procurement, person=person, criterion=criterion, assigned_by=user)
    audit_record(
        actor=user, action=Action.EVALUATOR_ASSIGNED, procurement=procurement,
        message=f"{person} evaluerer «{criterion.name}».", data={"assignment": assignment.pk, "person": person.pk},
    )
    return assignment


@refusals_audited(Action.SPECIFICATION_REFUSED, lambda kw: "forsøkte å erklære seg habil")
@transaction.atomic
def impartiality_declare(*, user, procurement: Procurement, confirm: bool) -> ImpartialityDeclaration:
    procurement = procurement_locked(procurement.pk)
    if not EvaluatorAssignment.objects.filter(procurement=procurement, person=user).exists():
        raise PermissionDenied(gettext("Bare evaluatorer i anskaffelsen erklærer habilitet."))
    if not confirm:
        raise ValidationError({"confirm": gettext("Kryss av for å bekrefte erklæringen.")})
    existing = ImpartialityDeclaration.objects.filter(procurement=procurement, person=user).first()
    if existing is not None:
        return existing
    declaration = ImpartialityDeclaration.objects.create(
        procurement=procurement, person=user, declared_at=timezone.now(), statement=IMPARTIALITY_STATEMENT
    )
    audit_record(
        actor=user, action=Action.IMPARTIALITY_DECLARED, procurement=procurement,
        message=f"{user} erklærte seg habil overfor alle tilbyderne.", data={"declaration": declaration.pk},
    )
    return declaration


def score_parse(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= 10:
        return None
    return int(number)


@refusals_audited(Action.SCORE_REFUSED, lambda kw: f"forsøkte å gi poeng til tilbud {kw['tender'].pk}")
@transaction.atomic
def score_save(*, user, tender: Tender, criterion: AwardCriterion, score, justification: str) -> Score:
    """USER's score of TENDER on CRITERION: only a named evaluator of that criterion who has
    declared impartiality, for a qualified tender; 0–10 with a written justification."""
    procurement = procurement_locked(tender.procurement_id)
    access = evaluation_access(user=user, procurement=procurement)
    if criterion.pk not in access.criteria:
        raise PermissionDenied(gettext("Du er ikke evaluator for dette kriteriet."))
    if not access.declared:
        raise PermissionDenied(gettext("Du må erklære deg habil før du kan åpne et tilbud."))
    _require_phase(procurement)
    tender = Tender.objects.get(pk=tender.pk)
    errors: dict[str, str] = {}
    if tender.qualification != Qualification.QUALIFIED:
        errors["score"] = gettext("Bare kvalifiserte tilbud evalueres.")
    value = score_parse(score)
    if value is None:
        errors["score"] = gettext("Gi et helt tall fra 0 til 10.")
    justification = _text(justification, "justification", errors, required=gettext("Begrunn poengene skriftlig."))
    if errors:
        raise ValidationError(errors)
    row, created = Score.objects.update_or_create(
        tender=tender, criterion=criterion, evaluator=user, defaults={"score": value, "justification": justification}
    )
    audit_record(
        actor=user, action=Action.SCORE_SAVED, procurement=procurement,
        message=f"{user} ga {value} poeng på «{criterion.name}» til tilbud {tender.pk}.",
        data={"score": row.pk, "tender": tender.pk, "criterion": criterion.pk, "value": value, "created": created},
    )
    return row


@refusals_audited(Action.SCORE_REFUSED, lambda kw: f"forsøkte å sette konsensuspoeng for tilbud {kw['tender'].pk}")
@transaction.atomic
def consensus_save(*, user, tender: Tender, criterion: AwardCriterion, score, justification: str) -> ConsensusScore:
    """The score the evaluation group agreed on, recorded by the coordinator or the regional buyer."""
    procurement = procurement_locked(tender.procurement_id)
    if not evaluation_access(user=user, procurement=procurement).runs:
        raise PermissionDenied(gettext("Bare koordinatoren og regional innkjøper registrerer konsensuspoeng."))
    _require_phase(procurement)
    tender = Tender.objects.get(pk=tender.pk)
    errors: dict[str, str] = {}
    if criterion.pk not in {c.pk for c in scorable_criteria(procurement)}:
        errors["criterion"] = gettext("Velg et kvalitativt kriterium i denne anskaffelsen.")
    if tender.qualification != Qualification.QUALIFIED:
        errors["score"] = gettext("Bare kvalifiserte tilbud evalueres.")
    value = score_parse(score)
    if value is None:
        errors["score"] = gettext("Gi et helt tall fra 0 til 10.")
    justification = _text(justification, "justification", errors, required=gettext("Begrunn poengene skriftlig."))
    if errors:
        raise ValidationError(errors)
    row, _ = ConsensusScore.objects.update_or_create(
        tender=tender, criterion=criterion, defaults={"score": value, "justification": justification, "decided_by": user}
    )
    audit_record(
        actor=user, action=Action.CONSENSUS_SAVED, procurement=procurement,
        message=f"Konsensus: {value} poeng på «{criterion.name}» til tilbud {tender.pk}.",
        data={"consensus": row.pk, "tender": tender.pk, "criterion": criterion.pk, "value": value},
    )
    return row
