import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import Action

from .factories import ActionFactory

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def test_an_action_has_an_owner_from_the_organisation(always_event, staff):
    action = services.action_save(
        always_event=always_event, title="Print the contact cards", owner=staff,
        due_on=datetime.date(2027, 1, 10),
    )
    assert action.status == "open"


def test_an_owner_from_another_organisation_is_refused(always_event, other_lead):
    with pytest.raises(ValidationError) as error:
        services.action_save(
            always_event=always_event, title="Print", owner=other_lead,
            due_on=datetime.date(2027, 1, 10),
        )
    assert "owner" in error.value.message_dict
    assert not Action.objects.exists()


def test_overdue_actions_show_to_the_lead_on_the_always_event_page(client, always_event, lead,
                                                                  staff):
    ActionFactory(always_event=always_event, owner=staff, title="Book the room",
                  due_on=YESTERDAY)
    client.force_login(lead)
    response = client.get(reverse("programmes:always_event_detail", args=[always_event.pk]))
    assert "1 overdue action" in response.text and "Book the room" in response.text


def test_overdue_actions_show_to_the_sponsor(client, always_event, executive, staff):
    always_event.executive_sponsor = executive
    always_event.save()
    ActionFactory(always_event=always_event, owner=staff, title="Book the room",
                  due_on=YESTERDAY)
    client.force_login(executive)
    response = client.get(reverse("programmes:overdue_actions"))
    assert "Book the room" in response.text


def test_overdue_actions_do_not_show_to_other_staff(client, always_event, staff, organisation):
    from tests.factories import MembershipFactory

    bystander = MembershipFactory(organisation=organisation).user
    ActionFactory(always_event=always_event, owner=staff, title="Book the room",
                  due_on=YESTERDAY)
    client.force_login(bystander)
    assert "Book the room" not in client.get(
        reverse("programmes:always_event_detail", args=[always_event.pk])
    ).text
    assert "You have no overdue actions" in client.get(reverse("programmes:overdue_actions")).text


def test_done_actions_are_not_overdue(client, always_event, lead):
    ActionFactory(always_event=always_event, owner=lead, title="Book the room",
                  due_on=YESTERDAY, status="done")
    client.force_login(lead)
    assert "Book the room" not in client.get(reverse("programmes:overdue_actions")).text


def test_the_owner_sees_their_overdue_action(client, always_event, staff):
    ActionFactory(always_event=always_event, owner=staff, title="Book the room",
                  due_on=YESTERDAY)
    client.force_login(staff)
    assert "Book the room" in client.get(reverse("programmes:overdue_actions")).text


class TestPages:
    def test_add_and_change_an_action(self, client, always_event, lead, staff):
        client.force_login(lead)
        response = client.post(reverse("programmes:action_create", args=[always_event.pk]), {
            "title": "Print cards", "owner": staff.pk, "due_on_day": "10",
            "due_on_month": "1", "due_on_year": "2027", "status": "open",
        })
        assert response.status_code == 302
        action = Action.objects.get()
        client.post(reverse("programmes:action_edit", args=[always_event.pk, action.pk]), {
            "title": "Print cards", "owner": staff.pk, "due_on_day": "10",
            "due_on_month": "1", "due_on_year": "2027", "status": "done",
        })
        action.refresh_from_db()
        assert action.status == "done"

    def test_the_list_marks_overdue_actions(self, client, always_event, lead):
        ActionFactory(always_event=always_event, owner=lead, due_on=YESTERDAY)
        client.force_login(lead)
        response = client.get(reverse("programmes:action_list", args=[always_event.pk]))
        assert "Overdue" in response.text

    def test_the_list_has_an_empty_state(self, client, always_event, lead):
        client.force_login(lead)
        response = client.get(reverse("programmes:action_list", args=[always_event.pk]))
        assert "No actions yet" in response.text

    def test_missing_fields_are_explained(self, client, always_event, lead):
        client.force_login(lead)
        response = client.post(reverse("programmes:action_create", args=[always_event.pk]), {})
        for message in ["Enter what needs to be done", "Select the owner", "Enter the due date"]:
            assert message in response.text
