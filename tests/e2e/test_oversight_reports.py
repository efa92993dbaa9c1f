import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import reports
from evaluation.outcomes import outcome_summaries_recompute_all
from programmes.models import Membership
from tests.evaluation.outcome_data import answers, outcome_question
from tests.factories import MembershipFactory

from .conftest import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def executive(organisation):
    return MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EXECUTIVE,
        user__email="exec@riverside.test",
        user__full_name="Dr Helen Marsh",
    ).user


@pytest.fixture
def last_months_report(organisation):
    month = reports.previous_month(timezone.localdate())
    question = outcome_question(organisation)
    day = month
    for _ in range(13):
        answers(question, day + dt.timedelta(days=3), yes=9, no=3)
        day = reports.previous_month(day)
    outcome_summaries_recompute_all()
    return reports.oversight_report_build(organisation=organisation, month=month)


def test_an_executive_opens_the_report_from_the_dashboard_and_downloads_the_pdf(
    browser_page, executive, last_months_report, password
):
    sign_in(browser_page, executive.email, password)
    browser_page.goto("/dashboard/")
    page = browser_page.page
    with page.expect_navigation():
        page.get_by_role("link", name="Monthly oversight reports").click()
    browser_page.audit()
    with page.expect_navigation():
        page.get_by_role("link", name=f"{last_months_report.month:%B %Y}").click()
    browser_page.audit()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Oversight report")
    expect(
        page.get_by_role("img", name="Knew who to contact: % of people each month")
    ).to_be_visible()
    expect(page.get_by_text("(9 of 12; 95% interval").first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF-")
    assert content == bytes(last_months_report.pdf)

    assert browser_page.reflow_width(320) <= 320  # 400% zoom of a 1280 px window


def test_the_sponsor_signs_the_report_off_with_a_comment(
    browser_page, executive, last_months_report, password
):
    sign_in(browser_page, executive.email, password)
    browser_page.goto(f"/reports/{last_months_report.pk}/")
    page = browser_page.page
    with page.expect_navigation():
        page.get_by_role("button", name="Sign off this report").click()
    browser_page.audit()

    browser_page.submit("Sign off this report")
    expect(page.get_by_text("Enter your comments on the report").first).to_be_visible()

    page.get_by_label("Your comments").fill("Discussed at the oversight group; on track.")
    browser_page.submit("Sign off this report")

    expect(page.get_by_text("Report signed off")).to_be_visible()
    expect(page.locator(".nhsuk-inset-text")).to_contain_text("Signed off by Dr Helen Marsh")
    expect(page.locator(".nhsuk-inset-text")).to_contain_text(
        "Discussed at the oversight group; on track."
    )
    expect(page.get_by_role("button", name="Sign off this report")).to_have_count(0)
