"""Under anskaffelser/<procurement_id>/moter/ (config/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("nytt/", views.meeting_create, name="meeting_create"),
    path("<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/referat/", views.minutes_send, name="minutes_send"),
    path("<int:meeting_id>/referat/fil/", views.minutes_file, name="minutes_file"),
    path("<int:meeting_id>/referat/godkjenn/", views.minutes_approve, name="minutes_approve"),
    path("<int:meeting_id>/rettelser/", views.correction_submit, name="correction_submit"),
    path("<int:meeting_id>/kalender.ics", views.meeting_calendar, name="meeting_calendar"),
]
