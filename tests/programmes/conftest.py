import pytest

from programmes.models import Membership
from tests.factories import MembershipFactory

from .factories import AlwaysEventFactory, ChangeIdeaFactory


@pytest.fixture
def executive(organisation):
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.EXECUTIVE,
        user__email="executive@riverside.test", user__full_name="Dr Helen Marsh",
    ).user


@pytest.fixture
def org_admin(organisation):
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.ORG_ADMIN,
        user__email="admin@riverside.test",
    ).user


@pytest.fixture
def always_event(organisation, lead):
    event = AlwaysEventFactory(organisation=organisation, title="Knowing who to contact at home")
    event.leads.add(lead)
    return event


@pytest.fixture
def change_idea(always_event):
    return ChangeIdeaFactory(secondary_driver__primary_driver__always_event=always_event)


@pytest.fixture
def other_always_event(other_organisation, other_lead):
    event = AlwaysEventFactory(organisation=other_organisation, title="Feeling safe on the ward")
    event.leads.add(other_lead)
    return event
