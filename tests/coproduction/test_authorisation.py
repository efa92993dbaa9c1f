"""A user of another organisation gets 404 on every co-production URL of the first."""

import pytest
from django.urls import reverse

from coproduction import services
from coproduction.urls import PUBLIC_URL_NAMES, urlpatterns
from tests.authz import assert_not_found_for

from .factories import EngagementFactory, SessionFactory, ThemeFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db

# Pages of the current organisation (no id in the URL): they show the user's own organisation.
ORGANISATION_PAGES = {"overview", "training", "training_add", "themes", "details_log"}


@pytest.fixture
def first_organisations_urls(always_event, partner, fixed_today):
    session = SessionFactory(always_event=always_event)
    engagement = EngagementFactory(always_event=always_event)
    theme = ThemeFactory(organisation=always_event.organisation)
    ids = {"pk": always_event.pk, "member_pk": partner.pk, "session_pk": session.pk,
           "engagement_pk": engagement.pk, "theme_pk": theme.pk}
    urls = {}
    for pattern in urlpatterns:
        if pattern.name in PUBLIC_URL_NAMES | ORGANISATION_PAGES:
            continue
        kwargs = {name: ids[name] for name in pattern.pattern.converters}
        urls[pattern.name] = reverse(f"coproduction:{pattern.name}", kwargs=kwargs)
    return urls


def test_every_url_pattern_is_covered(first_organisations_urls):
    names = {pattern.name for pattern in urlpatterns}
    assert names == set(first_organisations_urls) | PUBLIC_URL_NAMES | ORGANISATION_PAGES


def test_another_organisations_lead_gets_404_on_every_url(client, other_lead,
                                                          first_organisations_urls):
    assert len(first_organisations_urls) >= 20
    assert_not_found_for(client, other_lead, first_organisations_urls.values())
    assert_not_found_for(client, other_lead, first_organisations_urls.values(), method="post")


def test_organisation_pages_show_only_the_users_own_organisation(
    client, other_lead, always_event, partner, staff
):
    TrainingRecordFactory(organisation=always_event.organisation, user=staff, provider="Secret")
    ThemeFactory(organisation=always_event.organisation, name="Riverside theme")
    client.force_login(other_lead)
    for name in ORGANISATION_PAGES:
        content = client.get(reverse(f"coproduction:{name}")).content.decode()
        for secret in (always_event.title, "Maureen", "Secret", "Riverside theme"):
            assert secret not in content, (name, secret)
    response = client.post(reverse("coproduction:training_add"), {"user": staff.pk})
    assert "Select a member of staff from your organisation" in response.content.decode()


def test_signed_out_people_are_sent_to_sign_in(client, first_organisations_urls):
    for url in first_organisations_urls.values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_public_pages_need_only_the_token(client, partner, fixed_today):
    link = services.private_link_create(member=partner, purpose="check_in", today=fixed_today)
    assert client.get(reverse("coproduction:check_in", args=[link.token])).status_code == 200
    assert client.get(reverse("coproduction:check_in_thanks")).status_code == 200
