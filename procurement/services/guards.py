"""Checks every writer starts with: lock the procurement row for the rest of the
transaction, and refuse someone who does not run it."""
from django.core.exceptions import PermissionDenied

from ..models import Procurement


def procurement_locked(procurement_id: int) -> Procurement:
    """The procurement, its row locked until the transaction ends (not its region's row, so
    work on other procurements of the region is not held up)."""
    return Procurement.objects.select_for_update(of=("self",)).select_related("region").get(pk=procurement_id)


def require_manage(user, procurement: Procurement, message: str) -> None:
    if not user.has_perm("procurement.manage_procurement", procurement):
        raise PermissionDenied(message)
