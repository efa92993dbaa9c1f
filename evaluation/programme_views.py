"""Pages of the programme view and the programme evaluation.

Programme admins: the programme view, the evaluation summary (HTML and PDF), survey
rounds and interviews; anyone else gets 403 (404 for an interview). Always Event leads:
the survey, for the Always Events of their current organisation.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from always_events.permissions import Role, membership_in
from programmes.models import AlwaysEvent, Phase

from . import programme
from .models import Interview, ProgrammeSurvey, SurveyResponse
from .programme_forms import InterviewForm, SurveyOpenForm, SurveyResponseForm
from .selectors import always_event_for_user

PAGE_SIZE = 25


def _posted(request):
    return request.POST if request.method == "POST" else None


def _form_page(request, form, *, title, back_url, caption="", intro=""):
    return render(
        request,
        "programmes/form.html",
        {
            "form": form,
            "title": title,
            "heading": title,
            "caption": caption,
            "back_url": back_url,
            "intro": intro,
        },
    )


# The programme view ----------------------------------------------------------------------


@login_required
def overview(request):
    admin = programme.programme_admin_for(request.user)
    today = timezone.localdate()
    page = Paginator(
        programme.organisations_for_admin(admin).select_related("region"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/programme/overview.html",
        {
            "admin": admin,
            "page": page,
            "rows": programme.organisation_rows(admin, page.object_list),
            "phases": Phase.choices,
            "by_phase": programme.always_events_by_phase(admin),
            "by_setting": programme.always_events_by_setting(admin),
            "compliance": programme.reporting_compliance(admin, today=today),
        },
    )


# The evaluation summary ------------------------------------------------------------------


def _summary_context(request):
    admin = programme.programme_admin_for(request.user)
    surveys = list(ProgrammeSurvey.objects.all())
    chosen = request.GET.get("survey", "")
    survey = next((s for s in surveys if str(s.pk) == chosen), surveys[0] if surveys else None)
    return {
        "admin": admin,
        "surveys": surveys,
        "survey": survey,
        "summary": programme.evaluation_summary(admin, survey),
        "generated_on": timezone.localdate(),
    }


@login_required
def evaluation_summary(request):
    return render(request, "evaluation/programme/summary.html", _summary_context(request))


@login_required
def evaluation_summary_pdf(request):
    from weasyprint import HTML

    context = _summary_context(request)
    html = render_to_string("evaluation/programme/summary_pdf.html", context)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="programme-evaluation-{context["generated_on"]:%Y-%m-%d}.pdf"'
    )
    return response


# Survey rounds (programme admins) --------------------------------------------------------


@login_required
def survey_rounds(request):
    programme.programme_admin_for(request.user)
    surveys = ProgrammeSurvey.objects.annotate(answers=Count("responses")).order_by("-opened_at")
    is_open = programme.open_survey() is not None
    form = None if is_open else SurveyOpenForm(_posted(request))
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            programme.survey_open(title=form.cleaned_data["title"], opened_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The survey is open: Always Event leads can answer it")
            return redirect("programme:survey_rounds")
    return render(
        request,
        "evaluation/programme/survey_rounds.html",
        {
            "page": Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page")),
            "form": form,
            "is_open": is_open,
        },
    )


@require_POST
@login_required
def survey_close(request):
    programme.programme_admin_for(request.user)
    survey = programme.open_survey()
    if survey is not None:
        programme.survey_close(survey=survey)
        messages.success(request, f"{survey.title} is closed")
    return redirect("programme:survey_rounds")


# The survey (Always Event leads) ---------------------------------------------------------


def _may_answer(request, always_event) -> bool:
    membership = membership_in(request.user, always_event.organisation)
    return membership.role == Role.LEAD or always_event.leads.filter(pk=request.user.pk).exists()


@login_required
def survey(request):
    membership = request.membership
    if membership is None:
        raise Http404("You are not a member of an organisation")
    open_round = programme.open_survey()
    events = AlwaysEvent.objects.in_organisation(membership.organisation).active().order_by("title")
    if membership.role != Role.LEAD:
        events = events.filter(leads=request.user)
    answered = set()
    if open_round is not None:
        answered = set(
            SurveyResponse.objects.filter(survey=open_round, always_event__in=events).values_list(
                "always_event_id", flat=True
            )
        )
    return render(
        request,
        "evaluation/programme/survey.html",
        {
            "organisation": membership.organisation,
            "survey": open_round,
            "events": [(event, event.pk in answered) for event in events],
        },
    )


@login_required
def survey_answer(request, pk):
    always_event = always_event_for_user(request.user, pk)
    if not _may_answer(request, always_event):
        raise PermissionDenied("Only the Always Event's leads answer the programme survey")
    open_round = programme.open_survey()
    if open_round is None:
        return render(
            request, "evaluation/programme/survey_closed.html", {"always_event": always_event}
        )
    existing = SurveyResponse.objects.filter(survey=open_round, always_event=always_event).first()
    initial = (
        {name: getattr(existing, name) for name in SurveyResponseForm.base_fields}
        if existing
        else None
    )
    form = SurveyResponseForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme.survey_response_save(
                survey=open_round,
                always_event=always_event,
                answered_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Thank you: your answers for {always_event.title} are saved")
            return redirect("programme:survey")
    return render(
        request,
        "evaluation/programme/survey_answer.html",
        {
            "form": form,
            "always_event": always_event,
            "survey": open_round,
            "existing": existing,
        },
    )


# Interviews (programme admins) -----------------------------------------------------------


@login_required
def interview_list(request):
    admin = programme.programme_admin_for(request.user)
    interviews = programme.interviews_for_admin(admin)
    return render(
        request,
        "evaluation/programme/interviews.html",
        {
            "page": Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def _interview_form_page(request, admin, interview: Interview | None):
    initial = None
    if interview is not None:
        initial = {
            "organisation": interview.organisation,
            "interviewed_on": interview.interviewed_on,
            "interviewee_role": interview.interviewee_role,
            "themes": interview.themes,
            "quotes": interview.quotes,
            "notes": interview.notes,
        }
    form = InterviewForm(
        _posted(request),
        initial=initial,
        organisations=programme.organisations_for_admin(admin),
    )
    if request.method == "POST" and form.is_valid():
        programme.interview_save(interview=interview, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, "Interview saved")
        return redirect("programme:interview_list")
    return _form_page(
        request,
        form,
        title="Change the interview" if interview else "Record an interview",
        caption="Programme evaluation",
        back_url=reverse("programme:interview_list"),
        intro="Record roles, not names. Quotes and notes have names, phone numbers, email "
        "addresses and postcodes removed before they are saved.",
    )


@login_required
def interview_create(request):
    admin = programme.programme_admin_for(request.user)
    return _interview_form_page(request, admin, None)


@login_required
def interview_edit(request, pk):
    if not hasattr(request.user, "programme_admin"):
        raise Http404
    admin = programme.programme_admin_for(request.user)
    interview = get_object_or_404(programme.interviews_for_admin(admin), pk=pk)
    return _interview_form_page(request, admin, interview)


app_name = "programme"
urlpatterns = [
    path("programme/", overview, name="overview"),
    path("programme/evaluation/", evaluation_summary, name="evaluation_summary"),
    path("programme/evaluation.pdf", evaluation_summary_pdf, name="evaluation_summary_pdf"),
    path("programme/survey/", survey_rounds, name="survey_rounds"),
    path("programme/survey/close/", survey_close, name="survey_close"),
    path("programme/interviews/", interview_list, name="interview_list"),
    path("programme/interviews/new/", interview_create, name="interview_create"),
    path("programme/interviews/<int:pk>/", interview_edit, name="interview_edit"),
    path("evaluation-survey/", survey, name="survey"),
    path("evaluation-survey/<int:pk>/", survey_answer, name="survey_answer"),
]
