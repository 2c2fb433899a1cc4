from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from benefits import urls as benefit_urls
from core.views import health
from core.views.favicon import FaviconView
from core.views.login import DemoLoginView
from meetings import urls as meeting_urls
from meetings import views as meeting_views
from notifications import urls as notification_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("logg-inn/", DemoLoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz/", health.healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link> says.
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("api/", include("api.urls")),
    path("anskaffelser/<int:procurement_id>/tildeling/", include("contracts.urls")),
    path("anskaffelser/<int:procurement_id>/konkurransegrunnlag/", include("tendering.urls")),
    path("anskaffelser/<int:procurement_id>/evaluering/", include("evaluation.urls")),
    path("", include("comments.urls")),
    path("anskaffelser/<int:procurement_id>/gevinster/", include(benefit_urls.procurement_urls)),
    path("gevinster/", include(benefit_urls.portfolio_urls)),
    path("anskaffelser/<int:procurement_id>/moter/", include("meetings.urls")),
    path("samarbeid/moter/", meeting_views.collaboration_meetings, name="collaboration_meetings"),
    path("samarbeid/<int:collaboration_id>/moter/", include(meeting_urls.collaboration_urlpatterns)),
    path("varsler/", include("notifications.urls")),
    path("kalender/", include(notification_urls.feed_urlpatterns)),
    path("anskaffelser/<int:procurement_id>/avtaler/", include("agreements.urls")),
    path("", include("procurement.urls")),
]
