"""Every programmes page, filled with the demo data, passes axe; so do some error states."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programmes.demo import seed_always_events, seed_organisations
from programmes.models import AlwaysEvent, Membership, OversightMeeting, ReadinessAssessment

from .conftest import sign_in

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "a-demo-password-for-tests"


@pytest.fixture
def demo(transactional_db):
    seed_organisations(password=DEMO_PASSWORD)
    seed_always_events()


def _always_event_pages(event):
    primary = event.primary_drivers.first()
    secondary = primary.secondary_drivers.first()
    idea = secondary.change_ideas.first()
    pk = event.pk
    names = [
        "always_event_detail", "always_event_edit", "vision_and_aim", "criteria", "gates",
        "driver_diagram", "primary_driver_create", "pdsa_list", "pdsa_create", "action_list",
        "action_create", "spread", "communication_create", "spread_record_create", "history",
    ]
    urls = [reverse(f"programmes:{name}", args=[pk]) for name in names]
    return urls + [
        reverse("programmes:criterion_edit", args=[pk, "important"]),
        reverse("programmes:primary_driver_edit", args=[pk, primary.pk]),
        reverse("programmes:secondary_driver_create", args=[pk, primary.pk]),
        reverse("programmes:change_idea_create", args=[pk, secondary.pk]),
        reverse("programmes:driver_node_delete", args=[pk, "idea", idea.pk]),
        reverse("programmes:pdsa_edit", args=[pk, event.pdsa_cycles.first().pk]),
        reverse("programmes:action_edit", args=[pk, event.actions.first().pk]),
    ] + [
        reverse(f"programmes:{name}", args=[pk, item.pk])
        for item, names in [
            (event.communications.first(), ["communication_edit", "communication_delete"]),
            (event.spread_records.first(), ["spread_record_edit", "spread_record_delete"]),
        ]
        for name in names
    ]


def test_every_page_a_lead_sees_passes_axe(browser_page, demo):
    sign_in(browser_page, "lead@demo.test", DEMO_PASSWORD)
    event = AlwaysEvent.objects.get(title="Knowing who to contact at home")
    assessment = ReadinessAssessment.objects.filter(organisation=event.organisation).first()
    meeting = OversightMeeting.objects.filter(group__organisation=event.organisation).first()
    urls = [
        reverse("programmes:always_event_list"),
        reverse("programmes:always_event_list") + "?phase=test",
        reverse("programmes:always_event_create"), reverse("programmes:overdue_actions"),
        reverse("programmes:readiness_list"), reverse("programmes:readiness_create"),
        reverse("programmes:readiness_detail", args=[assessment.pk]),
        reverse("programmes:oversight_group"), reverse("programmes:oversight_group_edit"),
        reverse("programmes:oversight_meeting_edit", args=[meeting.pk]),
        reverse("programmes:oversight_meeting_delete", args=[meeting.pk]),
    ] + _always_event_pages(event)
    for url in urls:
        response = browser_page.goto(url)
        assert response.status == 200, url
    expect(browser_page.page.get_by_role("heading", level=1)).to_contain_text(
        "Delete this adoption?"
    )


def test_forms_with_errors_pass_axe(browser_page, demo):
    sign_in(browser_page, "lead@demo.test", DEMO_PASSWORD)
    event = AlwaysEvent.objects.get(title="Knowing who to contact at home")
    for url, button in [
        (reverse("programmes:readiness_create"), "Save assessment"),
        (reverse("programmes:action_create", args=[event.pk]), "Save action"),
        (reverse("programmes:spread_record_create", args=[event.pk]), "Save"),
        (reverse("programmes:pdsa_create", args=[event.pk]), "Save PDSA cycle"),
    ]:
        browser_page.goto(url)
        browser_page.submit(button)
        expect(browser_page.page.locator(".nhsuk-error-summary")).to_be_visible()


def test_the_members_pages_pass_axe(browser_page, demo):
    sign_in(browser_page, "orgadmin@demo.test", DEMO_PASSWORD)
    membership = Membership.objects.get(user__email="staff@demo.test")
    admin = Membership.objects.get(user__email="orgadmin@demo.test")
    browser_page.goto(reverse("programmes:members"))
    browser_page.submit("Add member")
    expect(browser_page.page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter their email address"
    )
    browser_page.goto(reverse("programmes:member_role", args=[membership.pk]))
    browser_page.goto(reverse("programmes:member_remove", args=[admin.pk]))
    browser_page.submit("Remove member")
    expect(browser_page.page.locator(".nhsuk-error-summary")).to_contain_text(
        "You cannot remove the last organisation admin"
    )


def test_a_lead_changes_a_presentation_and_deletes_an_adoption(browser_page, demo):
    sign_in(browser_page, "lead@demo.test", DEMO_PASSWORD)
    event = AlwaysEvent.objects.get(title="Knowing who to contact at home")
    page = browser_page.page
    browser_page.goto(reverse("programmes:spread", args=[event.pk]))

    page.get_by_role("link", name=re.compile(r"^Change the presentation of")).click()
    browser_page.audit()
    page.get_by_label("Audience").fill("Trust board")
    browser_page.submit("Save")
    expect(page.locator("table").first).to_contain_text("Trust board")

    page.get_by_role("link", name="Delete the adoption by Ward 9 (stroke)").click()
    browser_page.audit()
    browser_page.submit("Delete adoption")
    expect(page.get_by_text("No adoptions recorded yet.")).to_be_visible()
    assert not event.spread_records.exists()
