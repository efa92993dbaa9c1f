import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coproduction import selectors, services
from coproduction.models import LadderRating, TrainingRecord
from tests.factories import MembershipFactory

from .factories import StaffMemberFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db


def test_coverage_is_the_share_of_people_on_always_event_teams_trained(
    organisation, always_event, lead, staff
):
    always_event.leads.add(lead)
    StaffMemberFactory(always_event=always_event, user=staff)
    not_on_a_team = MembershipFactory(organisation=organisation).user
    TrainingRecordFactory(organisation=organisation, user=staff, topic="co_production")
    TrainingRecordFactory(organisation=organisation, user=staff, topic="co_production")
    TrainingRecordFactory(organisation=organisation, user=lead, topic="pdsa")
    TrainingRecordFactory(organisation=organisation, user=not_on_a_team, topic="pdsa")
    coverage = {row.topic: row for row in selectors.training_coverage(organisation)}
    assert (coverage["co_production"].trained, coverage["co_production"].total) == (1, 2)
    assert coverage["co_production"].percent == 50
    assert coverage["pdsa"].trained == 1 and coverage["facilitation"].trained == 0


def test_it_refuses_negative_hours_future_dates_and_other_organisations_staff(
    organisation, other_lead, today
):
    with pytest.raises(ValidationError) as error:
        services.training_record_add(
            organisation=organisation, user=other_lead, topic="pdsa",
            completed_on=today + datetime.timedelta(1), provider="", hours=Decimal(-1),
            today=today,
        )
    assert set(error.value.message_dict) == {"user", "completed_on", "provider", "hours"}
    assert not TrainingRecord.objects.exists()


def test_a_lead_adds_a_training_record_and_staff_cannot(client, lead, staff, fixed_today):
    client.force_login(staff)
    assert client.get(reverse("coproduction:training_add")).status_code == 403
    content = client.get(reverse("coproduction:training")).content.decode()
    assert "No training records yet" in content
    client.force_login(lead)
    response = client.post(reverse("coproduction:training_add"), {
        "user": staff.pk, "topic": "run_charts", "completed_on_day": "2",
        "completed_on_month": "6", "completed_on_year": "2026", "provider": "NHS England",
        "hours": "3.5",
    })
    assert response.status_code == 302
    assert TrainingRecord.objects.get().hours == Decimal("3.5")


def test_the_training_page_shows_coverage(client, lead, always_event, staff):
    StaffMemberFactory(always_event=always_event, user=staff)
    TrainingRecordFactory(organisation=always_event.organisation, user=staff)
    client.force_login(lead)
    content = client.get(reverse("coproduction:training")).content.decode()
    assert "1 of 1" in content and "100%" in content


def test_the_ladder_is_rated_per_phase_and_shown_over_time(client, lead, always_event,
                                                           fixed_today):
    client.force_login(lead)
    for phase, rung, day in [("understand", "4", "1"), ("co_design", "6", "10")]:
        response = client.post(reverse("coproduction:ladder_add", args=[always_event.pk]), {
            "phase": phase, "rung": rung, "rated_on_day": day, "rated_on_month": "6",
            "rated_on_year": "2026", "notes": "Agreed together",
        })
        assert response.status_code == 302
    ratings = list(selectors.ladder_ratings(always_event).values_list("phase", "rung"))
    assert ratings == [("understand", 4), ("co_design", 6)]
    content = client.get(reverse("coproduction:ladder", args=[always_event.pk])).content.decode()
    assert content.index("Consultation") < content.index("Co-design (6 of 7)")


def test_a_ladder_rating_in_the_future_is_refused(always_event, lead, today):
    with pytest.raises(ValidationError) as error:
        services.ladder_rate(always_event=always_event, phase="test", rung=9,
                             rated_on=today + datetime.timedelta(1), notes="", rated_by=lead,
                             today=today)
    assert set(error.value.message_dict) == {"rung", "rated_on"}
    assert not LadderRating.objects.exists()


def test_the_ladder_page_has_an_empty_state(client, staff, always_event):
    client.force_login(staff)
    content = client.get(reverse("coproduction:ladder", args=[always_event.pk])).content.decode()
    assert "No ratings yet" in content
