"""Free-text feedback is blanked after FEEDBACK_FREE_TEXT_RETENTION_MONTHS; scored
answers stay, so outcome measures never change."""

import datetime as dt

import pytest
from django.utils import timezone

from evaluation import services, tasks
from evaluation.models import Answer, Response

from .factories import AlwaysEventFactory, feedback_form

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def respond(version, day, text):
    questions = list(version.questions.order_by("position"))
    return services.response_record(
        version=version,
        source="paper",
        recompute=False,
        responded_on=day,
        submission_key=f"key-{Response.objects.count()}",
        answers=[
            services.AnswerInput(question=q, text=text)
            if q.kind == "text"
            else services.AnswerInput(question=q, option=q.options.first())
            for q in questions
        ],
    )


@pytest.fixture
def version(organisation):
    return feedback_form(AlwaysEventFactory(organisation=organisation)).versions.get()


def _texts():
    return dict(
        Answer.objects.filter(question__kind="text").values_list("response__responded_on", "text")
    )


def test_old_free_text_is_blanked_and_scored_answers_are_kept(version):
    respond(version, dt.date(2024, 6, 14), "The nurse on nights was kind")
    respond(version, dt.date(2024, 6, 15), "I was given a card with the number")
    respond(version, dt.date(2026, 6, 1), "Nobody told me who to call")
    scored_before = list(
        Answer.objects.exclude(question__kind="text")
        .order_by("pk")
        .values_list("pk", "option", "outcome", "responded_on")
    )
    assert services.free_text_purge(today=TODAY, months=24, batch_size=1) == 1
    assert _texts() == {
        dt.date(2024, 6, 14): "",
        dt.date(2024, 6, 15): "I was given a card with the number",
        dt.date(2026, 6, 1): "Nobody told me who to call",
    }
    assert (
        list(
            Answer.objects.exclude(question__kind="text")
            .order_by("pk")
            .values_list("pk", "option", "outcome", "responded_on")
        )
        == scored_before
    )
    assert Answer.objects.count() == 9  # the free-text rows stay, blank
    assert services.free_text_purge(today=TODAY, months=24) == 0  # idempotent


def test_it_works_through_many_answers_in_batches(version):
    for n in range(7):
        respond(version, dt.date(2023, 1, 1 + n), f"Comment {n}")
    assert services.free_text_purge(today=TODAY, months=12, batch_size=3) == 7
    assert set(_texts().values()) == {""}


def test_the_daily_task_uses_the_setting(version, settings, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    respond(version, dt.date(2026, 1, 1), "Old enough for a three-month rule")
    settings.FEEDBACK_FREE_TEXT_RETENTION_MONTHS = 12
    assert tasks.purge_free_text() == 0
    settings.FEEDBACK_FREE_TEXT_RETENTION_MONTHS = 3
    assert tasks.purge_free_text() == 1
    assert set(_texts().values()) == {""}
