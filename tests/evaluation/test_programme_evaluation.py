import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import CheckIn
from evaluation import programme
from evaluation.models import Interview, ProgrammeSurvey, SurveyResponse
from programmes.models import AlwaysEvent, Membership
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_admin():
    return ProgrammeAdminFactory(user__email="national@programme.test").user


@pytest.fixture
def survey(programme_admin):
    return programme.survey_open(title="Programme evaluation 2027", opened_by=programme_admin)


@pytest.fixture
def always_event(organisation, lead):
    event = AlwaysEvent.objects.create(
        organisation=organisation,
        title="Knowing who to contact at home",
        service_area="Ward 7",
        setting=AlwaysEvent.Setting.INPATIENT,
    )
    event.leads.add(lead)
    return event


ANSWERS = {
    "improved_experience": "definitely",
    "influenced_coproduction": "to_some_extent",
    "challenges": ["protected_time", "staff_engagement"],
    "challenges_other": "",
    "helped": ["patient_voice"],
    "helped_other": "",
}


def test_a_lead_answers_the_survey_for_an_always_event(client, lead, always_event, survey):
    client.force_login(lead)
    data = {**ANSWERS, "challenges_other": "Call Jo on 07700 900123 about rotas"}

    response = client.post(reverse("programme:survey_answer", args=[always_event.pk]), data)

    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.improved_experience, saved.challenges) == (
        "definitely",
        ["protected_time", "staff_engagement"],
    )
    assert "07700" not in saved.challenges_other
    assert "[phone number removed]" in saved.challenges_other
    page = client.get(reverse("programme:survey")).content.decode()
    assert "Answered" in page


def test_answering_again_changes_the_one_response_of_the_always_event(
    client, lead, always_event, survey
):
    client.force_login(lead)
    url = reverse("programme:survey_answer", args=[always_event.pk])
    client.post(url, ANSWERS)
    client.post(url, {**ANSWERS, "improved_experience": "no"})
    assert SurveyResponse.objects.get().improved_experience == "no"
    assert "checked" in client.get(url).content.decode()


def test_it_says_what_is_missing_and_keeps_what_was_given(client, lead, always_event, survey):
    client.force_login(lead)

    response = client.post(
        reverse("programme:survey_answer", args=[always_event.pk]),
        {"influenced_coproduction": "a_great_deal", "helped_other": "Our matron"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select whether your Always Event has improved service users" in page
    assert "Select the main challenges, or describe them under other challenges" in page
    assert re.search(r'<input[^>]*value="a_great_deal"[^>]*checked', page)
    assert "Our matron" in page
    assert not SurveyResponse.objects.exists()


def test_an_unknown_choice_is_rejected(client, lead, always_event, survey):
    client.force_login(lead)
    response = client.post(
        reverse("programme:survey_answer", args=[always_event.pk]),
        {**ANSWERS, "challenges": ["bribery"]},
    )
    assert "Select answers from the list" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_staff_who_do_not_lead_it_get_403(client, staff, always_event, survey):
    client.force_login(staff)
    response = client.post(reverse("programme:survey_answer", args=[always_event.pk]), ANSWERS)
    assert response.status_code == 403


def test_another_trust_gets_404(client, other_lead, always_event, survey):
    client.force_login(other_lead)
    response = client.post(reverse("programme:survey_answer", args=[always_event.pk]), ANSWERS)
    assert response.status_code == 404
    assert always_event.title not in client.get(reverse("programme:survey")).content.decode()


def test_nothing_can_be_answered_when_the_survey_is_closed(client, lead, always_event, survey):
    programme.survey_close(survey=survey)
    client.force_login(lead)
    url = reverse("programme:survey_answer", args=[always_event.pk])
    assert "The survey is not open" in client.post(url, ANSWERS).content.decode()
    assert not SurveyResponse.objects.exists()


def test_programme_admins_open_and_close_one_round_at_a_time(client, programme_admin):
    client.force_login(programme_admin)
    url = reverse("programme:survey_rounds")

    empty = client.post(url, {"title": ""})
    assert "Enter a name for the survey round" in empty.content.decode()
    client.post(url, {"title": "Spring 2027"})
    assert ProgrammeSurvey.objects.get().is_open
    assert "Close the survey" in client.get(url).content.decode()
    with pytest.raises(Exception, match="already open"):
        programme.survey_open(title="Another", opened_by=programme_admin)

    client.post(reverse("programme:survey_close"))
    assert not ProgrammeSurvey.objects.get().is_open


def test_a_lead_cannot_open_or_close_the_survey(client, lead, survey):
    client.force_login(lead)
    assert client.post(reverse("programme:survey_close")).status_code == 403
    assert ProgrammeSurvey.objects.get().is_open


def _responses(survey, answers):
    for index, (improved, influenced, challenges) in enumerate(answers):
        organisation = OrganisationFactory()
        event = AlwaysEvent.objects.create(
            organisation=organisation,
            title=f"AE {index}",
            service_area="Ward",
            setting=AlwaysEvent.Setting.INPATIENT,
        )
        programme.survey_response_save(
            survey=survey,
            always_event=event,
            answered_by=None,
            improved_experience=improved,
            influenced_coproduction=influenced,
            challenges=challenges,
            helped=["patient_voice"],
        )


def test_the_summary_gives_percentages_with_counts_and_suppresses_counts_under_5(
    client, programme_admin, survey
):
    _responses(
        survey,
        [("definitely", "a_great_deal", ["protected_time", "staff_engagement"])] * 17
        + [("to_some_extent", "not_at_all", ["protected_time"])] * 9
        + [("no", "not_very_much", ["skills"])] * 3,
    )
    client.force_login(programme_admin)

    page = client.get(reverse("programme:evaluation_summary")).content.decode()

    assert "<strong>59%</strong> definitely improved service users' experience (17 of 29)" in page
    assert "<strong>31%</strong> to some extent improved" in page
    assert "No: fewer than 5" in page
    assert "(3 of 29)" not in page
    summary = programme.evaluation_summary(programme_admin.programme_admin, survey)
    assert [(c.label, c.count) for c in summary.challenges[:2]] == [
        ("Finding protected staff time", 26),
        ("Engaging staff", 17),
    ]
    assert summary.challenges[2].suppressed


def test_the_summary_shows_nothing_from_fewer_than_5_responses(client, programme_admin, survey):
    _responses(survey, [("definitely", "a_great_deal", ["protected_time"])] * 4)
    client.force_login(programme_admin)
    page = client.get(reverse("programme:evaluation_summary")).content.decode()
    assert "Fewer than 5 Always Events have answered" in page
    assert "100%" not in page


def test_check_in_benefits_are_split_into_staff_and_partners(
    programme_admin, organisation, always_event
):
    today = timezone.localdate()
    for group, count in [(CheckIn.Group.STAFF, 6), (CheckIn.Group.PARTNER, 3)]:
        for _ in range(count):
            CheckIn.objects.create(
                always_event=always_event,
                group=group,
                answered_on=today,
                wellbeing=5,
                skills=4,
                relationships=2,
                listened_to=5,
            )
    summary = programme.evaluation_summary(programme_admin.programme_admin, None)
    wellbeing = summary.benefits[0]
    assert str(wellbeing.staff) == "100% of staff agree (6 of 6)"
    assert wellbeing.partners.suppressed
    assert summary.benefits[2].staff.suppressed  # nobody agreed: 0 is under 5


def test_the_summary_downloads_as_a_pdf(client, programme_admin, survey):
    _responses(survey, [("definitely", "a_great_deal", ["protected_time"])] * 5)
    client.force_login(programme_admin)
    response = client.get(reverse("programme:evaluation_summary_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_programme_admins_record_and_change_interviews(client, programme_admin, organisation):
    client.force_login(programme_admin)
    data = {
        "organisation": organisation.pk,
        "interviewed_on_day": "3",
        "interviewed_on_month": "2",
        "interviewed_on_year": "2026",
        "interviewee_role": "Always Event lead",
        "themes": ["protected_time", "patient_voice"],
        "quotes": "Protected time made it work.\nEmail me at jo@example.com",
        "notes": "Online",
    }
    assert client.post(reverse("programme:interview_create"), data).status_code == 302
    interview = Interview.objects.get()
    assert interview.quote_lines == [
        "Protected time made it work.",
        "Email me at [email address removed]",
    ]
    assert interview.interviewed_on == dt.date(2026, 2, 3)

    client.post(
        reverse("programme:interview_edit", args=[interview.pk]),
        {**data, "interviewee_role": "Patient partner"},
    )
    interview.refresh_from_db()
    assert interview.interviewee_role == "Patient partner"
    assert "Patient partner" in client.get(reverse("programme:interview_list")).content.decode()
    summary = programme.evaluation_summary(programme_admin.programme_admin, None)
    assert summary.quotes[0] == ("Protected time made it work.", "Patient partner")


def test_an_interview_needs_a_past_date_and_a_role(client, programme_admin, organisation):
    client.force_login(programme_admin)
    future = timezone.localdate() + dt.timedelta(days=3)
    page = client.post(
        reverse("programme:interview_create"),
        {
            "organisation": organisation.pk,
            "interviewed_on_day": future.day,
            "interviewed_on_month": future.month,
            "interviewed_on_year": future.year,
        },
    ).content.decode()
    assert "The date of the interview must be today or in the past" in page
    assert "Enter the role of the person interviewed" in page
    assert not Interview.objects.exists()


def test_members_get_404_for_an_interview_and_regional_admins_for_other_regions(
    client, programme_admin, organisation
):
    interview = programme.interview_save(
        organisation=organisation,
        interviewed_on=dt.date(2026, 1, 5),
        interviewee_role="Lead",
        themes=[],
        recorded_by=programme_admin,
    )
    url = reverse("programme:interview_edit", args=[interview.pk])
    member = MembershipFactory(organisation=organisation, role=Membership.Role.EXECUTIVE).user
    client.force_login(member)
    assert client.get(url).status_code == 404

    from tests.factories import RegionFactory

    regional = ProgrammeAdminFactory(region=RegionFactory(code="Y63", name="North")).user
    client.force_login(regional)
    assert client.get(url).status_code == 404
