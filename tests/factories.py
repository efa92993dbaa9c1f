import factory
from django.contrib.auth import get_user_model

from programmes.models import Membership, Organisation, ProgrammeAdmin, Region

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"person{n}@nhs.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    name = factory.Iterator(["London", "Midlands", "North West", "South West", "East of England"])
    code = factory.Iterator(["Y56", "Y60", "Y62", "Y58", "Y61"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Hillside {n} NHS Foundation Trust")
    ods_code = factory.Sequence(lambda n: f"R{n:02d}")
    type = Organisation.Type.ACUTE
    region = factory.SubFactory(RegionFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.STAFF


class ProgrammeAdminFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeAdmin

    user = factory.SubFactory(UserFactory)
    region = None
