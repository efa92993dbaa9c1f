from django.conf import settings

from programmes.models import Membership

SESSION_KEY = "current_organisation_id"


class CurrentOrganisationMiddleware:
    """Sets request.membership: the signed-in user's role in the organisation they chose.

    A user in several organisations switches between them; the choice is kept in the
    session. Everything that reads trust data starts from this membership.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = current_membership(request)
        return self.get_response(request)


def current_membership(request) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        membership = memberships.filter(organisation_id=chosen).first()
        if membership:
            return membership
    return memberships.order_by("organisation__name").first()


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header: this service needs no camera, microphone or location."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
