from django.utils.functional import SimpleLazyObject

from .selectors.intake import reporting_options


def may_report_need(request):
    """Whether the menu offers "Meld inn behov": only to those the page will not refuse. Read
    only when a page draws the menu (two queries; one for a person with no reporting role)."""
    user = getattr(request, "user", None)
    return {"may_report_need": SimpleLazyObject(lambda: bool(user is not None and reporting_options(user=user)))}
