"""{% meeting_url meeting "minutes_send" %}: the address of one of a meeting's pages, under its
procurement or its collaboration (meetings/scope.py), so one template serves both."""
from django import template

from meetings.scope import meeting_path

register = template.Library()


@register.simple_tag
def meeting_url(meeting, name: str = "meeting_detail") -> str:
    return meeting_path(meeting, name)
