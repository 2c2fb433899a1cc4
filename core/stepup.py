"""Step-up before a signature: the signer types their password again, so a session left
open on an unattended screen cannot sign. A wrong password is refused, written to the audit
log, and nothing is recorded. With the request, a wrong password also counts as a failed login
of the account and the address for django-axes (the user_login_failed signal it listens to),
so guessing at a signing form locks the account like guessing at the login page; while
locked, even the right password is refused here as it is there."""
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from audit.actions import Action
from audit.services import audit_refusal


class StepUpFailed(ValidationError):
    """The password did not match; the form shows it next to the password field."""


def locked_message() -> str:
    minutes = max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1)
    return ngettext(
        "For mange feil passord: kontoen er sperret. Ingenting er signert. Vent %(minutes)d minutt og prøv igjen. "
        "Har du glemt passordet, kontakt koordinatoren i samarbeidet ditt.",
        "For mange feil passord: kontoen er sperret. Ingenting er signert. Vent %(minutes)d minutter og prøv igjen. "
        "Har du glemt passordet, kontakt koordinatoren i samarbeidet ditt.",
        minutes,
    ) % {"minutes": minutes}


def _credentials(user) -> dict:
    # Only the username: the password never leaves this function, masked or not.
    return {"username": user.get_username()}


def _locked(request, user) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def step_up_confirm(*, user, password: str, procurement_id: int | None, what: str, request=None) -> None:
    """Returns when PASSWORD is USER's own and the account and address are not locked out;
    otherwise audits the refusal and raises StepUpFailed (a ValidationError on the field
    ``password``). WHAT says what was to be signed. REQUEST, when given (a signing form),
    makes a wrong password count towards the login lockout."""
    locked = request is not None and user.is_authenticated and _locked(request, user)
    if (
        not locked
        and password
        and len(password) <= 4096
        and user.is_authenticated
        and user.check_password(password)
    ):
        return
    if request is not None and user.is_authenticated and not locked:
        # axes records the failure for the username and the address, and flags the request
        # when this one reaches the limit; the login audit receiver notes it too.
        user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        locked = bool(getattr(request, "axes_locked_out", False))
    if locked and request is not None:
        # The signing form says why itself (core.views.login.login_locked_out keeps its page).
        request.step_up_locked_out = True
    audit_refusal(
        actor=user,
        action=Action.STEP_UP_REFUSED,
        procurement_id=procurement_id,
        message=(
            f"Avvist: {user} bekreftet ikke signaturen på «{what}» med riktig passord"
            + (" (kontoen er sperret etter for mange feil passord)." if locked else ".")
        ),
        data={"refusal": "StepUpFailed", "what": what[:200], "locked_out": locked},
    )
    raise StepUpFailed({"password": locked_message() if locked else gettext("Passordet er feil. Ingenting er signert.")})
