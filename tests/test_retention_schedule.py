"""Every retention purge runs daily, each at its own time in the quiet hours."""

import pytest
from celery import current_app
from django.conf import settings

PURGES = [  # beat entry, task, minute past 3 o'clock
    ("purge-partner-details", "coproduction.tasks.purge_partner_details", 15),
    ("purge-check-in-comments", "coproduction.tasks.purge_check_in_comments", 30),
    ("purge-free-text", "evaluation.tasks.purge_free_text", 45),
    ("purge-engagement-quotes", "coproduction.tasks.purge_engagement_quotes", 50),
    ("purge-interview-text", "evaluation.tasks.purge_interview_text", 55),
]


@pytest.mark.parametrize(("name", "task", "minute"), PURGES)
def test_each_purge_is_scheduled_daily(name, task, minute):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    assert entry["task"] == task
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {minute}
    assert entry["schedule"].day_of_week == set(range(7))
    current_app.loader.import_default_modules()
    assert task in current_app.tasks


def test_every_purge_in_the_schedule_is_listed_here():
    purges = {name for name in settings.CELERY_BEAT_SCHEDULE if name.startswith("purge-")}
    assert purges == {name for name, _, _ in PURGES}
