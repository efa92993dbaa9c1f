"""Every change to Always Events, teams, feedback forms and reports is in the audit log
(django-simple-history), with who made it when it was made on a page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from coproduction import services as coproduction_services
from coproduction.models import CoDesignMember, CoDesignSession, SessionAttendance
from evaluation import services as evaluation_services
from evaluation.models import (
    Answer,
    DistributionPoint,
    FeedbackForm,
    FormTranslation,
    FormVersion,
    Measure,
    Option,
    OversightReport,
    Question,
    Response,
)
from programmes.models import (
    Action,
    AlwaysEvent,
    ChangeIdea,
    Communication,
    Criterion,
    OversightGroupMember,
    OversightMeeting,
    PDSACycle,
    PhaseChange,
    PrimaryDriver,
    ReadinessAssessment,
    SecondaryDriver,
    SpreadRecord,
)
from tests.coproduction.factories import PartnerFactory, SessionFactory, StaffMemberFactory
from tests.evaluation.factories import AlwaysEventFactory, distribution_point, feedback_form

pytestmark = pytest.mark.django_db

AUDITED = [
    # Always Events and their work
    AlwaysEvent,
    Criterion,
    PhaseChange,
    PrimaryDriver,
    SecondaryDriver,
    ChangeIdea,
    PDSACycle,
    Action,
    Communication,
    SpreadRecord,
    # reports to the organisation's oversight group, and readiness
    ReadinessAssessment,
    OversightMeeting,
    OversightGroupMember,
    # teams
    CoDesignSession,
    SessionAttendance,
    # feedback forms and measures
    FeedbackForm,
    FormVersion,
    Question,
    Option,
    FormTranslation,
    DistributionPoint,
    Measure,
    OversightReport,
]
# Personal details of partners: a log of reads and changes, without values, instead.
NOT_HISTORY_TRACKED = [CoDesignMember]
# Anonymous answers are never changed, only written (and free text blanked by retention).
WRITE_ONCE = [Response, Answer]


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_the_model_keeps_its_history(model):
    assert hasattr(model, "history"), f"{model.__name__} has no HistoricalRecords"


@pytest.mark.parametrize("model", NOT_HISTORY_TRACKED, ids=lambda m: m.__name__)
def test_partners_personal_details_have_no_history_table(model):
    assert not hasattr(model, "history")


def test_a_form_its_questions_options_and_points_are_audited_from_creation(organisation):
    form = feedback_form(AlwaysEventFactory(organisation=organisation))
    point = distribution_point(form)
    version = form.versions.get()
    assert FeedbackForm.history.filter(id=form.pk, history_type="+").exists()
    assert FormVersion.history.filter(id=version.pk, history_type="+").exists()
    questions = list(version.questions.all())
    assert Question.history.filter(id__in=[q.pk for q in questions]).count() == 3
    options = Option.objects.filter(question__version=version)
    assert options.count() > 0
    assert Option.history.filter(history_type="+").count() == options.count()
    evaluation_services.distribution_point_retire(point=point)
    assert [h.history_type for h in DistributionPoint.history.filter(id=point.pk)] == ["~", "+"]
    evaluation_services.question_delete(form=form, position=3)
    assert Question.history.filter(id=questions[2].pk, history_type="-").exists()


def test_a_change_made_on_a_page_records_who_made_it(client, lead, organisation):
    form = feedback_form(AlwaysEventFactory(organisation=organisation))
    client.force_login(lead)
    response = client.post(
        reverse("evaluation:form_edit", args=[form.pk]),
        {
            "title": "Leaving hospital",
            "introduction": "",
            "format": "standard",
        },
    )
    assert response.status_code == 302
    latest = FeedbackForm.history.filter(id=form.pk).latest("history_date")
    assert (latest.history_type, latest.title, latest.history_user) == (
        "~",
        "Leaving hospital",
        lead,
    )


def test_recording_attendance_is_audited_with_who_recorded_it(client, lead, organisation):
    event = AlwaysEventFactory(organisation=organisation)
    partner = PartnerFactory(always_event=event, joined_on=dt.date(2026, 1, 1))
    session = SessionFactory(always_event=event, held_on=dt.date(2026, 2, 1))
    coproduction_services.attendance_record(
        session=session,
        today=dt.date(2026, 3, 1),
        entries=[coproduction_services.AttendanceEntry(member=partner, hours=Decimal(2))],
    )
    coproduction_services.attendance_record(session=session, today=dt.date(2026, 3, 1), entries=[])
    kinds = sorted(h.history_type for h in SessionAttendance.history.all())
    assert kinds == ["+", "-"]


def test_changing_a_staff_members_team_record_is_in_the_personal_details_log(organisation, staff):
    event = AlwaysEventFactory(organisation=organisation)
    member = StaffMemberFactory(always_event=event, user=staff)
    coproduction_services.member_update_staff(
        member=member,
        role="facilitator",
        joined_on=member.joined_on,
        left_on=None,
        today=dt.date(2026, 6, 1),
    )
    entry = member.details_log.get()
    assert (entry.action, entry.fields) == ("changed", "role")
