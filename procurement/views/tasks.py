"""'Mine oppgaver': invitations my municipality must answer, signatures waiting for me, and
deliverables missing in procurements I write for. Each list has its own pages (?invitasjoner=N,
?signaturer=N, ?leveranser=N); with htmx a page link swaps only its own list."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comments.selectors import open_mentions

from ..selectors.paging import page_of
from ..selectors.tasks import tasks_for
from .paging import pagination

# Section -> the address parameter that picks its page.
PAGE_PARAMS = {
    "invitations": "invitasjoner",
    "signatures": "signaturer",
    "missing_deliverables": "leveranser",
    "mentions": "kommentarer",
}


@login_required
@require_safe
def my_tasks(request):
    tasks = tasks_for(user=request.user, pages={section: request.GET.get(param) for section, param in PAGE_PARAMS.items()})
    pages = tasks.pop("pages")
    pages["mentions"] = page_of(open_mentions(user=request.user), request.GET.get(PAGE_PARAMS["mentions"]))
    tasks["mentions"] = list(pages["mentions"].object_list)
    count = sum(page.paginator.count for page in pages.values())
    return render(
        request,
        "procurement/my_tasks.html",
        {
            **tasks,
            "task_count": count,
            "pages": pages,
            "paginations": {
                section: pagination(request, page, param=PAGE_PARAMS[section]) for section, page in pages.items()
            },
        },
    )
