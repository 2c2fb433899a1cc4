"""Comments naming a person, as tasks in "Mine oppgaver" (registered in CommentsConfig.ready)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from procurement.extensions import Task

from .selectors import open_mentions


def tasks_for(*, user) -> list[Task]:
    return [
        Task(
            "mention",
            _("Svar på kommentaren fra %(author)s") % {"author": comment.author.get_full_name() or comment.author.username},
            reverse("procurement_detail", args=[comment.procurement_id]) + f"#kommentarer-{comment.subject}-{comment.code}",
            comment.procurement,
        )
        for comment in open_mentions(user=user)
    ]
