"""Celery application. Settings come from Django settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "always_events.settings")

app = Celery("always_events")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="always_events.ping", ignore_result=False, acks_late=False)
def ping() -> str:
    """Answers "pong": /health/ sends it to prove a worker is taking tasks."""
    return "pong"
