"""A user of another organisation gets 404 on every programmes URL of ours (DESIGN §3).

The test walks every URL pattern of the app, so a new page is covered the day it is added:
a pattern with arguments this file cannot fill fails the test.
"""

import datetime

import pytest
from django.urls import URLPattern, get_resolver, reverse

from programmes import services
from programmes.models import Membership, ReadinessItem
from tests.authz import assert_not_found_for
from tests.factories import MembershipFactory

from .factories import ActionFactory, PDSACycleFactory

pytestmark = pytest.mark.django_db

# Pages without arguments show the current organisation's data (request.membership),
# so they have nothing "of ours" to hide; they are checked separately below.
ORGANISATION_PAGES = {
    "always_event_list", "always_event_create", "overdue_actions", "readiness_list",
    "readiness_create", "oversight_group", "oversight_group_edit", "oversight_member_create",
    "oversight_meeting_create", "members", "you_said_we_did_settings",
}
# Public pages, without sign-in: tested in test_you_said_we_did.py.
PUBLIC_PAGES = {"you_said_we_did"}


def _patterns():
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "app_name", None) == "programmes":
            return [p for p in pattern.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("programmes URLs are not included")


@pytest.fixture
def our_urls(always_event, change_idea, lead, organisation, org_admin):
    cycle = PDSACycleFactory(change_idea=change_idea)
    action = ActionFactory(always_event=always_event, owner=lead)
    secondary = change_idea.secondary_driver
    assessment = services.readiness_assessment_record(
        organisation=organisation, assessed_by=lead, assessed_on=datetime.date(2026, 11, 1),
        answers=dict.fromkeys(ReadinessItem.values, ("met", "")),
    )
    group = services.oversight_group_save(organisation=organisation, name="G", reports_to="board")
    member = services.oversight_member_add(group=group, name="Sam", role="Patient partner")
    meeting = services.oversight_meeting_record(
        group=group, met_on=datetime.date(2026, 11, 2), decisions="Spread to Ward 9"
    )
    communication = services.communication_record(
        always_event=always_event, channel="board", presented_on=datetime.date(2026, 11, 3),
        audience="Trust board",
    )
    record = services.spread_record_add(
        always_event=always_event, name="Ward 9", kind="ward",
        adopted_on=datetime.date(2026, 11, 4), adopting_always_event=None, user=lead,
    )
    membership = Membership.objects.get(user=lead)
    pk = always_event.pk
    arguments = {
        "always_event_detail": [pk], "always_event_edit": [pk], "vision_and_aim": [pk],
        "criteria": [pk], "criterion_edit": [pk, "important"], "gates": [pk],
        "driver_diagram": [pk], "primary_driver_create": [pk],
        "primary_driver_edit": [pk, secondary.primary_driver_id],
        "secondary_driver_create": [pk, secondary.primary_driver_id],
        "secondary_driver_edit": [pk, secondary.pk],
        "change_idea_create": [pk, secondary.pk], "change_idea_edit": [pk, change_idea.pk],
        "driver_node_delete": [pk, "idea", change_idea.pk], "pdsa_list": [pk],
        "pdsa_create": [pk], "pdsa_edit": [pk, cycle.pk], "action_list": [pk],
        "action_create": [pk], "action_edit": [pk, action.pk], "spread": [pk],
        "communication_create": [pk], "spread_record_create": [pk], "history": [pk],
        "communication_edit": [pk, communication.pk],
        "communication_delete": [pk, communication.pk],
        "spread_record_edit": [pk, record.pk], "spread_record_delete": [pk, record.pk],
        "readiness_detail": [assessment.pk], "oversight_member_delete": [member.pk],
        "oversight_meeting_edit": [meeting.pk], "oversight_meeting_delete": [meeting.pk],
        "member_role": [membership.pk], "member_remove": [membership.pk],
    }
    urls = []
    for pattern in _patterns():
        if pattern.name in ORGANISATION_PAGES | PUBLIC_PAGES:
            continue
        assert pattern.name in arguments, f"add arguments for programmes:{pattern.name}"
        urls.append(reverse(f"programmes:{pattern.name}", args=arguments[pattern.name]))
    return urls


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_lead_gets_404_on_every_url(client, our_urls, other_lead, method):
    assert_not_found_for(client, other_lead, our_urls, method=method)


def test_another_organisations_admin_gets_404_too(client, our_urls, other_organisation):
    admin = MembershipFactory(organisation=other_organisation, role="org_admin").user
    assert_not_found_for(client, admin, our_urls)


def test_every_pattern_is_either_an_organisation_page_or_covered(our_urls):
    assert len(our_urls) + len(ORGANISATION_PAGES) + len(PUBLIC_PAGES) == len(_patterns())


def test_organisation_pages_show_only_the_users_own_organisation(
    client, always_event, staff, other_organisation, lead
):
    services.readiness_assessment_record(
        organisation=always_event.organisation, assessed_by=lead,
        assessed_on=datetime.date(2026, 11, 1),
        answers=dict.fromkeys(ReadinessItem.values, ("met", "")),
    )
    outsider = MembershipFactory(organisation=other_organisation, role="org_admin").user
    client.force_login(outsider)
    assert always_event.title not in client.get(reverse("programmes:always_event_list")).text
    assert staff.email not in client.get(reverse("programmes:members")).text
    assert "1 November 2026" not in client.get(reverse("programmes:readiness_list")).text


def test_signed_out_visitors_are_sent_to_sign_in(client, our_urls):
    for url in our_urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
