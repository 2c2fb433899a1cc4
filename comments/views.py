"""Writing in a thread and following up a mention. With htmx the thread is swapped in place;
without it the page reloads at the thread."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.htmx import is_htmx
from procurement.views.detail import render_detail, visible_procurement_or_404

from .forms import CommentForm
from .models import Comment, Subject
from .selectors import people_who_may_read
from .services import SubjectNotFound, comment_add, comment_mention_done, comment_refusal, comment_subject, may_read_thread
from .threads import Thread, form_prefix, thread_anchor


@login_required
@require_POST
def comment_create(request, procurement_id: int, subject: str, code: str):
    procurement = visible_procurement_or_404(request.user, procurement_id)
    if subject not in Subject.values:
        raise Http404
    try:
        definition = comment_subject(procurement, subject, code)
    except SubjectNotFound:
        raise Http404 from None
    if not may_read_thread(user=request.user, procurement=procurement, definition=definition):
        raise comment_refusal(user=request.user, procurement=procurement, subject=subject, definition=definition)
    people = people_who_may_read(procurement=procurement, definition=definition)
    form = CommentForm(request.POST, prefix=form_prefix(subject, code), people=people)
    if form.is_valid():
        try:
            comment_add(
                user=request.user,
                procurement=procurement,
                subject=subject,
                code=code,
                text=form.cleaned_data["text"],
                mentioned_id=form.cleaned_data["mentioned"],
            )
        except ValidationError as error:
            add_service_error(form, error, default_field="text")
    anchor = thread_anchor(subject, code)
    if is_htmx(request):
        comments = list(Comment.objects.filter(procurement=procurement, subject=subject, code=code).select_related("author", "mentioned"))
        fresh = form if form.errors else CommentForm(prefix=form_prefix(subject, code), people=people)
        thread = Thread(subject, code, comments, fresh)
        return render(
            request,
            "comments/_thread.html",
            {"thread": thread, "procurement": procurement, "label": definition.label, "saved": not form.errors},
            status=400 if form.errors else 200,
        )
    if form.errors:
        return render_detail(request, procurement.pk, status=400, comment_form=form, comment_key=(subject, code))
    messages.success(request, _("Kommentaren er lagret."))
    return redirect(reverse("procurement_detail", args=[procurement.pk]) + f"#{anchor}")


@login_required
@require_POST
def mention_done(request, comment_id: int):
    try:
        comment_mention_done(user=request.user, comment_id=comment_id)
    except Comment.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Kommentaren er merket som fulgt opp."))
    return redirect("my_tasks")
