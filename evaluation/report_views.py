"""Pages of the monthly oversight reports: the list, a report, downloads, building a draft
and the sponsor's sign-off. Every report is read through the user's memberships: another
organisation's report is not found (DESIGN §3)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from always_events.permissions import SIGN_OFF_ROLES, membership_in, require_role
from nhsuk.helper import FormHelper
from nhsuk.layout import Submit
from programmes.models import Membership

from . import reports
from .models import OversightReport

BUILD_ROLES = frozenset({Membership.Role.LEAD, Membership.Role.EXECUTIVE})
PER_PAGE = 12
DOWNLOADS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class SignOffForm(forms.Form):
    comments = forms.CharField(
        label="Your comments",
        max_length=5000,
        help_text="What the oversight group and the board should know, and any actions agreed",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your comments on the report"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.layout.append(Submit("sign", "Sign off this report"))


def _membership(request) -> Membership:
    if request.membership is None:
        raise Http404("You are not a member of an organisation")
    return request.membership


def _report_for(user, pk: int, *, defer: tuple[str, ...] = ()) -> OversightReport:
    report = get_object_or_404(
        OversightReport.objects.filter(organisation__memberships__user=user)
        .select_related("organisation", "signed_by", "built_by")
        .defer(*defer)
        .distinct(),
        pk=pk,
    )
    return report


@login_required
def report_list(request):
    membership = _membership(request)
    this_month = timezone.localdate().replace(day=1)
    reports_page = Paginator(
        OversightReport.objects.filter(organisation=membership.organisation)
        .select_related("signed_by")
        .defer("html", "pdf", "figures"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/reports/report_list.html",
        {
            "organisation": membership.organisation,
            "page": reports_page,
            "can_build": membership.role in BUILD_ROLES,
            "this_month": this_month,
            "being_built": reports.draft_being_built(
                organisation=membership.organisation, month=this_month
            ),
        },
    )


@login_required
@require_POST
def report_build(request):
    """Builds (or rebuilds) this month's draft: leads and executives. On the worker when
    there is one (it takes about a second per Always Event), in the request otherwise."""
    membership = _membership(request)
    require_role(membership, BUILD_ROLES)
    organisation, month = membership.organisation, timezone.localdate().replace(day=1)
    if OversightReport.objects.filter(
        organisation=organisation, month=month, status=OversightReport.Status.SIGNED
    ).exists():
        messages.error(request, "This report is signed off and cannot be rebuilt")
        return redirect("reports:report_list")
    if not settings.CELERY_TASK_ALWAYS_EAGER and reports.draft_build_queued(
        organisation=organisation, month=month, user=request.user
    ):
        # The list says how long it takes (about a second for each Always Event).
        messages.success(request, f"The draft report for {month:%B %Y} is being built")
        return redirect("reports:report_list")
    try:
        report = reports.oversight_report_build(
            organisation=organisation, month=month, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:report_list")
    messages.success(request, f"Draft report for {report.month:%B %Y} built")
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_detail(request, pk: int):
    report = _report_for(request.user, pk, defer=("pdf", "figures"))  # the page shows the HTML
    membership = membership_in(request.user, report.organisation)
    return render(
        request,
        "evaluation/reports/report_detail.html",
        {
            "report": report,
            "can_sign": membership.role in SIGN_OFF_ROLES and not report.is_signed,
            "can_build": membership.role in BUILD_ROLES and not report.is_signed,
            "is_current_month": report.month == timezone.localdate().replace(day=1),
        },
    )


@login_required
def report_sign(request, pk: int):
    """The executive sponsor signs the report off with comments (executives only)."""
    report = _report_for(request.user, pk)
    require_role(membership_in(request.user, report.organisation), SIGN_OFF_ROLES)
    if report.is_signed:
        messages.info(request, "This report is already signed off")
        return redirect("reports:report_detail", pk=report.pk)
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reports.oversight_report_sign(
                report=report, user=request.user, comments=form.cleaned_data["comments"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Report signed off")
            return redirect("reports:report_detail", pk=report.pk)
    return render(
        request,
        "evaluation/reports/report_sign.html",
        {
            "report": report,
            "form": form,
        },
    )


@login_required
def report_download(request, pk: int, file_format: str):
    """The stored PDF as it was built (the same bytes every time), or the frozen figures
    as CSV or XLSX."""
    report = _report_for(request.user, pk)
    if file_format not in DOWNLOADS:
        raise Http404("Unknown format")
    if file_format == "pdf":
        content = bytes(report.pdf)
    elif file_format == "csv":
        content = reports.report_csv(report.figures)
    else:
        content = reports.report_xlsx(report.figures)
    response = HttpResponse(content, content_type=DOWNLOADS[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.report_file_name(report, file_format)}"'
    )
    if file_format == "pdf":
        response["X-Content-SHA256"] = report.pdf_sha256
    return response


app_name = "reports"
urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/build/", report_build, name="report_build"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/sign/", report_sign, name="report_sign"),
    path("reports/<int:pk>/report.<str:file_format>", report_download, name="report_download"),
]
