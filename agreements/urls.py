from django.urls import path

from . import views

urlpatterns = [
    path("", views.dpa_edit, name="agreements_page"),
    path("databehandleravtale/", views.dpa_edit, name="dpa_edit"),
    path("databehandleravtale.pdf", views.dpa_pdf, name="dpa_pdf"),
    path("databehandleravtale-signert.pdf", views.dpa_signed_pdf, name="dpa_signed_pdf"),
    path("kontrakt/", views.contract_edit, name="contract_edit"),
    path("kontrakt/signer/", views.contract_sign_view, name="contract_sign"),
    path("kontrakt-signert.pdf", views.contract_signed_pdf, name="contract_signed_pdf"),
]
