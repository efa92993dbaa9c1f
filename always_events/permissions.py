"""Who may do what, as DESIGN §3 says. Views call these; they never decide on their own.

Every read of trust data starts from the user's memberships: an object of an
organisation the user is not a member of answers 404 (not 403), so nobody learns that
another trust's object exists. A member whose role does not allow an action gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from programmes.models import Membership

Role = Membership.Role
READ_ROLES = frozenset(Role.values)
MANAGE_MEMBERS_ROLES = frozenset({Role.ORG_ADMIN})
SIGN_OFF_ROLES = frozenset({Role.EXECUTIVE})


def membership_in(user, organisation) -> Membership:
    """The user's membership of the organisation, or 404."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise Http404("Not a member of this organisation")
    return membership


def require_role(membership: Membership, roles) -> None:
    if membership.role not in roles:
        raise PermissionDenied(f"Your role ({membership.get_role_display()}) cannot do this")


def can_edit_always_event(membership: Membership, always_event) -> bool:
    """Leads edit every Always Event of their organisation; staff edit the ones they are on."""
    if membership.organisation_id != always_event.organisation_id:
        return False
    if membership.role == Role.LEAD:
        return True
    if membership.role == Role.STAFF:
        user_id = membership.user_id
        return (
            always_event.leads.filter(pk=user_id).exists()
            or always_event.team.filter(pk=user_id).exists()
        )
    return False


CREATE_ALWAYS_EVENT_ROLES = frozenset({Role.LEAD})
MANAGE_ORGANISATION_READINESS_ROLES = frozenset({Role.LEAD, Role.EXECUTIVE})


def require_edit_always_event(membership: Membership, always_event) -> None:
    """403 unless the member may edit the Always Event (see can_edit_always_event)."""
    if not can_edit_always_event(membership, always_event):
        raise PermissionDenied("You cannot change this Always Event")


def can_see_organisation(user, organisation_id) -> bool:
    """True when the user is a member of the organisation (no exception, for form choices)."""
    return user.is_authenticated and Membership.objects.filter(
        user=user, organisation_id=organisation_id
    ).exists()
