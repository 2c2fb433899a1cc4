"""The evaluation page and its POSTs, under anskaffelser/<procurement_id>/evaluering/ (config/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.evaluation_page, name="evaluation_page"),
    path("tilbudsperiode/", views.period_save, name="evaluation_period_save"),
    path("leverandorer/ny/", views.supplier_add, name="evaluation_supplier_add"),
    path("sporsmal/ny/", views.question_add, name="evaluation_question_add"),
    path("sporsmal/<int:question_id>/svar/", views.question_answer, name="evaluation_question_answer"),
    path("sporsmal/publiser/", views.answers_publish, name="evaluation_answers_publish"),
    path("tilbud/ny/", views.tender_register, name="evaluation_tender_register"),
    path("tilbud/<int:tender_id>/kvalifikasjon/", views.tender_qualify, name="evaluation_tender_qualify"),
    path("tilbud/<int:tender_id>/egenskaper/", views.tender_characteristics, name="evaluation_tender_characteristics"),
    path("tilbud/<int:tender_id>/versjon/<int:version_id>/", views.tender_download, name="evaluation_tender_download"),
    path("tilbud/<int:tender_id>/forhandling/", views.negotiation_meeting_add, name="evaluation_meeting_add"),
    path("tilbud/<int:tender_id>/revisjon/", views.tender_revise, name="evaluation_tender_revise"),
    path("evaluatorer/ny/", views.evaluator_assign, name="evaluation_evaluator_assign"),
    path("habilitet/", views.impartiality_declare, name="evaluation_declare"),
    path("tilbud/<int:tender_id>/poeng/<int:criterion_id>/", views.score_save, name="evaluation_score_save"),
    path("tilbud/<int:tender_id>/konsensus/<int:criterion_id>/", views.consensus_save, name="evaluation_consensus_save"),
    path("rapport.pdf", views.report_pdf, name="evaluation_report_pdf"),
    path("rapport/ny-versjon/", views.report_version_add, name="evaluation_report_version_add"),
]
