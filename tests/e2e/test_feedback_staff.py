"""Staff build feedback forms, measures and distribution points; every page is checked with
axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from evaluation import services
from evaluation.models import FeedbackForm, ImportBatch, Response
from programmes.models import Membership
from tests.evaluation.factories import (
    AlwaysEventFactory,
    MeasureFactory,
    distribution_point,
    feedback_form,
)
from tests.evaluation.test_feedback_authz import every_staff_url
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

from .conftest import sign_in

pytestmark = pytest.mark.e2e
DOWNLOADS = ("qr.", "poster.pdf", ".csv")


@pytest.fixture
def objects(transactional_db, monkeypatch):
    monkeypatch.setattr("evaluation.summaries.request_recompute", lambda _id: None)
    monkeypatch.setattr("evaluation.services._enqueue_import", lambda _id: None)
    organisation = OrganisationFactory()
    MembershipFactory(
        organisation=organisation, role=Membership.Role.LEAD, user__email="lead@e2e.test"
    )
    event = AlwaysEventFactory(organisation=organisation)
    form = feedback_form(event, measure=MeasureFactory(always_event=event))
    for language, name, title in [("cy", "Cymraeg", "Mynd adref"), ("ur", "اردو", "گھر جانا")]:
        services.translation_save(form=form, language=language, language_name=name,
                                  title=title, questions={})
    process = MeasureFactory(always_event=event, kind="process", name="Contact cards given")
    services.data_point_record(measure=process, period_start=dt.date(2026, 11, 2),
                               numerator=18, denominator=20)
    batch = services.import_batch_create(
        form=form, file_name="paper.csv",
        content=(services.import_template_csv(services.form_current_version(form))
                 + "2026-11-02,Maybe,Good,\n").encode(),
    )
    return {"always_event": event, "measure": process, "form": form,
            "point": distribution_point(form), "batch": batch}


def test_every_staff_page_passes_axe(browser_page, objects):
    services.import_batch_run(batch_id=objects["batch"].pk)
    sign_in(browser_page, "lead@e2e.test", PASSWORD)
    urls = [
        url for url in every_staff_url(objects, pages_only=True)
        if not any(d in url for d in DOWNLOADS)
    ]
    for url in urls:
        response = browser_page.goto(url)
        assert response.status == 200, url


def test_a_lead_builds_a_form_and_a_qr_code(browser_page, objects):
    sign_in(browser_page, "lead@e2e.test", PASSWORD)
    page = browser_page.page
    browser_page.goto(f"/always-events/{objects['always_event'].pk}/forms/")
    with page.expect_navigation():
        page.get_by_role("button", name="Create a feedback form").click()
    browser_page.audit()
    page.get_by_label("Title").fill("Leaving hospital")
    browser_page.submit("Create form")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leaving hospital")

    with page.expect_navigation():
        page.get_by_role("button", name="Add a question").click()
    browser_page.audit()
    page.get_by_label("A scale").check()
    page.get_by_label("Question", exact=True).fill("Were you involved in decisions?")
    page.get_by_label("Always / Usually / Sometimes / Never").check()
    browser_page.submit("Save question")
    expect(page.locator("main")).to_contain_text("Always: counts as success")

    with page.expect_navigation():
        page.get_by_role("link", name="Add a distribution point").click()
    browser_page.audit()
    page.get_by_label("Location").fill("Ward 9 discharge lounge")
    page.get_by_label("QR code").check()
    browser_page.submit("Save distribution point")
    expect(page.locator(".app-qr svg, svg.app-qr-code").first).to_be_visible()
    token = FeedbackForm.objects.get(title="Leaving hospital").distribution_points.get().token
    expect(page.locator("main")).to_contain_text(f"/f/{token}/")


def test_a_numerator_over_the_denominator_shows_an_error(browser_page, objects):
    sign_in(browser_page, "lead@e2e.test", PASSWORD)
    page = browser_page.page
    browser_page.goto(f"/measures/{objects['measure'].pk}/data/new/")
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Numerator").fill("21")
    page.get_by_label("Denominator").fill("20")
    browser_page.submit("Save figures")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("same as or less than")
    expect(page).to_have_title(re.compile("^Error: "))


def test_the_import_progress_updates_without_reloading(browser_page, objects):
    sign_in(browser_page, "lead@e2e.test", PASSWORD)
    page = browser_page.page
    batch = objects["batch"]
    browser_page.goto(f"/imports/{batch.pk}/")
    expect(page.get_by_role("status")).to_contain_text("0 of 2 rows done")

    services.import_batch_run(batch_id=batch.pk)

    expect(page.locator("main")).to_contain_text("Finished", timeout=10_000)
    expect(page.locator("main")).to_contain_text("“Maybe” is not an answer to Q1")
    browser_page.audit()
    assert ImportBatch.objects.get().status == "done"
    assert Response.objects.count() == 1  # the template's example row


def test_a_lead_reorders_questions_with_the_keyboard(browser_page, objects):
    sign_in(browser_page, "lead@e2e.test", PASSWORD)
    page = browser_page.page
    form = objects["form"]
    first, second = services.form_current_version(form).questions.order_by("position")[:2]
    browser_page.goto(f"/forms/{form.pk}/")

    page.get_by_role("button", name="Move down question 1").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browser_page.audit()

    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("moved down")
    headings = page.locator(".nhsuk-card__heading")
    expect(headings.nth(0)).to_have_text(f"1. {second.text}")
    expect(headings.nth(1)).to_have_text(f"2. {first.text}")
