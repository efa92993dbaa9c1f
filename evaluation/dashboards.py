"""The outcome page of an Always Event: the staff dashboard's chart, figures and signals.

It reads outcome summaries only (never the answers), so its cost does not grow with
the number of responses.
"""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from coproduction.models import Theme
from coproduction.selectors import (
    organisation_overview,
    protected_hours_between,
    quarter_start,
    team_mix,
)
from programmes.gates import check_gates, next_phase
from programmes.models import Action, AlwaysEvent, PDSACycle, Phase

from . import alerts, analysis, charts, dashboard_lines
from .models import SMALL_NUMBER, Alert, Frequency, Measure, MeasureDataPoint, OutcomeSummary
from .outcomes import series_for_measure
from .selectors import always_event_for_user, always_events_of


@dataclass
class MeasureOutcome:
    measure: Measure
    period_name: str
    rows: list[OutcomeSummary]
    latest: OutcomeSummary | None
    chart: str
    baseline: float | None = None
    table: list = ()  # every period drawn, newest first; NoResponses where none came
    older_data: bool = False  # summaries before the window, none in it

    @property
    def explanations(self) -> list[str]:
        return self.latest.chart.get("explanations", []) if self.latest else []

    @property
    def recent_rows(self) -> list[OutcomeSummary]:
        return self.rows[::-1][:ROWS_BESIDE]

    @property
    def rows_newest_first(self) -> list:
        return self.table


@dataclass
class NoResponses:
    """A period on the chart's axis in which nobody answered."""

    period_start: dt.date
    missing: bool = True


def _label(row) -> str:
    return _start_label(row.period_start, row.period)


def _start_label(start: dt.date, period: str) -> str:
    return f"{start:%-d %b %y}" if period == Frequency.WEEKLY else f"{start:%b %Y}"


def _period_start(day: dt.date, period: str) -> dt.date:
    if period == Frequency.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def _annotations(starts: list[dt.date], cycles) -> list[tuple[int, str]]:
    """Each PDSA cycle marked at the first period that starts on or after it began."""
    marks = []
    for cycle in cycles:
        index = next((i for i, s in enumerate(starts) if s >= cycle.started_on), None)
        if index is not None:
            marks.append((index, f"PDSA {cycle.number}"))
    return marks


def _baseline(starts: list[dt.date], percents: list[float | None], cycles) -> float | None:
    """The median before the first PDSA cycle began (at least 6 periods), else None."""
    if not cycles:
        return None
    before = [
        p for s, p in zip(starts, percents, strict=True)
        if p is not None and s < cycles[0].started_on
    ]
    return statistics.median(before) if len(before) >= BASELINE_MIN_PERIODS else None


BASELINE_MIN_PERIODS = 6
FROM_POINTS = object()  # measure_outcome's baseline: the median of the drawn points
ROWS_BESIDE = 8  # periods in the table beside a chart; the rest are one click away


def measure_outcome(
    measure: Measure, cycles, axis: list[dt.date] | None = None, *,
    rows: list[OutcomeSummary] | None = None, period: str | None = None,
    suppress_small_numbers: bool = False, baseline: float | None | object = FROM_POINTS,
) -> MeasureOutcome:
    """The outcome measure's p-chart, drawn over `axis` (the dashboard's shared periods)
    or over its own periods. Give `rows` (already read, of `period`) to draw them without
    a query; `suppress_small_numbers` leaves out the points of fewer than 5 responses
    (reports, which are read away from the service's data tables). The baseline is
    worked out from the drawn points unless given (a window may not reach back to it)."""
    period = period or measure.frequency
    if rows is None:
        rows = series_for_measure(measure, period)
    latest = rows[-1] if rows else None
    period_name = "week" if period == Frequency.WEEKLY else "month"
    by_start = {r.period_start: r for r in rows}
    starts = axis if axis else [r.period_start for r in rows]
    points = []
    for start in starts:
        r = by_start.get(start)
        if r is None:
            points.append(charts.ChartPoint(label=_start_label(start, period), value=None))
            continue
        points.append(
            charts.ChartPoint(
                label=_label(r),
                value=None if suppress_small_numbers and r.is_small_number else r.percent,
                lcl=r.chart["lcl"] * 100 if r.chart.get("lcl") is not None else None,
                ucl=r.chart["ucl"] * 100 if r.chart.get("ucl") is not None else None,
                signal=bool(r.chart.get("outside_limits") or r.chart.get("shift")),
                small_number=r.is_small_number,
            )
        )
    if baseline is FROM_POINTS:
        baseline = _baseline(
            starts, [p.value if not p.small_number else None for p in points], cycles
        )
    centre = latest.chart.get("centre") if latest else None
    chart = charts.render(
        charts.Chart(
            title=f"{measure.name}: % of people each {period_name}",
            description=(
                f"p-chart of {len(starts)} {period_name}s from "
                f"{_start_label(starts[0], period)} to {_start_label(starts[-1], period)}. "
                "The table beside it gives every figure."
                if rows else ""
            ),
            points=points if rows else [],
            centre=centre * 100 if centre is not None else None,
            centre_label="Mean",
            median=latest.chart.get("median") if latest else None,
            target=measure.target_percent,
            baseline=baseline,
            annotations=_annotations(starts, cycles),
            chart_id=f"measure-{measure.pk}",
        )
    )
    return MeasureOutcome(
        measure, period_name, rows, latest, chart, baseline,
        table=[by_start.get(start) or NoResponses(start) for start in reversed(starts)],
    )


@dataclass
class DataRow:
    start: dt.date
    label: str
    numerator: int | None
    denominator: int | None

    @property
    def is_small_number(self) -> bool:
        return self.denominator is not None and self.denominator < SMALL_NUMBER

    @property
    def percent(self) -> float | None:
        return self.numerator / self.denominator * 100 if self.denominator else None


@dataclass
class MeasureSeries:
    """A process, balancing, operational or staff-experience measure on the shared axis."""

    measure: Measure
    rows: list[DataRow]
    chart: str
    explanations: list[str]

    @property
    def latest(self) -> DataRow | None:
        return next((r for r in reversed(self.rows) if r.denominator is not None), None)

    @property
    def recent_rows(self) -> list[DataRow]:
        return [r for r in self.rows[::-1] if r.denominator is not None][:ROWS_BESIDE]

    @property
    def rows_newest_first(self) -> list[DataRow]:
        return self.rows[::-1]


def measure_series(
    measure: Measure, points, axis: list[dt.date], period: str, cycles
) -> MeasureSeries:
    """A run chart (median, Anhøj and IHI rules; analysis.py) of the measure's data points
    summed into the axis's periods."""
    sums: dict[dt.date, list[int]] = {}
    for point in points:
        total = sums.setdefault(_period_start(point.period_start, period), [0, 0])
        total[0] += point.numerator
        total[1] += point.denominator
    rows = [
        DataRow(s, _start_label(s, period), *sums.get(s, (None, None)))
        for s in axis
    ]
    percents = [r.percent for r in rows]
    run = analysis.run_chart(percents)
    period_name = "week" if period == Frequency.WEEKLY else "month"
    signals = {i for i, flag in enumerate(run.shift) if flag}
    signals |= {i for i, flag in enumerate(run.trend) if flag} | set(run.astronomical)
    chart = charts.render(
        charts.Chart(
            title=f"{measure.name} ({measure.get_kind_display().lower()} measure): % each "
            f"{period_name}",
            description=(
                f"Run chart of {len(axis)} {period_name}s from {rows[0].label} to "
                f"{rows[-1].label}, on the same time axis as the outcome. The table beside "
                "it gives every figure."
            ) if sums else "",
            points=[
                charts.ChartPoint(
                    label=r.label, value=r.percent, signal=i in signals,
                    small_number=r.is_small_number,
                )
                for i, r in enumerate(rows)
            ] if sums else [],
            median=run.centre,
            target=measure.target_percent,
            annotations=_annotations(axis, cycles),
            chart_id=f"measure-{measure.pk}",
        )
    )
    explanations = run.explanations(period_name + "s") if sums else []
    return MeasureSeries(measure, rows, chart, explanations)


def _next_start(start: dt.date, period: str) -> dt.date:
    if period == Frequency.WEEKLY:
        return start + dt.timedelta(weeks=1)
    return (start + dt.timedelta(days=32)).replace(day=1)


def _periods(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    axis, current = [], first
    while current <= last:
        axis.append(current)
        current = _next_start(current, period)
    return axis


# The dashboard draws this many periods up to today's, whatever the age of the data, so
# its work does not grow as the months go by; every period is one link away.
WINDOW = {Frequency.WEEKLY: 52, Frequency.MONTHLY: dashboard_lines.MONTHS_JUDGED}


def window_start(today: dt.date, period: str) -> dt.date:
    """The first period of the window that ends with today's period."""
    start = _period_start(today, period)
    if period == Frequency.WEEKLY:
        return start - dt.timedelta(weeks=WINDOW[period] - 1)
    month = start.year * 12 + start.month - 1 - (WINDOW[period] - 1)
    return dt.date(month // 12, month % 12 + 1, 1)


def _axis(
    outcome_rows: list[OutcomeSummary], points, period: str, *, today: dt.date,
    whole: bool,
) -> list[dt.date]:
    """The window's periods up to today's; with `whole`, every period from the first
    with data (outcome or other measures) to today's or the last with data."""
    if not whole:
        return _periods(window_start(today, period), _period_start(today, period), period)
    starts = {r.period_start for r in outcome_rows}
    starts |= {_period_start(p.period_start, period) for p in points}
    if not starts:
        return []
    return _periods(min(starts), max(max(starts), _period_start(today, period)), period)


def _stored_baseline(measure: Measure, period: str, cycles) -> float | None:
    """The median % of the periods of 5 or more responses before the first PDSA cycle
    began (at least 6 of them), read from the summaries: the window may start later."""
    if not cycles:
        return None
    before = list(
        OutcomeSummary.objects.filter(
            measure=measure, period=period, period_start__lt=cycles[0].started_on,
            responses__gte=SMALL_NUMBER, percent__isnull=False,
        ).values_list("percent", flat=True)
    )
    return statistics.median(before) if len(before) >= BASELINE_MIN_PERIODS else None


OTHER_KINDS = [
    Measure.Kind.PROCESS, Measure.Kind.BALANCING, Measure.Kind.OPERATIONAL,
    Measure.Kind.STAFF_EXPERIENCE,
]


def staff_dashboard(
    always_event: AlwaysEvent, user, *, today: dt.date, whole: bool = False
) -> dict:
    """Everything the staff dashboard shows, in a fixed number of queries: summaries and
    data points of the Always Event, never its answers. The charts and tables cover the
    last 52 weeks (or 24 months) up to today's; with `whole`, every period since the
    first with data."""
    cycles = list(
        PDSACycle.objects.filter(always_event=always_event, started_on__isnull=False).order_by(
            "started_on"
        )
    )
    measures = list(always_event.measures.order_by("name"))
    outcome_measures = [m for m in measures if m.kind == Measure.Kind.OUTCOME]
    others = [m for m in measures if m.kind != Measure.Kind.OUTCOME]
    period = outcome_measures[0].frequency if outcome_measures else Frequency.MONTHLY
    since = None if whole else window_start(today, period)
    points = defaultdict(list)
    data_points = MeasureDataPoint.objects.filter(measure__in=others).order_by("period_start")
    for point in data_points.filter(period_start__gte=since) if since else data_points:
        points[point.measure_id].append(point)
    rows = {
        m.pk: series_for_measure(
            m, m.frequency, since=None if whole else window_start(today, m.frequency)
        )
        for m in outcome_measures
    }
    axis = _axis(
        [r for m in outcome_measures if m.frequency == period for r in rows[m.pk]],
        [p for ps in points.values() for p in ps], period, today=today, whole=whole,
    )
    outcomes = [
        measure_outcome(
            m, cycles,
            axis if m.frequency == period
            else _axis(rows[m.pk], [], m.frequency, today=today, whole=whole),
            rows=rows[m.pk], period=m.frequency,
            **({} if whole else {"baseline": _stored_baseline(m, m.frequency, cycles)}),
        )
        for m in outcome_measures
    ]
    for outcome in outcomes:
        outcome.older_data = not whole and not outcome.rows and OutcomeSummary.objects.filter(
            measure=outcome.measure
        ).exists()
    series = [measure_series(m, points[m.pk], axis, period, cycles) for m in others]
    following = next_phase(always_event.phase)
    event_alerts = list(alerts.alerts_for_always_event(always_event, user))
    open_actions = list(
        always_event.actions.exclude(status=Action.Status.DONE).select_related("owner")
        .order_by("due_on", "pk")[:ACTIONS_SHOWN]
    )
    counts = always_event.actions.exclude(status=Action.Status.DONE).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    return {
        "always_event": always_event,
        "outcomes": outcomes,
        "series_by_kind": [
            (label, [s for s in series if s.measure.kind == kind])
            for kind, label in KIND_HEADINGS
        ],
        "has_other_measures": bool(others),
        "axis_period": "week" if period == Frequency.WEEKLY else "month",
        "whole": whole,
        "window_periods": WINDOW[period],
        "first_period": axis[0] if axis else None,
        "unseen_alerts": [a for a in event_alerts if not a.seen],
        "seen_alerts": [a for a in event_alerts if a.seen],
        "next_phase": Phase(following).label if following else None,
        "gates": check_gates(always_event, following) if following else [],
        "open_actions": open_actions,
        "open_action_count": counts["open"],
        "overdue_action_count": counts["overdue"],
        "cycles": list(
            always_event.pdsa_cycles.select_related("change_idea").order_by("-number")[:3]
        ),
        "team_mix": team_mix(always_event, on=today),
        "protected_hours": protected_hours_between(
            always_event, start=quarter_start(today), end=today
        ),
        "quarter_start": quarter_start(today),
        "themes": list(
            Theme.objects.filter(engagements__always_event=always_event)
            .annotate(latest=Max("engagements__held_on"), times=Count("engagements"))
            .order_by("-latest", "name")[:THEMES_SHOWN]
        ),
        "today": today,
    }


ACTIONS_SHOWN = 10
THEMES_SHOWN = 6
KIND_HEADINGS = [
    (Measure.Kind.PROCESS, "Process measures"),
    (Measure.Kind.BALANCING, "Balancing measures"),
    (Measure.Kind.OPERATIONAL, "Operational measures"),
    (Measure.Kind.STAFF_EXPERIENCE, "Staff experience"),
]


@login_required
def always_event_outcomes(request, pk: int):
    always_event = always_event_for_user(request.user, pk)
    context = staff_dashboard(
        always_event, request.user, today=timezone.localdate(),
        whole=request.GET.get("show") == "all",
    )
    return render(
        request,
        "evaluation/outcomes.html",
        {**context, "section": "outcomes", "heading": "Dashboard"},
    )


@login_required
def alert_seen(request, pk: int):
    """Marks an alert as seen by the signed-in user, then goes back where they were.
    Another organisation's alert is not found, whatever the method."""
    alert = get_object_or_404(
        Alert.objects.filter(always_event__in=always_events_of(request.user)), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    alerts.alert_mark_seen(alert=alert, user=request.user)
    messages.success(request, "Alert marked as seen")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("dashboards:always_event_outcomes", args=[alert.always_event_id])
    return redirect(back)


# The executive dashboard ------------------------------------------------------------

ALERTS_SHOWN = 20
VARIATION_WORDS = {
    "common_cause": ("Common cause variation", "grey"),
    "improvement_high": ("Special cause: improvement", "blue"),
    "improvement_low": ("Special cause: improvement", "blue"),
    "concern_high": ("Special cause: concern", "orange"),
    "concern_low": ("Special cause: concern", "orange"),
    "neutral_high": ("Special cause: neither better nor worse", "purple"),
    "neutral_low": ("Special cause: neither better nor worse", "purple"),
}
ASSURANCE_WORDS = {
    "consistent_pass": ("Will consistently meet the target", "green"),
    "consistent_fail": ("Will consistently miss the target", "red"),
    "inconsistent": ("Hit and miss: may or may not meet the target", "yellow"),
}


@dataclass
class ExecutiveRow:
    always_event: AlwaysEvent
    measure: Measure | None
    latest: dashboard_lines.MonthFigures | None
    last_six: list[tuple[dt.date, dashboard_lines.MonthFigures | None]]
    variation: tuple[str, str] | None
    assurance: tuple[str, str] | None
    responses_this_month: int
    months_without_data: int
    coproduction: object
    overdue_actions: int
    monthly: list[OutcomeSummary]  # the summaries read: none where a stored line served


def executive_rows(
    organisation, *, today: dt.date, phase: str = "", setting: str = "",
    with_charts: bool = False,
):
    """Every Always Event of the organisation with its figures over the last 24 months,
    in a fixed number of queries whatever the number of Always Events or the age of the
    data (summaries only, never answers).

    The dashboard's line of each outcome measure is the one the worker stored with its
    summaries, when it is for today's month and the measure as it is now; any other is
    worked out from the monthly summaries the same way (dashboard_lines.py). With
    `with_charts` (the oversight report, which draws the charts and may be for an
    earlier month) every measure's monthly summaries are read, with their chart
    analysis and option counts."""
    events = AlwaysEvent.objects.in_organisation(organisation).order_by("title")
    if phase:
        events = events.filter(phase=phase)
    if setting:
        events = events.filter(setting=setting)
    events = list(
        events.annotate(
            overdue=Count(
                "actions",
                filter=Q(actions__due_on__lt=today) & ~Q(actions__status=Action.Status.DONE),
            )
        )
    )
    measures, stored = {}, {}
    for measure in (
        Measure.objects.filter(always_event__in=events, kind=Measure.Kind.OUTCOME)
        .select_related("dashboard_line")
        .order_by("always_event_id", "pk")
    ):
        if measure.always_event_id not in measures:
            measures[measure.always_event_id] = measure
            line = None if with_charts else dashboard_lines.stored_line(measure, today=today)
            if line is not None:
                stored[measure.pk] = line
    to_read = [m for m in measures.values() if m.pk not in stored]
    monthly = dashboard_lines.monthly_rows(
        to_read, today=today,
        summaries=None if with_charts else OutcomeSummary.objects.defer("chart", "option_counts"),
    )
    teams = {r.always_event.pk: r for r in organisation_overview(organisation, today=today)}
    result = []
    for event in events:
        measure = measures.get(event.pk)
        rows = monthly[measure.pk] if measure else []
        line = (measure and stored.get(measure.pk)) or dashboard_lines.line_of(
            measure, rows, today=today
        )
        result.append(
            ExecutiveRow(
                always_event=event, measure=measure, latest=line.latest,
                last_six=line.last_six, variation=VARIATION_WORDS.get(line.variation),
                assurance=ASSURANCE_WORDS.get(line.assurance),
                responses_this_month=line.responses_this_month,
                months_without_data=line.months_without_data,
                coproduction=teams.get(event.pk), overdue_actions=event.overdue, monthly=rows,
            )
        )
    return result


@dataclass
class MonthFigure:
    numerator: int
    denominator: int

    @property
    def is_small_number(self) -> bool:
        return self.denominator < SMALL_NUMBER

    @property
    def percent(self) -> float | None:
        return self.numerator / self.denominator * 100 if self.denominator else None


@dataclass
class MeasureMonths:
    measure: Measure
    months: list[tuple[dt.date, MonthFigure | None]]


@dataclass
class BesideOutcome:
    """An Always Event's patient outcome and some other measures, month by month."""

    row: ExecutiveRow
    measures: list[MeasureMonths]


def measures_beside_outcome(rows: list[ExecutiveRow], kind: str, *, today: dt.date):
    """For each Always Event with measures of `kind`, their monthly figures over the same
    six months as its outcome: two queries whatever the number of Always Events."""
    months = dashboard_lines.month_starts(today, dashboard_lines.MONTHS_SHOWN)
    by_event = defaultdict(list)
    measures = Measure.objects.filter(
        always_event__in=[r.always_event for r in rows], kind=kind
    ).order_by("always_event_id", "name", "pk")
    for measure in measures:
        by_event[measure.always_event_id].append(measure)
    figures = {}
    for point in (
        MeasureDataPoint.objects.filter(
            measure__in=[m for ms in by_event.values() for m in ms],
            period_start__gte=months[0],
            period_start__lt=(months[-1] + dt.timedelta(days=32)).replace(day=1),
        )
        .annotate(month=TruncMonth("period_start"))
        .values("measure_id", "month")
        .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"))
        .order_by()
    ):
        month = point["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        figures[(point["measure_id"], month)] = MonthFigure(
            point["numerator"], point["denominator"]
        )
    return [
        BesideOutcome(
            row=row,
            measures=[
                MeasureMonths(m, [(month, figures.get((m.pk, month))) for month in months])
                for m in by_event[row.always_event.pk]
            ],
        )
        for row in rows
        if by_event[row.always_event.pk]
    ]


@login_required
def executive_dashboard(request):
    membership = request.membership
    if membership is None:
        raise Http404("You are not a member of an organisation")
    phase = request.GET.get("phase", "")
    setting = request.GET.get("setting", "")
    phase = phase if phase in Phase.values else ""
    setting = setting if setting in AlwaysEvent.Setting.values else ""
    today = timezone.localdate()
    rows = executive_rows(membership.organisation, today=today, phase=phase, setting=setting)
    return render(
        request,
        "evaluation/executive_dashboard.html",
        {
            "organisation": membership.organisation,
            "rows": rows,
            "months": dashboard_lines.month_starts(today, dashboard_lines.MONTHS_SHOWN),
            "operational": measures_beside_outcome(
                rows, Measure.Kind.OPERATIONAL, today=today
            ),
            "staff_experience": measures_beside_outcome(
                rows, Measure.Kind.STAFF_EXPERIENCE, today=today
            ),
            "alerts": list(
                alerts.unseen_alerts_for_user(
                    request.user, membership.organisation, limit=ALERTS_SHOWN
                )
            ),
            "alerts_shown": ALERTS_SHOWN,
            "phases": Phase.choices,
            "settings_choices": AlwaysEvent.Setting.choices,
            "phase": phase,
            "setting": setting,
            "today": today,
        },
    )


app_name = "dashboards"
urlpatterns = [
    path("always-events/<int:pk>/outcomes/", always_event_outcomes, name="always_event_outcomes"),
    path("alerts/<int:pk>/seen/", alert_seen, name="alert_seen"),
    path("dashboard/", executive_dashboard, name="executive"),
]
