"""A lead runs an Always Event from creation to Implement in the browser, no JavaScript needed.

Every page is checked with axe (goto and submit audit it).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from programmes.models import AlwaysEvent, Membership, PDSACycle, PhaseChange
from tests.factories import MembershipFactory, OrganisationFactory

from .conftest import sign_in

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery-staple"
NEXT_YEAR = str(datetime.date.today().year + 1)


@pytest.fixture
def riverside(transactional_db):
    organisation = OrganisationFactory(name="Riverside University Hospitals NHS Foundation Trust")
    MembershipFactory(
        organisation=organisation, role=Membership.Role.LEAD,
        user__email="lead@riverside.test", user__full_name="Priya Shah",
    )
    MembershipFactory(
        organisation=organisation, role=Membership.Role.EXECUTIVE,
        user__email="executive@riverside.test", user__full_name="Dr Helen Marsh",
    )
    return organisation


def _fill_date(page, field, date_text):
    day, month, year = date_text.split()
    page.locator(f"#id_{field}-day").fill(day)
    page.locator(f"#id_{field}-month").fill(month)
    page.locator(f"#id_{field}-year").fill(year)


def _move_on(browser_page, reason=""):
    page = browser_page.page
    if reason:
        page.get_by_label("Reason for moving on").fill(reason)
    button = page.get_by_role("button", name=re.compile(r"^Move to "))
    with page.expect_navigation():
        button.click()
    browser_page.audit()


def test_a_lead_runs_an_always_event_from_creation_to_implement(browser_page, riverside):
    page = browser_page.page
    sign_in(browser_page, "lead@riverside.test", PASSWORD)

    # Create it with a few fields
    browser_page.goto("/always-events/")
    expect(page.get_by_text("No Always Events yet")).to_be_visible()
    browser_page.goto("/always-events/new/")
    page.get_by_label("Title").fill("Knowing who to contact at home")
    page.get_by_label("Service area").fill("Ward 7 (older people)")
    page.get_by_label("Inpatient ward").check()
    browser_page.submit("Create Always Event")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Knowing who to contact at home")
    event = AlwaysEvent.objects.get()
    base = f"/always-events/{event.pk}"

    # Vision and aim, with a mistake first
    browser_page.goto(f"{base}/vision-and-aim/")
    page.get_by_label("Vision statement").fill("I will always know who to contact when I get home")
    page.get_by_label("Who the aim is for").fill("people discharged from Ward 7")
    page.get_by_label("What they will report").fill("they knew who to contact when they got home")
    page.get_by_label("Target (%)").fill("180")
    _fill_date(page, "aim_deadline", f"31 12 {NEXT_YEAR}")
    page.get_by_label("Monthly").check()
    browser_page.submit("Save vision and aim")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Target must be between 0 and 100")
    page.get_by_label("Target (%)").fill("80")
    browser_page.submit("Save vision and aim")
    expect(page.get_by_text(f"By December {NEXT_YEAR}, 80% of people discharged")).to_be_visible()

    # Sponsor, so the gate into Co-design is met
    browser_page.goto(f"{base}/edit/")
    page.get_by_label("Executive sponsor").select_option(
        label="Dr Helen Marsh (executive@riverside.test)"
    )
    browser_page.submit("Save details")

    # The four criteria
    for kind in ["important", "evidence_based", "measurable", "affordable_sustainable"]:
        browser_page.goto(f"{base}/criteria/{kind}/")
        page.get_by_label("Met", exact=True).check()
        page.get_by_label("Evidence").fill("Agreed at the co-design workshop")
        page.get_by_label("Who agreed it").fill("Co-design team (4 patients, 3 staff)")
        today = datetime.date.today()
        _fill_date(page, "agreed_on", f"{today.day} {today.month} {today.year}")
        browser_page.submit("Save criterion")
    expect(page.locator(".nhsuk-tag--green", has_text="Met")).to_have_count(4)

    # Driver diagram: one primary, one secondary, one change idea
    browser_page.goto(f"{base}/driver-diagram/")
    expect(page.get_by_text("No drivers yet")).to_be_visible()
    page.get_by_role("button", name="Add a primary driver").click()
    browser_page.audit()
    page.get_by_label("Primary driver").fill("Patients have the information they need")
    browser_page.submit("Save primary driver")
    page.get_by_role("link", name="Add a secondary driver to Patients have").click()
    browser_page.audit()
    page.get_by_label("Secondary driver").fill("Conversations at the bedside")
    browser_page.submit("Save secondary driver")
    page.get_by_role("link", name="Add a change idea to Conversations").click()
    browser_page.audit()
    page.get_by_label("Change idea").fill("Give every patient a contact card")
    browser_page.submit("Save change idea")
    expect(page.get_by_text("Change idea: Give every patient a contact card")).to_be_visible()

    # Set-up → Understand: the readiness gate is unmet, so a reason is needed
    browser_page.goto(f"{base}/phase-gates/")
    expect(page.locator(".nhsuk-task-list")).to_contain_text("readiness self-assessment")
    _move_on(browser_page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Give a reason for moving on")
    _move_on(browser_page, reason="Readiness assessment is on the board agenda next week")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Moved to Understand what matters"
    )
    # Understand → Co-design: sponsor and lead are named, no reason needed
    _move_on(browser_page)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Moved to Co-design"
    )
    # Co-design → Test: programmes' own gates are met; the evaluation app's outcome-measure
    # gate is not (no measure yet), so the lead says why they move on
    expect(page.locator(".nhsuk-task-list")).to_contain_text("All four criteria are met")
    _move_on(browser_page, reason="Outcome measure agreed, to be entered this week")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Moved to Test")

    # A PDSA cycle on the change idea, ending in adopt
    browser_page.goto(f"{base}/pdsa-cycles/")
    expect(page.get_by_text("No PDSA cycles yet")).to_be_visible()
    browser_page.goto(f"{base}/pdsa-cycles/new/")
    page.get_by_label("Change idea being tested").select_option(
        label="Give every patient a contact card"
    )
    page.get_by_label("Objective", exact=True).fill("Test the card with one nurse for a week")
    page.get_by_label("Prediction", exact=True).fill("7 in 10 patients will know who to contact")
    _fill_date(page, "started_on", "14 5 2026")
    _fill_date(page, "ended_on", "1 5 2026")
    browser_page.submit("Save PDSA cycle")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "End date must be the same as or after the start date"
    )
    _fill_date(page, "ended_on", "21 5 2026")
    page.get_by_label("Study: results against the prediction").fill("9 of 12 knew who to contact")
    page.get_by_label("Adopt", exact=True).check()
    browser_page.submit("Save PDSA cycle")
    expect(page.get_by_role("heading", name=re.compile("PDSA cycle 1"))).to_be_visible()

    # Test → Implement: the adopt gate is now met
    browser_page.goto(f"{base}/phase-gates/")
    expect(page.locator(".nhsuk-task-list")).to_contain_text("PDSA cycle ended")
    _move_on(browser_page)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Moved to Implement reliably"
    )

    # What was recorded
    event.refresh_from_db()
    assert event.phase == "implement"
    assert PDSACycle.objects.get().act == "adopt"
    first = PhaseChange.objects.order_by("changed_at").first()
    assert first.reason == "Readiness assessment is on the board agenda next week"
    assert first.unmet_gates == ["A readiness self-assessment is recorded for the organisation"]

    # The history shows the changes with old and new values
    browser_page.goto(f"{base}/history/")
    expect(page.get_by_text("Added PDSA cycle 1")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Priya Shah")
    for path in ["/", "/criteria/", "/actions/", "/communication-and-spread/"]:
        browser_page.goto(base + path)
