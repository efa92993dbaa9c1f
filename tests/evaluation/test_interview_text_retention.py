"""The quotes and notes of programme evaluation interviews are blanked after
INTERVIEW_TEXT_RETENTION_MONTHS; the interviews, their roles and themes stay, so the
evaluation's interview figures never change."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduction.models import PersonalDetailsLog
from evaluation import programme, services, tasks
from evaluation.models import Interview
from tests.factories import OrganisationFactory, ProgrammeAdminFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def interviews(organisation):
    """Interviews in two organisations: three more than 24 months before TODAY, one exactly
    24 months before, three since (one with no text at all)."""
    other = OrganisationFactory(name="Northfield Community NHS Trust")
    rows = [
        (organisation, dt.date(2023, 11, 2), "Protected time made it work.", "Online"),
        (organisation, dt.date(2024, 6, 14), "The board asked every month.", ""),
        (organisation, dt.date(2024, 6, 15), "Patients led the first session.", "On site"),
        (organisation, dt.date(2025, 9, 1), "Training in PDSA helped.\nWe met weekly.", ""),
        (organisation, dt.date(2026, 5, 20), "", ""),
        (other, dt.date(2024, 1, 10), "", "Spoke about the night staff"),
        (other, dt.date(2026, 2, 3), "We showed the savings to finance.", "By phone"),
    ]
    return [
        Interview.objects.create(
            organisation=org, interviewed_on=day, interviewee_role="Always Event lead",
            themes=["protected_time", "patient_voice"][: 1 + n % 2], quotes=quotes, notes=notes,
        )
        for n, (org, day, quotes, notes) in enumerate(rows)
    ]


def _kept():
    return list(
        Interview.objects.order_by("pk").values_list(
            "pk", "organisation", "interviewed_on", "interviewee_role", "themes", "updated_at"
        )
    )


def _texts():
    return {
        (i.organisation.name[:10], i.interviewed_on): (i.quotes, i.notes)
        for i in Interview.objects.select_related("organisation")
    }


def test_old_quotes_and_notes_are_blanked_and_recent_ones_kept(interviews):
    kept_before = _kept()

    assert services.interview_text_purge(today=TODAY, months=24, batch_size=1) == 3

    assert _texts() == {
        ("Riverside ", dt.date(2023, 11, 2)): ("", ""),
        ("Riverside ", dt.date(2024, 6, 14)): ("", ""),
        ("Riverside ", dt.date(2024, 6, 15)): ("Patients led the first session.", "On site"),
        ("Riverside ", dt.date(2025, 9, 1)): ("Training in PDSA helped.\nWe met weekly.", ""),
        ("Riverside ", dt.date(2026, 5, 20)): ("", ""),
        ("Northfield", dt.date(2024, 1, 10)): ("", ""),  # another trust: the same rule
        ("Northfield", dt.date(2026, 2, 3)): ("We showed the savings to finance.", "By phone"),
    }
    assert _kept() == kept_before  # every interview stays, with its role and themes


def test_a_second_run_blanks_nothing(interviews):
    services.interview_text_purge(today=TODAY, months=24)
    texts = _texts()

    assert services.interview_text_purge(today=TODAY, months=24) == 0
    assert _texts() == texts


def test_it_blanks_more_interviews_than_one_batch_holds(interviews):
    assert services.interview_text_purge(today=TODAY, months=1, batch_size=2) == 6
    assert set(_texts().values()) == {("", "")}


def test_the_evaluation_figures_do_not_change(interviews):
    admin = ProgrammeAdminFactory()
    before = programme.evaluation_summary(admin, None)
    assert len(before.quotes) == 6

    services.interview_text_purge(today=TODAY, months=24)

    summary = programme.evaluation_summary(admin, None)
    assert summary.interviews == before.interviews == 7
    assert summary.themes == before.themes
    assert sorted(quote for quote, _ in summary.quotes) == [
        "Patients led the first session.", "Training in PDSA helped.",
        "We met weekly.", "We showed the savings to finance.",
    ]


def test_the_purge_writes_no_log_and_leaves_no_copy_in_history(interviews):
    services.interview_text_purge(today=TODAY, months=24)

    # As for check-in comments: no personal details log line, and no history table that
    # would keep the blanked words.
    assert not PersonalDetailsLog.objects.exists()
    assert not hasattr(Interview, "history")


def test_the_daily_task_uses_the_setting(interviews, settings, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    settings.INTERVIEW_TEXT_RETENTION_MONTHS = 36
    assert tasks.purge_interview_text() == 0
    settings.INTERVIEW_TEXT_RETENTION_MONTHS = 6
    assert tasks.purge_interview_text() == 5
    assert [t for t in _texts().values() if t != ("", "")] == [
        ("We showed the savings to finance.", "By phone"),
    ]


def test_the_privacy_notice_gives_the_interview_period(client, settings):
    settings.INTERVIEW_TEXT_RETENTION_MONTHS = 30
    page = client.get(reverse("privacy")).content.decode()
    assert "If you are interviewed for the programme evaluation" in page
    assert "deleted 30 months after the interview" in page
