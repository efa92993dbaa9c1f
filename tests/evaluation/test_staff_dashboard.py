"""The staff dashboard of an Always Event: everything a team needs on one page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coproduction.models import CoDesignMember, Engagement, Theme
from evaluation.models import Measure, MeasureDataPoint
from evaluation.outcomes import outcome_summaries_recompute
from programmes.models import Action, ChangeIdea, PDSACycle, PrimaryDriver, SecondaryDriver
from tests.authz import assert_not_found_for

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db
WEEKS = 10


def _monday(weeks_ago: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday(), weeks=weeks_ago)


@pytest.fixture
def event(organisation, lead):
    question = outcome_question(organisation)
    event = question.version.form.always_event
    for ago in range(WEEKS - 1, -1, -1):
        answers(question, _monday(ago), yes=6 + ago % 3, no=4)
    outcome_summaries_recompute(always_event_id=event.pk)
    idea = ChangeIdea.objects.create(
        secondary_driver=SecondaryDriver.objects.create(
            primary_driver=PrimaryDriver.objects.create(always_event=event, text="Information"),
            text="Written information at discharge",
        ),
        text="A contact card with the ward's number",
    )
    PDSACycle.objects.create(
        always_event=event, change_idea=idea, number=1, objective="Test the contact card",
        started_on=_monday(4), act=PDSACycle.Act.ADOPT,
    )
    Action.objects.create(
        always_event=event, title="Print 500 contact cards", owner=lead,
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    Action.objects.create(
        always_event=event, title="Tell the night staff", owner=lead,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    for kind in ["patient", "carer", "volunteer", "volunteer"]:
        CoDesignMember.objects.create(
            always_event=event, kind=kind, joined_on=_monday(20), chosen_name="Someone"
        )
    engagement = Engagement.objects.create(
        always_event=event, method=Engagement.Method.CONVERSATIONS, held_on=_monday(12),
        setting="Ward 7 day room", participants=14,
    )
    engagement.themes.add(Theme.objects.create(organisation=organisation, name="Who to call"))
    return event


def _measure(event, kind, name, *, weeks=WEEKS, denominator=20):
    measure = Measure.objects.create(
        always_event=event, kind=kind, name=name, frequency="week", target_percent=90
    )
    MeasureDataPoint.objects.bulk_create(
        MeasureDataPoint(
            measure=measure, period_start=_monday(ago), numerator=denominator // 2 + ago % 4,
            denominator=denominator,
        )
        for ago in range(weeks - 1, -1, -1)
    )
    return measure


def _url(event):
    return reverse("dashboards:always_event_outcomes", args=[event.pk])


def _page(client, user, event) -> str:
    client.force_login(user)
    return client.get(_url(event)).content.decode()


def test_it_shows_phase_next_gate_actions_cycles_team_and_themes(client, lead, event):
    page = _page(client, lead, event)

    assert "Set-up and oversight" in page or event.get_phase_display() in page
    assert "Next:" in page and "To do</strong>" in page  # the next phase's gates
    assert "2 open, <strong>1 overdue</strong>" in page
    assert "Print 500 contact cards" in page and "Overdue</strong>" in page
    assert "<strong>PDSA 1</strong>: Test the contact card (Adopt)" in page
    assert "2 of 4 members are patients, carers or family (50%)" in page
    assert "hours of protected staff time this quarter" in page
    assert "Who to call (1 conversation," in page


def test_other_measures_share_the_outcomes_time_axis(client, lead, event):
    _measure(event, Measure.Kind.PROCESS, "Contact cards given", weeks=6)
    _measure(event, Measure.Kind.OPERATIONAL, "Complaints about discharge")
    _measure(event, Measure.Kind.STAFF_EXPERIENCE, "Staff who feel able to give good care")

    page = _page(client, lead, event)

    ranges = re.findall(r"chart of (\d+) weeks from (\d+ \w+ \d+ to \d+ \w+ \d+)", page)
    assert len(ranges) == 4  # the outcome's p-chart and three run charts
    assert len(set(ranges)) == 1, ranges  # the same weeks on every chart
    assert "Operational measures" in page and "Staff experience" in page
    assert "PDSA 1" in page  # cycles marked on every chart's time axis
    assert page.count(">PDSA 1</text>") == 4


def test_a_data_point_with_fewer_than_5_shows_no_percentage(client, lead, event):
    measure = _measure(event, Measure.Kind.OPERATIONAL, "Readmissions", weeks=1, denominator=4)
    MeasureDataPoint.objects.filter(measure=measure).update(numerator=3)

    page = _page(client, lead, event)

    assert "fewer than 5 in the week of" in page
    assert "75%" not in page


def test_the_baseline_is_the_median_before_the_first_pdsa_cycle(client, lead, event):
    PDSACycle.objects.filter(always_event=event).update(started_on=_monday(2))
    page = _page(client, lead, event)
    assert "The baseline (median before the first PDSA cycle) was" in page
    assert "Baseline " in page  # drawn on the chart


def test_another_organisation_gets_404(client, other_lead, event):
    assert_not_found_for(client, other_lead, [_url(event)])


def test_the_number_of_queries_does_not_grow_with_responses_or_data(client, lead, event):
    question = event.feedback_forms.get().versions.get().questions.get()
    process = _measure(event, Measure.Kind.PROCESS, "Contact cards given", weeks=2)
    client.force_login(lead)
    with CaptureQueriesContext(connection) as few:
        first = client.get(_url(event)).content.decode()

    for ago in range(80, WEEKS, -1):  # more weeks, some of them before the window
        answers(question, _monday(ago), yes=12, no=3)
        MeasureDataPoint.objects.create(
            measure=process, period_start=_monday(ago), numerator=8, denominator=10
        )
    outcome_summaries_recompute(always_event_id=event.pk)
    with CaptureQueriesContext(connection) as many:
        page = client.get(_url(event)).content.decode()

    assert "chart of 52 weeks" in first and "chart of 52 weeks" in page
    assert len(many) == len(few)


def test_the_charts_show_the_last_52_weeks_and_every_week_is_one_link_away(client, lead, event):
    question = event.feedback_forms.get().versions.get().questions.get()
    answers(question, _monday(70), yes=3, no=7)
    outcome_summaries_recompute(always_event_id=event.pk)
    client.force_login(lead)

    window = client.get(_url(event)).content.decode()
    whole = client.get(_url(event) + "?show=all").content.decode()

    first_week = f"{_monday(51):%-d %b %y} to {_monday(0):%-d %b %y}"
    assert f"p-chart of 52 weeks from {first_week}" in window
    assert f"{_monday(70):%-d %b %Y}</td>" not in window  # before the window
    assert f"{_monday(20):%-d %b %Y}</td>" in window  # in it, with no responses
    no_responses = re.search(rf"{_monday(20):%-d %b %Y}</td>(.*?)</tr>", window, re.S).group(1)
    assert ">0</td>" in no_responses and "No responses" in no_responses
    assert 'href="?show=all">Show every week since the first response' in window

    assert f"p-chart of 71 weeks from {_monday(70):%-d %b %y}" in whole
    assert f"{_monday(70):%-d %b %Y}</td>" in whole
    assert "30%" in whole  # 3 of 10 that week
    assert 'href="?">Show the last 52 weeks' in whole


def test_the_baseline_reaches_back_before_the_window(client, lead, event):
    question = event.feedback_forms.get().versions.get().questions.get()
    for ago in range(66, 60, -1):  # six weeks at 40%, long before the window
        answers(question, _monday(ago), yes=4, no=6)
    outcome_summaries_recompute(always_event_id=event.pk)
    PDSACycle.objects.filter(always_event=event).update(started_on=_monday(58))

    page = _page(client, lead, event)

    assert "The baseline (median before the first PDSA cycle) was 40%." in page


def test_data_only_before_the_window_is_not_called_no_data_yet(client, lead, organisation):
    question = outcome_question(organisation)
    event = question.version.form.always_event
    answers(question, _monday(60), yes=6, no=4)
    outcome_summaries_recompute(always_event_id=event.pk)

    page = _page(client, lead, event)

    assert "No answers to this measure's questions in the last 52 weeks." in page
    assert "No answers to this measure's questions yet" not in page
