import datetime

import pytest

from .factories import AlwaysEventFactory, PartnerFactory, StaffMemberFactory

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def always_event(organisation):
    return AlwaysEventFactory(organisation=organisation, title="Knowing who to contact at home")


@pytest.fixture
def other_always_event(other_organisation):
    return AlwaysEventFactory(organisation=other_organisation, title="Feeling safe on the ward")


@pytest.fixture
def partner(always_event):
    return PartnerFactory(always_event=always_event, chosen_name="Maureen")


@pytest.fixture
def staff_member(always_event, staff):
    return StaffMemberFactory(always_event=always_event, user=staff)


@pytest.fixture
def fixed_today(monkeypatch):
    """Views and tasks see TODAY as today's date."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY
