"""Alerts: special cause in the concerning direction and months without data."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluation import alerts
from evaluation.models import Alert, Frequency, Measure, OutcomeSummary
from evaluation.outcomes import outcome_summaries_recompute
from programmes.models import AlwaysEvent, Membership
from tests.factories import MembershipFactory

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db


def _monday(weeks_ago: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday(), weeks=weeks_ago)


def _event(question) -> AlwaysEvent:
    return question.version.form.always_event


@pytest.fixture
def sponsor(organisation):
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.EXECUTIVE,
        user__email="sponsor@trust.test",
    ).user


@pytest.fixture
def question(organisation, lead, sponsor):
    """Twelve steady weeks at 80%, with a lead and a sponsor."""
    q = outcome_question(organisation)
    event = _event(q)
    event.leads.add(lead)
    event.executive_sponsor = sponsor
    event.save()
    for ago in range(12, 0, -1):
        answers(q, _monday(ago), yes=16, no=4)
    return q


def _drop_this_week(question, yes=1, no=9):
    answers(question, _monday(0), yes=yes, no=no)
    outcome_summaries_recompute(always_event_id=_event(question).pk)


def test_a_drop_below_the_lower_limit_raises_one_alert_and_one_email_each(
    question, lead, sponsor
):
    _drop_this_week(question)

    new = alerts.alerts_check_special_cause(always_event_ids=[_event(question).pk])
    alerts.alerts_send_emails()

    assert len(new) == 1
    assert new[0].kind == Alert.Kind.CONCERN and new[0].period_start == _monday(0)
    assert "10% (1 of 10 responses)" in new[0].message
    assert "below the lower control limit" in new[0].message
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, sponsor.email])
    assert "Knowing who to contact after discharge" in mail.outbox[0].subject
    assert f"/always-events/{_event(question).pk}/outcomes/" in mail.outbox[0].body


def test_checking_and_recomputing_again_raises_nothing_new(question):
    _drop_this_week(question)
    alerts.alerts_check_special_cause()
    alerts.alerts_send_emails()

    outcome_summaries_recompute(always_event_id=_event(question).pk)
    again = alerts.alerts_check_special_cause()
    alerts.alerts_send_emails()

    assert again == []
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 2  # the lead and the sponsor, once
    assert Alert.objects.get().emailed_at is not None


def test_a_rise_is_not_a_concern_when_higher_is_better(question):
    _drop_this_week(question, yes=10, no=0)
    assert alerts.alerts_check_special_cause() == []


def test_when_lower_is_better_a_drop_is_no_concern(question):
    Measure.objects.update(improvement=Measure.Improvement.LOWER)
    _drop_this_week(question, yes=1, no=9)
    assert alerts.alerts_check_special_cause() == []


def test_when_lower_is_better_a_rise_is_the_concern(organisation):
    question = outcome_question(organisation)  # e.g. "said they waited too long"
    Measure.objects.update(improvement=Measure.Improvement.LOWER)
    for ago in range(12, 0, -1):
        answers(question, _monday(ago), yes=4, no=16)
    _drop_this_week(question, yes=9, no=1)
    [alert] = alerts.alerts_check_special_cause()
    assert "above the upper control limit" in alert.message


def test_fewer_than_5_responses_never_raise_an_alert(question):
    _drop_this_week(question, yes=0, no=4)
    row = OutcomeSummary.objects.get(period=Frequency.WEEKLY, period_start=_monday(0))
    assert row.chart["outside_limits"]  # it would be a signal, but 4 answers say too little
    assert alerts.alerts_check_special_cause() == []


def test_an_old_signal_is_not_news(question):
    today = timezone.localdate()
    _drop_this_week(question)
    later = today + dt.timedelta(weeks=3)
    assert alerts.alerts_check_special_cause(today=later) == []


def test_a_month_without_data_raises_one_alert_and_one_email_each(
    question, lead, sponsor
):
    today = timezone.localdate()
    outcome_summaries_recompute(always_event_id=_event(question).pk)
    Measure.objects.update(created_at=timezone.now() - dt.timedelta(days=120))
    later = (today.replace(day=1) + dt.timedelta(days=62)).replace(day=3)  # a month later

    first = alerts.alerts_check_no_data(today=later)
    alerts.alerts_send_emails()
    second = alerts.alerts_check_no_data(today=later)
    alerts.alerts_send_emails()

    month = alerts.previous_month(later)
    assert [(a.kind, a.period_start) for a in first] == [(Alert.Kind.NO_DATA, month)]
    assert f"no answers were counted in {month:%B %Y}" in first[0].message
    assert second == []
    assert len(mail.outbox) == 2


def test_a_month_with_data_or_a_new_measure_raises_no_alert(question):
    today = timezone.localdate()
    answers(question, today, yes=5, no=1)
    outcome_summaries_recompute(always_event_id=_event(question).pk)
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=2)
    # Last month (seen from next month) is this month, which has answers.
    Measure.objects.update(created_at=timezone.now() - dt.timedelta(days=120))
    assert alerts.alerts_check_no_data(today=next_month) == []
    # A measure defined this month had no whole month yet.
    Measure.objects.update(created_at=timezone.now())
    OutcomeSummary.objects.all().delete()
    assert alerts.alerts_check_no_data(today=next_month) == []


def test_a_closed_always_event_raises_no_alert(question):
    Measure.objects.update(created_at=timezone.now() - dt.timedelta(days=120))
    AlwaysEvent.objects.update(status=AlwaysEvent.Status.CLOSED)
    later = (timezone.localdate().replace(day=1) + dt.timedelta(days=62)).replace(day=3)
    assert alerts.alerts_check_no_data(today=later) == []


def test_a_failed_send_is_tried_again(question, settings):
    _drop_this_week(question)
    alerts.alerts_check_special_cause()
    settings.EMAIL_BACKEND = "tests.evaluation.test_alerts.BrokenBackend"
    with pytest.raises(OSError):
        alerts.alerts_send_emails()
    assert Alert.objects.get().emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert alerts.alerts_send_emails() == 1
    assert len(mail.outbox) == 2


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("The mail server is down")


# On the dashboards ------------------------------------------------------------------------


def test_the_lead_sees_the_alert_on_both_dashboards_and_marks_it_seen(client, question, lead):
    _drop_this_week(question)
    [alert] = alerts.alerts_check_special_cause()
    client.force_login(lead)
    staff_url = reverse("dashboards:always_event_outcomes", args=[_event(question).pk])

    assert "10% (1 of 10 responses)" in client.get(staff_url).content.decode()
    assert "10% (1 of 10 responses)" in client.get(reverse("dashboards:executive")).content.decode()

    response = client.post(
        reverse("dashboards:alert_seen", args=[alert.pk]), {"next": staff_url}
    )

    assert response.status_code == 302 and response.url == staff_url
    assert alert.seen_by.filter(pk=lead.pk).exists()
    page = client.get(staff_url).content.decode()
    assert "Alerts you have seen (1)" in page and "Mark as seen" not in page
    executive = client.get(reverse("dashboards:executive")).content.decode()
    assert "10% (1 of 10 responses)" not in executive


def test_seen_goes_back_only_to_this_site(client, question, lead):
    _drop_this_week(question)
    [alert] = alerts.alerts_check_special_cause()
    client.force_login(lead)
    response = client.post(
        reverse("dashboards:alert_seen", args=[alert.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse(
        "dashboards:always_event_outcomes", args=[_event(question).pk]
    )


def test_another_trust_cannot_see_or_mark_an_alert(client, question, other_lead):
    _drop_this_week(question)
    [alert] = alerts.alerts_check_special_cause()
    client.force_login(other_lead)
    assert client.post(reverse("dashboards:alert_seen", args=[alert.pk])).status_code == 404
    assert not alert.seen_by.exists()
    assert "1 of 10 responses" not in client.get(reverse("dashboards:executive")).content.decode()


def test_marking_as_seen_needs_a_post(client, question, lead):
    _drop_this_week(question)
    [alert] = alerts.alerts_check_special_cause()
    client.force_login(lead)
    assert client.get(reverse("dashboards:alert_seen", args=[alert.pk])).status_code == 405
