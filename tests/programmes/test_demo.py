import pytest
from django.utils import timezone

from programmes.demo import seed_always_events, seed_organisations
from programmes.models import Action, AlwaysEvent, PDSACycle, ReadinessAssessment

pytestmark = pytest.mark.django_db


def test_the_demo_has_always_events_across_the_phases_for_both_organisations():
    seed_organisations(password="demo-password-for-a-test")
    seed_always_events()
    riverside = AlwaysEvent.objects.filter(organisation__ods_code="R9X")
    assert riverside.count() == 5
    assert riverside.values("phase").distinct().count() == 5
    assert AlwaysEvent.objects.filter(organisation__ods_code="R9Y").count() == 2
    assert PDSACycle.objects.filter(always_event__organisation__ods_code="R9X").count() >= 3
    overdue = Action.objects.filter(due_on__lt=timezone.localdate()).exclude(status="done")
    assert overdue.filter(always_event__organisation__ods_code="R9X").count() == 1
    assert ReadinessAssessment.objects.filter(organisation__ods_code="R9X").exists()
    contact = riverside.get(title="Knowing who to contact at home")
    assert contact.vision_statement == "I will always know who to contact when I get home"
    assert contact.criteria.filter(met=True).count() == 4


def test_seeding_twice_adds_nothing():
    seed_organisations(password="demo-password-for-a-test")
    seed_always_events()
    counts = (AlwaysEvent.objects.count(), PDSACycle.objects.count(), Action.objects.count())
    seed_always_events()
    assert (AlwaysEvent.objects.count(), PDSACycle.objects.count(), Action.objects.count()) == (
        counts
    )
