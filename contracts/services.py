"""The only writers of award notices and complaints. Each locks the procurement, checks the
person runs it, validates, saves, derives the deadlines the law ties to the record, audits
and notifies on commit, like procurement's own services."""
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.changes import changes_data, changes_sentence, field_changes
from audit.services import audit_record, record_language
from procurement import deadlines as legal_time
from procurement import phases
from procurement.models import Deadline, DeadlineKind, Procurement
from procurement.services.deadlines import rule_deadline_set
from procurement.services.guards import procurement_locked, require_manage
from procurement.services.notifications import notify_on_commit

from .models import (
    AwardLetter,
    AwardNotice,
    AwardNoticeState,
    Complaint,
    ComplaintDocument,
    ComplaintKind,
    ComplaintState,
    NoticeChannel,
    StandstillMinimum,
)

SUMMARY_MAX_LENGTH = 5000
NAME_MAX_LENGTH = Complaint._meta.get_field("complainant").max_length
STANDSTILL_DAYS_MAX = 60  # longer than any buyer would choose; a typo (140) is refused
# The deadlines derived from the records here (Deadline.rule), registered in ContractsConfig
# with their recipients, the coordinator and the regional buyer.
COMPLAINT_RULE = "complaint_before_standstill_end"
COMPLAINT_ANSWER_RULE = "complaint_answer"


def _complaint_deadline_set(notice: AwardNotice) -> None:
    """The tenderers' deadline to complain against the award NOTICE and still stop the
    signing: the standstill's last day (procurement.deadlines.complaint_last_day)."""
    country = notice.procurement.collaboration.country
    rule_deadline_set(
        procurement=notice.procurement,
        kind=DeadlineKind.COMPLAINT,
        rule=COMPLAINT_RULE,
        key=f"notice-{notice.pk}",
        title="Klagefrist for tilbyderne (før karensperioden løper ut)",
        due_date=legal_time.complaint_last_day(notice.sent_on, notice.standstill_days, country),
        inputs={"notice": notice.pk, "sent_on": notice.sent_on.isoformat(), "days": notice.standstill_days, "country": country},
    )


def _complaint_answer_deadline_set(complaint: Complaint, *, working_days: int | None = None) -> Deadline | None:
    """The buyer's deadline to answer a complaint made to it (a complaint to the board or the
    court runs on the deadlines they set): WORKING_DAYS working days after receipt, the
    setting's when the complaint is registered, the number it was registered with after."""
    if complaint.kind != ComplaintKind.BUYER:
        return None
    country = complaint.procurement.collaboration.country
    days = working_days or settings.COMPLAINT_ANSWER_WORKING_DAYS
    return rule_deadline_set(
        procurement=complaint.procurement,
        kind=DeadlineKind.COMPLAINT_ANSWER,
        rule=COMPLAINT_ANSWER_RULE,
        key=f"complaint-{complaint.pk}",
        title=f"Svar på klagen fra {complaint.complainant}",
        due_date=legal_time.complaint_answer_last_day(complaint.received_on, days, country),
        inputs={"complaint": complaint.pk, "received_on": complaint.received_on.isoformat(), "working_days": days, "country": country},
    )


def _notice_deadlines_end(procurement: Procurement) -> None:
    """A withdrawn notice's standstill and the tenderers' deadline to complain against it end
    (done, kept in the record); a new notice derives new ones."""
    procurement.deadlines.filter(
        Q(kind=DeadlineKind.STANDSTILL) | Q(kind=DeadlineKind.COMPLAINT, rule=COMPLAINT_RULE), done_at__isnull=True
    ).update(done_at=timezone.now())


def complaint_deadline_recipients(*, deadlines) -> dict[int, set[int]]:
    """The coordinator and the regional buyer watch both complaint deadlines."""
    from procurement.recipients import coordinators_by_deadline

    return coordinators_by_deadline(deadlines=deadlines)


def standstill_minimum(*, country: str, channel: str, on: date) -> StandstillMinimum | None:
    """The minimum in force ON for COUNTRY and CHANNEL (dated rows, newest first)."""
    return (
        StandstillMinimum.objects.filter(country=country, channel=channel, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def _require_phase(procurement: Procurement, allowed: tuple[str, ...], message: str) -> None:
    if procurement.state not in allowed:
        raise ValidationError(message)


@transaction.atomic
def award_notice_send(
    *, user, procurement: Procurement, sent_on: date, channel: str = NoticeChannel.ELECTRONIC, standstill_days: int | None = None,
    note: str = "",
) -> AwardNotice:
    """Records that the award notice went to every tenderer on SENT_ON and derives the end of
    the standstill period (Regulation 1182/71 as FOA § 7-6 applies it) as the case's
    standstill deadline. STANDSTILL_DAYS defaults to the legal minimum for the channel; a
    longer period may be chosen, a shorter one never."""
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan registrere meddelelsen om tildeling."))
    _require_phase(
        procurement,
        (phases.EVALUATION, phases.CONTRACT),
        gettext("Meddelelse om tildeling sendes når evalueringen er ferdig, i fasen for evaluering eller kontrakt."),
    )
    collaboration = procurement.collaboration
    errors: dict[str, str] = {}
    today = collaboration.today()
    if channel not in NoticeChannel.values:
        errors["channel"] = gettext("Velg hvordan meddelelsen ble sendt.")
    if sent_on is None:
        errors["sent_on"] = gettext("Skriv datoen meddelelsen ble sendt.")
    elif sent_on > today:
        errors["sent_on"] = gettext("Meddelelsen kan ikke være sendt i fremtiden.")
    minimum = standstill_minimum(country=collaboration.country, channel=channel, on=sent_on or today) if not errors else None
    if not errors and minimum is None:
        errors["channel"] = gettext("Det er ikke registrert noen minste karensperiode for %(country)s. Be administratoren legge den inn.") % {
            "country": collaboration.get_country_display()
        }
    if not errors:
        if standstill_days is None:
            standstill_days = minimum.days
        elif not legal_time.standstill_days_valid(standstill_days, minimum.days):
            errors["standstill_days"] = gettext("Karensperioden må være minst %(days)d dager.") % {"days": minimum.days}
        elif standstill_days > STANDSTILL_DAYS_MAX:
            errors["standstill_days"] = gettext("Skriv høyst %(max)d dager.") % {"max": STANDSTILL_DAYS_MAX}
    if AwardNotice.objects.filter(procurement=procurement, state=AwardNoticeState.SENT).exists():
        errors["sent_on"] = gettext("Meddelelsen er allerede registrert. Trekk den tilbake først hvis den skal sendes på nytt.")
    view = _award_evaluation(procurement)
    if view is not None and view.winner is None:
        errors["sent_on"] = gettext(
            "Evalueringen er ikke ferdig: alle kvalifiserte tilbud må ha konsensuspoeng på alle kriterier før meddelelsen sendes."
        )
    if view is not None and not errors:
        missing = [r.tender.supplier.name for r in view.tenders if not r.tender.supplier.contact_email]
        if missing:
            errors["sent_on"] = gettext("Disse tilbyderne mangler e-postadresse: %(names)s.") % {"names": ", ".join(missing)}
    if errors:
        raise ValidationError(errors)
    ends_on = legal_time.standstill_last_day(sent_on, standstill_days, collaboration.country)
    notice = AwardNotice.objects.create(
        procurement=procurement,
        sent_on=sent_on,
        channel=channel,
        standstill_days=standstill_days,
        standstill_ends_on=ends_on,
        note=(note or "").strip()[:SUMMARY_MAX_LENGTH],
        sent_by=user,
        sent_at=timezone.now(),
    )
    letters = _award_letters_record(notice=notice, view=view) if view is not None else []
    Deadline.objects.create(
        procurement=procurement,
        kind=DeadlineKind.STANDSTILL,
        title="Karensperioden løper ut",
        due_date=ends_on,
        rule="standstill_end",
        rule_inputs={"sent_on": sent_on.isoformat(), "days": standstill_days, "country": collaboration.country, "channel": channel},
    )
    notice.procurement = procurement
    _complaint_deadline_set(notice)
    audit_record(
        actor=user,
        action=Action.AWARD_NOTICE_SENT,
        procurement=procurement,
        message=(
            f"Meddelelse om tildeling sendt {sent_on:%d.%m.%Y} ({notice.get_channel_display().lower()}); "
            f"karensperioden på {standstill_days} dager løper til og med {ends_on:%d.%m.%Y}, "
            "og en klage må komme innen da for å stanse signeringen."
        ),
        data={"notice": notice.pk, "sent_on": sent_on, "days": standstill_days, "ends_on": ends_on, "minimum": minimum.days},
    )
    if letters:
        audit_record(
            actor=user,
            action=Action.AWARD_LETTERS_SENT,
            procurement=procurement,
            message=(
                f"Meddelelsen er sendt til alle {len(letters)} tilbyderne samtidig ({notice.sent_at:%d.%m.%Y %H:%M:%S} UTC), "
                "hver med sin egen PDF: valgt leverandør, det vinnende tilbudets egenskaper og relative fortrinn, "
                "tilbyderens egne poeng og karensperioden."
            ),
            data={"notice": notice.pk, "letters": [letter.pk for letter in letters], "sent_at": notice.sent_at.isoformat()},
        )
    notify_on_commit("award_notice_sent", procurement_id=procurement.pk)
    return notice


def _award_evaluation(procurement: Procurement):
    """The evaluation the notice reports, when tenders were registered in the application
    (evaluation app); None for a case whose tenders were handled outside it."""
    from evaluation.models import Tender
    from evaluation.selectors import evaluation_view_full

    if not Tender.objects.filter(procurement=procurement).exists():
        return None
    return evaluation_view_full(procurement)


def _award_letters_record(*, notice: AwardNotice, view) -> list[AwardLetter]:
    """One PDF per tenderer and one outbox row each, in the notice's transaction: every
    tenderer is told at the same moment (NOTICE.SENT_AT), each message exactly once (the
    outbox key is the letter's)."""
    import hashlib

    from django.core.files.base import ContentFile

    from evaluation.documents import award_letter_render
    from notifications.services import Message, outbox_add

    letters, messages = [], []
    ends_at = notice.standstill_ends_at.astimezone(notice.procurement.collaboration.tzinfo)
    for row in view.tenders:
        pdf = award_letter_render(view=view, row=row, notice=notice)
        upload = ContentFile(pdf, name=f"meddelelse-om-tildeling-{notice.pk}-{row.tender.pk}.pdf")
        key = f"award_letter:{notice.pk}:{row.tender.pk}"
        letter = AwardLetter.objects.create(
            notice=notice, tender=row.tender, address=row.tender.supplier.contact_email, file=upload,
            sha256=hashlib.sha256(pdf).hexdigest(), outbox_key=key, created_at=notice.sent_at,
        )
        letters.append(letter)
        messages.append(
            Message(
                key=key, kind="award_letter", recipient_id=None, procurement_id=notice.procurement_id,
                subject=f"Meddelelse om tildeling – {notice.procurement.title}"[:255],
                body=(
                    f"Til {row.tender.supplier.name}\n\nVedlagt er meddelelsen om tildeling i konkurransen «{notice.procurement.title}». "
                    f"Karensperioden løper til og med {notice.standstill_ends_on:%d.%m.%Y} kl. 24.00 ({ends_at.tzname()}).\n\n"
                    f"{notice.procurement.collaboration.name}"
                ),
                address=row.tender.supplier.contact_email,
                attachments=((letter.file.name, "meddelelse-om-tildeling.pdf"),),
            )
        )
    outbox_add(messages)
    return letters


@transaction.atomic
def award_notice_withdraw(*, user, notice: AwardNotice, reason: str) -> AwardNotice:
    """A notice sent with an error (or before a re-evaluation) is withdrawn; its standstill
    deadline is marked done, and a new notice starts a new period."""
    procurement = procurement_locked(notice.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan trekke tilbake meddelelsen."))
    notice = AwardNotice.objects.select_for_update().get(pk=notice.pk)
    reason = (reason or "").strip()
    if notice.state != AwardNoticeState.SENT:
        raise ValidationError(gettext("Meddelelsen er allerede trukket tilbake."))
    if not reason:
        raise ValidationError({"reason": gettext("Skriv hvorfor meddelelsen trekkes tilbake.")})
    notice.state = AwardNoticeState.WITHDRAWN
    notice.withdrawn_reason = reason[:SUMMARY_MAX_LENGTH]
    notice.save(update_fields=["state", "withdrawn_reason"])
    _notice_deadlines_end(procurement)
    audit_record(
        actor=user,
        action=Action.AWARD_NOTICE_WITHDRAWN,
        procurement=procurement,
        message=f"Meddelelsen om tildeling sendt {notice.sent_on:%d.%m.%Y} er trukket tilbake: {reason}",
        data={"notice": notice.pk},
    )
    return notice


def award_notices_reopened(*, procurement: Procurement, phase: str, reason: str, actor) -> None:
    """Going back to the evaluation (or earlier) means a new award decision: the notice sent
    for the old one is withdrawn with the reason for going back, so the contract phase waits
    for a new notice and a new standstill period. Runs inside the reopen's transaction."""
    if phase not in phases.PHASES or phases.PHASES.index(phase) > phases.PHASES.index(phases.EVALUATION):
        return
    for notice in AwardNotice.objects.select_for_update().filter(procurement=procurement, state=AwardNoticeState.SENT):
        notice.state = AwardNoticeState.WITHDRAWN
        notice.withdrawn_reason = f"Anskaffelsen gikk tilbake til en tidligere fase: {reason}"[:SUMMARY_MAX_LENGTH]
        notice.save(update_fields=["state", "withdrawn_reason"])
        _notice_deadlines_end(procurement)
        audit_record(
            actor=actor,
            action=Action.AWARD_NOTICE_WITHDRAWN,
            procurement=procurement,
            message=(
                f"Meddelelsen om tildeling sendt {notice.sent_on:%d.%m.%Y} er trukket tilbake fordi anskaffelsen gikk "
                "tilbake til en tidligere fase. En ny meddelelse starter en ny karensperiode."
            ),
            data={"notice": notice.pk, "reopened_to": phase},
        )


@transaction.atomic
def complaint_register(
    *, user, procurement: Procurement, received_on: date, complainant: str, summary: str, kind: str = ComplaintKind.BUYER, document=None
) -> Complaint:
    procurement = procurement_locked(procurement.pk)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan registrere klager."))
    if not procurement.is_open:
        raise ValidationError(gettext("Anskaffelsen er avsluttet."))
    errors: dict[str, str] = {}
    complainant = (complainant or "").strip()
    summary = (summary or "").strip()
    if not complainant:
        errors["complainant"] = gettext("Skriv hvem som klager.")
    elif len(complainant) > NAME_MAX_LENGTH:
        errors["complainant"] = gettext("Skriv høyst %(max)d tegn.") % {"max": NAME_MAX_LENGTH}
    if not summary:
        errors["summary"] = gettext("Skriv hva klagen gjelder.")
    elif len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = gettext("Skriv høyst %(max)d tegn.") % {"max": SUMMARY_MAX_LENGTH}
    if received_on is None:
        errors["received_on"] = gettext("Skriv datoen klagen kom.")
    elif received_on > procurement.collaboration.today():
        errors["received_on"] = gettext("Klagen kan ikke være mottatt i fremtiden.")
    if kind not in ComplaintKind.values:
        errors["kind"] = gettext("Velg hvor klagen er sendt.")
    if document is not None:
        from core.uploads import validate_upload

        try:
            validate_upload(document)
        except ValidationError as error:
            errors["document"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        procurement=procurement, received_on=received_on, complainant=complainant, summary=summary, registered_by=user, kind=kind
    )
    if document is not None:
        _complaint_document_store(user=user, complaint=complaint, document=document)
    answer = _complaint_answer_deadline_set(complaint)
    with record_language():
        kind_label = complaint.get_kind_display().lower()
    audit_record(
        actor=user,
        action=Action.COMPLAINT_REGISTERED,
        procurement=procurement,
        message=(
            f"Klage fra {complainant} mottatt {received_on:%d.%m.%Y} ({kind_label}). "
            "Kontrakten kan ikke signeres før den er avgjort."
            + (f" Frist for å svare: {answer.due_date:%d.%m.%Y} ({answer.rule_inputs['working_days']} virkedager)." if answer else "")
        ),
        data={"complaint": complaint.pk, "kind": kind, "answer_due": answer.due_date if answer else None},
    )
    notify_on_commit("complaint_registered", procurement_id=procurement.pk)
    return complaint


@transaction.atomic
def complaint_resolve(*, user, complaint: Complaint, outcome: str, resolution: str) -> Complaint:
    """Upheld, dismissed or withdrawn, with the decision in words. An upheld complaint does
    not move the case by itself: the coordinator reopens the phase the decision sends it to."""
    procurement = procurement_locked(complaint.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan avgjøre klager."))
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.state != ComplaintState.OPEN:
        raise ValidationError(gettext("Klagen er allerede avgjort."))
    resolution = (resolution or "").strip()
    errors: dict[str, str] = {}
    if outcome not in (ComplaintState.UPHELD, ComplaintState.DISMISSED, ComplaintState.WITHDRAWN):
        errors["outcome"] = gettext("Velg utfallet av klagen.")
    if not resolution:
        errors["resolution"] = gettext("Skriv avgjørelsen og begrunnelsen.")
    elif len(resolution) > SUMMARY_MAX_LENGTH:
        errors["resolution"] = gettext("Skriv høyst %(max)d tegn.") % {"max": SUMMARY_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    complaint.state = outcome
    complaint.resolution = resolution
    complaint.resolved_by = user
    complaint.resolved_at = timezone.now()
    complaint.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
    # Answered: the deadline is met, and stays in the record as done.
    procurement.deadlines.filter(
        kind=DeadlineKind.COMPLAINT_ANSWER, rule=COMPLAINT_ANSWER_RULE, rule_inputs__key=f"complaint-{complaint.pk}", done_at__isnull=True
    ).update(done_at=complaint.resolved_at)
    audit_record(
        actor=user,
        action=Action.COMPLAINT_RESOLVED,
        procurement=procurement,
        message=f"Klagen fra {complaint.complainant} er avgjort: {complaint.get_state_display().lower()}. {resolution}",
        data={"complaint": complaint.pk, "outcome": outcome},
    )
    notify_on_commit("complaint_resolved", procurement_id=procurement.pk)
    return complaint


def _complaint_document_store(*, user, complaint: Complaint, document) -> ComplaintDocument:
    from core.uploads import sha256_of_file

    return ComplaintDocument.objects.create(
        complaint=complaint, file=document, original_name=document.name[:255], sha256=sha256_of_file(document), uploaded_by=user
    )


@transaction.atomic
def complaint_document_add(*, user, complaint: Complaint, document) -> ComplaintDocument:
    """A document of the complaint case (the buyer's answer, KOFA's or the court's decision)."""
    from core.uploads import validate_upload

    procurement = procurement_locked(complaint.procurement_id)
    require_manage(user, procurement, gettext("Bare de som styrer anskaffelsen, kan legge dokumenter i klagesaker."))
    if document is None:
        raise ValidationError({"document": gettext("Velg en fil å laste opp.")})
    validate_upload(document)
    stored = _complaint_document_store(user=user, complaint=complaint, document=document)
    audit_record(
        actor=user,
        action=Action.COMPLAINT_DOCUMENT_ADDED,
        procurement=procurement,
        message=f"Dokument lagt til klagen fra {complaint.complainant}: {stored.original_name}.",
        data={"complaint": complaint.pk, "document": stored.pk, "sha256": stored.sha256},
    )
    return stored


STANDSTILL_MINIMUM_FIELDS = ["country", "channel", "days", "valid_from", "valid_to", "source", "verified"]


@transaction.atomic
def standstill_minimum_save(*, actor, minimum: StandstillMinimum) -> StandstillMinimum:
    """An administrator's correction of the legal minimum standstill periods (dated rows:
    a new rule is a new row from its date, so award notices sent before keep theirs)."""
    if not actor.has_perm("contracts.change_standstillminimum" if minimum.pk else "contracts.add_standstillminimum"):
        raise PermissionDenied(gettext("Du har ikke tilgang til å endre karensperiodene."))
    before = StandstillMinimum.objects.filter(pk=minimum.pk).first() if minimum.pk else None
    minimum.source = (minimum.source or "").strip()
    minimum.full_clean()
    errors: dict[str, str] = {}
    if minimum.valid_to is not None and minimum.valid_to < minimum.valid_from:
        errors["valid_to"] = gettext("Sluttdatoen må være etter startdatoen.")
    if minimum.days > STANDSTILL_DAYS_MAX:
        errors["days"] = gettext("Skriv høyst %(max)d dager.") % {"max": STANDSTILL_DAYS_MAX}
    if errors:
        raise ValidationError(errors)
    with record_language():
        what = f"Minste karensperiode for {minimum.get_country_display()}, {minimum.get_channel_display().lower()}"
    if before is None:
        message = f"{what} fra {minimum.valid_from:%d.%m.%Y}: {minimum.days} dager" + (
            " (bekreftet i kilden)." if minimum.verified else " (ikke bekreftet i kilden)."
        )
        data = {"created": True}
    else:
        changes = field_changes(before, minimum, STANDSTILL_MINIMUM_FIELDS)
        if not changes:
            return minimum
        message, data = f"{what} endret: {changes_sentence(changes)}.", changes_data(changes)
    minimum.save()
    audit_record(actor=actor, action=Action.STANDSTILL_MINIMUM_SAVED, message=message, data={"minimum": minimum.pk, **data})
    return minimum


def standstill_deadlines_recompute(*, country: str, actor) -> int:
    """After a declared holiday of COUNTRY changed: the standstill periods still running in
    its collaborations end where the calendar now says (the notice and the case's deadline
    both), each move in the audit log. Returns how many moved."""
    moved = 0
    live = (
        AwardNotice.objects.select_for_update()
        .filter(state=AwardNoticeState.SENT, procurement__collaboration__country=country)
        .select_related("procurement__collaboration")
    )
    for notice in live:
        ends_on = legal_time.standstill_last_day(notice.sent_on, notice.standstill_days, country)
        if ends_on == notice.standstill_ends_on:
            continue
        before = notice.standstill_ends_on
        notice.standstill_ends_on = ends_on
        notice.save(update_fields=["standstill_ends_on"])
        Deadline.objects.filter(
            procurement=notice.procurement, kind=DeadlineKind.STANDSTILL, rule="standstill_end", done_at__isnull=True
        ).update(due_date=ends_on)
        _complaint_deadline_set(notice)
        audit_record(
            actor=actor,
            action=Action.DEADLINE_MOVED_BY_HOLIDAY,
            procurement=notice.procurement,
            message=f"Karensperioden løper nå til og med {ends_on:%d.%m.%Y} (før {before:%d.%m.%Y}): helligdagene er endret.",
            data={"notice": notice.pk, "before": before, "after": ends_on},
        )
        moved += 1
    return moved


def complaint_answer_deadlines_recompute(*, country: str, actor) -> int:
    """After a declared holiday of COUNTRY changed: the buyer's deadlines to answer the open
    complaints there end where the calendar now says, counted with the number of working
    days each was registered with; each move in the audit log. Returns how many moved."""
    moved = 0
    deadlines = {
        d.rule_inputs.get("key"): d
        for d in Deadline.objects.filter(
            kind=DeadlineKind.COMPLAINT_ANSWER, rule=COMPLAINT_ANSWER_RULE, done_at__isnull=True, procurement__collaboration__country=country
        )
    }
    open_complaints = Complaint.objects.filter(
        state=ComplaintState.OPEN, kind=ComplaintKind.BUYER, procurement__collaboration__country=country
    ).select_related("procurement__collaboration")
    for complaint in open_complaints:
        deadline = deadlines.get(f"complaint-{complaint.pk}")
        if deadline is None:
            continue
        before = deadline.due_date
        after = _complaint_answer_deadline_set(complaint, working_days=deadline.rule_inputs.get("working_days")).due_date
        if after == before:
            continue
        audit_record(
            actor=actor,
            action=Action.DEADLINE_MOVED_BY_HOLIDAY,
            procurement=complaint.procurement,
            message=(
                f"Fristen for å svare på klagen fra {complaint.complainant} er nå {after:%d.%m.%Y} "
                f"(før {before:%d.%m.%Y}): helligdagene er endret."
            ),
            data={"complaint": complaint.pk, "before": before, "after": after},
        )
        moved += 1
    return moved
