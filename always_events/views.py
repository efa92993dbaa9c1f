import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from programmes.models import Membership

from . import database_unavailable
from . import health as health_checks
from .middleware import SESSION_KEY


@login_required
def home(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name")
    )
    from evaluation.programme import open_survey

    return render(request, "home.html", {
        "memberships": memberships, "evaluation_survey_open": open_survey() is not None,
    })


def privacy(request):
    """The privacy notice, with the retention periods the service is set up with."""
    return render(request, "privacy.html", {
        "free_text_months": settings.FEEDBACK_FREE_TEXT_RETENTION_MONTHS,
        "partner_months": settings.PARTNER_RETENTION_MONTHS,
        "check_in_comment_months": settings.CHECK_IN_COMMENT_RETENTION_MONTHS,
        "engagement_quote_months": settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS,
        "interview_text_months": settings.INTERVIEW_TEXT_RETENTION_MONTHS,
    })


@require_POST
@login_required
def switch_organisation(request):
    chosen = request.POST.get("organisation", "")
    membership = (
        Membership.objects.filter(user=request.user, organisation_id=chosen)
        .select_related("organisation")
        .first()
        if chosen.isdigit()
        else None
    )
    if membership is None:
        raise Http404("You are not a member of that organisation")
    request.session[SESSION_KEY] = membership.organisation_id
    messages.success(request, f"You are now working in {membership.organisation.name}")
    return redirect("home")


@never_cache
def health(request):
    report = health_checks.check_all()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    if database_unavailable.is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable.try_again_response()
    return render(request, "500.html", status=500)
