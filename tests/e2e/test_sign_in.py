import re

import pytest
from playwright.sync_api import expect

from programmes.demo import DEMO_USERS, PROGRAMME_ADMIN_EMAIL, seed_organisations

from .conftest import sign_in

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "a-demo-password-for-tests"


@pytest.fixture
def demo(transactional_db):
    seed_organisations(password=DEMO_PASSWORD)


@pytest.mark.parametrize("email", [u[0] for u in DEMO_USERS] + [PROGRAMME_ADMIN_EMAIL])
def test_every_demo_user_can_sign_in_and_out(browser_page, demo, email):
    sign_in(browser_page, email, DEMO_PASSWORD)

    expect(browser_page.page.get_by_role("heading", level=1)).to_contain_text("Your Always Events")
    expect(browser_page.page.get_by_role("navigation", name="Account")).to_contain_text(email)

    browser_page.submit("Sign out")
    expect(browser_page.page).to_have_url(re.compile(r"/accounts/login/$"))


def test_wrong_details_show_the_error_summary_without_saying_which_was_wrong(browser_page, demo):
    sign_in(browser_page, "lead@demo.test", "not-the-password")
    summary = browser_page.page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password")
    first_message = summary.inner_text()

    sign_in(browser_page, "nobody@demo.test", "not-the-password")
    expect(browser_page.page.locator(".nhsuk-error-summary")).to_have_text(first_message)


def test_a_user_in_two_organisations_can_switch_between_them(browser_page, demo):
    from programmes.models import Membership, Organisation
    from tests.factories import UserFactory

    person = UserFactory(email="both@demo.test")
    for organisation in Organisation.objects.all():
        Membership.objects.create(user=person, organisation=organisation, role="staff")
    sign_in(browser_page, "both@demo.test", "correct-horse-battery-staple")
    caption = browser_page.page.locator("h1 .nhsuk-caption-l")
    expect(caption).to_have_text("Northfield Community and Mental Health NHS Trust")

    browser_page.submit("Switch to Riverside University Hospitals NHS Foundation Trust")

    expect(caption).to_have_text("Riverside University Hospitals NHS Foundation Trust")
    expect(browser_page.page.locator(".nhsuk-notification-banner--success")).to_be_visible()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(browser_page, demo):
    browser_page.goto("/accounts/login/")
    browser_page.page.keyboard.press("Tab")
    focused = browser_page.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    browser_page.page.keyboard.press("Enter")
    expect(browser_page.page).to_have_url(re.compile(r"#maincontent$"))


def test_unknown_pages_show_the_nhs_not_found_page(browser_page, demo):
    response = browser_page.goto("/no-such-page/")
    assert response.status == 404
    expect(browser_page.page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_the_sign_in_page_reads_at_400_percent_zoom(browser_page, demo):
    """400% zoom of a 1280px-wide window is a 320px-wide viewport (WCAG 1.4.10 Reflow)."""
    browser_page.page.set_viewport_size({"width": 320, "height": 256})
    browser_page.goto("/accounts/login/")
    scroll_width = browser_page.page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320


def test_an_executive_sets_up_two_factor_sign_in(browser_page, demo, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    sign_in(browser_page, "executive@demo.test", DEMO_PASSWORD)
    expect(browser_page.page.get_by_role("heading", level=1)).to_have_text(
        "Set up two-factor sign-in"
    )
    device = TOTPDevice.objects.get(user__email="executive@demo.test")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"

    browser_page.page.get_by_label("Security code").fill(code)
    browser_page.submit("Continue")

    expect(browser_page.page.get_by_role("heading", level=1)).to_contain_text("Your Always Events")


@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/"])
def test_the_information_pages_pass_axe_without_signing_in(browser_page, path):
    response = browser_page.goto(path)
    assert response.status == 200
    expect(browser_page.page.get_by_role("heading", level=1)).to_be_visible()
