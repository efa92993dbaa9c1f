import datetime as dt

import pytest
from playwright.sync_api import expect

from evaluation.outcomes import outcome_summaries_recompute
from tests.evaluation.outcome_data import answers, outcome_question

from .conftest import sign_in

pytestmark = pytest.mark.e2e


def test_a_lead_reads_the_outcome_chart_and_its_figures(browser_page, lead, password):
    question = outcome_question(lead.memberships.get().organisation)
    for week in range(12):
        answers(question, dt.date(2026, 1, 5) + dt.timedelta(weeks=week), yes=4 + week, no=5)
    event_id = question.version.form.always_event_id
    outcome_summaries_recompute(always_event_id=event_id)

    sign_in(browser_page, lead.email, password)
    browser_page.goto(f"/always-events/{event_id}/outcomes/")

    page = browser_page.page
    chart = page.get_by_role("img", name="Knew who to contact: % of people each week")
    expect(chart).to_be_visible()
    page.get_by_text("Figures for every week").click()
    browser_page.audit()
    expect(page.get_by_role("table")).to_contain_text("79%")  # 15 of 19 in the last week
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_an_executive_reads_the_dashboard(browser_page, organisation, password):
    from programmes.models import Membership
    from tests.factories import MembershipFactory

    executive = MembershipFactory(
        organisation=organisation, role=Membership.Role.EXECUTIVE, user__email="exec@trust.test"
    ).user
    question = outcome_question(organisation)
    for week in range(60):
        answers(question, dt.date(2025, 10, 6) + dt.timedelta(weeks=week), yes=5 + week % 4, no=3)
    outcome_summaries_recompute(always_event_id=question.version.form.always_event_id)

    sign_in(browser_page, executive.email, password)
    browser_page.goto("/dashboard/")

    page = browser_page.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Always Events dashboard")
    expect(page.get_by_role("table")).to_contain_text("Knowing who to contact after discharge")
    page.get_by_label("Phase").select_option("test")
    browser_page.submit("Apply filters")
    expect(page.get_by_text("No Always Events match")).to_be_visible()
