import datetime as dt

import pytest
from playwright.sync_api import expect

from evaluation.outcomes import outcome_summaries_recompute
from tests.evaluation.outcome_data import answers, outcome_question

from .conftest import sign_in

pytestmark = pytest.mark.e2e


def _monday(weeks_ago: int) -> dt.date:
    today = dt.date.today()
    return today - dt.timedelta(days=today.weekday(), weeks=weeks_ago)


def test_a_lead_reads_the_outcome_chart_and_its_figures(browser_page, lead, password):
    question = outcome_question(lead.memberships.get().organisation)
    for week in range(12):
        answers(question, _monday(11 - week), yes=4 + week, no=5)
    event_id = question.version.form.always_event_id
    outcome_summaries_recompute(always_event_id=event_id)

    sign_in(browser_page, lead.email, password)
    browser_page.goto(f"/always-events/{event_id}/outcomes/")

    page = browser_page.page
    chart = page.get_by_role("img", name="Knew who to contact: % of people each week")
    expect(chart).to_be_visible()
    page.get_by_text("Figures for every week").click()
    browser_page.audit()
    table = page.get_by_role("table", name="Knew who to contact by week")
    expect(table).to_contain_text("79%")  # 15 of 19 in the last week
    assert browser_page.reflow_width(320) <= 320  # 400% zoom of a 1280 px window

    page.get_by_role("link", name="Show every week since the first response").click()
    browser_page.audit()
    expect(page.get_by_role("link", name="Show the last 52 weeks")).to_be_visible()


def test_an_executive_reads_the_dashboard(browser_page, organisation, password):
    from programmes.models import Membership
    from tests.factories import MembershipFactory

    executive = MembershipFactory(
        organisation=organisation, role=Membership.Role.EXECUTIVE, user__email="exec@trust.test"
    ).user
    question = outcome_question(organisation)
    for week in range(60):
        answers(question, _monday(59 - week), yes=5 + week % 4, no=3)
    outcome_summaries_recompute(always_event_id=question.version.form.always_event_id)

    sign_in(browser_page, executive.email, password)
    browser_page.goto("/dashboard/")

    page = browser_page.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Always Events dashboard")
    expect(page.get_by_role("table").first).to_contain_text(
        "Knowing who to contact after discharge"
    )
    page.get_by_label("Phase").select_option("test")
    browser_page.submit("Apply filters")
    expect(page.get_by_text("No Always Events match")).to_be_visible()


def test_a_lead_sees_an_alert_on_the_staff_dashboard_and_marks_it_seen(
    browser_page, lead, password
):
    from evaluation.alerts import alerts_check_special_cause
    from evaluation.models import Measure, MeasureDataPoint

    question = outcome_question(lead.memberships.get().organisation)
    event = question.version.form.always_event
    event.leads.add(lead)
    for ago in range(12, 0, -1):
        answers(question, _monday(ago), yes=16, no=4)
    answers(question, _monday(0), yes=1, no=9)
    outcome_summaries_recompute(always_event_id=event.pk)
    alerts_check_special_cause(always_event_ids=[event.pk])
    readmissions = Measure.objects.create(
        always_event=event, kind=Measure.Kind.OPERATIONAL, name="Readmissions within 30 days",
        frequency="week", improvement=Measure.Improvement.LOWER,
    )
    MeasureDataPoint.objects.bulk_create(
        MeasureDataPoint(measure=readmissions, period_start=_monday(ago), numerator=3 + ago % 3,
                         denominator=40)
        for ago in range(12, -1, -1)
    )

    sign_in(browser_page, lead.email, password)
    browser_page.goto(f"/always-events/{event.pk}/outcomes/")

    page = browser_page.page
    expect(page.get_by_role("heading", name="Alerts")).to_be_visible()
    expect(page.get_by_text("Knew who to contact: 10% (1 of 10 responses)")).to_be_visible()
    chart = "Readmissions within 30 days (operational measure): % each week"
    expect(page.get_by_role("img", name=chart)).to_be_visible()
    button = page.get_by_role("button", name="Mark as seen")
    expect(button).to_contain_text("Special cause in the concerning direction")
    browser_page.submit("Mark as seen")

    expect(page.get_by_text("Alert marked as seen")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as seen")).to_have_count(0)
    page.get_by_text("Alerts you have seen (1)").click()
    browser_page.audit()
    assert browser_page.reflow_width(320) <= 320  # 400% zoom of a 1280 px window


def test_an_executive_reads_operational_and_staff_experience_beside_the_outcome(
    browser_page, organisation, password
):
    from evaluation.models import Measure, MeasureDataPoint
    from programmes.models import Membership
    from tests.factories import MembershipFactory

    executive = MembershipFactory(
        organisation=organisation, role=Membership.Role.EXECUTIVE, user__email="exec@trust.test"
    ).user
    question = outcome_question(organisation)
    event = question.version.form.always_event
    event.executive_sponsor = executive
    event.save()
    month = dt.date.today().replace(day=1)
    answers(question, month, yes=9, no=3)
    outcome_summaries_recompute(always_event_id=event.pk)
    for kind, name in [
        (Measure.Kind.OPERATIONAL, "PALS contacts about discharge"),
        (Measure.Kind.STAFF_EXPERIENCE, "Staff who would recommend the ward"),
    ]:
        measure = Measure.objects.create(
            always_event=event, kind=kind, name=name, frequency="month"
        )
        MeasureDataPoint.objects.create(
            measure=measure, period_start=month, numerator=6, denominator=30
        )

    sign_in(browser_page, executive.email, password)
    browser_page.goto("/dashboard/")

    page = browser_page.page
    operational = page.get_by_role("table", name="Operational measures and the patient outcome")
    expect(operational).to_contain_text("PALS contacts about discharge")
    expect(operational).to_contain_text("20% of 30")
    expect(operational).to_contain_text("75% of 12")
    staff = page.get_by_role("table", name="Staff experience and the patient outcome")
    expect(staff).to_contain_text("Staff who would recommend the ward")
