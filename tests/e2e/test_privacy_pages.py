"""The personal details log and the subject access page pass axe, with data and empty."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coproduction import services
from programmes.models import Membership
from tests.coproduction.factories import AlwaysEventFactory, AttendanceFactory, PartnerFactory
from tests.factories import MembershipFactory

from .conftest import sign_in

pytestmark = pytest.mark.e2e


def test_the_log_and_the_subject_access_page_pass_axe(browser_page, organisation, password):
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ORG_ADMIN).user
    today = timezone.localdate()
    joined = today - datetime.timedelta(days=60)
    always_event = AlwaysEventFactory(organisation=organisation)
    partner = PartnerFactory(always_event=always_event, joined_on=joined, consent_given_on=joined)
    AttendanceFactory(
        member=partner,
        session__always_event=always_event,
        session__held_on=today - datetime.timedelta(days=3),
    )
    services.payment_record(
        member=partner,
        kind="expense",
        paid_on=today,
        amount=6,
        description="Bus fares",
        today=today,
    )

    sign_in(browser_page, admin.email, password)
    assert browser_page.goto(reverse("coproduction:details_log")).status == 200
    expect(browser_page.page.locator("tbody tr")).to_contain_text(["Payment recorded"])

    export = reverse("coproduction:member_export", args=[always_event.pk, partner.pk])
    assert browser_page.goto(export).status == 200
    expect(browser_page.page.get_by_role("heading", name="Payments and expenses")).to_be_visible()
    assert (
        browser_page.goto(reverse("coproduction:member", args=[always_event.pk, partner.pk])).status
        == 200
    )
    browser_page.page.get_by_role("link", name="Everything we hold").click()
    browser_page.audit()

    assert browser_page.goto(reverse("coproduction:details_log")).status == 200
    rows = browser_page.page.locator("tbody tr")
    expect(rows).to_have_count(4)  # the payment, two exports and a view of the details
    expect(rows.first).to_contain_text("Downloaded (subject access)")
