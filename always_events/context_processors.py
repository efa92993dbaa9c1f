from django.conf import settings
from django.urls import reverse

# The header's menu: (label, URL name, the path prefixes of the section it names).
NAVIGATION = [
    ("Dashboard", "dashboards:executive", ("/dashboard/",)),
    ("Always Events", "programmes:always_event_list", ("/always-events/", "/measures/", "/forms/")),
    ("Co-production", "coproduction:overview", ("/coproduction/",)),
    ("Your organisation", "programmes:readiness_list", ("/organisation/",)),
]
# Programme admins read across organisations: their menu, beside any membership's.
PROGRAMME_NAVIGATION = [
    ("Programme", "programme:overview", ("/programme/",)),
]


def service(request):
    return {"service_name": settings.SERVICE_NAME, "navigation": navigation(request)}


def navigation(request) -> list[dict]:
    """The menu for signed-in members and programme admins, with the current section marked."""
    items = NAVIGATION if getattr(request, "membership", None) else []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(user, "programme_admin"):
        items = [*items, *PROGRAMME_NAVIGATION]
    return [
        {"label": label, "url": reverse(name), "current": request.path.startswith(prefixes)}
        for label, name, prefixes in items
    ]
