from django.conf import settings
from django.urls import reverse

# The header's menu: (label, URL name, the path prefixes of the section it names).
NAVIGATION = [
    ("Dashboard", "dashboards:executive", ("/dashboard/",)),
    ("Always Events", "programmes:always_event_list", ("/always-events/", "/measures/", "/forms/")),
    ("Co-production", "coproduction:overview", ("/coproduction/",)),
    ("Your organisation", "programmes:readiness_list", ("/organisation/",)),
]


def service(request):
    return {"service_name": settings.SERVICE_NAME, "navigation": navigation(request)}


def navigation(request) -> list[dict]:
    """The menu for signed-in members, with the section of the current page marked."""
    if not getattr(request, "membership", None):
        return []
    return [
        {"label": label, "url": reverse(name), "current": request.path.startswith(prefixes)}
        for label, name, prefixes in NAVIGATION
    ]
