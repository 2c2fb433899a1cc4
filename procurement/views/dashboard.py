"""The coordinator's dashboard: every procurement the user may see, what holds each one up,
its next deadline and whose signature is missing, with filters, a page at a time. The filter
form is a plain GET form and the pages plain links (?side=N, keeping the filters); htmx
swaps only the table when it is present."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from audit.actions import Action
from audit.services import audit_record, record_language
from core.htmx import is_htmx_partial

from .. import phases
from ..forms.dashboard import DashboardFilterForm
from ..page_cache import cases_fingerprint, kept, page_key, this_moment
from ..selectors.access import procurements_visible
from ..selectors.dashboard import dashboard_filter_choices, procurement_list, procurement_rows_all
from ..selectors.intake import initiatives_visible
from ..spreadsheets import dashboard_workbook
from .paging import pagination

INITIATIVES_SHOWN = 10


@login_required
@require_safe
def dashboard(request):
    """The filters and the table are kept (procurement.page_cache) under a fingerprint of
    every case the person may see, so a change to any of them draws them anew; the
    initiatives below are drawn for every request."""
    partial = is_htmx_partial(request)
    key = page_key(request, "dashboard", partial, *cases_fingerprint(procurements_visible(user=request.user)), this_moment())
    content, show_collaboration = kept(key, lambda: _dashboard_drawn(request, partial))
    if partial:
        response = HttpResponse(content)
    else:
        initiatives = list(initiatives_visible(user=request.user)[: INITIATIVES_SHOWN + 1])
        context = {
            "content": mark_safe(content),  # drawn by the template engine, which escaped what it put in
            "show_collaboration": show_collaboration,
            "initiatives": initiatives[:INITIATIVES_SHOWN],
            "initiatives_more": len(initiatives) > INITIATIVES_SHOWN,
        }
        response = render(request, "procurement/procurement_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _dashboard_drawn(request, partial: bool) -> tuple[str, bool]:
    """The heading, filters and table (only the table for htmx), and whether the person sees
    more than one collaboration."""
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
        "is_htmx": partial,
        "export_query": _filter_query(request),
    }
    template = "procurement/_procurement_table.html" if partial else "procurement/_dashboard_page.html"
    return str(render_to_string(template, context, request=request)), form.show_collaboration


def _filter_query(request) -> str:
    """The address's filters without the page number: the export takes every page."""
    query = request.GET.copy()
    query.pop("side", None)
    return query.urlencode()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def dashboard_export(request):
    """The dashboard's list with the same filters, every page, as an Excel workbook."""
    choices = dashboard_filter_choices(user=request.user)
    form = DashboardFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    content, count = dashboard_workbook(
        procurement_rows_all(user=request.user, **filters),
        url_of=lambda p: request.build_absolute_uri(reverse("procurement_detail", args=[p.pk])),
    )
    used = {name: value for name, value in filters.items() if value is not None}
    with record_language():
        audit_record(
            actor=request.user,
            action=Action.DASHBOARD_EXPORTED,
            message=ngettext(
                "Lastet ned oversikten som regneark: %(count)s anskaffelse.",
                "Lastet ned oversikten som regneark: %(count)s anskaffelser.",
                count,
            )
            % {"count": count},
            data={"filters": used, "count": count},
        )
    response = HttpResponse(content, content_type=XLSX)
    name = f"anskaffelser-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
