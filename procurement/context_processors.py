from django.utils.functional import SimpleLazyObject

from .selectors.intake import may_report


def may_report_need(request):
    """Whether the menu offers "Meld inn behov": only to those the page will not refuse. Read
    only when a page draws the menu (one query)."""
    user = getattr(request, "user", None)
    return {"may_report_need": SimpleLazyObject(lambda: user is not None and may_report(user=user))}
