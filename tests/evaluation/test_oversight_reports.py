"""The monthly oversight report: figures, freezing, sign-off, downloads and who may do what."""

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation import reports
from evaluation.models import OversightReport
from evaluation.outcomes import outcome_summaries_recompute_all
from programmes.models import Action, AlwaysEvent, Membership
from tests.factories import MembershipFactory

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)  # the first working day of November 2026
OCTOBER = dt.date(2026, 10, 1)


def _event(organisation, title="Knowing who to contact at home", months=14, small=False, few=False):
    question = outcome_question(organisation)
    AlwaysEvent.objects.filter(pk=question.version.form.always_event_id).update(title=title)
    month = OCTOBER
    for ago in range(months):
        if small and ago == 0:
            answers(question, month + dt.timedelta(days=9), yes=2, no=1)
        elif few:  # 5 or 6 answers a month: enough for a percentage, quick to write
            answers(question, month + dt.timedelta(days=9), yes=4 + ago % 2, no=1)
        else:
            answers(question, month + dt.timedelta(days=9), yes=8 + ago % 3, no=4)
        month = reports.previous_month(month)
    return question


@pytest.fixture
def executive(organisation):
    return MembershipFactory(
        organisation=organisation,
        role=Membership.Role.EXECUTIVE,
        user__email="exec@riverside.test",
        user__full_name="Dr Helen Marsh",
    ).user


@pytest.fixture
def report(organisation):
    _event(organisation)
    outcome_summaries_recompute_all()
    return reports.oversight_report_build(organisation=organisation, month=OCTOBER, today=TODAY)


# Figures --------------------------------------------------------------------------------------


def test_the_summary_gives_the_months_percentage_with_its_count_and_interval(report):
    event = report.figures["always_events"][0]
    assert event["month"]["responses"] == 12 and event["month"]["successes"] == 8
    assert event["month"]["percent"] == 66.7
    assert 0 < event["month"]["ci_low"] < 66.7 < event["month"]["ci_high"] < 100
    assert "<strong>67%</strong> (8 of 12; 95% interval" in report.html
    assert "Target 80%" in report.html
    assert report.figures["month_label"] == "October 2026"


def test_months_after_the_report_month_are_left_out(organisation):
    question = _event(organisation)
    answers(question, dt.date(2026, 11, 1), yes=1, no=20)
    outcome_summaries_recompute_all()
    figures = reports.report_figures(organisation, OCTOBER, today=dt.date(2026, 11, 20))
    assert figures["always_events"][0]["series"][-1]["month"] == "2026-10-01"
    assert figures["as_of"] == "2026-10-31"


def test_fewer_than_5_responses_are_suppressed_everywhere(organisation):
    _event(organisation, small=True)
    outcome_summaries_recompute_all()
    report = reports.oversight_report_build(organisation=organisation, month=OCTOBER, today=TODAY)
    month = report.figures["always_events"][0]["month"]
    assert month == {
        "responses": None,
        "suppressed": True,
        "percent": None,
        "successes": None,
        "ci_low": None,
        "ci_high": None,
    }
    assert "Fewer than 5 responses" in report.html
    assert "(2 of 3" not in report.html
    assert reports.SUPPRESSED in reports.report_csv(report.figures).decode("utf-8-sig")


def test_each_always_event_has_its_own_page_with_chart_signals_actions_and_next_gate(
    organisation, lead
):
    question = _event(organisation)
    event = AlwaysEvent.objects.get(pk=question.version.form.always_event_id)
    Action.objects.create(
        always_event=event, title="Print contact cards", owner=lead, due_on=dt.date(2026, 9, 1)
    )
    outcome_summaries_recompute_all()
    report = reports.oversight_report_build(organisation=organisation, month=OCTOBER, today=TODAY)
    assert 'role="img"' in report.html and "Knew who to contact: % of people each month" in (
        report.html
    )
    assert "<strong>Overdue:</strong> Print contact cards" in report.html
    assert "To move to Understand what matters:" in report.html
    assert "No PDSA cycles ran this month." in report.html
    assert report.figures["overdue_actions"] == 1
    assert (
        report.pdf.startswith(b"%PDF-")
        if isinstance(report.pdf, bytes)
        else bytes(report.pdf).startswith(b"%PDF-")
    )


def test_the_number_of_queries_to_build_does_not_grow_with_the_number_of_always_events(
    organisation,
):
    """The figures and the HTML are where the queries are; the PDF is drawn from that HTML
    without touching the database, so it is left out here to keep the test quick."""

    def build():
        figures = reports.report_figures(organisation, OCTOBER, today=TODAY)
        reports.render_html(figures)
        return figures

    _event(organisation, "The first", months=13)
    outcome_summaries_recompute_all()
    with CaptureQueriesContext(connection) as one:
        build()

    for n in range(49):
        _event(organisation, f"Always Event {n}", months=13 if n % 2 else 2, few=True)
    outcome_summaries_recompute_all()
    with CaptureQueriesContext(connection) as fifty:
        figures = build()

    assert len(figures["always_events"]) == 50
    assert len(fifty) == len(one)
    assert not any("evaluation_answer" in q["sql"] for q in fifty.captured_queries)


# Freezing and sign-off -----------------------------------------------------------------------


def test_a_signed_report_keeps_its_bytes_and_cannot_be_rebuilt(client, report, executive):
    reports.oversight_report_sign(report=report, user=executive, comments="Good progress")
    client.force_login(executive)
    first = client.get(reverse("reports:report_download", args=[report.pk, "pdf"])).content
    html_before = OversightReport.objects.get(pk=report.pk).html

    answers(outcome_question(report.organisation), dt.date(2026, 10, 20), yes=0, no=30)
    outcome_summaries_recompute_all()
    with pytest.raises(ValidationError, match="signed off"):
        reports.oversight_report_build(organisation=report.organisation, month=OCTOBER, today=TODAY)

    again = client.get(reverse("reports:report_download", args=[report.pk, "pdf"])).content
    stored = OversightReport.objects.get(pk=report.pk)
    assert first == again
    assert hashlib.sha256(again).hexdigest() == stored.pdf_sha256
    assert hashlib.sha256(stored.html.encode()).hexdigest() == stored.html_sha256
    assert stored.html == html_before


def test_a_draft_can_be_rebuilt_with_new_figures(report):
    answers(outcome_question(report.organisation), dt.date(2026, 10, 20), yes=0, no=30)
    outcome_summaries_recompute_all()
    rebuilt = reports.oversight_report_build(
        organisation=report.organisation, month=OCTOBER, today=TODAY
    )
    assert rebuilt.pk == report.pk
    assert rebuilt.html_sha256 != report.html_sha256


def test_signing_records_who_when_and_comments_and_happens_once(report, executive):
    signed = reports.oversight_report_sign(report=report, user=executive, comments=" Agreed ")
    assert signed.status == OversightReport.Status.SIGNED
    assert signed.signed_by == executive and signed.signed_at is not None
    assert signed.sign_off_comments == "Agreed"
    with pytest.raises(ValidationError, match="already signed off"):
        reports.oversight_report_sign(report=signed, user=executive, comments="Again")


def test_signing_is_in_the_audit_log_with_the_signer(report, executive):
    reports.oversight_report_sign(report=report, user=executive, comments="Agreed.")

    latest = report.history.latest("history_date")
    assert latest.status == "signed"
    assert latest.history_user == executive
    assert latest.pdf_sha256 == report.pdf_sha256


def test_signing_needs_comments(report, executive):
    with pytest.raises(ValidationError):
        reports.oversight_report_sign(report=report, user=executive, comments="  ")


# Pages and who may do what -------------------------------------------------------------------


def test_an_executive_signs_off_on_the_page(client, report, executive):
    client.force_login(executive)
    url = reverse("reports:report_sign", args=[report.pk])
    page = client.post(url, {"comments": ""}).content.decode()
    assert "Enter your comments on the report" in page

    response = client.post(url, {"comments": "Discussed at the October meeting"}, follow=True)

    page = response.content.decode()
    assert "Signed off" in page and "Dr Helen Marsh" in page
    assert "Discussed at the October meeting" in page
    assert "Sign off this report" not in page


def test_leads_and_staff_can_read_but_not_sign(client, report, lead, staff):
    for user in (lead, staff):
        client.force_login(user)
        assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 200
        assert (
            "Sign off this report"
            not in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
        )
        response = client.post(
            reverse("reports:report_sign", args=[report.pk]), {"comments": "Fine"}
        )
        assert response.status_code == 403
    assert OversightReport.objects.get(pk=report.pk).status == OversightReport.Status.DRAFT


def test_another_trust_gets_404_for_every_report_page(client, report, other_lead):
    client.force_login(other_lead)
    for url in [
        reverse("reports:report_detail", args=[report.pk]),
        reverse("reports:report_sign", args=[report.pk]),
        *[reverse("reports:report_download", args=[report.pk, f]) for f in ("pdf", "csv", "xlsx")],
    ]:
        assert client.get(url).status_code == 404, url
    assert "Riverside" not in client.get(reverse("reports:report_list")).content.decode()


def test_the_list_is_paginated_and_has_an_empty_state(client, organisation, lead):
    client.force_login(lead)
    assert "There are no reports yet" in client.get(reverse("reports:report_list")).content.decode()
    month = OCTOBER
    for _ in range(14):
        OversightReport.objects.create(
            organisation=organisation,
            month=month,
            built_at=dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC),
            html="<p>x</p>",
            pdf=b"%PDF-",
            html_sha256="0",
            pdf_sha256="0",
        )
        month = reports.previous_month(month)
    page = client.get(reverse("reports:report_list")).content.decode()
    assert page.count("nhsuk-tag--yellow") == 12
    assert 'aria-label="Page 2"' in page


def test_leads_build_this_months_draft_and_staff_cannot(
    client, organisation, lead, staff, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # tasks in process (make run): built at once
    _event(organisation, months=2)
    client.force_login(staff)
    assert client.post(reverse("reports:report_build")).status_code == 403
    client.force_login(lead)
    response = client.post(reverse("reports:report_build"))
    report = OversightReport.objects.get()
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    assert report.built_by == lead and report.status == OversightReport.Status.DRAFT


def test_downloads_give_a_pdf_a_csv_and_a_spreadsheet_of_numbers(client, report, lead):
    client.force_login(lead)
    pdf = client.get(reverse("reports:report_download", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="oversight-report-' in pdf["Content-Disposition"]

    text = client.get(reverse("reports:report_download", args=[report.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Always Event" and rows[1][0] == "Knowing who to contact at home"
    assert rows[1][6:9] == ["12", "8", "66.7"]

    xlsx = client.get(reverse("reports:report_download", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = book["Summary"]
    assert summary["G2"].value == 12 and summary["I2"].value == 66.7
    assert summary["G2"].data_type == "n" and summary["I2"].data_type == "n"
    assert book["Monthly figures"].max_row == 15


def test_the_executive_dashboard_links_to_the_reports(client, lead):
    client.force_login(lead)
    page = client.get(reverse("dashboards:executive")).content.decode()
    assert reverse("reports:report_list") in page


def test_with_a_worker_the_draft_is_queued_and_the_list_says_it_is_being_built(
    client, organisation, lead, redis_client
):
    _event(organisation, months=2)
    client.force_login(lead)

    response = client.post(reverse("reports:report_build"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("reports:report_list")
    page = response.content.decode()
    assert "is being built" in page
    assert "Refresh this page in a minute or two" in page  # the list's own note
    assert not OversightReport.objects.exists()  # no worker in this test: still queued
    assert redis_client.llen("celery") == 1


def test_when_redis_cannot_be_reached_the_draft_is_built_in_the_request(
    client, organisation, lead, settings
):
    _event(organisation, months=2)
    settings.CACHES = {"default": {
        "BACKEND": "always_events.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    client.force_login(lead)

    response = client.post(reverse("reports:report_build"))

    report = OversightReport.objects.get()
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    assert report.built_by == lead


def test_a_signed_off_report_is_not_queued_again(client, organisation, lead, redis_client):
    _event(organisation, months=2)
    month = timezone.localdate().replace(day=1)
    report = reports.oversight_report_build(organisation=organisation, month=month)
    executive = MembershipFactory(organisation=organisation, role="executive").user
    reports.oversight_report_sign(report=report, user=executive, comments="Agreed")
    client.force_login(lead)

    page = client.post(reverse("reports:report_build"), follow=True).content.decode()

    assert "This report is signed off and cannot be rebuilt" in page
    assert redis_client.llen("celery") == 0
