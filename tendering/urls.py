"""The specification's screens, under anskaffelser/<procurement_id>/konkurransegrunnlag/ (config/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.specification_page, name="tendering_specification"),
    path("krav/ny/", views.requirement_add, name="tendering_requirement_add"),
    path("krav/<int:requirement_id>/", views.requirement_edit, name="tendering_requirement_edit"),
    path("krav/<int:requirement_id>/ta-ut/", views.requirement_remove, name="tendering_requirement_remove"),
    path("behov/ny/", views.need_add, name="tendering_need_add"),
    path("kommentarer/ny/", views.comment_add, name="tendering_comment_add"),
    path("avklaringer/ny/", views.clarification_add, name="tendering_clarification_add"),
    path("bibliotek/", views.library_page, name="tendering_library"),
    path("bibliotek/kopier/", views.library_copy, name="tendering_library_copy"),
    path("publiser/", views.specification_publish, name="tendering_publish"),
    path("kriterier/", views.criteria_page, name="tendering_criteria"),
    path("kriterier/ny/", views.criterion_propose, name="tendering_criterion_propose"),
    path("kriterier/trekk/", views.criterion_remove, name="tendering_criterion_remove"),
    path("kriterier/beslutt/", views.criteria_decide, name="tendering_criteria_decide"),
    path("tekst/", views.tender_text_page, name="tendering_tender_text"),
    path("kvalifikasjon/ny/", views.qualification_add, name="tendering_qualification_add"),
    path("pdf/<slug:document>/", views.document_pdf, name="tendering_document_pdf"),
    path("pdf/<slug:document>/ny-versjon/", views.document_version_add, name="tendering_document_version_add"),
    path("pakke/ny/", views.package_request, name="tendering_package_request"),
    path("pakke/<int:package_id>/", views.package_page, name="tendering_package"),
    path("pakke/<int:package_id>/last-ned/", views.package_download, name="tendering_package_download"),
]
