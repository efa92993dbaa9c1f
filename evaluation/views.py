"""Views of the evaluation app: staff pages for measures, forms, distribution points and
imports, and the public feedback form at /f/<token>/. Views are thin: permission, form,
one service or selector, render or redirect."""

import hashlib
import logging
import secrets
import threading
import time

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from always_events.cache import hit_limits
from always_events.env import rate_parts
from always_events.permissions import membership_in, require_edit_always_event

from . import form_cache, selectors, services
from .forms import (
    CsvUploadForm,
    DataPointForm,
    DistributionPointForm,
    FeedbackFormForm,
    FeedbackResponseForm,
    MeasureForm,
    QuestionForm,
    TranslationForm,
    submission_key_check,
    submission_key_new,
)
from .models import DistributionPoint, FormTranslation, Measure, Response

log = logging.getLogger(__name__)

PER_PAGE = 25


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _editor(request, always_event):
    """The user's membership, checked for editing the Always Event (403 otherwise)."""
    membership = membership_in(request.user, always_event.organisation)
    require_edit_always_event(membership, always_event)
    return membership


def _can_edit(request, always_event) -> bool:
    from always_events.permissions import can_edit_always_event

    membership = membership_in(request.user, always_event.organisation)
    return can_edit_always_event(membership, always_event)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# Measures ----------------------------------------------------------------------------

@login_required
def measure_list(request, pk):
    always_event = selectors.always_event_for_user(request.user, pk)
    return render(request, "evaluation/measure_list.html", {
        "always_event": always_event, "measures": selectors.measures_of(always_event),
        "can_edit": _can_edit(request, always_event),
    })


@login_required
def measure_create(request, pk):
    always_event = selectors.always_event_for_user(request.user, pk)
    _editor(request, always_event)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(always_event=always_event, fields=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Measure “{measure.name}” added")
            return redirect("evaluation:measure_detail", pk=measure.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": always_event, "form": form, "heading": "Add a measure",
        "back_url": reverse("evaluation:measure_list", args=[always_event.pk]),
    })


@login_required
def measure_edit(request, pk):
    measure = selectors.measure_for_user(request.user, pk)
    _editor(request, measure.always_event)
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, fields=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Measure saved")
            return redirect("evaluation:measure_detail", pk=measure.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": measure.always_event, "form": form, "heading": f"Change {measure.name}",
        "back_url": reverse("evaluation:measure_detail", args=[measure.pk]),
    })


@login_required
def measure_detail(request, pk):
    measure = selectors.measure_for_user(request.user, pk)
    return render(request, "evaluation/measure_detail.html", {
        "measure": measure, "always_event": measure.always_event,
        "data_points": _page(request, measure.data_points.order_by("-period_start")),
        "questions": measure.questions.select_related("version__form"),
        "can_edit": _can_edit(request, measure.always_event),
        "enters_data": measure.kind != Measure.Kind.OUTCOME,
    })


@login_required
def data_point_create(request, pk):
    measure = selectors.measure_for_user(request.user, pk)
    _editor(request, measure.always_event)
    form = DataPointForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.data_point_record(
                measure=measure, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, f"Figures for the period from {point.period_start:%-d %B %Y} saved"
            )
            return redirect("evaluation:measure_detail", pk=measure.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": measure.always_event, "form": form, "caption": measure.name,
        "heading": "Enter figures", "intro": "Entering a period again replaces its figures.",
        "back_url": reverse("evaluation:measure_detail", args=[measure.pk]),
    })


@login_required
def data_point_delete(request, pk, point_pk):
    measure = selectors.measure_for_user(request.user, pk)
    _editor(request, measure.always_event)
    point = get_object_or_404(measure.data_points, pk=point_pk)
    if request.method == "POST":
        services.data_point_delete(data_point=point)
        messages.success(
            request, f"Figures for the period from {point.period_start:%-d %B %Y} deleted"
        )
        return redirect("evaluation:measure_detail", pk=measure.pk)
    return render(request, "evaluation/data_point_delete.html", {
        "always_event": measure.always_event, "measure": measure, "point": point,
        "heading": "Delete these figures?", "caption": measure.name, "button": "Delete figures",
        "back_url": reverse("evaluation:measure_detail", args=[measure.pk]),
    })


@login_required
def data_point_upload(request, pk):
    measure = selectors.measure_for_user(request.user, pk)
    _editor(request, measure.always_event)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.data_points_import(
                measure=measure, content=form.cleaned_data["file"].read(), user=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "evaluation/data_point_upload.html", {
        "measure": measure, "always_event": measure.always_event, "form": form,
        "result": result,
    })


# Feedback forms ----------------------------------------------------------------------

@login_required
def form_list(request, pk):
    always_event = selectors.always_event_for_user(request.user, pk)
    return render(request, "evaluation/form_list.html", {
        "always_event": always_event, "forms": selectors.forms_of(always_event),
        "can_edit": _can_edit(request, always_event),
    })


@login_required
def form_create(request, pk):
    always_event = selectors.always_event_for_user(request.user, pk)
    _editor(request, always_event)
    form = FeedbackFormForm(request.POST or None, submit_text="Create form")
    if request.method == "POST" and form.is_valid():
        feedback_form = services.form_create(always_event=always_event, **form.cleaned_data)
        messages.success(request, "Form created. Now add its questions")
        return redirect("evaluation:form_detail", pk=feedback_form.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": always_event, "form": form, "heading": "Create a feedback form",
        "back_url": reverse("evaluation:form_list", args=[always_event.pk]),
    })


@login_required
def form_detail(request, pk):
    feedback_form = selectors.form_for_user(request.user, pk)
    return render(request, "evaluation/form_detail.html", {
        "feedback_form": feedback_form, "always_event": feedback_form.always_event,
        "can_edit": _can_edit(request, feedback_form.always_event),
        **selectors.form_page(feedback_form),
    })


@login_required
def form_edit(request, pk):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    version = services.form_current_version(feedback_form)
    form = FeedbackFormForm(request.POST or None, initial={
        "title": feedback_form.title, "introduction": version.introduction,
        "format": version.format,
    })
    if request.method == "POST" and form.is_valid():
        services.form_update(form=feedback_form, **form.cleaned_data)
        messages.success(request, "Form saved")
        return redirect("evaluation:form_detail", pk=feedback_form.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": feedback_form.always_event, "form": form,
        "heading": f"Change {feedback_form.title}",
        "back_url": reverse("evaluation:form_detail", args=[feedback_form.pk]),
    })


@login_required
def question_create(request, pk):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    form = QuestionForm(request.POST or None, always_event=feedback_form.always_event,
                        initial={"required": True, "max_length": 1000})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(form=feedback_form, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Question added")
            return redirect("evaluation:form_detail", pk=feedback_form.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": feedback_form.always_event, "form": form, "heading": "Add a question",
        "caption": feedback_form.title,
        "back_url": reverse("evaluation:form_detail", args=[feedback_form.pk]),
    })


@login_required
def question_edit(request, pk, position):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    version = services.form_current_version(feedback_form)
    question = get_object_or_404(version.questions, position=position)
    form = QuestionForm(
        request.POST or None, always_event=feedback_form.always_event, editing=question,
        initial={
            "text": question.text, "hint": question.hint, "required": question.required,
            "max_length": question.max_length, "measure": question.measure_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
        try:
            services.question_update(form=feedback_form, position=position, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Question saved")
            return redirect("evaluation:form_detail", pk=feedback_form.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": feedback_form.always_event, "form": form,
        "heading": f"Change question {position}", "caption": feedback_form.title,
        "back_url": reverse("evaluation:form_detail", args=[feedback_form.pk]),
    })


@login_required
def question_delete(request, pk, position):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    version = services.form_current_version(feedback_form)
    question = get_object_or_404(version.questions, position=position)
    if request.method == "POST":
        services.question_delete(form=feedback_form, position=position)
        messages.success(request, f"Question {position} removed")
        return redirect("evaluation:form_detail", pk=feedback_form.pk)
    return render(request, "evaluation/question_delete.html", {
        "always_event": feedback_form.always_event, "feedback_form": feedback_form,
        "question": question,
    })


@login_required
def question_move(request, pk, position):
    """POST only: moves a question up or down (buttons on the form's page)."""
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    version = services.form_current_version(feedback_form)
    question = get_object_or_404(version.questions, position=position)
    try:
        services.question_move(
            form=feedback_form, position=position, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{question.text}” moved {request.POST['direction']}")
    return redirect(reverse("evaluation:form_detail", args=[feedback_form.pk]) + "#questions")


@login_required
def translation_delete(request, pk, language):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    version = services.form_current_version(feedback_form)
    translation = get_object_or_404(FormTranslation, version=version, language=language)
    if request.method == "POST":
        services.translation_delete(translation=translation)
        messages.success(request, f"Translation into {translation.language_name} deleted")
        return redirect("evaluation:form_detail", pk=feedback_form.pk)
    return render(request, "evaluation/translation_delete.html", {
        "always_event": feedback_form.always_event, "translation": translation,
        "heading": "Delete this translation?", "caption": feedback_form.title,
        "button": "Delete translation",
        "back_url": reverse("evaluation:form_detail", args=[feedback_form.pk]),
    })


@login_required
def translation_edit(request, pk, language=None):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    version = services.form_current_version(feedback_form)
    existing = None
    if language is not None:
        existing = get_object_or_404(FormTranslation, version=version, language=language)
    form = TranslationForm(
        request.POST or None, version=version, language_fixed=existing is not None,
        initial=TranslationForm.initial_from(existing) if existing else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.translation_save(
                form=feedback_form, language=language or data["language"],
                language_name=data["language_name"], title=data["title"],
                introduction=data["introduction"], questions=form.questions_data(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Translation into {data['language_name']} saved")
            return redirect("evaluation:form_detail", pk=feedback_form.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": feedback_form.always_event, "form": form,
        "heading": f"Translation into {existing.language_name}" if existing
        else "Add a translation",
        "caption": feedback_form.title,
        "back_url": reverse("evaluation:form_detail", args=[feedback_form.pk]),
    })


# Distribution points -----------------------------------------------------------------

@login_required
def distribution_point_list(request, pk):
    always_event = selectors.always_event_for_user(request.user, pk)
    points = always_event.distribution_points.select_related("form").order_by(
        "retired_at", "location"
    )
    return render(request, "evaluation/distribution_point_list.html", {
        "always_event": always_event, "points": _page(request, points),
        "can_edit": _can_edit(request, always_event),
        "forms": always_event.feedback_forms.all(),
    })


@login_required
def distribution_point_create(request, pk):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    form = DistributionPointForm(
        request.POST or None, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            point = services.distribution_point_create(form=feedback_form, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Distribution point “{point.location}” added")
            return redirect("evaluation:distribution_point_detail", pk=point.pk)
    return render(request, "evaluation/simple_form.html", {
        "always_event": feedback_form.always_event, "form": form,
        "heading": "Add a distribution point", "caption": feedback_form.title,
        "back_url": reverse("evaluation:form_detail", args=[feedback_form.pk]),
    })


def public_url(point: DistributionPoint) -> str:
    return settings.SITE_URL + reverse("evaluation:feedback_form", args=[point.token])


@login_required
def distribution_point_detail(request, pk):
    from .posters import qr_svg

    point = selectors.distribution_point_for_user(request.user, pk)
    return render(request, "evaluation/distribution_point_detail.html", {
        "point": point, "always_event": point.always_event, "url": public_url(point),
        "qr_svg": qr_svg(public_url(point), title=f"QR code for {point.location}"),
        "is_open": services.distribution_point_is_open(point),
        "can_edit": _can_edit(request, point.always_event),
    })


@login_required
def distribution_point_retire(request, pk):
    point = selectors.distribution_point_for_user(request.user, pk)
    _editor(request, point.always_event)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.distribution_point_retire(point=point)
    messages.success(
        request, f"“{point.location}” retired: its link and QR code now say the form is closed"
    )
    return redirect("evaluation:distribution_point_detail", pk=point.pk)


@login_required
def distribution_point_qr(request, pk, image_format):
    from .posters import qr_png, qr_svg

    point = selectors.distribution_point_for_user(request.user, pk)
    name = f"feedback-qr-{point.pk}.{image_format}"
    if image_format == "png":
        response = HttpResponse(qr_png(public_url(point)), content_type="image/png")
    else:
        response = HttpResponse(
            qr_svg(public_url(point), title=f"QR code for {point.location}"),
            content_type="image/svg+xml",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def distribution_point_poster(request, pk):
    from .posters import poster_pdf

    point = selectors.distribution_point_for_user(request.user, pk)
    response = HttpResponse(poster_pdf(point, public_url(point)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="feedback-poster-{point.pk}.pdf"'
    return response


# Imports -----------------------------------------------------------------------------

@login_required
def import_list(request, pk):
    always_event = selectors.always_event_for_user(request.user, pk)
    batches = always_event.import_batches.select_related("form_version__form")
    return render(request, "evaluation/import_list.html", {
        "always_event": always_event, "batches": _page(request, batches),
        "forms": always_event.feedback_forms.all(), "can_edit": _can_edit(request, always_event),
    })


@login_required
def import_template(request, pk):
    feedback_form = selectors.form_for_user(request.user, pk)
    version = services.form_current_version(feedback_form)
    response = HttpResponse(services.import_template_csv(version), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="responses-template-form-{feedback_form.pk}-v{version.number}.csv"'
    )
    return response


@login_required
def import_create(request, pk):
    feedback_form = selectors.form_for_user(request.user, pk)
    _editor(request, feedback_form.always_event)
    form = CsvUploadForm(
        request.POST or None, request.FILES or None, submit_text="Upload responses"
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_batch_create(
                form=feedback_form, file_name=upload.name, content=upload.read(),
                user=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("evaluation:import_detail", pk=batch.pk)
    return render(request, "evaluation/import_form.html", {
        "always_event": feedback_form.always_event, "feedback_form": feedback_form,
        "form": form, "version": services.form_current_version(feedback_form),
    })


@login_required
@never_cache
def import_detail(request, pk):
    batch = selectors.import_batch_for_user(request.user, pk)
    running = batch.status in (batch.Status.WAITING, batch.Status.RUNNING)
    return render(request, "evaluation/import_detail.html", {
        "batch": batch, "always_event": batch.always_event, "running": running,
        "errors": _page(request, batch.errors),
        "percent": round(100 * batch.rows_done / batch.rows_total) if batch.rows_total else 0,
    })


@login_required
def import_errors(request, pk):
    batch = selectors.import_batch_for_user(request.user, pk)
    response = HttpResponse(services.import_errors_csv(batch), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.csv"'
    return response


# The public feedback form ------------------------------------------------------------

_salt_lock = threading.Lock()
_daily_salt: dict = {}


def _daily_salt_for(day) -> bytes:
    """A random salt for today, kept in this process's memory only and never stored."""
    with _salt_lock:
        if day not in _daily_salt:
            _daily_salt.clear()
            _daily_salt[day] = secrets.token_bytes(32)
        return _daily_salt[day]


def hashed_client(request) -> str:
    """The client's address, hashed with today's in-memory salt: rate limits without
    keeping an address."""
    address = request.META.get("REMOTE_ADDR", "")
    salt = _daily_salt_for(timezone.localdate())
    return hashlib.sha256(salt + address.encode()).hexdigest()


def _rate_counter(name: str, value: str, rate: str, now: float) -> tuple[str, int, int]:
    """The counter of `value` in the current fixed window of `rate` ("120/h"): its key,
    the seconds it lives, and the most it may reach."""
    limit, seconds = rate_parts(rate)
    return f"feedback-limit:{name}:{value}:{int(now) // seconds}", seconds, limit


def _over_limit(request, token: str) -> tuple[bool, str | None]:
    """Whether this POST is over a rate limit, per client (its address hashed) or per
    link, and the form cache's generation, in one round trip to Redis. A client over its
    limit is not counted against the link, so the counters a client can make, even for
    links that do not exist, are bounded by its own limit. When Redis is down the limit is
    not applied (it fails open), because losing a patient's answer is worse than letting a
    flood through for the minutes Redis is away."""
    now = time.time()
    limits = [
        _rate_counter(
            "client", hashed_client(request), settings.FEEDBACK_RATE_LIMIT_PER_CLIENT, now
        ),
        _rate_counter(
            "point", hashlib.sha256(token.encode()).hexdigest(),
            settings.FEEDBACK_RATE_LIMIT_PER_POINT, now,
        ),
    ]
    try:
        generation, counts = hit_limits(form_cache.GENERATION_KEY, limits)
    except (redis.RedisError, OSError):
        log.warning("Rate limit of the feedback form not applied: its store is unreachable")
        return False, None
    over = any(count > limit for count, (_, _, limit) in zip(counts, limits, strict=False))
    return over, generation if generation is not None else form_cache.generation()


def _service_language(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else "en"


def _public_context(point, version, language: str) -> dict:
    form_translation = selectors.translation_for(version, language) if language else None
    languages = [("en", "English")] + [
        (t.language, t.language_name) for t in version.translations.all()
    ]
    service_language = _service_language(form_translation.language if form_translation else "en")
    return {
        "point": point, "version": version, "form_translation": form_translation,
        "language": form_translation.language if form_translation else "en",
        "service_language": service_language,
        "html_lang": "en-GB" if service_language == "en" else service_language,
        "languages": languages if len(languages) > 1 else [],
        "easy_read": version.format == version.Format.EASY_READ,
        "kiosk": point.channel == DistributionPoint.Channel.KIOSK,
        "title": form_translation.title if form_translation else point.form.title,
        "introduction": (
            form_translation.introduction if form_translation else version.introduction
        ),
    }


def _closed(request, status: int, language: str = "en"):
    with translation.override(_service_language(language)):
        return render(request, "evaluation/public/closed.html", {
            "html_lang": "cy" if _service_language(language) == "cy" else "en-GB",
        }, status=status)


def _thanks_url(point, language: str, already: bool = False) -> str:
    query = {}
    if language != "en":
        query["lang"] = language
    if already:
        query["already"] = "1"
    url = reverse("evaluation:feedback_thanks", args=[point.token])
    return f"{url}?{urlencode(query)}" if query else url


# A patient's form page as first shown, and the thank-you page, are the same for everyone
# who opens the same form in the same language, but for the CSP nonce, the CSRF token and
# the submission key. Each is rendered once per process (per generation of the form cache,
# see form_cache) with placeholders where those go, and each request fills in its own.
# The placeholders are random per process, so no form text can hold one.
_PLACEHOLDER = secrets.token_hex(16)
NONCE_PLACEHOLDER = f"nonce-{_PLACEHOLDER}"
CSRF_PLACEHOLDER = f"csrf-{_PLACEHOLDER}"
KEY_PLACEHOLDER = f"key-{_PLACEHOLDER}"


class _SharedPageRequest:
    """All that a page rendered for everyone may read of the request: its path, and a
    placeholder for its CSP nonce."""

    def __init__(self, path: str):
        self.path = path
        self.csp_nonce = NONCE_PLACEHOLDER


def _page_is_shared(request, generation: str | None) -> bool:
    """Whether this visitor may get the page rendered for everyone: not when the form
    cache is unreadable, nor when the visitor has a session or messages waiting (a signed-in
    member of staff trying the form), whose pages are rendered for them alone."""
    return (
        generation is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _public_page(request, template: str, context: dict, *, point, generation, form=None):
    """Renders `template` for this request: once per process for everyone when the page may
    be shared, with this request's own parts put in. `form(submission_key)`, if given,
    makes the page's form; it is called only when the page is rendered."""
    if not _page_is_shared(request, generation):
        if form is not None:
            context = {**context, "form": form(submission_key_new(point.token))}
        return render(request, template, context)
    # What the page shows that the generation does not cover: the distribution point,
    # the path, and the context's plain values (titles, language, flags, "you said, we did").
    key = (template, request.path, point.token, context["version"].pk, *sorted(
        (name, value) for name, value in context.items()
        if isinstance(value, str | int | bool | None)
    ))
    html = form_cache.page_get(key, generation)
    if html is None:
        shared = {
            **context, "request": _SharedPageRequest(request.path),
            "csrf_token": CSRF_PLACEHOLDER, "service_name": settings.SERVICE_NAME,
        }
        if form is not None:
            shared["form"] = form(KEY_PLACEHOLDER)
        html = render_to_string(template, shared)
        form_cache.page_put(key, generation, html)
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if KEY_PLACEHOLDER in html:
        html = html.replace(KEY_PLACEHOLDER, submission_key_new(point.token))
    return HttpResponse(html)


@never_cache
def feedback_form(request, token):
    language = (request.POST.get("lang") or request.GET.get("lang") or "en").strip().lower()[:10]
    if request.method == "POST":
        # Counted before anything is read, in the round trip that reads the generation.
        over_limit, generation = _over_limit(request, token)
        point, version, generation = selectors.public_form_under(token, generation)
    else:
        point, version, generation = selectors.public_form(token)
    if point is None:
        return _closed(request, 404, language)
    if not services.distribution_point_is_open(point):
        return _closed(request, 410, language)
    context = _public_context(point, version, language)
    with translation.override(context["service_language"]):
        if request.method == "POST":
            if over_limit:
                return render(request, "evaluation/public/too_many.html", context, status=429)
            return _feedback_post(request, point, version, context)

        def form(submission_key):
            return FeedbackResponseForm(
                initial={"submission_key": submission_key, "lang": context["language"]},
                **_form_options(point, context),
            )

        return _public_page(
            request, "evaluation/public/form.html", context,
            point=point, generation=generation, form=form,
        )


def _start_url(point, language: str) -> str:
    url = reverse("evaluation:feedback_form", args=[point.token])
    return f"{url}?{urlencode({'lang': language})}" if language != "en" else url


def _form_options(point, context) -> dict:
    return {
        "version": context["version"], "translation": context["form_translation"],
        "easy_read": context["easy_read"],
        "kiosk_start_url": _start_url(point, context["language"]) if context["kiosk"] else "",
    }


def _feedback_post(request, point, version, context):
    language = context["language"]
    if request.POST.get("website"):
        # A bot filled the honeypot: thank it, store nothing.
        return redirect(_thanks_url(point, language))
    form = FeedbackResponseForm(request.POST, **_form_options(point, context))
    key = None
    if form.is_valid():
        try:
            key = submission_key_check(point.token, form.cleaned_data["submission_key"])
        except signing.SignatureExpired:
            form.add_error(None, _(
                "This page was open for a long time, so we could not send your answers. "
                "Check them and select Send your answers again"
            ))
        except signing.BadSignature:
            form.add_error(None, _(
                "We could not accept these answers. Check them and select Send your answers "
                "again"
            ))
    if key is not None:
        try:
            saved = services.response_record(
                version=version, answers=form.answers(), submission_key=key,
                source=Response.Source.KIOSK if context["kiosk"] else Response.Source.WEB,
                language=language, distribution_point=point,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect(_thanks_url(point, language, already=saved is None))
    data = request.POST.copy()
    data["submission_key"] = submission_key_new(point.token)
    form.data = data
    return render(request, "evaluation/public/form.html", {**context, "form": form})


@never_cache
def feedback_thanks(request, token):
    language = (request.GET.get("lang") or "en").strip().lower()[:10]
    point, version, generation = selectors.public_form(token)
    if point is None:
        return _closed(request, 404, language)
    context = {
        **_public_context(point, version, language),
        "already": request.GET.get("already") == "1",
        "you_said_we_did": point.always_event.you_said_we_did,
        "refresh_seconds": settings.FEEDBACK_KIOSK_REFRESH_SECONDS,
    }
    context["form_url"] = _start_url(point, context["language"])
    with translation.override(context["service_language"]):
        return _public_page(
            request, "evaluation/public/thanks.html", context, point=point, generation=generation
        )
