"""Checks every writer starts with: lock the procurement row for the rest of the
transaction, refuse someone who does not run it, and leave a trace of every refusal."""
import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from audit.services import audit_refusal

from ..exceptions import ProcurementError
from ..models import Procurement

# What a person was refused (as opposed to a form they filled in wrongly, which is a
# ValidationError and goes back to the form).
REFUSALS = (PermissionDenied, ProcurementError)


def procurement_locked(procurement_id: int) -> Procurement:
    """The procurement, its row locked until the transaction ends (not its collaboration's row, so
    work on other procurements of the collaboration is not held up)."""
    return Procurement.objects.select_for_update(of=("self",)).select_related("collaboration").get(pk=procurement_id)


def require_manage(user, procurement: Procurement, message: str) -> None:
    if not user.has_perm("procurement.manage_procurement", procurement):
        raise PermissionDenied(message)


def refusals_audited(action: str, describe: Callable[[dict], str]) -> Callable:
    """Wraps a service (outside its transaction) so that a refusal is written to the audit
    log as ACTION after the service's own writes were rolled back, then raised on. DESCRIBE
    turns the service's keyword arguments into the words for what was tried."""

    def decorate(service: Callable) -> Callable:
        @functools.wraps(service)
        def wrapper(**kwargs):
            try:
                return service(**kwargs)
            except REFUSALS as error:
                user = kwargs.get("user")
                procurement = kwargs.get("procurement")
                # Or the procurement of the row the service was given (a deadline, a tender ...).
                owner = next((value for value in kwargs.values() if hasattr(value, "procurement_id")), None)
                procurement_id = (
                    kwargs.get("procurement_id") or getattr(procurement, "pk", None) or getattr(owner, "procurement_id", None)
                )
                audit_refusal(
                    actor=user,
                    action=action,
                    procurement_id=procurement_id,
                    message=f"Avvist: {user} {describe(kwargs)}. {error}",
                    data={
                        "refusal": type(error).__name__,
                        "reasons": [str(reason) for reason in getattr(error, "reasons", [])],
                        **{k: v for k, v in kwargs.items() if isinstance(v, (int, str)) and k not in ("user", "comment", "text", "reason")},
                    },
                )
                raise

        return wrapper

    return decorate
