import datetime
from decimal import Decimal

import factory

from coproduction.models import (
    CheckIn,
    CoDesignMember,
    CoDesignSession,
    Engagement,
    SessionAttendance,
    Theme,
    TrainingRecord,
)
from programmes.models import AlwaysEvent
from tests.factories import OrganisationFactory, UserFactory


class AlwaysEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlwaysEvent

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Iterator([
        "Knowing who to contact at home",
        "How I would like to be addressed",
        "Feeling safe on the ward",
    ])
    service_area = "Ward 7 (older people)"
    setting = AlwaysEvent.Setting.INPATIENT
    vision_statement = "I will always know who to contact when I get home"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoDesignMember

    always_event = factory.SubFactory(AlwaysEventFactory)
    kind = CoDesignMember.Kind.PATIENT
    role = CoDesignMember.Role.PARTNER
    chosen_name = factory.Iterator(["Maureen", "Dev", "Grace Ofori", "Stan", "Beatrix"])
    contact = "07700 900123"
    consent_given_on = datetime.date(2026, 1, 5)
    consent_scope = "Take part in workshops; first name in notes"
    access_needs = "Step-free access"
    joined_on = datetime.date(2026, 1, 5)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoDesignMember

    always_event = factory.SubFactory(AlwaysEventFactory)
    kind = CoDesignMember.Kind.STAFF
    role = CoDesignMember.Role.MEMBER
    user = factory.SubFactory(UserFactory)
    joined_on = datetime.date(2026, 1, 5)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoDesignSession

    always_event = factory.SubFactory(AlwaysEventFactory)
    held_on = datetime.date(2026, 2, 10)
    kind = CoDesignSession.Kind.WORKSHOP
    title = "Mapping the discharge journey"
    hours = Decimal("2.0")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionAttendance

    session = factory.SubFactory(SessionFactory)
    member = factory.SubFactory(PartnerFactory)
    hours = Decimal("2.0")
    protected_hours = Decimal("0")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["organisation", "name"]

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Knowing who to call"


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    always_event = factory.SubFactory(AlwaysEventFactory)
    method = Engagement.Method.CONVERSATIONS
    held_on = datetime.date(2026, 1, 20)
    setting = "Ward 7 day room"
    participants = 14


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    topic = TrainingRecord.Topic.CO_PRODUCTION
    completed_on = datetime.date(2026, 1, 15)
    provider = "Trust QI team"
    hours = Decimal("3.0")


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    always_event = factory.SubFactory(AlwaysEventFactory)
    group = CheckIn.Group.PARTNER
    answered_on = datetime.date(2026, 3, 1)
    wellbeing = 5
    skills = 4
    relationships = 4
    listened_to = 5
