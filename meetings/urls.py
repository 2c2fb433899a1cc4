"""Under anskaffelser/<procurement_id>/moter/ (a procurement's meetings) and
samarbeid/<collaboration_id>/moter/ (a collaboration's own): the same views, the second set's
names with collaboration_ in front (meetings/scope.py builds either)."""
from django.urls import path

from . import views


def _patterns(prefix: str = "") -> list:
    return [
        path("", views.meeting_list, name=f"{prefix}meeting_list"),
        path("nytt/", views.meeting_create, name=f"{prefix}meeting_create"),
        path("<int:meeting_id>/", views.meeting_detail, name=f"{prefix}meeting_detail"),
        path("<int:meeting_id>/endre/", views.meeting_edit, name=f"{prefix}meeting_edit"),
        path("<int:meeting_id>/referat/", views.minutes_send, name=f"{prefix}minutes_send"),
        path("<int:meeting_id>/referat/fil/", views.minutes_file, name=f"{prefix}minutes_file"),
        path("<int:meeting_id>/referat/godkjenn/", views.minutes_approve, name=f"{prefix}minutes_approve"),
        path("<int:meeting_id>/rettelser/", views.correction_submit, name=f"{prefix}correction_submit"),
        path("<int:meeting_id>/kalender.ics", views.meeting_calendar, name=f"{prefix}meeting_calendar"),
    ]


urlpatterns = _patterns()
collaboration_urlpatterns = _patterns("collaboration_")
