import pytest
from django.urls import reverse

from programmes.models import Membership

from .authz import assert_not_found_for
from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_current_organisation_and_role(client, lead, organisation):
    client.force_login(lead)
    page = client.get(reverse("home")).content.decode()
    assert organisation.name in page
    assert "Always Event lead in" in page


def test_a_user_in_two_organisations_switches_between_them(client, lead, other_organisation):
    MembershipFactory(user=lead, organisation=other_organisation, role=Membership.Role.STAFF)
    client.force_login(lead)

    response = client.post(reverse("switch_organisation"), {"organisation": other_organisation.pk})

    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.membership.organisation == other_organisation


def test_nobody_can_switch_into_an_organisation_they_are_not_in(client, other_lead, organisation):
    client.force_login(other_lead)
    response = client.post(reverse("switch_organisation"), {"organisation": organisation.pk})
    assert response.status_code == 404
    assert client.get(reverse("home")).wsgi_request.membership.organisation != organisation


def test_the_authorisation_helper_fails_when_a_page_is_visible(client, lead):
    with pytest.raises(AssertionError, match="gave 200"):
        assert_not_found_for(client, lead, [reverse("home")])


def test_unknown_urls_show_the_nhs_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "nhsuk-header" in response.content.decode()


def test_every_page_carries_the_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_privacy_notice_tells_patients_what_is_kept(client):
    page = client.get(reverse("privacy")).content.decode()
    assert "the date you answered (not the time)" in page
    assert "We do not keep your name, your IP address" in page


def test_the_privacy_notice_gives_the_retention_periods_in_force(client, settings):
    settings.FEEDBACK_FREE_TEXT_RETENTION_MONTHS = 18
    settings.PARTNER_RETENTION_MONTHS = 9
    page = client.get(reverse("privacy")).content.decode()
    assert "deleted 18 months after you answered" in page
    assert "deleted 9 months after you leave the team" in page
