"""Check-in comments are blanked after CHECK_IN_COMMENT_RETENTION_MONTHS; the check-ins
and their answers stay, so every figure drawn from them stays the same."""

import datetime

import pytest
from django.urls import reverse

from coproduction import selectors, services, tasks
from coproduction.models import CheckIn
from evaluation import programme
from tests.factories import ProgrammeAdminFactory

from .factories import CheckInFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def check_ins(always_event):
    """Six check-ins: two older than 24 months, one exactly 24 months old, three recent."""
    days_and_comments = [
        (datetime.date(2023, 11, 2), "Being listened to by the consultant felt new", "staff"),
        (datetime.date(2024, 6, 14), "I learned how to run a PDSA cycle", "partner"),
        (datetime.date(2024, 6, 15), "The sessions at the library suited me", "partner"),
        (datetime.date(2025, 9, 1), "My confidence has grown", "partner"),
        (datetime.date(2026, 5, 20), "", "staff"),
        (datetime.date(2026, 6, 1), "Meetings in the evening would help", "partner"),
    ]
    return [
        CheckInFactory(always_event=always_event, answered_on=day, comment=comment, group=group,
                       wellbeing=1 + n % 5, skills=5 - n % 5, relationships=3, listened_to=4)
        for n, (day, comment, group) in enumerate(days_and_comments)
    ]


def _rows():
    return list(
        CheckIn.objects.order_by("pk").values_list(
            "pk", "always_event", "group", "answered_on", "wellbeing", "skills",
            "relationships", "listened_to",
        )
    )


def _comments():
    return dict(CheckIn.objects.values_list("answered_on", "comment"))


def test_old_comments_are_blanked_and_recent_ones_kept(check_ins):
    answers_before = _rows()

    assert services.check_in_comment_purge(today=TODAY, months=24, batch_size=1) == 2

    assert _comments() == {
        datetime.date(2023, 11, 2): "",
        datetime.date(2024, 6, 14): "",
        datetime.date(2024, 6, 15): "The sessions at the library suited me",
        datetime.date(2025, 9, 1): "My confidence has grown",
        datetime.date(2026, 5, 20): "",
        datetime.date(2026, 6, 1): "Meetings in the evening would help",
    }
    assert _rows() == answers_before  # every check-in stays, with its answers
    assert services.check_in_comment_purge(today=TODAY, months=24) == 0  # idempotent


def test_the_check_in_figures_do_not_change(check_ins, always_event, organisation):
    admin = ProgrammeAdminFactory()
    summary_before = selectors.check_in_summary(always_event=always_event)
    organisation_before = selectors.check_in_summary(organisation=organisation)
    evaluation_before = programme.evaluation_summary(admin, None)

    services.check_in_comment_purge(today=TODAY, months=6)

    summary = selectors.check_in_summary(always_event=always_event)
    assert (summary.answers, summary.staff_answers, summary.partner_answers) == (
        summary_before.answers, summary_before.staff_answers, summary_before.partner_answers
    ) == (6, 2, 4)
    assert summary.questions == summary_before.questions
    assert selectors.check_in_summary(organisation=organisation).questions == (
        organisation_before.questions
    )
    evaluation = programme.evaluation_summary(admin, None)
    assert (evaluation.check_in_staff, evaluation.check_in_partners) == (2, 4)
    assert evaluation.benefits == evaluation_before.benefits
    assert summary.comments == ["Meetings in the evening would help"]


def test_blanked_comments_are_not_shown_as_empty_quotes(client, lead, check_ins, always_event):
    client.force_login(lead)
    services.check_in_comment_purge(today=TODAY, months=6)

    page = client.get(reverse("coproduction:check_ins", args=[always_event.pk])).content.decode()
    assert "“Meetings in the evening would help”" in page
    assert page.count("<blockquote") == 1 and "“”" not in page

    services.check_in_comment_purge(today=TODAY + datetime.timedelta(days=400), months=12)
    page = client.get(reverse("coproduction:check_ins", args=[always_event.pk])).content.decode()
    assert "<blockquote" not in page and "<h3>Comments</h3>" not in page
    assert "6 answers from team members" in page


def test_the_daily_task_uses_the_setting(check_ins, settings, fixed_today):
    settings.CHECK_IN_COMMENT_RETENTION_MONTHS = 36
    assert tasks.purge_check_in_comments() == 0
    settings.CHECK_IN_COMMENT_RETENTION_MONTHS = 3
    assert tasks.purge_check_in_comments() == 4
    assert set(_comments().values()) == {"", "Meetings in the evening would help"}


def test_the_privacy_notice_gives_the_check_in_comment_period(client, settings):
    settings.CHECK_IN_COMMENT_RETENTION_MONTHS = 15
    page = client.get(reverse("privacy")).content.decode()
    assert "If you answer an experience check-in" in page
    assert "own words is deleted 15 months after you answered" in page
