from django.utils.functional import SimpleLazyObject

from .inbox import unread_count


def unread_notifications(request):
    """The header's unread count, read only when a page shows it (one query)."""
    user = getattr(request, "user", None)
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user) if user is not None else 0)}
