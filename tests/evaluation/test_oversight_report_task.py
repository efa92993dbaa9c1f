"""The monthly task: first working day, build and email once, on the real worker too."""

import datetime as dt
import time

import pytest
from django.core import mail

from evaluation import reports
from evaluation.models import OversightReport
from evaluation.outcomes import outcome_summaries_recompute_all
from evaluation.tasks import build_and_send_oversight_report, send_monthly_oversight_reports
from programmes import services as programme_services
from programmes.models import OversightGroup

from .outcome_data import answers, outcome_question

OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def oversight_group(organisation):
    group = programme_services.oversight_group_save(
        organisation=organisation,
        name="Always Events oversight group",
        reports_to=OversightGroup.ReportsTo.BOARD,
    )
    programme_services.oversight_member_add(
        group=group, name="Dr Helen Marsh", role="Chief Nurse", email="helen.marsh@nhs.test"
    )
    programme_services.oversight_member_add(
        group=group, name="Margaret Okoye", role="Patient partner", email="m.okoye@example.org"
    )
    programme_services.oversight_member_add(group=group, name="No email", role="Partner")
    return group


@pytest.fixture
def event(organisation):
    question = outcome_question(organisation)
    answers(question, dt.date(2026, 10, 12), yes=9, no=3)
    outcome_summaries_recompute_all()
    return question.version.form.always_event


@pytest.mark.parametrize(
    ("month", "first"),
    [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 2)),  # Sunday 1st: Monday
        (dt.date(2027, 1, 1), dt.date(2027, 1, 4)),  # New Year's Day, then a weekend
        (dt.date(2027, 5, 1), dt.date(2027, 5, 4)),  # Saturday, Sunday, Early May bank holiday
        (dt.date(2026, 12, 1), dt.date(2026, 12, 1)),  # a Tuesday
    ],
)
def test_the_first_working_day_skips_weekends_and_bank_holidays(month, first):
    assert reports.first_working_day(month) == first


def test_the_bank_holidays_are_a_setting(settings):
    settings.OVERSIGHT_REPORT_BANK_HOLIDAYS = ["2026-12-01"]
    assert reports.first_working_day(dt.date(2026, 12, 1)) == dt.date(2026, 12, 2)


@pytest.mark.django_db
def test_on_other_days_the_task_does_nothing(event):
    assert send_monthly_oversight_reports("2026-11-03") == 0
    assert send_monthly_oversight_reports("2026-11-01") == 0  # a Sunday
    assert not OversightReport.objects.exists()


@pytest.mark.django_db
def test_it_builds_and_emails_the_previous_months_report_once(
    event, organisation, oversight_group, settings
):
    settings.SITE_URL = "https://always-events.example.nhs.uk"
    assert build_and_send_oversight_report(organisation.pk, "2026-10-01", "2026-11-02") is True
    assert build_and_send_oversight_report(organisation.pk, "2026-10-01", "2026-11-02") is False

    report = OversightReport.objects.get()
    assert report.month == OCTOBER and report.status == OversightReport.Status.DRAFT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["helen.marsh@nhs.test", "m.okoye@example.org"]
    assert "October 2026" in message.subject
    assert f"https://always-events.example.nhs.uk/reports/{report.pk}/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == f"oversight-report-{organisation.ods_code}-2026-10.pdf"
    assert mimetype == "application/pdf" and content == bytes(report.pdf)
    assert report.emailed_to == ["helen.marsh@nhs.test", "m.okoye@example.org"]


@pytest.mark.django_db
def test_an_existing_signed_report_is_sent_as_it_is_not_rebuilt(
    event, organisation, oversight_group, lead
):
    report = reports.oversight_report_build(
        organisation=organisation, month=OCTOBER, today=dt.date(2026, 10, 31)
    )
    from tests.factories import MembershipFactory

    executive = MembershipFactory(organisation=organisation, role="executive").user
    reports.oversight_report_sign(report=report, user=executive, comments="Agreed")
    before = OversightReport.objects.get(pk=report.pk)

    build_and_send_oversight_report(organisation.pk, "2026-10-01", "2026-11-02")

    after = OversightReport.objects.get(pk=report.pk)
    assert after.built_at == before.built_at and bytes(after.pdf) == bytes(before.pdf)
    assert mail.outbox[0].attachments[0][1] == bytes(before.pdf)


@pytest.mark.django_db
def test_without_addresses_it_builds_but_sends_nothing(event, organisation):
    assert build_and_send_oversight_report(organisation.pk, "2026-10-01", "2026-11-02") is False
    assert OversightReport.objects.filter(organisation=organisation).exists()
    assert mail.outbox == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_and_sends_each_organisations_report_once(
    event, organisation, oversight_group, start_celery_worker
):
    start_celery_worker(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")

    queued = send_monthly_oversight_reports.delay("2026-11-02").get(timeout=60)

    assert queued == 1
    report = _wait_for_sent(organisation)
    assert report.emailed_to == ["helen.marsh@nhs.test", "m.okoye@example.org"]
    first_sent = report.emailed_at

    assert send_monthly_oversight_reports.delay("2026-11-02").get(timeout=60) == 1
    time.sleep(3)  # the second organisation task has run by now, or is about to
    _wait_for_idle()
    assert OversightReport.objects.filter(organisation=organisation).count() == 1
    assert OversightReport.objects.get().emailed_at == first_sent


def _wait_for_sent(organisation, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = OversightReport.objects.filter(
            organisation=organisation, emailed_at__isnull=False
        ).first()
        if report:
            return report
        time.sleep(0.5)
    raise AssertionError("the worker did not build and send the report in time")


def _wait_for_idle(timeout=60.0):
    from always_events.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        active = app.control.inspect(timeout=1).active() or {}
        reserved = app.control.inspect(timeout=1).reserved() or {}
        if not any(active.values()) and not any(reserved.values()):
            return
        time.sleep(0.5)
    raise AssertionError("the worker stayed busy")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_draft_asked_for_on_the_page(
    client, event, organisation, start_celery_worker
):
    from django.urls import reverse
    from django.utils import timezone

    from tests.factories import MembershipFactory

    lead = MembershipFactory(organisation=organisation, role="lead").user
    start_celery_worker()
    client.force_login(lead)
    month = timezone.localdate().replace(day=1)

    client.post(reverse("reports:report_build"))

    deadline = time.monotonic() + 120
    while not OversightReport.objects.filter(organisation=organisation, month=month).exists():
        assert time.monotonic() < deadline, "the worker did not build the draft in time"
        time.sleep(0.5)
    report = OversightReport.objects.get(organisation=organisation, month=month)
    assert report.built_by == lead and bytes(report.pdf).startswith(b"%PDF-")
    _wait_for_idle()
    assert not reports.draft_being_built(organisation=organisation, month=month)
    page = client.get(reverse("reports:report_list")).content.decode()
    assert "Refresh this page in a minute or two" not in page  # the note of a queued build
    assert f"/reports/{report.pk}/" in page
