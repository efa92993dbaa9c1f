import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_reports_a_worker_that_answers(client, celery_worker_process):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok"}


def test_it_answers_503_when_no_worker_is_running(client, redis_client, settings):
    settings.HEALTH_WORKER_TIMEOUT = 1

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["worker"] == "down"
    assert response.json()["redis"] == "ok"


def test_it_answers_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["redis"] == "down"
    assert response.json()["worker"] == "unknown"


def test_without_redis_tasks_run_in_process(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json()["worker"] == "in process"


def test_it_is_never_cached(client, settings):
    settings.REDIS_URL = ""
    assert "no-cache" in client.get(reverse("health"))["Cache-Control"]
