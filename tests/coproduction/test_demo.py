import time

import pytest

from coproduction import selectors
from coproduction.demo import seed_coproduction
from coproduction.models import CheckIn, CoDesignMember, CoDesignSession, Engagement
from programmes.demo import seed_organisations
from programmes.models import Organisation

from .factories import AlwaysEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organisations():
    seed_organisations(password="a-demo-password-for-tests")
    return Organisation.objects.get(ods_code="R9X"), Organisation.objects.get(ods_code="R9Y")


def test_without_always_events_it_creates_nothing(demo_organisations):
    seed_coproduction()
    assert not CoDesignMember.objects.exists() and not CoDesignSession.objects.exists()


def test_it_seeds_teams_for_existing_always_events_quickly_and_once(demo_organisations):
    riverside, northfield = demo_organisations
    first = AlwaysEventFactory(organisation=riverside)
    second = AlwaysEventFactory(organisation=riverside)
    AlwaysEventFactory(organisation=northfield)
    started = time.monotonic()
    seed_coproduction()
    assert time.monotonic() - started < 10
    counts = (CoDesignMember.objects.count(), CoDesignSession.objects.count(),
              Engagement.objects.count(), CheckIn.objects.count())
    seed_coproduction()
    assert counts == (CoDesignMember.objects.count(), CoDesignSession.objects.count(),
                      Engagement.objects.count(), CheckIn.objects.count())
    assert not selectors.check_in_summary(always_event=first).suppressed
    assert selectors.check_in_summary(always_event=second).suppressed
    assert selectors.protected_hours_by_month(organisation=riverside)
    assert any(row.trained for row in selectors.training_coverage(riverside))
    quotes = " ".join(Engagement.objects.values_list("quotes__text", flat=True).exclude(
        quotes__text=None))
    assert "07700" not in quotes
