from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import views

urlpatterns = [
    # First: the patients' feedback form is the busiest path, and Django tries patterns
    # in order (no other pattern matches a path under f/).
    path("", include("evaluation.urls")),
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("organisations/switch/", views.switch_organisation, name="switch_organisation"),
    path("accounts/", include("accounts.urls")),
    path("", include("programmes.urls")),
    path("", include("coproduction.urls")),
    path("", include("evaluation.dashboards")),
    path("", include("evaluation.report_views")),
    path("", include("evaluation.programme_views")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("admin/", admin.site.urls),
]

handler403 = "always_events.views.permission_denied"
handler404 = "always_events.views.page_not_found"
handler500 = "always_events.views.server_error"
