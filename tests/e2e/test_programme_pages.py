import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import programme
from evaluation.models import SurveyResponse
from evaluation.outcomes import outcome_summaries_recompute_all
from programmes.models import AlwaysEvent
from tests.evaluation.outcome_data import answers, outcome_question
from tests.factories import OrganisationFactory, ProgrammeAdminFactory

from .conftest import sign_in

pytestmark = pytest.mark.e2e


def _last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=10)


def test_a_programme_admin_sees_the_programme_view_with_no_count_under_5(
    browser_page, organisation, password
):
    answers(outcome_question(organisation), _last_month(), yes=15, no=5)
    small = OrganisationFactory(name="Smalltown NHS Trust")
    answers(outcome_question(small), _last_month(), yes=2, no=1)
    outcome_summaries_recompute_all()
    admin = ProgrammeAdminFactory(user__email="national@programme.test").user

    sign_in(browser_page, admin.email, password)
    page = browser_page.page
    with page.expect_navigation():
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Programme").click()
    browser_page.audit()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Programme view")
    main = page.locator("main")
    expect(main).to_contain_text("75% (15 of 20)")
    expect(main).to_contain_text("Fewer than 5 responses")
    text = main.inner_text()
    assert "(2 of 3)" not in text and "67%" not in text
    for count in re.findall(r"\((\d+) of (\d+)", text):
        assert all(int(n) >= 5 for n in count), count
    with page.expect_navigation():
        page.get_by_role("link", name="Evaluation summary").click()
    browser_page.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Programme evaluation summary")
    )


def test_a_lead_answers_the_survey(browser_page, lead, organisation, password):
    event = AlwaysEvent.objects.create(
        organisation=organisation,
        title="Knowing who to contact at home",
        service_area="Ward 7",
        setting=AlwaysEvent.Setting.INPATIENT,
    )
    programme.survey_open(title="Programme evaluation 2027", opened_by=None)
    page = browser_page.page

    sign_in(browser_page, lead.email, password)
    browser_page.goto("/evaluation-survey/")
    with page.expect_navigation():
        page.get_by_role("link", name="Answer for Knowing who to contact at home").click()
    browser_page.audit()

    browser_page.submit("Send your answers")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Select whether your Always Event has improved service users' experience"
    )
    page.get_by_role("group", name=re.compile("improved service users")).get_by_label(
        "Yes, definitely"
    ).check()
    page.get_by_role("group", name=re.compile("influenced other co-production")).get_by_label(
        "To some extent"
    ).check()
    page.get_by_label("Finding protected staff time").check()
    page.get_by_label("The patient voice in the team").check()
    browser_page.submit("Send your answers")

    expect(page.locator("main")).to_contain_text("Answered")
    saved = SurveyResponse.objects.get(always_event=event)
    assert saved.challenges == ["protected_time"]


def test_the_public_you_said_we_did_page(browser_page, organisation):
    organisation.publishes_you_said_we_did = True
    organisation.save()
    AlwaysEvent.objects.create(
        organisation=organisation,
        title="Knowing who to contact at home",
        service_area="Ward 7",
        setting=AlwaysEvent.Setting.INPATIENT,
        aim_target_percent=80,
        you_said_we_did="You said you did not know who to ring. We now give everyone a card.",
    )

    browser_page.goto(f"/you-said-we-did/{organisation.ods_code}/")

    main = browser_page.page.locator("main")
    expect(main).to_contain_text("We now give everyone a card")
    expect(main).not_to_contain_text("80%")
