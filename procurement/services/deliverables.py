"""Deliverables are versioned: every upload or text edit is a new immutable version, and
a new version of a gate's document voids the signatures given to the earlier one."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, audit_refusal
from core.uploads import sha256_of_file, sha256_of_text, validate_upload
from municipalities.roles import Role

from .. import phases
from ..models import (
    ChecklistCheck,
    ChecklistItemDefinition,
    Deliverable,
    DeliverableDefinition,
    DeliverableKind,
    DeliverableVersion,
    Procurement,
    SignOff,
    VoidReason,
)
from ..refusals import contribute_refused
from ..selectors.access import roles_in_procurement
from .guards import procurement_locked, refusals_audited


def signoffs_a_new_version_voids(*, procurement: Procurement, definition: DeliverableDefinition) -> list[SignOff]:
    """The live signatures a new version of DEFINITION would void, with their signers, in
    the order given: what the upload form warns about before anything is saved. One query."""
    return list(
        SignOff.objects.filter(procurement=procurement, step__gate__document=definition, voided_at__isnull=True)
        .select_related("person", "municipality", "body")
        .order_by("signed_at", "pk")
    )


def signer_names(signoffs) -> str:
    return ", ".join(dict.fromkeys(s.person.get_full_name() or s.person.username for s in signoffs))


def _tell_voided_signers(*, procurement: Procurement, definition: DeliverableDefinition, version, voided: list[SignOff]) -> None:
    """One mail to each person whose signature VERSION voided, and to the coordinators,
    recorded in the outbox in this transaction: the key names the version and the person,
    so a retry or a second delivery attempt never tells anyone twice."""
    from django.urls import reverse

    from notifications.services import Message, after_commit, outbox_add

    from ..notifications import absolute_url
    from ..recipients import coordinators

    signers = {s.person_id for s in voided if s.person.is_active and s.person.email}
    others = set(coordinators(procurement).exclude(email="").values_list("pk", flat=True)) - signers
    link = absolute_url(reverse("procurement_detail", args=[procurement.pk]) + "#signering")
    subject = f"Signer på nytt: {procurement.title}"
    body_signer = (
        f"«{definition.name}» har fått en ny versjon ({version.number}), og signaturen din på den forrige er ugyldig.\n"
        f"Les den nye versjonen og signer på nytt: {link}\n"
    )
    body_other = (
        f"«{definition.name}» har fått en ny versjon ({version.number}); {len(voided)} signatur(er) er ugyldige "
        f"og må gis på nytt av {signer_names(voided)}.\n{link}\n"
    )
    messages = [
        Message(f"signatures-voided:{version.pk}:{pk}", "notification:signatures_voided", pk, subject, body_signer, procurement.pk)
        for pk in sorted(signers)
    ] + [
        Message(
            f"signatures-voided:{version.pk}:{pk}",
            "notification:signatures_voided",
            pk,
            f"Signaturer må gis på nytt: {procurement.title}",
            body_other,
            procurement.pk,
        )
        for pk in sorted(others)
    ]
    if outbox_add(messages):
        from notifications.tasks import outbox_dispatch

        after_commit(outbox_dispatch)


def _phase_reached(procurement: Procurement, phase_code: str) -> bool:
    if procurement.state not in phases.PHASES:
        return False
    return phases.PHASES.index(phase_code) <= phases.PHASES.index(procurement.state)


def can_replace_gate_document(user, procurement: Procurement, definition: DeliverableDefinition, roles: set[str]) -> bool:
    """A new version of a gate's document voids its signatures, so only those who run the
    procurement and the roles the gate names (the data protection officer for the data
    processing agreement) may add one."""
    if user.has_perm("procurement.manage_procurement", procurement):
        return True
    allowed = {role for gate in definition.gates.all() for role in gate.document_roles}
    return bool(allowed & roles)


@refusals_audited(Action.DELIVERABLE_UPLOAD_REFUSED, lambda kw: f"forsøkte å levere «{kw['definition'].name}»")
@transaction.atomic
def deliverable_version_add(
    *,
    user,
    procurement: Procurement,
    definition: DeliverableDefinition,
    file=None,
    text: str = "",
    voids_expected: int | None = None,
    authorised: bool = False,
) -> DeliverableVersion:
    """VOIDS_EXPECTED: how many signatures the uploader was told the new version voids (the
    form says it before saving); when another signature came in meanwhile, nothing is saved
    and the form says the new number. None: not told (a caller that asks nobody).
    AUTHORISED: the calling service has already decided that USER adds this version (the
    signed contract, added by the general manager who signed it without writing deliverables
    otherwise); the phase and gate rules still apply."""
    procurement = procurement_locked(procurement.pk)
    if not authorised and not user.has_perm("procurement.contribute_procurement", procurement):
        raise PermissionDenied(contribute_refused(user, procurement, gettext("levere dokumenter")))
    if definition.version_id != procurement.process_version_id:
        raise ValidationError(gettext("Leveransen finnes ikke i prosessen denne anskaffelsen følger."))
    if definition.gates.all() and not can_replace_gate_document(
        user, procurement, definition, roles_in_procurement(user=user, procurement=procurement)
    ):
        raise PermissionDenied(
            gettext("Bare de som styrer anskaffelsen eller porten «%(gate)s», kan legge inn en ny versjon av dette dokumentet.")
            % {"gate": definition.gates.all()[0].label}
        )
    if not _phase_reached(procurement, definition.phase.code):
        raise ValidationError(gettext("Leveransen hører til en fase anskaffelsen ikke har nådd."))
    if definition.phase.code != procurement.state and definition.gates.all():
        # The signatures on a completed phase's gate let the procurement move on; a new
        # version would void them for good, since only the current phase's gates are signed.
        raise ValidationError(gettext("Dokumentet ble godkjent i en fase som er fullført, og kan ikke erstattes."))
    text = (text or "").strip()
    if file is None and not text:
        raise ValidationError({"file": gettext("Last opp et dokument eller skriv teksten.")})
    if file is not None and text:
        raise ValidationError({"text": gettext("Velg enten dokument eller tekst, ikke begge.")})
    if definition.kind == DeliverableKind.DOCUMENT and file is None:
        raise ValidationError({"file": gettext("Denne leveransen må være et dokument.")})
    if definition.kind == DeliverableKind.TEXT and file is not None:
        raise ValidationError({"text": gettext("Denne leveransen skrives som tekst.")})

    to_void = signoffs_a_new_version_voids(procurement=procurement, definition=definition) if definition.gates.all() else []
    if voids_expected is not None and voids_expected != len(to_void):
        raise ValidationError(
            {
                "void_confirmed": gettext(
                    "Signaturene er endret siden siden ble åpnet: den nye versjonen gjør nå %(count)s signatur(er) ugyldige "
                    "(%(names)s). Bekreft på nytt."
                )
                % {"count": len(to_void), "names": signer_names(to_void) or "–"}
            }
        )

    deliverable, _ = Deliverable.objects.get_or_create(procurement=procurement, definition=definition)
    number = (deliverable.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DeliverableVersion(deliverable=deliverable, number=number, created_by=user)
    if file is not None:
        version.content_type = validate_upload(file)
        version.sha256 = sha256_of_file(file)
        version.original_name = file.name[:255]
        version.size = file.size
        version.file = file
    else:
        version.text = text
        version.sha256 = sha256_of_text(text)
        version.size = len(text.encode("utf-8"))
    version.save()
    deliverable.current_version = version
    deliverable.save(update_fields=["current_version"])

    voided = SignOff.objects.filter(pk__in=[s.pk for s in to_void]).update(
        voided_at=timezone.now(), voided_by_version=version, void_reason=VoidReason.NEW_VERSION
    )
    message = f"Ny versjon {number} av «{definition.name}»"
    if definition.is_restricted:
        # The history is shown to everyone who sees the case; a restricted document's file
        # name stays in the entry's data, out of the message.
        message += " (dokument)" if version.original_name else " (tekst)"
    else:
        message += f" ({version.original_name})" if version.original_name else " (tekst)"
    if voided:
        message += f"; {voided} tidligere signatur(er) er ugyldige og må gis på nytt ({signer_names(to_void)})"
    audit_record(
        actor=user,
        action=Action.DELIVERABLE_UPLOADED,
        procurement=procurement,
        message=message + ".",
        data={
            "definition": definition.code,
            "version": number,
            "sha256": version.sha256,
            "voided_signoffs": voided,
            **({"original_name": version.original_name} if definition.is_restricted and version.original_name else {}),
        },
    )
    if voided:
        _tell_voided_signers(procurement=procurement, definition=definition, version=version, voided=to_void)
    return version


def deliverable_upload_not_allowed(*, user, procurement: Procurement, code: str) -> PermissionDenied:
    """The refusal the upload view gives someone who may not deliver at all, before reading
    the form, written to the audit log like a refusal from deliverable_version_add. Returns
    the error to raise."""
    error = PermissionDenied(contribute_refused(user, procurement, gettext("levere dokumenter")))
    audit_refusal(
        actor=user,
        action=Action.DELIVERABLE_UPLOAD_REFUSED,
        procurement_id=procurement.pk,
        message=f"Avvist: {user} forsøkte å levere «{code}». {error}",
        data={"refusal": "PermissionDenied", "reasons": [], "definition": code},
    )
    return error


def _read_record(*, user, procurement: Procurement, action: str, message: str, data: dict) -> None:
    """Reading a document or a printout: only for those who may see the procurement, and
    every read is logged with what was read."""
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til dokumentet."))
    audit_record(actor=user, action=action, procurement=procurement, message=message, data=data)


@refusals_audited(Action.DOWNLOAD_REFUSED, lambda kw: "forsøkte å åpne et dokument")
@transaction.atomic
def deliverable_download_record(*, user, procurement_id: int, version_id: int) -> DeliverableVersion:
    """Checks that USER may open the version (the procurement is visible to them and the
    document's access class admits one of their roles in it) and logs the read. Returns
    the version to serve."""
    version = (
        DeliverableVersion.objects.select_related("deliverable__definition", "deliverable__procurement__collaboration")
        .filter(pk=version_id, deliverable__procurement_id=procurement_id)
        .first()
    )
    if version is None:
        raise DeliverableVersion.DoesNotExist
    procurement = version.deliverable.procurement
    definition = version.deliverable.definition
    if not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til dokumentet."))
    if not definition.open_to(roles_in_procurement(user=user, procurement=procurement)):
        raise PermissionDenied(
            gettext("«%(name)s» er begrenset til %(roles)s.") % {"name": definition.label, "roles": definition_roles_text(definition)}
        )
    _read_record(
        user=user,
        procurement=procurement,
        action=Action.DELIVERABLE_DOWNLOADED,
        message=f"Lastet ned versjon {version.number} av «{version.deliverable.definition.name}».",
        data={"version": version.pk, "sha256": version.sha256},
    )
    return version


def definition_roles_text(definition: DeliverableDefinition) -> str:
    return ", ".join(str(Role(role).label).lower() for role in definition.access_roles if role in Role.values)


@transaction.atomic
def checklist_item_set(*, user, procurement: Procurement, item: ChecklistItemDefinition, done: bool) -> None:
    """Ticks or unticks ITEM. Only the checklist of the phase the procurement is in can
    change: an earlier phase's list is the record of how that phase was done, a later one's
    is not begun, and a cancelled or closed procurement is history."""
    # Locked, so a phase change committed meanwhile is seen before the check below.
    procurement = procurement_locked(procurement.pk)
    if not user.has_perm("procurement.contribute_procurement", procurement):
        raise PermissionDenied(contribute_refused(user, procurement, gettext("krysse av i sjekklisten")))
    if procurement.state == phases.CANCELLED:
        raise ValidationError(gettext("Anskaffelsen er avlyst, så sjekklisten kan ikke endres lenger."))
    if procurement.state == phases.CLOSED:
        raise ValidationError(gettext("Anskaffelsen er avsluttet, så sjekklisten kan ikke endres lenger."))
    if item.phase.version_id != procurement.process_version_id or item.phase.code != procurement.state:
        raise ValidationError(
            gettext(
                "Sjekkpunktet «%(item)s» hører til fasen «%(phase)s». Bare sjekklisten for fasen "
                "anskaffelsen står i nå, kan endres."
            )
            % {"item": item.label, "phase": item.phase.label}
        )
    if done:
        _, created = ChecklistCheck.objects.get_or_create(procurement=procurement, item=item, defaults={"checked_by": user})
    else:
        created = ChecklistCheck.objects.filter(procurement=procurement, item=item).delete()[0] > 0
    if created:
        audit_record(
            actor=user,
            action=Action.CHECKLIST_CHECKED if done else Action.CHECKLIST_UNCHECKED,
            procurement=procurement,
            message=f"Sjekkpunkt «{item.name}» {'krysset av' if done else 'åpnet igjen'}.",
            data={"item": item.pk},
        )


@transaction.atomic
def signoff_record_print_record(*, user, procurement: Procurement) -> None:
    """The printed sign-off record names people, decisions and comments, so it is read and
    logged like a document."""
    _read_record(
        user=user,
        procurement=procurement,
        action=Action.PRINT_SIGNOFF_RECORD,
        message="Skrev ut signaturprotokollen (PDF).",
        data={"state": procurement.state},
    )
