"""The API under /api/v1/, its schema and its documentation page (config/urls.py)."""
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("collaborations", views.CollaborationViewSet, basename="api-collaboration")
router.register("procurements", views.ProcurementViewSet, basename="api-procurement")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/ocds/", views.InstallationOcdsView.as_view(), name="api-ocds"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", login_required(views.api_docs), name="api-docs"),
]
