import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import selectors, services
from programmes.models import (
    OversightGroup,
    OversightGroupMember,
    OversightMeeting,
    ReadinessAssessment,
    ReadinessItem,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 1)


def _answers(*statuses):
    statuses = list(statuses) + ["met"] * (len(ReadinessItem.values) - len(statuses))
    return {item: (status, "") for item, status in zip(ReadinessItem.values, statuses, strict=True)}


def test_the_score_counts_met_as_2_and_partly_as_1(organisation, lead):
    assessment = services.readiness_assessment_record(
        organisation=organisation, assessed_by=lead, assessed_on=DAY,
        answers=_answers("partly", "not_yet"),
    )
    summary = selectors.readiness_summary(assessment)
    assert (summary.score, summary.out_of) == (13, 16)
    assert len(summary.next_steps) == 2
    assert summary.next_steps[0].startswith("Ask a board member to be the executive sponsor")


def test_every_item_needs_an_answer(organisation, lead):
    answers = _answers()
    answers["training_plan"] = ("", "")
    with pytest.raises(ValidationError) as error:
        services.readiness_assessment_record(
            organisation=organisation, assessed_by=lead, assessed_on=DAY, answers=answers
        )
    assert error.value.message_dict == {"training_plan": ["Select met, partly met or not yet"]}
    assert not ReadinessAssessment.objects.exists()


def test_assessments_are_kept_over_time(organisation, lead):
    for day in (DAY, DAY + datetime.timedelta(days=90)):
        services.readiness_assessment_record(
            organisation=organisation, assessed_by=lead, assessed_on=day, answers=_answers()
        )
    assert ReadinessAssessment.objects.filter(organisation=organisation).count() == 2


class TestReadinessPages:
    def test_a_lead_records_an_assessment(self, client, lead):
        client.force_login(lead)
        data = {"assessed_on_day": "1", "assessed_on_month": "11", "assessed_on_year": "2026"}
        data.update(dict.fromkeys(ReadinessItem.values, "not_yet"))
        data["patient_partners_note"] = "Two carers interested"
        response = client.post(reverse("programmes:readiness_create"), data)
        assessment = ReadinessAssessment.objects.get()
        assert response.url == reverse("programmes:readiness_detail", args=[assessment.pk])
        page = client.get(response.url)
        assert "0 out of 16" in page.text
        assert "Recruit patient and carer partners" in page.text
        assert "Two carers interested" in page.text

    def test_missing_answers_are_shown_on_the_fields(self, client, lead):
        client.force_login(lead)
        response = client.post(reverse("programmes:readiness_create"), {})
        assert "<title>Error: " in response.text
        assert response.text.count("Select met, partly met or not yet") >= 8

    def test_the_list_shows_history_and_an_empty_state(self, client, lead, organisation):
        client.force_login(lead)
        assert "No readiness assessments yet" in client.get(
            reverse("programmes:readiness_list")).text
        services.readiness_assessment_record(
            organisation=organisation, assessed_by=lead, assessed_on=DAY, answers=_answers()
        )
        assert "1 November 2026" in client.get(reverse("programmes:readiness_list")).text

    def test_staff_cannot_record_one(self, client, staff):
        client.force_login(staff)
        assert client.get(reverse("programmes:readiness_create")).status_code == 403


@pytest.fixture
def meeting(organisation):
    group = services.oversight_group_save(
        organisation=organisation, name="Group", reports_to="board"
    )
    return services.oversight_meeting_record(
        group=group, met_on=datetime.date(2026, 11, 3), decisions="Spread to Ward 8"
    )


class TestOversightGroup:
    def test_set_up_a_group_with_members_and_meetings(self, client, executive):
        client.force_login(executive)
        client.post(reverse("programmes:oversight_group_edit"), {
            "name": "Patient experience oversight group", "reports_to": "executive_committee",
        })
        client.post(reverse("programmes:oversight_member_create"), {
            "name": "Dr Helen Marsh", "role": "Chief Nurse (chair)",
        })
        client.post(reverse("programmes:oversight_meeting_create"), {
            "met_on_day": "3", "met_on_month": "11", "met_on_year": "2026",
            "decisions": "Agreed to spread the contact card to Ward 9",
        })
        page = client.get(reverse("programmes:oversight_group"))
        assert "Executive committee" in page.text
        assert "Chief Nurse (chair)" in page.text
        assert "Agreed to spread the contact card" in page.text

    def test_a_member_may_have_an_email_address_for_the_monthly_report(
        self, client, lead, organisation
    ):
        services.oversight_group_save(organisation=organisation, name="Group", reports_to="board")
        client.force_login(lead)
        url = reverse("programmes:oversight_member_create")
        page = client.post(url, {"name": "Sam", "role": "Partner", "email": "not an email"})
        assert "Enter an email address in the correct format" in page.text
        assert not OversightGroupMember.objects.exists()

        client.post(url, {"name": "Sam", "role": "Partner", "email": "sam@example.org"})
        client.post(url, {"name": "Jo", "role": "Chief Nurse", "email": ""})

        emails = dict(OversightGroupMember.objects.values_list("name", "email"))
        assert emails == {"Sam": "sam@example.org", "Jo": ""}
        assert "sam@example.org" in client.get(reverse("programmes:oversight_group")).text

    def test_a_group_must_report_somewhere(self, organisation):
        with pytest.raises(ValidationError):
            services.oversight_group_save(organisation=organisation, name="Group", reports_to="")
        assert not OversightGroup.objects.exists()

    def test_members_and_meetings_need_a_group_first(self, client, lead):
        client.force_login(lead)
        assert client.get(reverse("programmes:oversight_member_create")).status_code == 404

    def test_removing_a_member(self, client, lead, organisation):
        group = services.oversight_group_save(
            organisation=organisation, name="Group", reports_to="board"
        )
        member = services.oversight_member_add(group=group, name="Sam", role="Patient partner")
        client.force_login(lead)
        client.post(reverse("programmes:oversight_member_delete", args=[member.pk]))
        assert not OversightGroupMember.objects.exists()

    def test_staff_read_but_cannot_change_it(self, client, staff, organisation):
        services.oversight_group_save(organisation=organisation, name="Group", reports_to="board")
        client.force_login(staff)
        assert client.get(reverse("programmes:oversight_group")).status_code == 200
        assert client.get(reverse("programmes:oversight_group_edit")).status_code == 403

    def test_changing_and_deleting_a_meeting(self, client, executive, meeting):
        client.force_login(executive)
        edit = reverse("programmes:oversight_meeting_edit", args=[meeting.pk])
        delete = reverse("programmes:oversight_meeting_delete", args=[meeting.pk])
        page = client.get(reverse("programmes:oversight_group")).text
        assert edit in page and delete in page
        assert "Spread to Ward 8" in client.get(edit).text

        blank_date = client.post(edit, {"met_on_day": "", "met_on_month": "", "met_on_year": "",
                                        "decisions": "Spread to Ward 9"})
        assert "Enter the date of the meeting" in blank_date.text
        assert "Spread to Ward 9" in blank_date.text
        meeting.refresh_from_db()
        assert meeting.decisions == "Spread to Ward 8"

        client.post(edit, {"met_on_day": "4", "met_on_month": "11", "met_on_year": "2026",
                           "decisions": "Spread to Ward 9"})
        meeting.refresh_from_db()
        assert meeting.met_on == datetime.date(2026, 11, 4)
        assert meeting.decisions == "Spread to Ward 9"

        assert "Delete this meeting?" in client.get(delete).text
        client.post(delete)
        assert not OversightMeeting.objects.exists()

    def test_staff_cannot_change_or_delete_a_meeting(self, client, staff, meeting):
        client.force_login(staff)
        assert "oversight-group/meetings/" not in client.get(
            reverse("programmes:oversight_group")
        ).text
        edit = reverse("programmes:oversight_meeting_edit", args=[meeting.pk])
        delete = reverse("programmes:oversight_meeting_delete", args=[meeting.pk])
        assert client.post(edit, {"met_on_day": "4", "met_on_month": "11",
                                  "met_on_year": "2026"}).status_code == 403
        assert client.post(delete).status_code == 403
        meeting.refresh_from_db()
        assert meeting.met_on == datetime.date(2026, 11, 3)
