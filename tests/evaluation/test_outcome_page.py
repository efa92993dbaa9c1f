import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.charts import Chart, ChartPoint, render
from evaluation.outcomes import outcome_summaries_recompute
from tests.authz import assert_not_found_for

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday(), weeks=20)  # inside the 52-week window


@pytest.fixture
def question(organisation):
    q = outcome_question(organisation)
    for week in range(6):
        answers(q, MONDAY + dt.timedelta(weeks=week), yes=6 + week, no=4, dont_know=1)
    answers(q, MONDAY + dt.timedelta(weeks=6), yes=2, no=1)  # a small week
    outcome_summaries_recompute(always_event_id=q.version.form.always_event_id)
    return q


def _url(question):
    return reverse(
        "dashboards:always_event_outcomes", args=[question.version.form.always_event_id]
    )


def test_it_shows_the_latest_week_against_the_target_with_its_count(client, staff, question):
    q = question
    answers(q, MONDAY + dt.timedelta(weeks=7), yes=8, no=2)
    outcome_summaries_recompute(always_event_id=q.version.form.always_event_id)
    client.force_login(staff)

    page = client.get(_url(q)).content.decode()

    assert "<strong>80%</strong> (8 of 10 responses)" in page
    assert "The target is 80%." in page
    assert 'role="img"' in page and "<title id=" in page


def test_a_week_with_fewer_than_5_responses_shows_no_percentage(client, staff, question):
    client.force_login(staff)

    page = client.get(_url(question)).content.decode()

    small = MONDAY + dt.timedelta(weeks=6)
    small_week = re.search(rf"{small:%-d %b %Y}</td>(.*?)</tr>", page, re.S).group(1)
    assert "Fewer than 5 responses" in small_week
    assert "%" not in small_week  # 2 of 3 would have been 67%
    assert page.count('<p class="nhsuk-body-l">Fewer than 5 responses</p>') == 1


def test_every_shown_percentage_has_its_count(client, staff, question):
    client.force_login(staff)
    page = client.get(_url(question)).content.decode()
    # the sixth week: 11 of 15 counted answers (1 Don't know left out)
    assert "<td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">15</td>" in page
    assert "73%" in page


def test_an_event_without_measures_says_how_to_start(client, lead, organisation):
    from programmes.models import AlwaysEvent

    event = AlwaysEvent.objects.create(
        organisation=organisation, title="Being called by my name", service_area="Clinic 4",
        setting=AlwaysEvent.Setting.OUTPATIENT,
    )
    client.force_login(lead)
    page = client.get(reverse("dashboards:always_event_outcomes", args=[event.pk])).content
    assert b"no outcome measure yet" in page


def test_another_organisation_gets_404(client, other_lead, question):
    assert_not_found_for(client, other_lead, [_url(question)])


def test_the_chart_escapes_what_people_typed():
    svg = render(
        Chart(
            title="<script>x</script>", description="d", points=[ChartPoint("a", 50.0)],
            annotations=[(0, "<b>")],
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg


def test_a_signal_is_drawn_as_a_diamond_and_a_small_number_as_a_hollow_dot():
    svg = render(
        Chart(
            title="t", description="d",
            points=[ChartPoint("a", 50.0, signal=True), ChartPoint("b", 60.0, small_number=True)],
        )
    )
    assert svg.count("<path d=") == 1
    assert 'fill="#ffffff"' in svg


def test_labels_of_close_lines_do_not_cover_each_other():
    svg = render(
        Chart(
            title="t", description="d", points=[ChartPoint("a", 50.0), ChartPoint("b", 60.0)],
            target=80, centre=79.5, median=80.4,
        )
    )
    label_ys = sorted(
        float(y) for y, text in re.findall(r'<text x="680" y="([\d.]+)"[^>]*>([^<]+)</text>', svg)
        if text in {"Target 80%", "Mean", "Centre line", "Median"}
    )
    assert len(label_ys) == 3
    assert all(b - a >= 14 for a, b in zip(label_ys, label_ys[1:], strict=False))
