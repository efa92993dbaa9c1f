import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.outcomes import outcome_summaries_recompute_all
from programmes.models import AlwaysEvent

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db


def _month(months_ago: int) -> dt.date:
    day = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day + dt.timedelta(days=9)


def _event_with_months(organisation, months: int, title: str):
    question = outcome_question(organisation)
    AlwaysEvent.objects.filter(pk=question.version.form.always_event_id).update(title=title)
    for ago in range(months):
        answers(question, _month(ago), yes=8 + (ago % 3), no=4)
    return question


def test_it_shows_each_always_event_against_its_target_with_counts(client, lead, organisation):
    _event_with_months(organisation, 14, "Knowing who to contact at home")
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()

    assert "Knowing who to contact at home" in page
    assert "<strong>67%</strong> (8 of 12)" in page  # this month: 8 of 12
    assert "Target 80%" in page
    assert "Common cause variation" in page or "Special cause" in page
    assert "Will consistently" in page or "Hit and miss" in page


def test_too_few_months_gives_no_icons_and_months_without_data_are_counted(
    client, lead, organisation
):
    _event_with_months(organisation, 2, "Being called by my name")
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()

    assert "Too few months to judge (12 needed)" in page
    assert "4 months without data" in page


def test_a_month_with_fewer_than_5_responses_shows_no_percentage(client, lead, organisation):
    question = outcome_question(organisation)
    answers(question, _month(0), yes=2, no=1)
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()

    assert "Fewer than 5 responses in" in page
    assert "67%" not in page


def test_another_organisations_always_events_never_appear(client, lead, other_organisation):
    _event_with_months(other_organisation, 3, "Northfield's own Always Event")
    outcome_summaries_recompute_all()
    client.force_login(lead)
    assert "Northfield's own" not in client.get(reverse("dashboards:executive")).content.decode()


def test_filters_by_phase(client, lead, organisation):
    _event_with_months(organisation, 1, "Still setting up")
    client.force_login(lead)
    page = client.get(reverse("dashboards:executive") + "?phase=test").content.decode()
    assert "Still setting up" not in page
    assert "No Always Events match" in page


def test_the_number_of_queries_does_not_grow_with_the_number_of_always_events(
    client, lead, organisation
):
    _event_with_months(organisation, 13, "The first")
    outcome_summaries_recompute_all()
    client.force_login(lead)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboards:executive"))

    for n in range(49):
        _event_with_months(organisation, 13 if n % 2 else 2, f"Always Event {n}")
    outcome_summaries_recompute_all()
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse("dashboards:executive"))

    assert response.content.decode().count('scope="row"') == 50
    assert len(fifty) == len(one)


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("dashboards:executive"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
