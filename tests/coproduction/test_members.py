import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coproduction import services
from coproduction.models import CoDesignMember, InvolvementPayment
from programmes.models import Membership
from tests.factories import MembershipFactory, UserFactory

from .factories import PartnerFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def details(**overrides):
    values = {
        "kind": "carer", "role": "partner", "chosen_name": "Maureen",
        "joined_on": datetime.date(2026, 3, 1), "consent_given_on": datetime.date(2026, 3, 1),
        "consent_scope": "Workshops and first name in notes", "contact": "07700 900456",
        "access_needs": "Hearing loop", "easy_read": True, "language": "Polish",
    }
    return services.PartnerDetails(**{**values, **overrides})


def test_it_adds_a_partner_with_only_what_the_team_needs(always_event, today):
    member = services.member_add_partner(always_event=always_event, details=details(), today=today)
    assert member.kind == "carer" and member.user is None
    assert member.preferred_formats == ["Easy read", "Language: Polish"]
    assert member.display_name == "Maureen"


def test_it_refuses_a_consent_date_in_the_future(always_event, today):
    with pytest.raises(ValidationError) as error:
        services.member_add_partner(
            always_event=always_event, today=today,
            details=details(consent_given_on=today + datetime.timedelta(days=1)),
        )
    assert error.value.message_dict["consent_given_on"] == [
        "Date consent given must be today or in the past"
    ]
    assert not CoDesignMember.objects.exists()


def test_it_refuses_a_partner_without_name_or_consent_wording(always_event, today):
    with pytest.raises(ValidationError) as error:
        services.member_add_partner(
            always_event=always_event, today=today,
            details=details(chosen_name=" ", consent_scope="", kind="staff"),
        )
    assert set(error.value.message_dict) == {"chosen_name", "consent_scope", "kind"}


def test_it_adds_staff_only_from_the_always_events_organisation(
    always_event, staff, other_lead, today
):
    with pytest.raises(ValidationError) as error:
        services.member_add_staff(always_event=always_event, user=other_lead, role="member",
                                  joined_on=today, today=today)
    assert "from your organisation" in error.value.message_dict["user"][0]
    member = services.member_add_staff(always_event=always_event, user=staff, role="facilitator",
                                       joined_on=today, today=today)
    assert member.is_staff and member.display_name == staff.full_name


def test_it_refuses_the_same_member_of_staff_twice(always_event, staff_member, today):
    with pytest.raises(ValidationError) as error:
        services.member_add_staff(always_event=always_event, user=staff_member.user,
                                  role="member", joined_on=today, today=today)
    assert "already on the team" in error.value.message_dict["user"][0]


def test_it_refuses_a_leaving_date_before_joining(partner, today):
    with pytest.raises(ValidationError) as error:
        services.member_update_partner(
            member=partner, today=today,
            details=details(joined_on=datetime.date(2026, 3, 1), left_on=datetime.date(2026, 2, 1)),
        )
    assert "on or after the date they joined" in error.value.message_dict["left_on"][0]


def test_it_records_payments_and_refuses_negative_amounts(partner, today):
    services.payment_record(member=partner, kind="payment", paid_on=today, amount=Decimal("25"),
                            description="Workshop on 3 March", today=today)
    for amount in (Decimal("-5"), Decimal("0")):
        with pytest.raises(ValidationError) as error:
            services.payment_record(member=partner, kind="expense", paid_on=today, amount=amount,
                                    description="Bus fares", today=today)
        assert error.value.message_dict["amount"] == ["Amount must be more than £0"]
    assert InvolvementPayment.objects.count() == 1


def test_it_records_payments_for_partners_only(staff_member, today):
    with pytest.raises(ValidationError):
        services.payment_record(member=staff_member, kind="payment", paid_on=today,
                                amount=Decimal("10"), description="x", today=today)


# Views ---------------------------------------------------------------------------------------


def test_a_lead_adds_a_partner_through_the_form(client, lead, always_event, fixed_today):
    client.force_login(lead)
    url = reverse("coproduction:partner_add", args=[always_event.pk])
    response = client.post(url, {
        "chosen_name": "Grace", "kind": "family", "role": "partner", "contact": "",
        "consent_given_on_day": "1", "consent_given_on_month": "6",
        "consent_given_on_year": "2026", "consent_scope": "Workshops",
        "access_needs": "", "formats": ["large_print"], "language": "",
        "joined_on_day": "1", "joined_on_month": "6", "joined_on_year": "2026",
    })
    assert response.status_code == 302
    member = CoDesignMember.objects.get()
    assert member.chosen_name == "Grace" and member.large_print


def test_a_future_consent_date_shows_a_clear_error_and_saves_nothing(
    client, lead, always_event, fixed_today
):
    client.force_login(lead)
    response = client.post(reverse("coproduction:partner_add", args=[always_event.pk]), {
        "chosen_name": "Grace", "kind": "family", "role": "partner",
        "consent_given_on_day": "1", "consent_given_on_month": "7",
        "consent_given_on_year": "2026", "consent_scope": "Workshops",
        "joined_on_day": "1", "joined_on_month": "6", "joined_on_year": "2026",
    })
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "Date consent given must be today or in the past" in content
    assert not CoDesignMember.objects.exists()


def test_staff_see_only_a_partners_chosen_name_and_role(client, staff, partner):
    client.force_login(staff)
    url = reverse("coproduction:member", args=[partner.always_event_id, partner.pk])
    content = client.get(url).content.decode()
    assert "Maureen" in content and "Person and family partner" in content
    assert partner.contact not in content and "Step-free access" not in content
    assert client.get(reverse("coproduction:member_edit", args=[
        partner.always_event_id, partner.pk])).status_code == 403
    assert client.get(reverse("coproduction:payment_add", args=[
        partner.always_event_id, partner.pk])).status_code == 403


@pytest.mark.parametrize("role", [Membership.Role.LEAD, Membership.Role.ORG_ADMIN])
def test_leads_and_org_admins_see_a_partners_personal_details(client, organisation, partner, role):
    user = MembershipFactory(organisation=organisation, role=role).user
    client.force_login(user)
    content = client.get(
        reverse("coproduction:member", args=[partner.always_event_id, partner.pk])
    ).content.decode()
    assert partner.contact in content and "Step-free access" in content


def test_a_member_of_staff_who_leads_the_always_event_sees_personal_details(
    client, organisation, partner
):
    user = MembershipFactory(organisation=organisation, role=Membership.Role.STAFF).user
    partner.always_event.leads.add(user)
    client.force_login(user)
    content = client.get(
        reverse("coproduction:member", args=[partner.always_event_id, partner.pk])
    ).content.decode()
    assert partner.contact in content


def test_executives_see_the_team_but_not_personal_details(client, organisation, partner):
    user = MembershipFactory(organisation=organisation, role=Membership.Role.EXECUTIVE).user
    client.force_login(user)
    team = client.get(reverse("coproduction:team", args=[partner.always_event_id]))
    assert team.status_code == 200 and "Maureen" in team.content.decode()
    assert partner.contact not in team.content.decode()
    assert client.get(
        reverse("coproduction:partner_add", args=[partner.always_event_id])
    ).status_code == 403


def test_a_lead_adds_staff_and_edits_when_they_left(client, lead, staff, always_event, fixed_today):
    client.force_login(lead)
    response = client.post(reverse("coproduction:staff_add", args=[always_event.pk]), {
        "user": staff.pk, "role": "member",
        "joined_on_day": "1", "joined_on_month": "2", "joined_on_year": "2026",
    })
    assert response.status_code == 302
    member = CoDesignMember.objects.get(user=staff)
    response = client.post(reverse("coproduction:member_edit", args=[always_event.pk, member.pk]), {
        "role": "member", "joined_on_day": "1", "joined_on_month": "2", "joined_on_year": "2026",
        "left_on_day": "1", "left_on_month": "6", "left_on_year": "2026",
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == datetime.date(2026, 6, 1)


@pytest.mark.parametrize(("day", "month"), [
    ("1" * 5000, "6"),  # int() refuses more than 4,300 figures
    ("9" * 30, "6"),  # a whole number too large for a date
    ("1", "9" * 30),
    ("\u00b2", "6"),  # "²" passes str.isdigit() but int() refuses it
])
def test_editing_a_member_with_an_impossible_date_is_an_error_not_a_crash(
    client, lead, staff, always_event, fixed_today, day, month
):
    member = StaffMemberFactory(always_event=always_event, user=staff,
                                joined_on=datetime.date(2026, 2, 1))
    client.force_login(lead)
    response = client.post(reverse("coproduction:member_edit", args=[always_event.pk, member.pk]), {
        "role": "member", "joined_on_day": "1", "joined_on_month": "2", "joined_on_year": "2026",
        "left_on_day": day, "left_on_month": month, "left_on_year": "2026",
    })
    assert response.status_code == 200
    assert "Date left must be a real date" in response.content.decode()
    member.refresh_from_db()
    assert member.left_on is None


def test_the_team_page_lists_members_and_says_the_mix(client, lead, always_event, staff):
    PartnerFactory.create_batch(2, always_event=always_event)
    StaffMemberFactory(always_event=always_event, user=staff)
    StaffMemberFactory(always_event=always_event, user=UserFactory())
    client.force_login(lead)
    content = client.get(reverse("coproduction:team", args=[always_event.pk])).content.decode()
    assert "2 of 4 members are patients, carers or family (50%). The aim is about half." in content


def test_the_team_page_has_an_empty_state(client, lead, always_event):
    client.force_login(lead)
    content = client.get(reverse("coproduction:team", args=[always_event.pk])).content.decode()
    assert "No members yet" in content and "Add a partner" in content
