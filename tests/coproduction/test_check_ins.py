import datetime

import pytest
from django.urls import reverse

from coproduction import selectors, services
from coproduction.models import CheckIn, PrivateLink

from .factories import CheckInFactory, SessionFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"wellbeing": "5", "skills": "4", "relationships": "4", "listened_to": "3",
           "comment": "Maureen was lovely, ring 07700 900123"}


@pytest.fixture
def link(partner, fixed_today):
    return services.private_link_create(member=partner, purpose=PrivateLink.Purpose.CHECK_IN,
                                        today=fixed_today)


def test_tokens_have_at_least_128_random_bits(partner, today):
    link = services.private_link_create(member=partner, purpose="check_in", today=today)
    other = services.private_link_create(member=partner, purpose="check_in", today=today)
    assert len(link.token) >= 43 and link.token != other.token  # 32 bytes, base64: 256 bits
    assert link.expires_on == today + datetime.timedelta(days=30)


def test_a_partner_answers_without_an_account_and_sees_a_thank_you_page(client, link, partner):
    url = reverse("coproduction:check_in", args=[link.token])
    page = client.get(url)
    assert page.status_code == 200 and "How is taking part going?" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    response = client.post(url, ANSWERS, follow=True)
    assert response.redirect_chain[-1][0] == reverse("coproduction:check_in_thanks")
    assert "Thank you" in response.content.decode()
    check_in = CheckIn.objects.get()
    assert check_in.group == "partner" and check_in.wellbeing == 5
    assert check_in.comment == "[name removed] was lovely, ring [phone number removed]"


def test_the_check_in_stores_no_link_to_the_person(link):
    field_names = {f.name for f in CheckIn._meta.get_fields()}
    assert not field_names & {"member", "link", "user", "token"}


def test_a_used_link_answers_410_and_saves_nothing_more(client, link):
    url = reverse("coproduction:check_in", args=[link.token])
    client.post(url, ANSWERS)
    again = client.post(url, ANSWERS)
    assert again.status_code == 410 and "This link no longer works" in again.content.decode()
    assert CheckIn.objects.count() == 1


def test_an_expired_link_answers_410(client, link, fixed_today):
    PrivateLink.objects.filter(pk=link.pk).update(expires_on=fixed_today - datetime.timedelta(1))
    response = client.get(reverse("coproduction:check_in", args=[link.token]))
    assert response.status_code == 410
    assert client.post(reverse("coproduction:check_in", args=[link.token]),
                       ANSWERS).status_code == 410
    assert not CheckIn.objects.exists()


def test_an_unknown_link_answers_404_with_a_clear_page(client, fixed_today):
    response = client.get(reverse("coproduction:check_in", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This link is not recognised" in response.content.decode()


def test_a_team_page_link_is_not_a_check_in_link(client, partner, fixed_today):
    link = services.private_link_create(member=partner, purpose="team_page", today=fixed_today)
    assert client.get(reverse("coproduction:check_in", args=[link.token])).status_code == 404


def test_missing_answers_show_errors_and_save_nothing(client, link):
    response = client.post(reverse("coproduction:check_in", args=[link.token]), {"skills": "9"})
    content = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in content
    assert "Select how much you agree" in content
    assert not CheckIn.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_links_are_made_for_every_current_member(client, lead, always_event, partner,
                                                 staff_member, fixed_today):
    client.force_login(lead)
    client.post(reverse("coproduction:check_in_links_create", args=[always_event.pk]))
    assert PrivateLink.objects.filter(purpose="check_in").count() == 2
    content = client.get(reverse("coproduction:check_ins", args=[always_event.pk])).content.decode()
    token = PrivateLink.objects.filter(member=partner).get().token
    assert token in content


def test_staff_cannot_make_links_or_see_them(client, staff, always_event, link):
    client.force_login(staff)
    assert client.post(
        reverse("coproduction:check_in_links_create", args=[always_event.pk])
    ).status_code == 403
    content = client.get(reverse("coproduction:check_ins", args=[always_event.pk])).content.decode()
    assert link.token not in content


def test_the_summary_is_suppressed_under_5_answers(always_event):
    CheckInFactory.create_batch(4, always_event=always_event)
    summary = selectors.check_in_summary(always_event=always_event)
    assert summary.suppressed and summary.questions == [] and summary.comments == []


def test_the_summary_counts_each_scale_point_from_5_answers(client, staff, always_event):
    CheckInFactory.create_batch(3, always_event=always_event, wellbeing=5)
    CheckInFactory.create_batch(2, always_event=always_event, wellbeing=2, group="staff")
    summary = selectors.check_in_summary(always_event=always_event)
    assert not summary.suppressed and summary.answers == 5
    wellbeing = summary.questions[0]
    assert wellbeing.counts == [("Strongly agree", 3), ("Agree", 0),
                                ("Neither agree nor disagree", 0), ("Disagree", 2),
                                ("Strongly disagree", 0)]
    client.force_login(staff)
    content = client.get(reverse("coproduction:check_ins", args=[always_event.pk])).content.decode()
    assert "5 answers from team members" in content


def test_the_page_says_when_answers_are_hidden(client, staff, always_event):
    CheckInFactory.create_batch(2, always_event=always_event)
    client.force_login(staff)
    content = client.get(reverse("coproduction:check_ins", args=[always_event.pk])).content.decode()
    assert "Fewer than 5 people have answered" in content


# The partner's team page ---------------------------------------------------------------------


def test_a_partner_sees_next_sessions_and_shared_decisions_without_an_account(
    client, partner, always_event, fixed_today
):
    SessionFactory(always_event=always_event, held_on=fixed_today + datetime.timedelta(7),
                   title="Testing the contact card")
    SessionFactory(always_event=always_event, held_on=datetime.date(2026, 5, 1),
                   notes="We chose a contact card", notes_shareable=True)
    SessionFactory(always_event=always_event, held_on=datetime.date(2026, 5, 2),
                   notes="Staffing problems on Ward 7", notes_shareable=False)
    link = services.private_link_create(member=partner, purpose="team_page", today=fixed_today)
    response = client.get(reverse("coproduction:team_page", args=[link.token]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Testing the contact card" in content and "We chose a contact card" in content
    assert "Staffing problems" not in content
    assert always_event.vision_statement in content
    assert client.get(reverse("coproduction:team_page", args=[link.token])).status_code == 200


def test_the_team_page_link_stops_working_when_it_expires(client, partner, fixed_today):
    link = services.private_link_create(member=partner, purpose="team_page", today=fixed_today,
                                        days=0)
    PrivateLink.objects.filter(pk=link.pk).update(expires_on=fixed_today - datetime.timedelta(1))
    assert client.get(reverse("coproduction:team_page", args=[link.token])).status_code == 410
    assert client.get(reverse("coproduction:team_page", args=["nope"])).status_code == 404


def test_a_lead_makes_a_team_page_link_from_the_member_page(client, lead, partner, fixed_today):
    client.force_login(lead)
    response = client.post(reverse("coproduction:team_link_create",
                                   args=[partner.always_event_id, partner.pk]), follow=True)
    link = PrivateLink.objects.get(purpose="team_page")
    assert link.token in response.content.decode()
