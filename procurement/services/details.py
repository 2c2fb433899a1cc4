"""The descriptive fields of a procurement (title, description, kind of need, funding,
estimated value): corrected by those who run it or by an administrator. Who takes part,
the phase, the process version and the lead never change here; they have their own
services."""
import copy
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from audit.actions import Action
from audit.changes import changes_data, changes_sentence, field_changes
from audit.services import audit_record

from ..models import Funding, NeedKind, Procurement
from .guards import procurement_locked

DETAIL_FIELDS = ["title", "description", "kind", "funding", "estimated_value"]
DESCRIPTION_MAX_LENGTH = 20_000


def can_change_details(user, procurement: Procurement) -> bool:
    return user.has_perm("procurement.change_procurement") or user.has_perm("procurement.manage_procurement", procurement)


@transaction.atomic
def procurement_details_update(
    *,
    user,
    procurement: Procurement,
    title: str,
    description: str,
    kind: str,
    funding: str,
    estimated_value: Decimal | None = None,
) -> Procurement:
    """Writes the changed fields with one audit entry naming each change; nothing changed:
    nothing is written."""
    procurement = procurement_locked(procurement.pk)
    if not can_change_details(user, procurement):
        from ..refusals import manage_refused

        raise PermissionDenied(manage_refused(user, procurement, gettext("endre opplysningene om anskaffelsen")))
    before = copy.copy(procurement)
    title, description = (title or "").strip(), (description or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = gettext("Skriv en tittel.")
    if not description:
        errors["description"] = gettext("Beskriv behovet.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = gettext("Skriv høyst %(max)d tegn.") % {"max": DESCRIPTION_MAX_LENGTH}
    if kind not in NeedKind.values:
        errors["kind"] = gettext("Velg hva slags behov det er.")
    if funding not in Funding.values:
        errors["funding"] = gettext("Velg hvordan anskaffelsen finansieres.")
    if estimated_value is not None and (not estimated_value.is_finite() or estimated_value < 0):
        errors["estimated_value"] = gettext("Skriv et beløp som ikke er negativt.")
    if errors:
        raise ValidationError(errors)
    procurement.title, procurement.description, procurement.kind = title, description, kind
    procurement.funding, procurement.estimated_value = funding, estimated_value
    procurement.full_clean(exclude=["state"])  # the FSM field is protected
    changes = field_changes(before, procurement, DETAIL_FIELDS)
    if not changes:
        return procurement
    procurement.save(update_fields=[change.name for change in changes] + ["updated_at"])
    audit_record(
        actor=user,
        action=Action.PROCUREMENT_CHANGED,
        procurement=procurement,
        message=f"Opplysningene om anskaffelsen er endret: {changes_sentence(changes)}.",
        data=changes_data(changes),
    )
    return procurement
