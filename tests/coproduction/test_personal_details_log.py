"""Reading or changing a co-design partner's personal details is logged, never the values;
org admins read the log; leads and org admins export everything held about a member."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from coproduction import services
from coproduction.models import CoDesignMember, InvolvementPayment, PersonalDetailsLog
from programmes.models import Membership
from tests.authz import assert_not_found_for
from tests.factories import MembershipFactory

from .factories import AttendanceFactory

pytestmark = pytest.mark.django_db
Log = PersonalDetailsLog.Action


def _member_url(name, member, **query):
    url = reverse(f"coproduction:{name}", args=[member.always_event_id, member.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _role(organisation, role):
    return MembershipFactory(organisation=organisation, role=role).user


def test_opening_a_partners_details_is_logged_with_who_when_and_where(client, lead, partner):
    client.force_login(lead)
    before = datetime.datetime.now(datetime.UTC)
    assert client.get(_member_url("member", partner)).status_code == 200
    assert client.get(_member_url("member_edit", partner)).status_code == 200
    entries = list(PersonalDetailsLog.objects.order_by("pk"))
    assert [(e.action, e.user, e.member, e.view) for e in entries] == [
        (Log.VIEWED, lead, partner, "coproduction:member"),
        (Log.VIEWED, lead, partner, "coproduction:member_edit"),
    ]
    assert all(
        e.at >= before and e.organisation_id == partner.always_event.organisation_id
        for e in entries
    )


def test_staff_who_do_not_see_the_details_leave_no_log_entry(client, staff, partner):
    client.force_login(staff)
    response = client.get(_member_url("member", partner))
    assert response.status_code == 200 and "07700 900123" not in response.content.decode()
    assert not PersonalDetailsLog.objects.exists()


def test_a_change_is_logged_with_the_fields_that_changed_but_not_their_values(
    client, lead, partner, fixed_today
):
    client.force_login(lead)
    form = {
        "chosen_name": "Maureen",
        "kind": "patient",
        "role": "partner",
        "contact": "07700 900999",
        "consent_given_on_day": "5",
        "consent_given_on_month": "1",
        "consent_given_on_year": "2026",
        "consent_scope": partner.consent_scope,
        "access_needs": "Hearing loop",
        "language": "",
        "joined_on_day": "5",
        "joined_on_month": "1",
        "joined_on_year": "2026",
    }
    response = client.post(_member_url("member_edit", partner), form)
    assert response.status_code == 302
    entry = PersonalDetailsLog.objects.get(action=Log.CHANGED)
    assert entry.user == lead and entry.view == "coproduction:member_edit"
    assert entry.fields == "contact, access_needs"
    stored = json.dumps(list(PersonalDetailsLog.objects.values()), default=str)
    assert "900999" not in stored and "Hearing loop" not in stored
    # Partners' details still have no history table: the purge must really remove them.
    assert not hasattr(CoDesignMember, "history")


def test_adding_members_payments_and_the_retention_purge_are_logged(always_event, today):
    member = services.member_add_partner(
        always_event=always_event,
        today=today,
        details=services.PartnerDetails(
            kind="carer",
            role="partner",
            chosen_name="Dev",
            joined_on=datetime.date(2024, 1, 1),
            consent_given_on=datetime.date(2024, 1, 1),
            consent_scope="Workshops",
        ),
    )
    services.payment_record(
        member=member,
        kind="payment",
        paid_on=datetime.date(2024, 2, 1),
        amount=Decimal(25),
        description="Workshop",
        today=today,
    )
    CoDesignMember.objects.filter(pk=member.pk).update(left_on=datetime.date(2024, 6, 1))
    assert services.partner_details_purge(today=today, months=12) == 1
    actions = list(member.details_log.order_by("pk").values_list("action", "user", "view"))
    assert actions == [
        (Log.ADDED, None, "a task or command"),
        (Log.PAYMENT, None, "a task or command"),
        (Log.REMOVED, None, "purge_partner_details"),
    ]


def test_org_admins_read_the_log_page_newest_first_and_paginated(client, organisation, partner):
    admin = _role(organisation, Membership.Role.ORG_ADMIN)
    for _ in range(30):
        services.details_log_record(
            member=partner, action=Log.VIEWED, user=admin, view="coproduction:member"
        )
    services.details_log_record(
        member=partner,
        action=Log.CHANGED,
        user=admin,
        view="coproduction:member_edit",
        fields=["contact"],
    )
    client.force_login(admin)
    response = client.get(reverse("coproduction:details_log"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Changed: contact") < content.index("Viewed")
    assert content.count('<tr class="nhsuk-table__row">') == 1 + 25
    assert "page=2" in content
    assert (
        client.get(reverse("coproduction:details_log") + "?page=2")
        .content.decode()
        .count("coproduction:member<")
        == 6
    )


@pytest.mark.parametrize(
    "role", [Membership.Role.LEAD, Membership.Role.EXECUTIVE, Membership.Role.STAFF]
)
def test_only_org_admins_read_the_log(client, organisation, partner, role):
    client.force_login(_role(organisation, role))
    assert client.get(reverse("coproduction:details_log")).status_code == 403


def test_another_organisations_admin_sees_none_of_our_log(
    client, other_organisation, partner, lead
):
    services.details_log_record(member=partner, action=Log.VIEWED, user=lead, view="x")
    client.force_login(_role(other_organisation, Membership.Role.ORG_ADMIN))
    response = client.get(reverse("coproduction:details_log"))
    assert response.status_code == 200 and "Maureen" not in response.content.decode()
    assert "Nobody has read" in response.content.decode()


# Subject access ------------------------------------------------------------------------------


@pytest.fixture
def held(partner):
    InvolvementPayment.objects.create(
        member=partner,
        kind="expense",
        amount=Decimal("12.40"),
        paid_on=datetime.date(2026, 2, 1),
        description="Taxi",
    )
    AttendanceFactory(
        member=partner,
        session__always_event=partner.always_event,
        session__held_on=datetime.date(2026, 2, 1),
        hours=Decimal(2),
    )
    return partner


def test_the_export_holds_everything_about_the_partner_as_json(client, lead, held):
    client.force_login(lead)
    response = client.get(_member_url("member_export", held, format="json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    record = data["Team record"][0]
    assert (record["Name"], record["Contact"], record["Access needs"]) == (
        "Maureen",
        "07700 900123",
        "Step-free access",
    )
    assert data["Payments and expenses"][0]["Amount (£)"] == "12.40"
    assert data["Payments and expenses"][0]["What for"] == "Taxi"
    assert data["Sessions attended"][0]["Hours"] == "2.0"
    assert data["Who read or changed these details"] == []  # logged after it was made


def test_the_export_as_csv_and_as_a_page_and_each_is_logged(client, organisation, held):
    admin = _role(organisation, Membership.Role.ORG_ADMIN)
    client.force_login(admin)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(_member_url("member_export", held, format="csv")).content.decode()
            )
        )
    )
    assert rows[0] == ["section", "row", "field", "value"]
    assert ["Team record", "1", "Contact", "07700 900123"] in rows
    assert ["Payments and expenses", "1", "What for", "Taxi"] in rows
    page = client.get(_member_url("member_export", held))
    assert page.status_code == 200 and "Step-free access" in page.content.decode()
    views = list(held.details_log.order_by("pk").values_list("action", "user", "view"))
    assert views == [
        (Log.EXPORTED, admin.pk, "coproduction:member_export (CSV)"),
        (Log.EXPORTED, admin.pk, "coproduction:member_export"),
    ]
    assert client.get(_member_url("member_export", held, format="xml")).status_code == 404


@pytest.mark.parametrize("role", [Membership.Role.STAFF, Membership.Role.EXECUTIVE])
def test_staff_and_executives_cannot_export(client, organisation, held, role):
    client.force_login(_role(organisation, role))
    assert client.get(_member_url("member_export", held, format="json")).status_code == 403
    assert not PersonalDetailsLog.objects.exists()


def test_another_organisation_cannot_export(client, other_lead, held):
    assert_not_found_for(
        client,
        other_lead,
        [_member_url("member_export", held), _member_url("member_export", held, format="csv")],
    )
    assert not PersonalDetailsLog.objects.exists()


def test_the_demo_shows_the_log_to_its_org_admin(client):
    from coproduction.demo import seed_coproduction
    from programmes.demo import seed_always_events, seed_organisations

    seed_organisations(password="a-demo-password-for-tests")
    seed_always_events()
    seed_coproduction()
    client.force_login(Membership.objects.get(user__email="orgadmin@demo.test").user)
    content = client.get(reverse("coproduction:details_log")).content.decode()
    assert "Downloaded (subject access)" in content and "Priya Shah" in content
    assert "Personal details log" in client.get(reverse("coproduction:overview")).content.decode()
