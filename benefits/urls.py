"""The benefit screens: under anskaffelser/<procurement_id>/gevinster/ per procurement, and
the portfolio of a collaboration under gevinster/ (config/urls.py)."""
from django.urls import path

from . import views

procurement_urls = [
    path("", views.benefit_plan, name="benefit_plan"),
    path("plan/", views.plan_edit, name="benefit_plan_edit"),
    path("vedlegg/", views.plan_attachment, name="benefit_plan_download"),
    path("ny/", views.benefit_edit, name="benefit_add"),
    path("<int:benefit_id>/", views.benefit_edit, name="benefit_edit"),
    path("<int:benefit_id>/kommune/<int:municipality_id>/", views.share_edit, name="benefit_share_edit"),
    path("del/<int:share_id>/maling/", views.measurement_add, name="benefit_measurement_add"),
    path("versjoner/<int:number>/", views.plan_version, name="benefit_plan_version"),
    path("gevinstplan.pdf", views.plan_pdf, name="benefit_plan_pdf"),
    path("gevinster.xlsx", views.plan_export, name="benefit_plan_xlsx"),
]

portfolio_urls = [
    path("", views.portfolio_index, name="benefit_portfolios"),
    path("<int:collaboration_id>/", views.portfolio_detail, name="benefit_portfolio"),
    path("<int:collaboration_id>/portefolje.xlsx", views.portfolio_export, name="benefit_portfolio_xlsx"),
]
