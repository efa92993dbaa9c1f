from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

EXEMPT_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/health/")


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user who needs two-factor sign-in, and has not passed it in this
    session, to set it up or enter a code before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            target = reverse("two_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        from .two_factor import needs_two_factor

        user = request.user
        return (
            settings.TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
            and needs_two_factor(user)
        )
