"""Alerts for an Always Event's leads and sponsor (DESIGN §6).

Two things raise an alert on an outcome measure:

* the latest period's summary shows special cause in the concerning direction (below the
  lower control limit, or in a shift or trend the wrong way, by the measure's
  improvement direction), checked after every recompute (tasks.py);
* a whole calendar month passed with no counted answer, checked by a daily beat task.

An alert is a row unique per (measure, kind, period, period start): checking again, or
recomputing the same figures, raises nothing new. Emails go from `alerts_send_emails`,
which takes the alerts not yet emailed under a row lock, so each alert is emailed once
however many workers run it.
"""

import datetime as dt
import logging
from itertools import groupby, islice
from operator import attrgetter

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from .models import Alert, Frequency, Measure, OutcomeSummary

log = logging.getLogger(__name__)


# Special cause in the concerning direction ----------------------------------------------


def _when(row: OutcomeSummary) -> str:
    if row.period == Frequency.WEEKLY:
        return f"the week of {row.period_start:%-d %B %Y}"
    return f"{row.period_start:%B %Y}"


def concern_reasons(
    row: OutcomeSummary, measure: Measure, previous: OutcomeSummary | None = None
) -> list[str]:
    """Why the period's figure is special cause in the concerning direction, in plain words
    (empty when it is not). Periods with fewer than 5 responses never raise an alert."""
    if row.percent is None or row.is_small_number:
        return []
    chart, higher = row.chart or {}, measure.improvement == Measure.Improvement.HIGHER
    reasons = []
    lcl, ucl = chart.get("lcl"), chart.get("ucl")
    if chart.get("outside_limits"):
        if higher and lcl is not None and row.percent < lcl * 100:
            reasons.append(f"it is below the lower control limit ({lcl * 100:.0f}%)")
        if not higher and ucl is not None and row.percent > ucl * 100:
            reasons.append(f"it is above the upper control limit ({ucl * 100:.0f}%)")
    median = chart.get("median")
    if chart.get("shift") and median is not None and (
        row.percent < median if higher else row.percent > median
    ):
        side = "below" if higher else "above"
        reasons.append(f"it is part of a run of 6 or more periods {side} the median")
    if chart.get("trend") and previous is not None and previous.percent is not None and (
        row.percent < previous.percent if higher else row.percent > previous.percent
    ):
        reasons.append(
            f"it continues a trend of 5 or more periods going {'down' if higher else 'up'}"
        )
    return reasons


def concern_message(row: OutcomeSummary, measure: Measure, reasons: list[str]) -> str:
    target = (
        f" The target is {measure.target_percent}%." if measure.target_percent is not None else ""
    )
    return (
        f"{measure.name}: {row.percent:.0f}% ({row.successes} of {row.responses} responses) "
        f"in {_when(row)}. This is special cause in the concerning direction: "
        f"{'; '.join(reasons)}. It is unlikely to be chance, so it is worth finding out what "
        f"changed.{target}"
    )


def _recent(row: OutcomeSummary, today: dt.date) -> bool:
    """Only the current or the previous period raises an alert: old figures are not news."""
    if row.period == Frequency.WEEKLY:
        return row.period_start >= today - dt.timedelta(days=today.weekday() + 7)
    previous_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return row.period_start >= previous_month


def alerts_check_special_cause(
    *, always_event_ids: list[int] | None = None, today: dt.date | None = None
) -> list[Alert]:
    """Raises a concern alert for each outcome measure whose latest period (in the
    measure's own frequency) shows special cause the wrong way. Returns the new alerts."""
    today = today or timezone.localdate()
    summaries = OutcomeSummary.objects.filter(measure__kind=Measure.Kind.OUTCOME).select_related(
        "measure"
    )
    if always_event_ids is not None:
        summaries = summaries.filter(always_event_id__in=always_event_ids)
    # The two latest rows of each measure's own series: the latest and the one before it.
    # Streamed in measure order (the nightly run reads every outcome measure's last ten
    # weeks), and each measure judged as its rows go by, so only one measure's rows and
    # the concerns found are held: memory does not grow with the number of measures.
    rows = summaries.filter(
        Q(period=Frequency.WEEKLY, measure__frequency=Frequency.WEEKLY)
        | Q(period=Frequency.MONTHLY, measure__frequency=Frequency.MONTHLY),
        period_start__gte=today - dt.timedelta(days=70),
    ).defer("option_counts").order_by("measure_id", "-period_start")
    concerns = []
    for _, series in groupby(rows.iterator(chunk_size=500), key=attrgetter("measure_id")):
        latest = list(islice(series, 2))  # newest first: the latest and the one before it
        row, previous = latest[0], latest[1] if len(latest) > 1 else None
        if not _recent(row, today):
            continue
        reasons = concern_reasons(row, row.measure, previous)
        if reasons:
            concerns.append((row, reasons))
    new = []
    for row, reasons in concerns:
        alert = _raise(
            measure=row.measure, kind=Alert.Kind.CONCERN, period=row.period,
            period_start=row.period_start, message=concern_message(row, row.measure, reasons),
        )
        if alert is not None:
            new.append(alert)
    return new


def _raise(*, measure: Measure, kind: str, period: str, period_start: dt.date, message: str):
    """Creates the alert unless it exists. Returns it when new, else None."""
    alert, created = Alert.objects.get_or_create(
        measure=measure, kind=kind, period=period, period_start=period_start,
        defaults={"always_event_id": measure.always_event_id, "message": message},
    )
    return alert if created else None


# No data last month ---------------------------------------------------------------------


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def alerts_check_no_data(*, today: dt.date | None = None) -> list[Alert]:
    """Raises a no-data alert for each active Always Event's outcome measure that had no
    counted answer in the whole of last month. A measure defined after last month began
    is left alone: it had no full month to collect data. Returns the new alerts."""
    today = today or timezone.localdate()
    month = previous_month(today)
    had_data = OutcomeSummary.objects.filter(
        measure=OuterRef("pk"), period=Frequency.MONTHLY, period_start=month, responses__gt=0
    )
    measures = (
        Measure.objects.filter(
            kind=Measure.Kind.OUTCOME,
            created_at__lt=timezone.make_aware(dt.datetime.combine(month, dt.time.min)),
        )
        .exclude(always_event__status__in=["closed", "paused"])
        .exclude(Exists(had_data))
        .exclude(alerts__kind=Alert.Kind.NO_DATA, alerts__period_start=month)
    )
    new = []
    for measure in measures:
        alert = _raise(
            measure=measure, kind=Alert.Kind.NO_DATA, period=Frequency.MONTHLY,
            period_start=month,
            message=(
                f"{measure.name}: no answers were counted in {month:%B %Y}. Check that the "
                "feedback form is still being offered (QR code posters, ward tablets, links) "
                "and that paper responses have been uploaded."
            ),
        )
        if alert is not None:
            new.append(alert)
    return new


# Emails ---------------------------------------------------------------------------------


def recipients(always_event) -> list[str]:
    """The Always Event's leads and executive sponsor who have an email address."""
    people = list(always_event.leads.all())
    if always_event.executive_sponsor is not None:
        people.append(always_event.executive_sponsor)
    return sorted({p.email for p in people if p.email})


def _email(alert: Alert, to: str) -> EmailMessage:
    url = settings.SITE_URL + reverse(
        "dashboards:always_event_outcomes", args=[alert.always_event_id]
    )
    body = (
        f"{alert.message}\n\n"
        f"Always Event: {alert.always_event.title} ({alert.always_event.service_area})\n\n"
        f"See the dashboard and mark the alert as seen: {url}\n\n"
        "You get this email because you lead or sponsor this Always Event.\n"
    )
    return EmailMessage(
        subject=f"Always Event alert: {alert.always_event.title}"[:200], body=body, to=[to]
    )


def alerts_send_emails(*, limit: int = 200) -> int:
    """Emails each alert not yet emailed to its Always Event's leads and sponsor, once.

    The alerts are locked (others skip them) until `emailed_at` is saved in the same
    transaction; if sending fails the transaction rolls back and a later run tries again.
    Returns the number of alerts emailed.
    """
    sent = 0
    with transaction.atomic():
        alerts = list(
            Alert.objects.filter(emailed_at__isnull=True)
            .select_related("always_event__executive_sponsor")
            .prefetch_related("always_event__leads")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at")[:limit]
        )
        if not alerts:
            return 0
        messages = [_email(a, to) for a in alerts for to in recipients(a.always_event)]
        if messages:
            get_connection().send_messages(messages)
        Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=timezone.now())
        sent = len(alerts)
    log.info("Emailed %s alerts", sent)
    return sent


# Reading and marking as seen -------------------------------------------------------------


def alerts_for_always_event(always_event, user, *, limit: int = 10):
    """The Always Event's latest alerts, each with `seen` for this user."""
    return (
        Alert.objects.filter(always_event=always_event)
        .select_related("measure")
        .annotate(seen=Exists(Alert.seen_by.through.objects.filter(
            alert_id=OuterRef("pk"), user_id=user.pk
        )))
        .order_by("seen", "-created_at", "-pk")[:limit]
    )


def unseen_alerts_for_user(user, organisation, *, limit: int = 20):
    """Alerts on the organisation's Always Events the user leads or sponsors, not yet seen
    by them, newest first."""
    return (
        Alert.objects.filter(always_event__organisation=organisation)
        .filter(Q(always_event__leads=user) | Q(always_event__executive_sponsor=user))
        .exclude(seen_by=user)
        .select_related("always_event", "measure")
        .distinct()
        .order_by("-created_at", "-pk")[:limit]
    )


def alert_mark_seen(*, alert: Alert, user) -> None:
    alert.seen_by.add(user)
