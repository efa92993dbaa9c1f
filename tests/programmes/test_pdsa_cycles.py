import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import PDSACycle

from .factories import AlwaysEventFactory, ChangeIdeaFactory

pytestmark = pytest.mark.django_db


def _create(event, idea, **fields):
    values = {"objective": "Test the contact card for a week", "prediction": "7 in 10 will know"}
    values.update(fields)
    return services.pdsa_cycle_create(always_event=event, change_idea=idea, **values)


def test_cycles_are_numbered_per_always_event(always_event, change_idea, organisation):
    other_idea = ChangeIdeaFactory(
        secondary_driver__primary_driver__always_event__organisation=organisation
    )
    other_event = other_idea.secondary_driver.primary_driver.always_event
    assert _create(always_event, change_idea).number == 1
    assert _create(always_event, change_idea).number == 2
    assert _create(other_event, other_idea).number == 1


def test_it_refuses_an_end_before_the_start(always_event, change_idea):
    with pytest.raises(ValidationError) as error:
        _create(always_event, change_idea, started_on=datetime.date(2026, 5, 10),
                ended_on=datetime.date(2026, 5, 1))
    assert error.value.message_dict == {
        "ended_on": ["End date must be the same as or after the start date"]
    }
    assert not PDSACycle.objects.exists()


def test_it_refuses_a_change_idea_of_another_always_event(always_event, other_always_event):
    foreign = ChangeIdeaFactory(secondary_driver__primary_driver__always_event=other_always_event)
    with pytest.raises(ValidationError) as error:
        _create(always_event, foreign)
    assert "change_idea" in error.value.message_dict


def test_updating_records_do_study_and_act(always_event, change_idea):
    cycle = _create(always_event, change_idea)
    services.pdsa_cycle_update(
        cycle=cycle, change_idea=change_idea, objective=cycle.objective,
        do_notes="Done on 12 discharges", study_notes="9 of 12 knew", act="adopt",
    )
    cycle.refresh_from_db()
    assert (cycle.act, cycle.study_notes) == ("adopt", "9 of 12 knew")


class TestPages:
    def test_the_timeline_lists_cycles_in_order(self, client, always_event, change_idea, lead):
        _create(always_event, change_idea, objective="First go")
        _create(always_event, change_idea, objective="Second go", act="adopt")
        client.force_login(lead)
        response = client.get(reverse("programmes:pdsa_list", args=[always_event.pk]))
        assert response.text.index("PDSA cycle 1") < response.text.index("PDSA cycle 2")
        assert "Adopt" in response.text

    def test_an_empty_timeline_says_how_to_start(self, client, always_event, lead):
        client.force_login(lead)
        response = client.get(reverse("programmes:pdsa_list", args=[always_event.pk]))
        assert "No PDSA cycles yet" in response.text
        assert "add a change idea to the driver diagram" in response.text

    def test_the_form_creates_a_cycle(self, client, always_event, change_idea, lead):
        client.force_login(lead)
        response = client.post(reverse("programmes:pdsa_create", args=[always_event.pk]), {
            "change_idea": change_idea.pk, "objective": "Test the card",
            "started_on_day": "1", "started_on_month": "5", "started_on_year": "2026",
            "ended_on_day": "14", "ended_on_month": "5", "ended_on_year": "2026",
        })
        assert response.status_code == 302
        assert PDSACycle.objects.get().ended_on == datetime.date(2026, 5, 14)

    def test_the_form_shows_an_end_before_the_start_on_the_field(
        self, client, always_event, change_idea, lead
    ):
        client.force_login(lead)
        response = client.post(reverse("programmes:pdsa_create", args=[always_event.pk]), {
            "change_idea": change_idea.pk, "objective": "Test the card",
            "started_on_day": "14", "started_on_month": "5", "started_on_year": "2026",
            "ended_on_day": "1", "ended_on_month": "5", "ended_on_year": "2026",
        })
        assert "End date must be the same as or after the start date" in response.text
        assert not PDSACycle.objects.exists()

    def test_a_change_idea_of_another_organisation_is_not_a_choice(
        self, client, always_event, change_idea, other_always_event, lead
    ):
        foreign = ChangeIdeaFactory(
            secondary_driver__primary_driver__always_event=other_always_event
        )
        client.force_login(lead)
        response = client.post(reverse("programmes:pdsa_create", args=[always_event.pk]), {
            "change_idea": foreign.pk, "objective": "Test the card",
        })
        assert "Select a change idea from this Always Event" in response.text
        assert not PDSACycle.objects.exists()

    def test_the_edit_page_saves_the_act(self, client, always_event, change_idea, lead):
        cycle = _create(always_event, change_idea)
        client.force_login(lead)
        response = client.post(reverse("programmes:pdsa_edit", args=[always_event.pk, cycle.pk]), {
            "change_idea": change_idea.pk, "objective": cycle.objective, "act": "abandon",
        })
        assert response.status_code == 302
        cycle.refresh_from_db()
        assert cycle.act == "abandon"


def test_the_database_refuses_an_end_before_the_start_too(always_event, change_idea):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PDSACycle.objects.create(
            always_event=always_event, change_idea=change_idea, number=1, objective="x",
            started_on=datetime.date(2026, 5, 2), ended_on=datetime.date(2026, 5, 1),
        )


def test_factories_make_cycles_for_their_own_always_event():
    idea = ChangeIdeaFactory(secondary_driver__primary_driver__always_event=AlwaysEventFactory())
    assert idea.secondary_driver.primary_driver.always_event.criteria.count() == 4
