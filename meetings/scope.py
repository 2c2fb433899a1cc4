"""Whose meetings a screen shows: a procurement's groups (project, steering, evaluation
group) or a collaboration's own bodies (a network, a steering group) when the meeting
belongs to no procurement (Meeting.procurement is None). The screens, the links in e-mails
and calendars, and "Mine oppgaver" all ask the scope, so the two kinds of meeting share one
set of views, forms and templates."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MeetingScope:
    collaboration: object  # municipalities.Collaboration
    procurement: object = None  # procurement.Procurement, or None for the collaboration's own meetings

    @classmethod
    def of(cls, meeting) -> MeetingScope:
        return cls(collaboration=meeting.collaboration, procurement=meeting.procurement)

    @property
    def owner(self):
        return self.procurement or self.collaboration

    @property
    def title(self) -> str:
        return self.procurement.title if self.procurement is not None else self.collaboration.name

    @property
    def is_open(self) -> bool:
        """A closed procurement plans no more meetings; a collaboration is always running."""
        return self.procurement.is_open if self.procurement is not None else True

    def url(self, name: str, *args) -> str:
        return scoped_url(name, getattr(self.procurement, "pk", None), self.collaboration.pk, *args)

    @property
    def list_url(self) -> str:
        return self.url("meeting_list")

    @property
    def create_url(self) -> str:
        return self.url("meeting_create")

    @property
    def home_url(self) -> str:
        """Where the breadcrumbs lead above the list: the procurement, or the list of the
        collaborations whose meetings the person sees."""
        if self.procurement is not None:
            return reverse("procurement_detail", args=[self.procurement.pk])
        return reverse("collaboration_meetings")


def scoped_url(name: str, procurement_id: int | None, collaboration_id: int, *args) -> str:
    """NAME is the procurement's URL name (meetings/urls.py); the collaboration's is the same
    with collaboration_ in front, under samarbeid/<id>/moter/."""
    if procurement_id is not None:
        return reverse(name, args=[procurement_id, *args])
    return reverse(f"collaboration_{name}", args=[collaboration_id, *args])


def meeting_path(meeting, name: str = "meeting_detail") -> str:
    """The path of MEETING's page (or of NAME, one of its actions), whichever scope it is in;
    from the ids alone, so a list of meetings links them without loading their owners."""
    return scoped_url(name, meeting.procurement_id, meeting.collaboration_id, meeting.pk)
