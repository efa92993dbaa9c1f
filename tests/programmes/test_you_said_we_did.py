import pytest
from django.urls import reverse

from programmes.models import AlwaysEvent, Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _event(organisation, title, text, **extra):
    return AlwaysEvent.objects.create(
        organisation=organisation,
        title=title,
        service_area="Ward 7",
        setting=AlwaysEvent.Setting.INPATIENT,
        you_said_we_did=text,
        **extra,
    )


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ORG_ADMIN).user


def _url(organisation):
    return reverse("programmes:you_said_we_did", args=[organisation.ods_code])


def test_it_is_not_found_until_the_organisation_opts_in(client, organisation):
    _event(organisation, "Knowing who to contact", "We give everyone a card.")
    assert client.get(_url(organisation)).status_code == 404


def test_it_lists_only_always_events_with_a_text_and_nothing_internal(client, organisation):
    organisation.publishes_you_said_we_did = True
    organisation.save()
    _event(
        organisation,
        "Knowing who to contact",
        "We give everyone a card.",
        aim_target_percent=85,
        qi_strategy_objective="Internal objective 4b",
    )
    _event(organisation, "Called by my name", "")
    _event(organisation, "Closed one", "Old text", status=AlwaysEvent.Status.CLOSED)

    page = client.get(_url(organisation)).content.decode()

    assert "We give everyone a card." in page
    assert "Called by my name" not in page and "Old text" not in page
    assert "85%" not in page and "Internal objective 4b" not in page


def test_an_org_admin_switches_it_on_and_off(client, org_admin, organisation):
    client.force_login(org_admin)
    url = reverse("programmes:you_said_we_did_settings")

    assert "Select whether to publish the page" in client.post(url, {}).content.decode()
    client.post(url, {"publish": "yes"})
    organisation.refresh_from_db()
    assert organisation.publishes_you_said_we_did
    client.post(url, {"publish": "no"})
    organisation.refresh_from_db()
    assert not organisation.publishes_you_said_we_did


def test_only_org_admins_may_switch_it(client, lead, organisation):
    client.force_login(lead)
    response = client.post(reverse("programmes:you_said_we_did_settings"), {"publish": "yes"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert not organisation.publishes_you_said_we_did


def test_leads_write_the_text_on_the_always_event_edit_form(client, lead, organisation):
    event = _event(organisation, "Knowing who to contact", "")
    client.force_login(lead)
    page = client.get(reverse("programmes:always_event_edit", args=[event.pk])).content.decode()
    assert "public “You said, we did” page" in page
