import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_adds_an_existing_user_by_email(organisation):
    person = UserFactory(email="nurse@nhs.test")
    membership = services.membership_add(
        organisation=organisation, email="NURSE@nhs.test", role="staff"
    )
    assert membership.user == person


def test_it_creates_a_user_with_a_name_and_email(organisation):
    services.membership_add(
        organisation=organisation, email="new@nhs.test", role="lead", full_name="Ade Bello"
    )
    user = get_user_model().objects.get(email="new@nhs.test")
    assert user.full_name == "Ade Bello" and not user.has_usable_password()


def test_a_new_email_without_a_name_is_refused(organisation):
    with pytest.raises(ValidationError) as error:
        services.membership_add(organisation=organisation, email="new@nhs.test", role="staff")
    assert "full_name" in error.value.message_dict
    assert not get_user_model().objects.filter(email="new@nhs.test").exists()


def test_someone_already_a_member_is_refused(organisation, staff):
    with pytest.raises(ValidationError) as error:
        services.membership_add(organisation=organisation, email=staff.email, role="lead")
    assert "already a member" in error.value.message_dict["email"][0]


def test_the_last_org_admin_cannot_be_demoted_or_removed(organisation, org_admin):
    membership = Membership.objects.get(user=org_admin)
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=membership, role="staff")
    with pytest.raises(ValidationError):
        services.membership_remove(membership=membership)
    membership.refresh_from_db()
    assert membership.role == "org_admin"


def test_an_org_admin_can_go_when_another_remains(organisation, org_admin, lead):
    services.membership_change_role(membership=Membership.objects.get(user=lead), role="org_admin")
    services.membership_remove(membership=Membership.objects.get(user=org_admin))
    assert not Membership.objects.filter(user=org_admin).exists()


class TestMembersPage:
    def test_only_org_admins_see_it(self, client, lead, org_admin):
        client.force_login(lead)
        assert client.get(reverse("programmes:members")).status_code == 403
        client.force_login(org_admin)
        assert client.get(reverse("programmes:members")).status_code == 200

    def test_it_lists_members_and_adds_one(self, client, org_admin, staff):
        client.force_login(org_admin)
        assert staff.email in client.get(reverse("programmes:members")).text
        response = client.post(reverse("programmes:members"), {
            "email": "new@nhs.test", "full_name": "Ade Bello", "role": "staff",
        })
        assert response.status_code == 302
        assert Membership.objects.filter(user__email="new@nhs.test").exists()

    def test_it_explains_a_missing_name(self, client, org_admin):
        client.force_login(org_admin)
        response = client.post(reverse("programmes:members"), {
            "email": "new@nhs.test", "role": "staff",
        })
        assert "Enter the person&#x27;s full name" in response.text
        assert "<title>Error: " in response.text

    def test_change_a_role(self, client, org_admin, staff):
        client.force_login(org_admin)
        membership = Membership.objects.get(user=staff)
        client.post(reverse("programmes:member_role", args=[membership.pk]), {"role": "lead"})
        membership.refresh_from_db()
        assert membership.role == "lead"

    def test_remove_a_member(self, client, org_admin, staff):
        client.force_login(org_admin)
        membership = Membership.objects.get(user=staff)
        response = client.post(reverse("programmes:member_remove", args=[membership.pk]))
        assert response.status_code == 302
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_removing_the_last_admin_is_refused_with_a_message(self, client, org_admin):
        client.force_login(org_admin)
        membership = Membership.objects.get(user=org_admin)
        response = client.post(reverse("programmes:member_remove", args=[membership.pk]))
        assert "You cannot remove the last organisation admin" in response.text
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_demoting_the_last_admin_is_refused_on_the_field(self, client, org_admin):
        client.force_login(org_admin)
        membership = Membership.objects.get(user=org_admin)
        response = client.post(reverse("programmes:member_role", args=[membership.pk]),
                               {"role": "staff"})
        assert "at least one organisation admin" in response.text
