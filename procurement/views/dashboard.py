"""The coordinator's dashboard: every procurement the user may see, what holds each one up,
its next deadline and whose signature is missing, with filters, a page at a time. The filter
form is a plain GET form and the pages plain links (?side=N, keeping the filters); htmx
swaps only the table when it is present."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from core.htmx import is_htmx_partial

from .. import phases
from ..forms.dashboard import DashboardFilterForm
from ..selectors.dashboard import dashboard_filter_choices, procurement_list
from ..selectors.intake import initiatives_visible
from .paging import pagination

INITIATIVES_SHOWN = 10


@login_required
@require_safe
def dashboard(request):
    choices = dashboard_filter_choices(user=request.user)
    form = DashboardFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    listing = procurement_list(user=request.user, page=request.GET.get("side"), **filters)
    context = {
        "form": form,
        "rows": listing.rows,
        "page": listing.page,
        "pagination": pagination(request, listing.page),
        "filtered": any(value is not None for value in filters.values()),
        "phase_count": len(phases.PHASES),
        "today": timezone.localdate(),
        "is_htmx": False,
    }
    if is_htmx_partial(request):
        context["is_htmx"] = True
        response = render(request, "procurement/_procurement_table.html", context)
    else:
        initiatives = list(initiatives_visible(user=request.user)[: INITIATIVES_SHOWN + 1])
        context["initiatives"] = initiatives[:INITIATIVES_SHOWN]
        context["initiatives_more"] = len(initiatives) > INITIATIVES_SHOWN
        response = render(request, "procurement/procurement_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
