"""The demo feedback data: forms, points and two years of improving weekly responses."""

import datetime as dt

import pytest
from django.db.models import Count

from evaluation.demo import seed_evaluation
from evaluation.models import Answer, DistributionPoint, FeedbackForm, FormVersion, Response
from programmes.demo import seed_always_events, seed_organisations


@pytest.fixture
def demo(db, monkeypatch):
    calls = []
    monkeypatch.setattr("evaluation.summaries.request_recompute", calls.append)
    seed_organisations(password="a-demo-password-for-tests")
    seed_always_events()
    return calls


def test_it_does_nothing_without_demo_always_events(db, monkeypatch):
    monkeypatch.setattr("evaluation.summaries.request_recompute", lambda _id: None)
    seed_evaluation()
    assert not FeedbackForm.objects.exists()


def test_it_seeds_forms_points_and_improving_responses_once(demo):
    """One test, as seeding two years of responses takes a while on PostgreSQL."""
    seed_evaluation()

    assert FormVersion.objects.filter(translations__language="cy").exists()
    assert FormVersion.objects.filter(format="easy_read").exists()
    assert DistributionPoint.objects.filter(channel="kiosk").exists()
    per_event = Response.objects.values("always_event").annotate(n=Count("id"))
    assert per_event
    for row in per_event:
        assert 104 * 15 <= row["n"] <= 104 * 40
    assert sorted(demo) == sorted(r["always_event"] for r in per_event)

    answer = Answer.objects.select_related("response", "option").filter(option__isnull=False)[0]
    assert answer.always_event_id == answer.response.always_event_id
    assert answer.responded_on == answer.response.responded_on
    assert answer.outcome == answer.option.outcome

    answers = Answer.objects.filter(outcome__in=[0, 1], question__measure__isnull=False)
    days = sorted(answers.values_list("responded_on", flat=True).distinct())
    middle = days[len(days) // 2]

    def rate(qs):
        return qs.filter(outcome=1).count() / qs.count()

    before = rate(answers.filter(responded_on__lt=middle - dt.timedelta(days=60)))
    after = rate(answers.filter(responded_on__gt=middle + dt.timedelta(days=60)))
    assert before < 0.7 < after

    count = Response.objects.count()
    seed_evaluation()
    assert Response.objects.count() == count
