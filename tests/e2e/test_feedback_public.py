"""Patients and carers answer a feedback form on a phone, a ward tablet, in Welsh, with and
without JavaScript. Every page is checked with axe."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from evaluation import services
from evaluation.models import Answer, DistributionPoint, Response
from tests.evaluation.factories import AlwaysEventFactory, distribution_point, feedback_form
from tests.factories import OrganisationFactory

from .conftest import _new_page

pytestmark = pytest.mark.e2e
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def form(transactional_db, monkeypatch):
    cache.clear()
    monkeypatch.setattr("evaluation.summaries.request_recompute", lambda _id: None)
    event = AlwaysEventFactory(organisation=OrganisationFactory())
    form = feedback_form(event)
    version = services.form_current_version(form)
    services.translation_save(
        form=form, language="cy", language_name="Cymraeg", title="Mynd adref o Ward 7",
        questions={
            str(q.position): {
                "text": f"Cwestiwn {q.position}", "hint": "",
                "options": {str(o.position): f"Ateb {q.position}.{o.position}"
                            for o in q.options.all()},
            }
            for q in version.questions.all()
        },
    )
    yield form
    cache.clear()


def answer_on(page, first="Yes, definitely", second="Good", text=""):
    page.get_by_role("group", name=re.compile("Did you know who to contact")).get_by_label(
        first, exact=True
    ).check()
    page.get_by_role("group", name=re.compile("how was your experience")).get_by_label(
        second, exact=True
    ).check()
    if text:
        page.get_by_label(re.compile("anything else")).fill(text)


def test_a_patient_answers_on_a_phone_with_javascript(browser_page, form):
    point = distribution_point(form)
    browser_page.page.set_viewport_size(PHONE)
    browser_page.goto(f"/f/{point.token}/")
    page = browser_page.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    browser_page.submit("Send your answers")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select an answer to question 1")
    expect(page).to_have_title(re.compile("^Error: "))

    answer_on(page, text="The nurse was kind")
    expect(page.locator(".nhsuk-character-count__status").first).to_be_attached()
    browser_page.submit("Send your answers")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.locator("main")).to_contain_text("We now give everyone a contact card")
    assert Answer.objects.get(question__position=3).text == "The nurse was kind"


def test_a_patient_answers_with_javascript_off(chromium, live_server, form):
    point = distribution_point(form)
    context, browser_page = _new_page(
        chromium, live_server, java_script_enabled=False, viewport=PHONE
    )
    page = browser_page.page
    page.goto(live_server.url + f"/f/{point.token}/")
    answer_on(page, first="No", second="Poor")
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert Response.objects.get().answers.get(question__position=1).option.label == "No"
    context.close()


def test_a_patient_answers_in_welsh(browser_page, form):
    point = distribution_point(form)
    browser_page.page.set_viewport_size(PHONE)
    browser_page.goto(f"/f/{point.token}/")
    page = browser_page.page
    with page.expect_navigation():
        page.get_by_role("link", name="Cymraeg").click()
    browser_page.audit()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("group", name="Cwestiwn 1").get_by_label("Ateb 1.1").check()
    page.get_by_role("group", name="Cwestiwn 2").get_by_label("Ateb 2.2").check()
    page.get_by_label("Cwestiwn 3").fill("Diolch i'r nyrsys")
    expect(page.locator(".nhsuk-character-count__status")).to_contain_text("nod ar ôl")
    browser_page.submit("Anfon eich atebion")
    expect(page.get_by_role("heading", level=1)).to_have_text("Diolch")
    assert Response.objects.get().language == "cy"


def test_the_form_reads_at_400_percent_zoom(browser_page, form):
    point = distribution_point(form)
    browser_page.page.set_viewport_size({"width": 320, "height": 256})
    browser_page.goto(f"/f/{point.token}/")
    assert browser_page.page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_double_click_stores_one_response(browser_page, form):
    point = distribution_point(form)
    browser_page.goto(f"/f/{point.token}/")
    answer_on(browser_page.page)
    with browser_page.page.expect_navigation():
        browser_page.page.get_by_role("button", name="Send your answers").dblclick()
    browser_page.audit()
    expect(browser_page.page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert Response.objects.count() == 1


def test_the_kiosk_returns_to_a_fresh_form_and_hides_earlier_answers(
    browser_page, form, settings
):
    settings.FEEDBACK_KIOSK_REFRESH_SECONDS = 1
    point = distribution_point(form, channel=DistributionPoint.Channel.KIOSK)
    page = browser_page.page
    browser_page.goto(f"/f/{point.token}/")
    answer_on(page, text="Lovely ward")
    browser_page.submit("Send your answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")

    page.wait_for_url(re.compile(rf"/f/{point.token}/$"), timeout=10_000)
    browser_page.audit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Going home from Ward 7")
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.get_by_label(re.compile("anything else")).input_value() == ""
    assert Response.objects.get().source == Response.Source.KIOSK


def test_the_kiosk_clears_a_half_filled_form_after_a_time_without_use(
    browser_page, form, settings
):
    settings.FEEDBACK_KIOSK_IDLE_SECONDS = 1
    point = distribution_point(form, channel=DistributionPoint.Channel.KIOSK)
    page = browser_page.page
    browser_page.goto(f"/f/{point.token}/")
    answer_on(page)
    assert page.locator("input[type=radio]:checked").count() == 2
    with page.expect_navigation(timeout=10_000):
        pass  # the kiosk module goes back to a fresh form after 1 second without use
    browser_page.audit()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert Response.objects.count() == 0


def test_a_closed_form_says_so(browser_page, form):
    point = distribution_point(form)
    services.distribution_point_retire(point=point)
    response = browser_page.goto(f"/f/{point.token}/")
    assert response.status == 410
    expect(browser_page.page.get_by_role("heading", level=1)).to_have_text("This form is closed")
