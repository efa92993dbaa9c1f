"""Redis stopped in the middle of a stream of feedback submissions, then started again.

The app runs in gunicorn with a Celery worker, both on a redis-server of the test's own
(the broker, the cache and the rate-limit counters), and on the test database. Redis is
shut down without saving, so the queued recomputes are lost as in a crash. Every
submission that got a thank-you page must be stored, and when Redis is back the sweep
(the beat task of every minute) brings the outcome summaries up to date.
"""

import subprocess
import sys
import time

import httpx
import pytest
from django.db import transaction

from always_events.celery import app as celery_app
from bench.load import ROOT, THANK_YOU, answers_from, app_environment, start_gunicorn, stop
from evaluation.models import OutcomeSummary, Response
from evaluation.outcomes import outcome_summaries_recompute
from evaluation.tasks import sweep_new_responses
from tests.conftest import _test_database_url
from tests.evaluation.factories import (
    AlwaysEventFactory,
    MeasureFactory,
    distribution_point,
    feedback_form,
)

from .servers import HTTP_PORTS, free_port

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def point(organisation):
    event = AlwaysEventFactory(organisation=organisation)
    form = feedback_form(event, measure=MeasureFactory(always_event=event))
    return distribution_point(form)


@pytest.fixture
def app(own_redis, point):
    env = app_environment(_test_database_url(), own_redis.url)
    port = free_port(HTTP_PORTS)
    server = start_gunicorn(env, port, workers=2)
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "always_events",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    yield {"base": f"http://127.0.0.1:{port}", "path": f"/f/{point.token}/", "env": env}
    stop(worker)
    stop(server)


def _submit(base, path, choice) -> bool:
    """One patient's flow; True when they saw the thank-you page."""
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        page = client.get(path)
        assert page.status_code == 200, f"the form page answered {page.status_code}"
        thanks = client.post(path, data=answers_from(page.text, choice=choice))
        assert thanks.status_code == 200, f"sending answers gave {thanks.status_code}"
        return THANK_YOU in thanks.text and "/thank-you/" in str(thanks.url)


def _summaries(event_id):
    return sorted(
        OutcomeSummary.objects.filter(always_event_id=event_id).values_list(
            "measure_id", "period", "period_start", "responses", "successes", "excluded"
        )
    )


def _expected(event_id):
    with transaction.atomic():
        outcome_summaries_recompute(always_event_id=event_id)
        rows = _summaries(event_id)
        transaction.set_rollback(True)
    return rows


def _wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_every_thanked_submission_is_stored_and_summaries_catch_up(app, own_redis, point):
    event_id = point.always_event_id
    thanked = sum(_submit(app["base"], app["path"], n) for n in range(4))

    own_redis.shutdown()  # SHUTDOWN NOSAVE: queued recomputes are lost
    thanked += sum(_submit(app["base"], app["path"], n) for n in range(6))
    assert Response.objects.count() == thanked == 10

    own_redis.start()
    # Beat would send this within a minute; the test sends it at once, through the
    # test's own Redis (the broker of the app and its worker).
    with celery_app.connection_for_write(own_redis.url) as connection:
        sweep_new_responses.apply_async(connection=connection)
    expected = _expected(event_id)
    assert expected, "the submissions should give outcome summaries"
    assert _wait_for(lambda: _summaries(event_id) == expected), (
        "the summaries did not catch up after Redis came back"
    )
