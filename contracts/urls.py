"""The award section's POSTs, under anskaffelser/<procurement_id>/tildeling/ (config/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("meddelelse/", views.award_notice_send, name="award_notice_send"),
    path("meddelelse/<int:notice_id>/trekk-tilbake/", views.award_notice_withdraw, name="award_notice_withdraw"),
    path("klager/", views.complaint_register, name="complaint_register"),
    path("klager/<int:complaint_id>/avgjor/", views.complaint_resolve, name="complaint_resolve"),
    path("klager/<int:complaint_id>/dokumenter/<int:document_id>/", views.complaint_document_download, name="complaint_document_download"),
]
