from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.views import health
from core.views.login import DemoLoginView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("logg-inn/", DemoLoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz/", health.healthz, name="healthz"),
    path("anskaffelser/<int:procurement_id>/tildeling/", include("contracts.urls")),
    path("anskaffelser/<int:procurement_id>/moter/", include("meetings.urls")),
    path("", include("procurement.urls")),
]
