"""Every co-production page passes axe, with data and when empty."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coproduction import services
from coproduction.models import Engagement
from tests.coproduction.factories import (
    AlwaysEventFactory,
    AttendanceFactory,
    CheckInFactory,
    PartnerFactory,
    SessionFactory,
    StaffMemberFactory,
    ThemeFactory,
    TrainingRecordFactory,
)

from .conftest import sign_in

pytestmark = pytest.mark.e2e


def test_every_page_passes_axe(browser_page, organisation, lead, staff, password):
    today = timezone.localdate()
    always_event = AlwaysEventFactory(organisation=organisation)
    empty = AlwaysEventFactory(organisation=organisation, title="Feeling safe on the ward")
    joined = today - datetime.timedelta(days=90)
    partner = PartnerFactory(always_event=always_event, joined_on=joined, consent_given_on=joined)
    PartnerFactory(always_event=always_event, joined_on=joined, consent_given_on=joined,
                   left_on=joined + datetime.timedelta(days=10), chosen_name="Pat")
    member = StaffMemberFactory(always_event=always_event, user=staff, joined_on=joined)
    session = SessionFactory(always_event=always_event, held_on=today - datetime.timedelta(1),
                             notes="We chose a card", notes_shareable=True)
    SessionFactory(always_event=always_event, held_on=today + datetime.timedelta(7))
    AttendanceFactory(session=session, member=partner)
    AttendanceFactory(session=session, member=member, protected_hours=2)
    theme = ThemeFactory(organisation=organisation)
    engagement = services.engagement_create(
        always_event=always_event, method=Engagement.Method.SURVEY, held_on=today,
        setting="Online", participants=30, themes=[theme], quotes=["Tell me who to ring"],
        today=today,
    )
    services.ladder_rate(always_event=always_event, phase="understand", rung=4, rated_on=today,
                         notes="", rated_by=lead, today=today)
    TrainingRecordFactory(organisation=organisation, user=staff)
    CheckInFactory.create_batch(5, always_event=always_event, comment="Good to be asked")
    services.payment_record(member=partner, kind="payment", paid_on=today, amount=20,
                            description="Workshop", today=today)
    team_link = services.private_link_create(member=partner, purpose="team_page", today=today)

    sign_in(browser_page, lead.email, password)
    pk, empty_pk = always_event.pk, empty.pk
    paths = [
        reverse("coproduction:overview"),
        reverse("coproduction:training"),
        reverse("coproduction:training_add"),
        reverse("coproduction:themes"),
        reverse("coproduction:theme_edit", args=[theme.pk]),
        reverse("coproduction:team", args=[pk]),
        reverse("coproduction:team", args=[empty_pk]),
        reverse("coproduction:member", args=[pk, partner.pk]),
        reverse("coproduction:member", args=[pk, member.pk]),
        reverse("coproduction:member_edit", args=[pk, partner.pk]),
        reverse("coproduction:member_edit", args=[pk, member.pk]),
        reverse("coproduction:payment_add", args=[pk, partner.pk]),
        reverse("coproduction:staff_add", args=[pk]),
        reverse("coproduction:sessions", args=[pk]),
        reverse("coproduction:sessions", args=[empty_pk]),
        reverse("coproduction:session", args=[pk, session.pk]),
        reverse("coproduction:session_notes", args=[pk, session.pk]),
        reverse("coproduction:attendance", args=[pk, session.pk]),
        reverse("coproduction:engagements", args=[pk]),
        reverse("coproduction:engagements", args=[empty_pk]),
        reverse("coproduction:engagement", args=[pk, engagement.pk]),
        reverse("coproduction:quote_add", args=[pk, engagement.pk]),
        reverse("coproduction:ladder", args=[pk]),
        reverse("coproduction:ladder_add", args=[pk]),
        reverse("coproduction:check_ins", args=[pk]),
        reverse("coproduction:check_ins", args=[empty_pk]),
        reverse("coproduction:team_page", args=[team_link.token]),
    ]
    for path in paths:
        response = browser_page.goto(path)
        assert response.status == 200, path
        expect(browser_page.page.get_by_role("heading", level=1)).to_have_count(1)

    # Error pages of the private links, and a form with errors.
    assert browser_page.goto(reverse("coproduction:check_in", args=["unknown"])).status == 404
    browser_page.goto(reverse("coproduction:ladder_add", args=[pk]))
    browser_page.page.get_by_label("Coercion").check()
    browser_page.page.locator("input[name=rated_on_year]").fill("20")
    browser_page.submit("Save rating")
    expect(browser_page.page).to_have_title(
        f"Error: Rate the team's work on the ladder – {always_event.title} – Always Events – NHS"
    )
