import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import Communication, SpreadRecord
from tests.factories import MembershipFactory

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


def _adoption(always_event, user, adopter=None, name="Ward 9"):
    return services.spread_record_add(
        always_event=always_event, name=name, kind="ward", adopted_on=DAY,
        adopting_always_event=adopter, user=user,
    )


class TestChangingAndDeleting:
    def test_changing_a_presentation_keeps_it_one_record(self, client, always_event, lead):
        item = services.communication_record(
            always_event=always_event, channel="board", presented_on=DAY, audience="Trust bord"
        )
        client.force_login(lead)
        url = reverse("programmes:communication_edit", args=[always_event.pk, item.pk])
        page = client.get(url).text
        assert 'value="Trust bord"' in page and 'value="2026"' in page

        response = client.post(url, {
            "channel": "board", "presented_on_day": "1", "presented_on_month": "10",
            "presented_on_year": "2026", "audience": "Trust board", "notes": "Approved",
        })

        assert response.status_code == 302
        item = Communication.objects.get()
        assert (item.audience, item.notes) == ("Trust board", "Approved")

    def test_a_bad_change_is_shown_with_what_was_typed_and_saves_nothing(
        self, client, always_event, lead
    ):
        item = services.communication_record(
            always_event=always_event, channel="board", presented_on=DAY, audience="Trust board"
        )
        client.force_login(lead)
        url = reverse("programmes:communication_edit", args=[always_event.pk, item.pk])

        page = client.post(url, {
            "channel": "board", "presented_on_day": "31", "presented_on_month": "2",
            "presented_on_year": "2026", "audience": "Nursing committee",
        }).text

        assert "There is a problem" in page and 'value="Nursing committee"' in page
        assert Communication.objects.get().audience == "Trust board"

    def test_deleting_a_presentation_asks_first(self, client, always_event, lead):
        item = services.communication_record(
            always_event=always_event, channel="newsletter", presented_on=DAY,
            audience="All staff",
        )
        client.force_login(lead)
        url = reverse("programmes:communication_delete", args=[always_event.pk, item.pk])

        assert "Delete this presentation?" in client.get(url).text
        assert Communication.objects.exists()
        assert client.post(url).status_code == 302
        assert not Communication.objects.exists()
        history = client.get(reverse("programmes:history", args=[always_event.pk])).text
        assert "Deleted the presentation to All staff" in history

    def test_relinking_an_adoption_moves_spread_from(self, always_event, lead, organisation):
        first = AlwaysEventFactory(organisation=organisation, title="Ward 9")
        second = AlwaysEventFactory(organisation=organisation, title="Ward 10")
        record = _adoption(always_event, lead, first)

        _adoption(always_event, lead, second, name="Ward 10")  # a second record, a second link
        services.spread_record_add(
            always_event=always_event, name="Ward 9", kind="ward", adopted_on=DAY,
            adopting_always_event=None, user=lead, record=record,
        )

        first.refresh_from_db()
        second.refresh_from_db()
        assert first.spread_from is None and second.spread_from == always_event
        assert SpreadRecord.objects.count() == 2

    def test_deleting_an_adoption_unlinks_only_what_no_other_record_links(
        self, always_event, lead, organisation
    ):
        adopter = AlwaysEventFactory(organisation=organisation, title="Ward 9")
        one = _adoption(always_event, lead, adopter, name="Ward 9, bay A")
        two = _adoption(always_event, lead, adopter, name="Ward 9, bay B")

        services.spread_record_delete(record=one)
        adopter.refresh_from_db()
        assert adopter.spread_from == always_event  # bay B still links it

        services.spread_record_delete(record=two)
        adopter.refresh_from_db()
        assert adopter.spread_from is None

    def test_an_adopter_since_adopted_from_elsewhere_keeps_that(
        self, always_event, lead, organisation
    ):
        adopter = AlwaysEventFactory(organisation=organisation, title="Ward 9")
        elsewhere = AlwaysEventFactory(organisation=organisation, title="Children's wards")
        record = _adoption(always_event, lead, adopter)
        _adoption(elsewhere, lead, adopter)

        services.spread_record_delete(record=record)

        adopter.refresh_from_db()
        assert adopter.spread_from == elsewhere

    def test_a_link_to_another_organisation_is_kept_by_whoever_changes_the_record(
        self, client, always_event, lead, other_always_event, other_lead
    ):
        MembershipFactory(user=other_lead, organisation=always_event.organisation, role="lead")
        record = _adoption(always_event, other_lead, other_always_event, name="Northfield")
        client.force_login(lead)  # not a member of Northfield
        url = reverse("programmes:spread_record_edit", args=[always_event.pk, record.pk])
        assert other_always_event.title in client.get(url).text

        response = client.post(url, {
            "name": "Northfield General", "kind": "organisation", "adopted_on_day": "1",
            "adopted_on_month": "10", "adopted_on_year": "2026",
            "adopting_always_event": other_always_event.pk,
        })

        assert response.status_code == 302
        record.refresh_from_db()
        assert record.name == "Northfield General"
        assert record.adopting_always_event == other_always_event

    def test_the_page_offers_change_and_delete_to_the_team_only(
        self, client, always_event, lead, staff
    ):
        item = services.communication_record(
            always_event=always_event, channel="board", presented_on=DAY, audience="Trust board"
        )
        record = _adoption(always_event, lead)
        edit = reverse("programmes:communication_edit", args=[always_event.pk, item.pk])
        delete = reverse("programmes:spread_record_delete", args=[always_event.pk, record.pk])
        page_url = reverse("programmes:spread", args=[always_event.pk])

        client.force_login(lead)
        page = client.get(page_url).text
        assert edit in page and delete in page

        client.force_login(staff)  # not on this Always Event's team
        page = client.get(page_url).text
        assert edit not in page and delete not in page
        assert client.post(delete).status_code == 403
        assert SpreadRecord.objects.exists()
