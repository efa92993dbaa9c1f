import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import Communication, SpreadRecord

from .factories import AlwaysEventFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 1)


def test_recording_a_presentation(always_event):
    services.communication_record(
        always_event=always_event, channel="board", presented_on=DAY, audience="Trust board"
    )
    assert Communication.objects.get().get_channel_display() == "Board"


def test_an_adoption_linked_to_an_always_event_sets_spread_from(always_event, lead, organisation):
    adopter = AlwaysEventFactory(organisation=organisation, title="Contact card on Ward 9")
    services.spread_record_add(
        always_event=always_event, name="Ward 9", kind="ward", adopted_on=DAY,
        adopting_always_event=adopter, user=lead,
    )
    adopter.refresh_from_db()
    assert adopter.spread_from == always_event


def test_an_always_event_the_user_cannot_see_is_refused(always_event, lead, other_always_event):
    with pytest.raises(ValidationError) as error:
        services.spread_record_add(
            always_event=always_event, name="Northfield", kind="organisation", adopted_on=DAY,
            adopting_always_event=other_always_event, user=lead,
        )
    assert "adopting_always_event" in error.value.message_dict
    other_always_event.refresh_from_db()
    assert other_always_event.spread_from is None
    assert not SpreadRecord.objects.exists()


class TestPages:
    def test_the_page_has_empty_states(self, client, always_event, lead):
        client.force_login(lead)
        response = client.get(reverse("programmes:spread", args=[always_event.pk]))
        assert "Not presented anywhere yet" in response.text
        assert "No adoptions recorded yet" in response.text

    def test_record_a_presentation_and_an_adoption(self, client, always_event, lead):
        client.force_login(lead)
        pk = always_event.pk
        client.post(reverse("programmes:communication_create", args=[pk]), {
            "channel": "newsletter", "presented_on_day": "1", "presented_on_month": "10",
            "presented_on_year": "2026", "audience": "All staff",
        })
        client.post(reverse("programmes:spread_record_create", args=[pk]), {
            "name": "Hillside site", "kind": "site", "adopted_on_day": "2",
            "adopted_on_month": "10", "adopted_on_year": "2026",
        })
        response = client.get(reverse("programmes:spread", args=[pk]))
        assert "All staff" in response.text and "Hillside site" in response.text

    def test_another_organisations_always_event_is_not_a_choice(
        self, client, always_event, other_always_event, lead
    ):
        client.force_login(lead)
        url = reverse("programmes:spread_record_create", args=[always_event.pk])
        assert other_always_event.title not in client.get(url).text
        response = client.post(url, {
            "name": "Northfield", "kind": "organisation", "adopted_on_day": "2",
            "adopted_on_month": "10", "adopted_on_year": "2026",
            "adopting_always_event": other_always_event.pk,
        })
        assert "Select an Always Event of your organisations" in response.text
        assert not SpreadRecord.objects.exists()
