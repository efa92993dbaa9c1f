import datetime

import factory
from simple_history.utils import bulk_create_with_history

from programmes.models import (
    Action,
    AlwaysEvent,
    ChangeIdea,
    Criterion,
    PDSACycle,
    PrimaryDriver,
    SecondaryDriver,
)
from tests.factories import OrganisationFactory, UserFactory


class AlwaysEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlwaysEvent
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Iterator([
        "Knowing who to contact at home",
        "How I would like to be addressed",
        "Feeling safe on the ward",
    ])
    service_area = "Ward 7 (older people)"
    setting = AlwaysEvent.Setting.INPATIENT

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create:
            bulk_create_with_history(
                [Criterion(always_event=obj, kind=kind) for kind in Criterion.Kind.values],
                Criterion,
            )


class PrimaryDriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrimaryDriver

    always_event = factory.SubFactory(AlwaysEventFactory)
    text = "Patients have the information they need at discharge"


class SecondaryDriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecondaryDriver

    primary_driver = factory.SubFactory(PrimaryDriverFactory)
    text = "Conversations at the bedside"


class ChangeIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeIdea

    secondary_driver = factory.SubFactory(SecondaryDriverFactory)
    text = "Give every patient a contact card"


class PDSACycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PDSACycle

    change_idea = factory.SubFactory(ChangeIdeaFactory)
    always_event = factory.LazyAttribute(
        lambda o: o.change_idea.secondary_driver.primary_driver.always_event
    )
    number = factory.Sequence(lambda n: n + 1)
    objective = "Test the contact card with one nurse for a week"
    prediction = "Seven in ten patients will know who to contact"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    always_event = factory.SubFactory(AlwaysEventFactory)
    title = "Send the monthly results to the oversight group"
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
