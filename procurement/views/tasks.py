"""'Mine oppgaver': invitations my municipality must answer, signatures waiting for me, and
deliverables missing in procurements I write for, and everything else the apps' task sources
find. Each list has its own pages (?invitasjoner=N, ?signaturer=N, ?leveranser=N,
?oppgaver=N); with htmx a page link swaps only its own list."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from comments.selectors import open_mentions

from ..extensions import tasks_for as registered_tasks_for
from ..models import Procurement
from ..page_cache import cached_html, cases_fingerprint, collaborations_fingerprint, page_key, this_moment
from ..selectors.paging import page_of
from ..selectors.tasks import tasks_for
from ..task_sources import SECTIONED_KINDS
from .paging import pagination

# Section -> the address parameter that picks its page.
PAGE_PARAMS = {
    "invitations": "invitasjoner",
    "signatures": "signaturer",
    "missing_deliverables": "leveranser",
    "mentions": "kommentarer",
}
OTHER_PARAM = "oppgaver"  # the pages of "Dette venter på deg"


@login_required
@require_safe
def my_tasks(request):
    """Kept (procurement.page_cache) under a fingerprint of every case (not only those the
    person may see: a source may find work through a role, such as an invitation to
    answer) and of every collaboration's own rows (its meetings of no case), and the five
    minutes it is drawn in: a change of data shows at once, what only time brings (a
    meeting that has begun, a deadline that has passed) within five minutes."""
    key = page_key(
        request,
        "my_tasks",
        *cases_fingerprint(Procurement.objects.all()),
        collaborations_fingerprint(),
        this_moment(minutes=5),
    )
    content = cached_html(key, lambda: render_to_string("procurement/_tasks_page.html", _tasks_context(request), request=request))
    return render(request, "procurement/my_tasks.html", {"content": content})


def _tasks_context(request) -> dict:
    tasks = tasks_for(user=request.user, pages={section: request.GET.get(param) for section, param in PAGE_PARAMS.items()})
    pages = tasks.pop("pages")
    pages["mentions"] = page_of(open_mentions(user=request.user), request.GET.get(PAGE_PARAMS["mentions"]))
    tasks["mentions"] = list(pages["mentions"].object_list)
    # Everything else the process waits for, from every app's registered source
    # (procurement.extensions.task_source_register); the kinds listed below are left out.
    # Paged like the other lists, so the page stays the same size whatever the person holds.
    other = page_of(registered_tasks_for(request.user, skip_kinds=SECTIONED_KINDS), request.GET.get(OTHER_PARAM))
    count = sum(page.paginator.count for page in pages.values()) + other.paginator.count
    return {
        **tasks,
        "other_tasks": list(other.object_list),
        "other_page": other,
        "other_pagination": pagination(request, other, param=OTHER_PARAM),
        "today": timezone.localdate(),
        "task_count": count,
        "pages": pages,
        "paginations": {section: pagination(request, page, param=PAGE_PARAMS[section]) for section, page in pages.items()},
    }
