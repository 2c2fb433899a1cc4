"""'Mine oppgaver': invitations my municipality must answer, signatures waiting for me, and
deliverables missing in procurements I write for."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..selectors.tasks import tasks_for


@login_required
@require_safe
def my_tasks(request):
    tasks = tasks_for(user=request.user)
    count = len(tasks["invitations"]) + len(tasks["signatures"]) + len(tasks["missing_deliverables"])
    return render(request, "procurement/my_tasks.html", {**tasks, "task_count": count})
