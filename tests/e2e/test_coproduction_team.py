"""A lead builds a co-design team, logs a session and "What matters to you?" work, and
partners answer their experience check-in from a private link, with and without JavaScript."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coproduction.models import CheckIn, CoDesignMember, Engagement, SessionAttendance
from tests.coproduction.factories import AlwaysEventFactory

from .conftest import sign_in

pytestmark = pytest.mark.e2e


def _fill_date(page, name, day):
    page.locator(f"input[name={name}_day]").fill(str(day.day))
    page.locator(f"input[name={name}_month]").fill(str(day.month))
    page.locator(f"input[name={name}_year]").fill(str(day.year))


def _add_partner(browser_page, always_event, name, kind, today):
    page = browser_page.page
    browser_page.goto(f"/always-events/{always_event.pk}/team/")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a partner").click()
    browser_page.audit()
    page.get_by_label("Name or chosen name").fill(name)
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Person and family partner").check()
    _fill_date(page, "consent_given_on", today)
    page.get_by_label("What they agreed to").fill("Workshops and first name in notes")
    page.get_by_label("Large print").check()
    _fill_date(page, "joined_on", today)
    browser_page.submit("Add partner")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(name)


def test_a_lead_builds_a_team_logs_work_and_partners_check_in(
    browser_page, chromium, live_server, organisation, lead, staff, password
):
    always_event = AlwaysEventFactory(organisation=organisation)
    today = timezone.localdate()
    page = browser_page.page
    sign_in(browser_page, lead.email, password)

    # A partner's consent date in the future is refused with a clear message.
    browser_page.goto(f"/always-events/{always_event.pk}/team/add-partner/")
    page.get_by_label("Name or chosen name").fill("Maureen")
    browser_page.submit("Add partner")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter what they agreed to")

    _add_partner(browser_page, always_event, "Maureen", "Patient", today)
    _add_partner(browser_page, always_event, "Dev", "Carer", today)

    with page.expect_navigation():
        page.get_by_role("link", name="Add a member of staff").click()
    browser_page.audit()
    page.get_by_label("Member of staff").select_option(str(staff.pk))
    page.get_by_label("Facilitator").check()
    _fill_date(page, "joined_on", today)
    browser_page.submit("Add to the team")
    expect(page.locator("main")).to_contain_text(
        "2 of 3 members are patients, carers or family (67%). The aim is about half."
    )

    # A session with attendance and protected time.
    browser_page.goto(f"/always-events/{always_event.pk}/team/sessions/add/")
    _fill_date(page, "held_on", today)
    page.get_by_label("Workshop").check()
    page.get_by_label("Hours", exact=True).fill("2")
    page.get_by_label("What the team decided (optional)").fill("We will test a contact card")
    page.get_by_label("Partners may see these notes on their team page").check()
    browser_page.submit("Save session")
    page.get_by_label("Maureen took part").check()
    page.get_by_label("Hours for Maureen").fill("2")
    member_name = CoDesignMember.objects.get(user=staff).display_name
    page.get_by_label(f"{member_name} took part").check()
    page.get_by_label(f"Protected time for {member_name}, in hours").fill("1.5")
    browser_page.submit("Save attendance")
    expect(page.locator("main")).to_contain_text(
        "1 of 2 people at this session were patients, carers or family (50%)"
    )
    assert SessionAttendance.objects.filter(protected_hours=1.5).count() == 1

    # "What matters to you?" with themes and a quote that gets scrubbed.
    browser_page.goto(f"/always-events/{always_event.pk}/team/engagements/add/")
    page.get_by_label("Interviews").check()
    _fill_date(page, "held_on", today)
    page.get_by_label("Where").fill("Ward 7 day room")
    page.get_by_label("How many people took part").fill("9")
    page.get_by_label("New themes (optional)").fill("Knowing who to call, Being told why")
    page.get_by_label("Quotes (optional)").fill("Maureen said ring 07700 900123 after discharge")
    browser_page.submit("Save engagement")
    expect(page.locator("main")).to_contain_text("Knowing who to call")
    expect(page.locator("main")).to_contain_text("[name removed] said ring [phone number removed]")
    assert Engagement.objects.get().themes.count() == 2

    # Check-in links, then Maureen answers with JavaScript off.
    browser_page.goto(f"/always-events/{always_event.pk}/team/check-ins/")
    browser_page.submit("Make check-in links for the team")
    links = page.locator("code.app-private-link")
    expect(links).to_have_count(3)
    row_urls = {
        row.locator("td").nth(0).inner_text(): row.locator("code").inner_text()
        for row in page.locator("tbody tr").all()
    }

    no_js = chromium.new_context(java_script_enabled=False)
    try:
        plain = no_js.new_page()
        plain.goto(row_urls["Maureen"])
        expect(plain.get_by_role("heading", level=1)).to_have_text("How is taking part going?")
        for question in ("Taking part has been good for my wellbeing",
                         "I have learned new skills"):
            plain.get_by_role("group", name=question).get_by_label("Strongly agree").check()
        plain.get_by_role("group", name="I feel listened to").get_by_label("Agree",
                                                                            exact=True).check()
        plain.get_by_role("button", name="Send my answers").click()
        expect(plain.locator(".nhsuk-error-summary")).to_contain_text("Select how much you agree")
        plain.get_by_role("group", name="Working relationships").get_by_label(
            "Agree", exact=True).check()
        plain.get_by_role("button", name="Send my answers").click()
        expect(plain.get_by_role("heading", level=1)).to_have_text("Thank you")
        again = plain.goto(row_urls["Maureen"])
        assert again.status == 410
    finally:
        no_js.close()

    # The same form with JavaScript on, checked by axe, answered by Dev.
    browser_page.goto(row_urls["Dev"].removeprefix(live_server.url))
    for question, answer in [("Taking part has been good for my wellbeing", "Agree"),
                             ("I have learned new skills", "Agree"),
                             ("Working relationships", "Strongly agree"),
                             ("I feel listened to", "Strongly agree")]:
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    browser_page.submit("Send my answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert list(CheckIn.objects.values_list("group", flat=True)) == ["partner", "partner"]

    # With two answers the summary stays hidden.
    browser_page.goto(f"/always-events/{always_event.pk}/team/check-ins/")
    expect(page.locator("main")).to_contain_text("Fewer than 5 people have answered")
    browser_page.goto("/coproduction/")
    expect(page.locator("main")).to_contain_text("1.5")
