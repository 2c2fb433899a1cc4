"""Under varsler/ (config/urls.py); the calendar feed under kalender/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox_list, name="inbox"),
    path("lest/", views.inbox_read, name="inbox_read"),
    path("<int:message_id>/", views.inbox_open, name="inbox_open"),
    path("valg/", views.notification_settings, name="notification_settings"),
    path("kalender/ny/", views.calendar_feed_create, name="calendar_feed_create"),
    path("kalender/<int:feed_id>/trekk-tilbake/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
]

feed_urlpatterns = [
    path("<str:token>.ics", views.calendar_feed_ics, name="calendar_feed"),
]
