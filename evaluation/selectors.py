"""Reads for the evaluation pages. Staff reads start from the user's memberships (DESIGN §3):
another organisation's object is not found."""

import functools
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from programmes.models import AlwaysEvent

from . import form_cache
from .models import (
    DistributionPoint,
    FeedbackForm,
    FormTranslation,
    FormVersion,
    ImportBatch,
    Measure,
    Question,
    Response,
)
from .services import form_current_version


def always_events_of(user):
    return AlwaysEvent.objects.for_user(user)


def always_event_for_user(user, pk: int) -> AlwaysEvent:
    return get_object_or_404(always_events_of(user).select_related("organisation"), pk=pk)


def measure_for_user(user, pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.filter(always_event__in=always_events_of(user)).select_related(
            "always_event__organisation"
        ),
        pk=pk,
    )


def form_for_user(user, pk: int) -> FeedbackForm:
    return get_object_or_404(
        FeedbackForm.objects.filter(always_event__in=always_events_of(user)).select_related(
            "always_event__organisation"
        ),
        pk=pk,
    )


def distribution_point_for_user(user, pk: int) -> DistributionPoint:
    return get_object_or_404(
        DistributionPoint.objects.filter(always_event__in=always_events_of(user)).select_related(
            "always_event__organisation", "form"
        ),
        pk=pk,
    )


def import_batch_for_user(user, pk: int) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.filter(always_event__in=always_events_of(user)).select_related(
            "always_event__organisation", "form_version__form"
        ),
        pk=pk,
    )


def measures_of(always_event):
    return always_event.measures.annotate(
        data_point_count=Count("data_points", distinct=True),
        question_count=Count("questions", distinct=True),
    )


def forms_of(always_event):
    return always_event.feedback_forms.annotate(
        version_count=Count("versions", distinct=True),
        point_count=Count(
            "distribution_points", filter=Q(distribution_points__retired_at__isnull=True),
            distinct=True,
        ),
    )


def version_with_questions(version: FormVersion) -> FormVersion:
    return (
        FormVersion.objects.prefetch_related(
            Prefetch("questions", Question.objects.select_related("measure").prefetch_related(
                "options"
            )),
            "translations",
        ).get(pk=version.pk)
    )


def form_page(form: FeedbackForm) -> dict:
    """What the form's page shows: its current version, questions, translations and reach."""
    version = version_with_questions(form_current_version(form))
    return {
        "version": version,
        "questions": list(version.questions.all()),
        "translations": list(version.translations.all()),
        "points": form.distribution_points.order_by("retired_at", "location"),
        "responses": Response.objects.filter(form_version__form=form).count(),
        "version_responses": Response.objects.filter(form_version=version).count(),
        "imports": form.always_event.import_batches.filter(form_version__form=form)[:5],
    }


class PublicForm(NamedTuple):
    """What a patient's page needs: the distribution point (with its form's title and its
    Always Event's "you said, we did"), the form's current version, and the generation of
    the public form cache (`form_cache`) they were read under (None: not cacheable)."""

    point: DistributionPoint | None
    version: FormVersion | None
    generation: str | None


@functools.cache
def _public_point_sql() -> str:
    """One statement for the distribution point of a token, its form's title, its Always
    Event's "you said, we did" and the id of the form's current version. Written once per
    process rather than built by the ORM: compiling the equivalent queryset (select_related
    and a subquery) cost about 3 ms of CPU per page, ten times the query itself, and every
    page of a patient's visit runs it."""
    columns = ", ".join(f"p.{field.column}" for field in DistributionPoint._meta.concrete_fields)
    return f"""
        SELECT {columns},
               f.always_event_id AS form_always_event_id, f.title AS form_title,
               e.you_said_we_did,
               (SELECT v.id FROM evaluation_formversion v WHERE v.form_id = p.form_id
                ORDER BY v.number DESC LIMIT 1) AS current_version_id
        FROM evaluation_distributionpoint p
        JOIN evaluation_feedbackform f ON f.id = p.form_id
        JOIN programmes_alwaysevent e ON e.id = p.always_event_id
        WHERE p.token = %s
    """  # noqa: S608 — the columns come from the model, the token is a parameter


def _public_point(token: str) -> DistributionPoint | None:
    point = next(iter(DistributionPoint.objects.raw(_public_point_sql(), [token])), None)
    if point is not None:
        # The form and Always Event with only the fields read; any other loads when used.
        db = point._state.db
        point.form = FeedbackForm.from_db(
            db, ["id", "always_event_id", "title"],
            [point.form_id, point.form_always_event_id, point.form_title],
        )
        point.always_event = AlwaysEvent.from_db(
            db, ["id", "you_said_we_did"], [point.always_event_id, point.you_said_we_did]
        )
    return point


def public_form(token: str) -> PublicForm:
    """The distribution point of a token with its form's current version (questions,
    options and translations prefetched), or Nones. No query when both are in the
    process's cache (`form_cache`)."""
    return public_form_under(token, form_cache.generation())


def public_form_under(token: str, token_now: str | None) -> PublicForm:
    """`public_form` with the form cache's generation, read before this call (before the
    database: see form_cache)."""
    point = form_cache.point_get(token, token_now)
    if point is None:
        point = _public_point(token)
        if point is None:
            return PublicForm(None, None, token_now)
        form_cache.point_put(token, token_now, point)
    version = form_cache.get(point.current_version_id, token_now)
    if version is None or version.form_id != point.form_id:
        version = (
            FormVersion.objects.filter(pk=point.current_version_id)
            .select_related("form")
            .prefetch_related(
                Prefetch("questions", Question.objects.prefetch_related("options")),
                "translations",
            )
            .first()
        )
        if version is not None:
            form_cache.put(version.pk, token_now, version)
    return PublicForm(point, version, token_now)


def translation_for(version: FormVersion, language: str) -> FormTranslation | None:
    for translation in version.translations.all():
        if translation.language == language:
            return translation
    return None
