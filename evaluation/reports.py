"""The monthly oversight report (DESIGN §6): built, frozen, signed off and sent.

`report_figures` reads outcome summaries only (never answers), in a fixed number of
queries whatever the number of Always Events. The figures are frozen as JSON; the HTML
and PDF rendered from them are stored with their SHA-256, so a signed report is kept
exactly as it was signed. See docs/adr/010-oversight-reports.md.
"""

import csv
import datetime as dt
import hashlib
import io
import logging
from decimal import Decimal

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from coproduction.selectors import protected_hours_by_month
from programmes import gates
from programmes.models import Action, Organisation, OversightGroupMember, PDSACycle, Phase

from .dashboards import executive_rows, measure_outcome
from .models import Frequency, OversightReport

SUPPRESSED = "fewer than 5 responses"


# Months and working days ---------------------------------------------------------------------


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def bank_holidays() -> set[dt.date]:
    return {dt.date.fromisoformat(day) for day in settings.OVERSIGHT_REPORT_BANK_HOLIDAYS}


def first_working_day(month: dt.date) -> dt.date:
    """The month's first weekday that is not a bank holiday in England and Wales."""
    holidays = bank_holidays()
    day = month.replace(day=1)
    while day.weekday() >= 5 or day in holidays:
        day += dt.timedelta(days=1)
    return day


# Figures -------------------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _month_figures(summary) -> dict:
    """One month of an outcome measure; under 5 responses only the fact is kept."""
    if summary is None or not summary.responses:
        return {
            "responses": 0,
            "suppressed": False,
            "percent": None,
            "successes": None,
            "ci_low": None,
            "ci_high": None,
        }
    if summary.is_small_number:
        return {
            "responses": None,
            "suppressed": True,
            "percent": None,
            "successes": None,
            "ci_low": None,
            "ci_high": None,
        }
    return {
        "responses": summary.responses,
        "successes": summary.successes,
        "suppressed": False,
        "percent": round(summary.percent, 1),
        "ci_low": round(summary.ci_low, 1),
        "ci_high": round(summary.ci_high, 1),
    }


def _cycles_and_actions(events, month: dt.date, as_of: dt.date):
    """PDSA cycles running in the month and actions not done, for all events at once."""
    end = month_end(month)
    cycles: dict[int, list] = {e.pk: [] for e in events}
    for cycle in (
        PDSACycle.objects.filter(always_event__in=events, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month))
        .order_by("number")
    ):
        cycles[cycle.always_event_id].append(cycle)
    actions: dict[int, list] = {e.pk: [] for e in events}
    for action in (
        Action.objects.filter(always_event__in=events)
        .exclude(status=Action.Status.DONE)
        .select_related("owner")
        .order_by("due_on", "pk")
    ):
        actions[action.always_event_id].append(action)
    return cycles, actions


def _next_gate(phase: str) -> dict | None:
    following = gates.next_phase(phase)
    if following is None:
        return None
    return {
        "phase": Phase(following).label,
        "gates": [gate.label for gate in gates.gates_for(following)],
    }


def _event_figures(row, month, as_of, cycles, actions) -> dict:
    event, measure = row.always_event, row.measure
    by_month = {r.period_start: r for r in row.monthly}
    outcome = (
        measure_outcome(
            measure,
            cycles,
            rows=row.monthly,
            period=Frequency.MONTHLY,
            suppress_small_numbers=True,
        )
        if measure and row.monthly
        else None
    )
    team = row.coproduction
    return {
        "id": event.pk,
        "title": event.title,
        "service_area": event.service_area,
        "phase": event.get_phase_display(),
        "status": event.get_status_display(),
        "vision_statement": event.vision_statement,
        "aim_statement": event.aim_statement,
        "measure": {"name": measure.name, "target_percent": measure.target_percent}
        if measure
        else None,
        "month": _month_figures(by_month.get(month)),
        "variation": list(row.variation) if row.variation else None,
        "assurance": list(row.assurance) if row.assurance else None,
        "months_without_data": row.months_without_data,
        "series": [
            {
                "month": r.period_start.isoformat(),
                "label": f"{r.period_start:%B %Y}",
                **_month_figures(r),
            }
            for r in row.monthly
        ],
        "chart_svg": str(outcome.chart) if outcome else "",
        "explanations": outcome.explanations if outcome else [],
        "coproduction": {
            "mix": team.mix.sentence(),
            "mix_status": team.mix.status,
            "protected_hours_quarter": str(team.protected_this_quarter),
            "sessions_quarter": team.sessions_this_quarter,
        }
        if team
        else None,
        "pdsa_cycles": [
            {
                "number": c.number,
                "objective": c.objective,
                "started_on": c.started_on.isoformat(),
                "started": _day(c.started_on),
                "ended_on": c.ended_on.isoformat() if c.ended_on else None,
                "ended": _day(c.ended_on) if c.ended_on else "",
                "act": c.get_act_display() if c.act else "",
            }
            for c in cycles
        ],
        "actions": [
            {
                "title": a.title,
                "owner": a.owner.full_name or a.owner.email,
                "due_on": a.due_on.isoformat(),
                "due": _day(a.due_on),
                "status": a.get_status_display(),
                "overdue": a.is_overdue(as_of),
            }
            for a in actions
        ],
        "overdue_actions": row.overdue_actions,
        "next_gate": _next_gate(event.phase),
    }


def report_figures(organisation: Organisation, month: dt.date, *, today: dt.date) -> dict:
    """Everything the report says, as JSON-ready data. Figures are as at the end of the
    month (or today, for the month still running)."""
    month = month.replace(day=1)
    as_of = min(today, month_end(month))
    rows = executive_rows(organisation, today=as_of, with_charts=True)
    events = [row.always_event for row in rows]
    cycles, actions = _cycles_and_actions(events, month, as_of)
    hours = protected_hours_by_month(organisation=organisation, start=month, end=month_end(month))
    protected = sum((h.protected_hours for h in hours), Decimal(0))
    event_figures = [
        _event_figures(row, month, as_of, cycles[row.always_event.pk], actions[row.always_event.pk])
        for row in rows
    ]
    return {
        "organisation": {"name": organisation.name, "ods_code": organisation.ods_code},
        "month": month.isoformat(),
        "month_label": f"{month:%B %Y}",
        "as_of": as_of.isoformat(),
        "as_of_label": _day(as_of),
        "protected_hours_month": str(protected),
        "sessions_month": sum(h.sessions for h in hours),
        "overdue_actions": sum(e["overdue_actions"] for e in event_figures),
        "months_without_data": sum(e["months_without_data"] for e in event_figures),
        "always_events": event_figures,
    }


# Rendering -------------------------------------------------------------------------------------


def _context(figures: dict) -> dict:
    return {"figures": figures, "suppressed": SUPPRESSED}


def render_html(figures: dict) -> str:
    """The report's body: the summary and one section per Always Event."""
    return render_to_string("evaluation/reports/report_body.html", _context(figures))


def render_pdf(figures: dict, html: str) -> bytes:
    from weasyprint import HTML  # loads large native libraries: only when asked

    document = render_to_string(
        "evaluation/reports/report_print.html", {**_context(figures), "body": html}
    )
    return HTML(string=document).write_pdf()


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


CSV_HEADER = [
    "Always Event",
    "Service",
    "Phase",
    "Measure",
    "Target (%)",
    "Month",
    "Responses",
    "Successes",
    "Percent",
    "95% interval low",
    "95% interval high",
    "Note",
    "Variation",
    "Assurance",
    "Months without data (last 6)",
    "Overdue actions",
    "Protected staff hours this quarter",
    "Team mix",
]


def _summary_rows(figures: dict):
    for event in figures["always_events"]:
        month, measure = event["month"], event["measure"] or {}
        note = (
            SUPPRESSED
            if month["suppressed"]
            else ("no responses" if not month["responses"] else "")
        )
        team = event["coproduction"] or {}
        yield [
            event["title"],
            event["service_area"],
            event["phase"],
            measure.get("name", ""),
            measure.get("target_percent"),
            figures["month"][:7],
            month["responses"],
            month["successes"],
            month["percent"],
            month["ci_low"],
            month["ci_high"],
            note,
            (event["variation"] or ["Too few months to judge", ""])[0],
            (event["assurance"] or [""])[0],
            event["months_without_data"],
            event["overdue_actions"],
            float(team["protected_hours_quarter"]) if team else None,
            team.get("mix", ""),
        ]


def report_csv(figures: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in _summary_rows(figures):
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the dashes


def report_xlsx(figures: dict) -> bytes:
    """Two sheets: the summary and every month's figures. Numbers are number cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(CSV_HEADER)
    for row in _summary_rows(figures):
        summary.append(row)
    monthly = book.create_sheet("Monthly figures")
    monthly.append(
        [
            "Always Event",
            "Month",
            "Responses",
            "Successes",
            "Percent",
            "95% interval low",
            "95% interval high",
            "Note",
        ]
    )
    for event in figures["always_events"]:
        for point in event["series"]:
            monthly.append(
                [
                    event["title"],
                    dt.date.fromisoformat(point["month"]),
                    point["responses"],
                    point["successes"],
                    point["percent"],
                    point["ci_low"],
                    point["ci_high"],
                    SUPPRESSED if point["suppressed"] else "",
                ]
            )
        for cell in monthly["B"][1:]:
            cell.number_format = "mmm yyyy"
    for sheet in (summary, monthly):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Services --------------------------------------------------------------------------------------


log = logging.getLogger(__name__)
BUILDING_KEY = "oversight-report:building:{}:{:%Y-%m}"
BUILDING_SECONDS = 15 * 60  # well past the task's time limit: a lost task stops showing


def draft_build_queued(*, organisation: Organisation, month: dt.date, user=None) -> bool:
    """Queues "build this month's draft now" on the worker (about a second per Always
    Event: longer than a web request should wait) and marks the draft as being built.
    False when Redis cannot be reached: the caller builds it in the request instead."""
    from .tasks import build_oversight_report_draft

    key = BUILDING_KEY.format(organisation.pk, month)
    try:
        cache.set(key, 1, timeout=BUILDING_SECONDS)
        build_oversight_report_draft.delay(
            organisation.pk, month.isoformat(), user.pk if user else None
        )
    except (redis.RedisError, OperationalError, OSError):
        log.warning("The draft report of organisation %s is built in the request", organisation.pk)
        draft_build_finished(organisation_id=organisation.pk, month=month)
        return False
    return True


def draft_being_built(*, organisation: Organisation, month: dt.date) -> bool:
    try:
        return cache.get(BUILDING_KEY.format(organisation.pk, month)) is not None
    except (redis.RedisError, OSError):
        return False


def draft_build_finished(*, organisation_id: int, month: dt.date) -> None:
    try:
        cache.delete(BUILDING_KEY.format(organisation_id, month))
    except (redis.RedisError, OSError):
        log.warning("Could not clear the building mark of organisation %s", organisation_id)


@transaction.atomic
def oversight_report_build(
    *, organisation: Organisation, month: dt.date, user=None, today: dt.date | None = None
) -> OversightReport:
    """Builds (or rebuilds, while it is a draft) the organisation's report for the month."""
    today = today or timezone.localdate()
    month = month.replace(day=1)
    if month > today:
        raise ValidationError("A report cannot be built for a month that has not started")
    report = (
        OversightReport.objects.select_for_update()
        .filter(organisation=organisation, month=month)
        .first()
    )
    if report is not None and report.is_signed:
        raise ValidationError("This report is signed off and cannot be rebuilt")
    figures = report_figures(organisation, month, today=today)
    html = render_html(figures)
    pdf = render_pdf(figures, html)
    report = report or OversightReport(organisation=organisation, month=month)
    report.figures, report.html, report.pdf = figures, html, pdf
    report.html_sha256, report.pdf_sha256 = sha256(html), sha256(pdf)
    report.built_at, report.built_by = timezone.now(), user
    report.save()
    return report


@transaction.atomic
def oversight_report_sign(*, report: OversightReport, user, comments: str) -> OversightReport:
    """The sponsor's sign-off. Only a draft can be signed; afterwards nothing changes."""
    if not comments.strip():
        raise ValidationError({"comments": "Enter your comments on the report"})
    report = OversightReport.objects.select_for_update().get(pk=report.pk)
    if report.is_signed:
        raise ValidationError("This report is already signed off")
    report.status = OversightReport.Status.SIGNED
    report.signed_by, report.signed_at = user, timezone.now()
    report.sign_off_comments = comments.strip()
    report._history_user = user  # the audit log names the signer, in a task too
    report.save(update_fields=["status", "signed_by", "signed_at", "sign_off_comments"])
    return report


def report_recipients(organisation: Organisation) -> list[str]:
    return sorted(
        set(
            OversightGroupMember.objects.filter(group__organisation=organisation)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def report_file_name(report: OversightReport, extension: str) -> str:
    return f"oversight-report-{report.organisation.ods_code}-{report.month:%Y-%m}.{extension}"


@transaction.atomic
def oversight_report_send(*, report_id: int) -> bool:
    """Emails the report to the oversight group once: a second call sends nothing.
    Returns True when it sent."""
    report = (
        OversightReport.objects.select_for_update().select_related("organisation").get(pk=report_id)
    )
    recipients = report_recipients(report.organisation)
    if report.emailed_at is not None or not recipients:
        return False
    link = settings.SITE_URL + reverse("reports:report_detail", args=[report.pk])
    month = f"{report.month:%B %Y}"
    message = EmailMessage(
        subject=f"Always Events oversight report for {month}: {report.organisation.name}",
        body=render_to_string(
            "evaluation/reports/report_email.txt",
            {
                "report": report,
                "link": link,
                "month": month,
            },
        ),
        to=recipients,
    )
    message.attach(report_file_name(report, "pdf"), bytes(report.pdf), "application/pdf")
    message.send()
    report.emailed_at, report.emailed_to = timezone.now(), recipients
    report.save(update_fields=["emailed_at", "emailed_to"])
    return True


def organisations_to_report():
    return Organisation.objects.filter(always_events__isnull=False).distinct().order_by("pk")


def monthly_report_for(*, organisation_id: int, month: dt.date, today: dt.date) -> bool:
    """The beat task's work for one organisation: build the month's report if there is none
    yet (an existing one, draft or signed, is kept), then send it if not sent."""
    organisation = Organisation.objects.get(pk=organisation_id)
    report = OversightReport.objects.filter(organisation=organisation, month=month).first()
    if report is None:
        report = oversight_report_build(organisation=organisation, month=month, today=today)
    return oversight_report_send(report_id=report.pk)
