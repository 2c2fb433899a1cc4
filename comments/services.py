"""The only writers of comments: each checks that the writer may see the item (a thread on
a restricted document is as restricted as the document), validates, saves and audits in
one transaction; a refusal is audited on its own."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record, audit_refusal, record_language
from procurement.models import DeliverableDefinition, GateDefinition, Procurement
from procurement.selectors.access import roles_in_procurement

from .models import TEXT_MAX, Comment, Subject
from .selectors import people_who_may_read, restricting_document


class SubjectNotFound(LookupError):
    """No deliverable or gate of that code in the procurement's process version."""


def comment_subject(procurement: Procurement, subject: str, code: str):
    """The deliverable or gate definition the thread is about, or SubjectNotFound."""
    if subject == Subject.DELIVERABLE:
        found = DeliverableDefinition.objects.filter(version_id=procurement.process_version_id, code=code).first()
    elif subject == Subject.GATE:
        found = GateDefinition.objects.filter(version_id=procurement.process_version_id, code=code).select_related("document").first()
    else:
        found = None
    if found is None:
        raise SubjectNotFound(code)
    return found


def may_read_thread(*, user, procurement: Procurement, definition, roles: set[str] | None = None) -> bool:
    if not user.has_perm("procurement.view_procurement", procurement):
        return False
    document = restricting_document(definition)
    if document is None or not document.is_restricted:
        return True
    roles = roles_in_procurement(user=user, procurement=procurement) if roles is None else roles
    return document.open_to(roles)


def comment_refusal(*, user, procurement: Procurement, subject: str, definition) -> PermissionDenied:
    """Audits that USER may not write in the thread, and returns the error to raise."""
    with record_language():
        audit_refusal(
            actor=user,
            action=Action.COMMENT_REFUSED,
            message=gettext("Fikk ikke kommentere «%(name)s»: ingen tilgang til dokumentet.") % {"name": definition.name},
            procurement_id=procurement.pk,
            data={"subject": subject, "code": definition.code},
        )
    return PermissionDenied(gettext("Du har ikke tilgang til å kommentere «%(name)s».") % {"name": definition.label})


def comment_add(*, user, procurement: Procurement, subject: str, code: str, text: str, mentioned_id: int | None = None) -> Comment:
    definition = comment_subject(procurement, subject, code)
    if not may_read_thread(user=user, procurement=procurement, definition=definition):
        raise comment_refusal(user=user, procurement=procurement, subject=subject, definition=definition)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = gettext("Skriv kommentaren.")
    elif len(text) > TEXT_MAX:
        errors["text"] = gettext("Kommentaren kan være høyst %(max)s tegn; den har %(length)s.") % {"max": TEXT_MAX, "length": len(text)}
    mentioned = None
    if mentioned_id is not None:
        mentioned = people_who_may_read(procurement=procurement, definition=definition).filter(pk=mentioned_id).first()
        if mentioned is None:
            errors["mentioned"] = gettext("Velg en person som kan se «%(name)s».") % {"name": definition.label}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comment = Comment.objects.create(
            procurement=procurement, subject=subject, code=code, author=user, text=text, mentioned=mentioned
        )
        with record_language():
            message = gettext("Kommentar til «%(name)s»: %(text)s") % {
                "name": definition.name,
                "text": Truncator(text).chars(200),
            }
            if mentioned is not None:
                message += " " + gettext("(nevner %(person)s)") % {"person": mentioned.get_full_name() or mentioned.username}
            audit_record(
                actor=user,
                action=Action.COMMENT_ADDED,
                procurement=procurement,
                message=message,
                data={"comment": comment.pk, "subject": subject, "code": code, "mentioned": mentioned_id},
            )
    return comment


def comment_mention_done(*, user, comment_id: int) -> Comment:
    """The person a comment names marks it followed up; only they can, and only once."""
    with transaction.atomic():
        # Locked so two clicks record one follow-up; the procurement row is only read.
        found = list(Comment.objects.select_for_update(of=("self",)).select_related("procurement").filter(pk=comment_id))
        comment = found[0] if found else None
        if comment is None or comment.mentioned_id != user.pk:
            raise Comment.DoesNotExist
        if comment.mention_done_at is not None:
            return comment
        comment.mention_done_at = timezone.now()
        comment.save(update_fields=["mention_done_at"])
        with record_language():
            audit_record(
                actor=user,
                action=Action.COMMENT_MENTION_DONE,
                procurement=comment.procurement,
                message=gettext("Fulgte opp kommentaren som nevnte dem."),
                data={"comment": comment.pk},
            )
    return comment
