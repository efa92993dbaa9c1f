"""Alerts on the real stack: Redis, a real Celery worker and PostgreSQL."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from evaluation import summaries
from evaluation.models import Alert, Measure
from evaluation.outcomes import outcome_summaries_recompute
from evaluation.tasks import check_alerts_no_data

from .outcome_data import answers, outcome_question

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
# The worker's emails go nowhere; which emails go, and how often, is tested with the
# locmem outbox in test_alerts.py. Here the worker must record that it sent them.
WORKER_EMAIL = {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}


def _monday(weeks_ago: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday(), weeks=weeks_ago)


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _emailed_alerts():
    return list(Alert.objects.filter(emailed_at__isnull=False).values_list("kind", "period_start"))


def test_the_recompute_task_raises_the_alert_once_and_emails_it(
    organisation, lead, start_celery_worker
):
    question = outcome_question(organisation)
    event_id = question.version.form.always_event_id
    question.version.form.always_event.leads.add(lead)
    for ago in range(12, 0, -1):
        answers(question, _monday(ago), yes=16, no=4)
    outcome_summaries_recompute(always_event_id=event_id)
    answers(question, _monday(0), yes=1, no=9)
    start_celery_worker(**WORKER_EMAIL)

    summaries.request_recompute(event_id)
    assert _wait_for(lambda: _emailed_alerts() == [("concern", _monday(0))])
    first = Alert.objects.get()

    answers(question, _monday(0), yes=0, no=1)  # more answers: another recompute
    summaries.request_recompute(event_id)
    assert _wait_for(
        lambda: Alert.objects.get().pk == first.pk
        and Measure.objects.get().summaries.filter(responses=11).exists()
    )
    time.sleep(1)
    assert Alert.objects.count() == 1
    assert Alert.objects.get().emailed_at == first.emailed_at


def test_the_daily_task_raises_a_no_data_alert_once(organisation, lead, start_celery_worker):
    question = outcome_question(organisation)
    question.version.form.always_event.leads.add(lead)
    Measure.objects.update(created_at=timezone.now() - dt.timedelta(days=400))
    start_celery_worker(**WORKER_EMAIL)

    check_alerts_no_data.delay()
    check_alerts_no_data.delay()

    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert _wait_for(lambda: _emailed_alerts() == [("no_data", last_month)])
    time.sleep(1)
    assert Alert.objects.count() == 1
