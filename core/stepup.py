"""Step-up before a signature: the signer types their password again, so a session left
open on an unattended screen cannot sign. A wrong password is refused, written to the audit
log, and nothing is recorded."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_refusal


class StepUpFailed(ValidationError):
    """The password did not match; the form shows it next to the password field."""


def step_up_confirm(*, user, password: str, procurement_id: int | None, what: str) -> None:
    """Returns when PASSWORD is USER's own; otherwise audits the refusal and raises StepUpFailed
    (a ValidationError on the field ``password``). WHAT says what was to be signed."""
    if password and len(password) <= 4096 and user.is_authenticated and user.check_password(password):
        return
    audit_refusal(
        actor=user,
        action=Action.STEP_UP_REFUSED,
        procurement_id=procurement_id,
        message=f"Avvist: {user} bekreftet ikke signaturen på «{what}» med riktig passord.",
        data={"refusal": "StepUpFailed", "what": what[:200]},
    )
    raise StepUpFailed({"password": gettext("Passordet er feil. Ingenting er signert.")})
