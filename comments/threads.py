"""The threads the procurement page shows: one per deliverable and gate it lists, each with
its comments and, for those who may write, a form. Built in a fixed number of queries: the
comments, the people who see the case, and their roles when a restricted item is shown."""
from dataclasses import dataclass

from procurement.selectors.access import roles_by_person

from .forms import CommentForm
from .models import Comment, Subject
from .selectors import people_who_may_see, restricting_document, threads_for


@dataclass
class Thread:
    subject: str
    code: str
    comments: list[Comment]
    form: CommentForm | None

    @property
    def anchor(self) -> str:
        return thread_anchor(self.subject, self.code)

    @property
    def open_mentions(self) -> int:
        return sum(1 for c in self.comments if c.mentioned_id and c.mention_done_at is None)


def thread_anchor(subject: str, code: str) -> str:
    return f"kommentarer-{subject}-{code}"


def form_prefix(subject: str, code: str) -> str:
    return f"k-{subject}-{code}"


def threads_attach(*, procurement, deliverable_rows, gate_rows, readable, writable: bool, bound: CommentForm | None = None, bound_key=None) -> None:
    """Sets .thread on each row. READABLE(definition) says whether this person may read the
    item's thread (a restricted document's thread is as restricted as the document); those
    who may not get no thread at all. WRITABLE: forms are offered (the case is open)."""
    threads = threads_for(procurement)
    people = list(people_who_may_see(procurement)) if writable else []
    restricted_roles = None

    def choices_for(definition):
        nonlocal restricted_roles
        document = restricting_document(definition)
        if document is None or not document.is_restricted:
            return people
        if restricted_roles is None:
            restricted_roles = roles_by_person(procurement=procurement, person_ids=[p.pk for p in people])
        return [p for p in people if document.open_to(restricted_roles.get(p.pk, set()))]

    def thread(subject, definition):
        if not readable(definition):
            return None
        key = (subject, definition.code)
        form = None
        if writable:
            if bound is not None and bound_key == key:
                form = bound
            else:
                form = CommentForm(prefix=form_prefix(*key), people=choices_for(definition))
        return Thread(subject, definition.code, threads.get(key, []), form)

    for row in deliverable_rows:
        row.thread = thread(Subject.DELIVERABLE, row.definition)
    for row in gate_rows:
        row.thread = thread(Subject.GATE, row.status.gate)
