"""The recompute on the real stack: Redis, a real Celery worker and PostgreSQL."""

import datetime as dt
import signal
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from evaluation import summaries
from evaluation.models import OutcomeSummary
from evaluation.outcomes import outcome_summaries_recompute
from evaluation.tasks import recompute_outcome_summaries

from .outcome_data import answers, outcome_question

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def question(organisation):
    q = outcome_question(organisation)
    for week in range(6):
        answers(q, MONDAY + dt.timedelta(weeks=week), yes=week + 2, no=2, dont_know=1)
    return q


def _event_id(question):
    return question.version.form.always_event_id


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _snapshot(event_id):
    return sorted(
        OutcomeSummary.objects.filter(always_event_id=event_id).values_list(
            "measure_id", "period", "period_start", "responses", "successes", "excluded"
        )
    )


def _expected(event_id):
    """What a recompute gives, computed here and then rolled back."""
    from django.db import transaction

    with transaction.atomic():
        outcome_summaries_recompute(always_event_id=event_id)
        rows = _snapshot(event_id)
        transaction.set_rollback(True)
    return rows


def test_a_burst_of_requests_enqueues_one_recompute(question, redis_client):
    for _ in range(25):
        summaries.request_recompute(_event_id(question))

    assert redis_client.llen("celery") == 1


def test_requests_share_one_connection_to_redis(question, redis_client):
    summaries.request_recompute(_event_id(question))
    opened = redis_client.info("stats")["total_connections_received"]

    for _ in range(25):
        summaries.request_recompute(_event_id(question))

    assert redis_client.info("stats")["total_connections_received"] == opened


def test_the_recompute_starts_at_once_and_a_burst_during_it_adds_one_more(
    question, redis_client
):
    """Leading-edge debounce: after a quiet spell the task is enqueued without a countdown
    (no patient waits for a timer); once a recompute has started (cleared the mark) a
    further burst enqueues exactly one more, never one per response, due no later than
    MIN_SECONDS_BETWEEN after that start."""
    import json

    for _ in range(10):
        summaries.request_recompute(_event_id(question))
    assert json.loads(redis_client.lindex("celery", 0))["headers"]["eta"] is None

    summaries.clear_scheduled(_event_id(question))  # what the task does when it starts
    started = dt.datetime.now(dt.UTC)
    for _ in range(10):
        summaries.request_recompute(_event_id(question))

    assert redis_client.llen("celery") == 2
    eta = dt.datetime.fromisoformat(json.loads(redis_client.lindex("celery", 0))["headers"]["eta"])
    assert started < eta <= started + dt.timedelta(seconds=summaries.MIN_SECONDS_BETWEEN)


def test_the_worker_brings_summaries_up_to_date(question, celery_worker_process):
    expected = _expected(_event_id(question))

    summaries.request_recompute(_event_id(question))

    assert _wait_for(lambda: _snapshot(_event_id(question)) == expected)


def test_a_request_while_redis_is_down_is_caught_up_by_the_sweep(
    question, celery_worker_process, settings
):
    real_redis = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    summaries.request_recompute(_event_id(question))  # must not raise
    settings.REDIS_URL = real_redis
    assert not OutcomeSummary.objects.exists()

    assert summaries.sweep() == 1
    assert summaries.sweep() == 0  # nothing new since the last sweep

    expected = _expected(_event_id(question))
    assert _wait_for(lambda: _snapshot(_event_id(question)) == expected)


def test_a_worker_killed_mid_recompute_leaves_correct_summaries(
    question, start_celery_worker
):
    """The test holds a lock on the Always Event, so the worker's recompute waits inside its
    transaction; the worker is killed there (SIGKILL). Its transaction rolls back, the task
    was not acknowledged (acks late), and a new worker runs it again."""
    event_id = _event_id(question)
    expected = _expected(event_id)
    worker_env = {"CELERY_TASK_TIME_LIMIT": "5"}  # visibility timeout 10 s: quick redelivery
    worker = start_celery_worker(**worker_env)
    with _connect(autocommit=False) as blocker, _connect(autocommit=True) as watcher:
        blocker.execute(
            "SELECT id FROM programmes_alwaysevent WHERE id = %s FOR UPDATE", [event_id]
        )
        recompute_outcome_summaries.delay(event_id)
        assert _wait_for(lambda: _someone_waits_on_a_lock(watcher))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        blocker.rollback()

    assert not OutcomeSummary.objects.exists()
    start_celery_worker(**worker_env)
    assert _wait_for(lambda: _snapshot(event_id) == expected, timeout=60)


def _connect(*, autocommit: bool):
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"],
        autocommit=autocommit,
    )


def _someone_waits_on_a_lock(watcher) -> bool:
    """Asked from its own autocommit connection: pg_stat_activity is a per-transaction
    snapshot, so a long transaction would never see the worker start waiting."""
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    ).fetchone()
    return row[0] > 0


def test_the_test_database_is_the_one_the_worker_uses():
    assert connection.settings_dict["NAME"].startswith("test_")


def test_the_worker_stores_the_dashboard_line_the_executive_dashboard_reads(
    question, celery_worker_process, client, lead, organisation
):
    """After new answers, the real worker's recompute replaces the outcome measure's
    dashboard line, and the executive dashboard shows it without reading summaries."""
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from evaluation.models import DashboardLine

    event_id = _event_id(question)
    answers(question, timezone.localdate(), yes=7, no=3)
    summaries.request_recompute(event_id)
    assert _wait_for(
        lambda: DashboardLine.objects.filter(
            measure_id=question.measure_id, month=timezone.localdate().replace(day=1),
            latest__1=10,
        ).exists()
    )
    client.force_login(lead)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboards:executive")).content.decode()
    assert "<strong>70%</strong> (7 of 10)" in page
    assert not [q for q in queries if "evaluation_outcomesummary" in q["sql"]]
