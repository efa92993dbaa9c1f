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
