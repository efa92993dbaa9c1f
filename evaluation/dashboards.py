"""The outcome page of an Always Event: the staff dashboard's chart, figures and signals.

It reads outcome summaries only (never the answers), so its cost does not grow with
the number of responses.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from coproduction.selectors import organisation_overview
from programmes.models import Action, AlwaysEvent, PDSACycle, Phase

from . import analysis, charts
from .models import Frequency, Measure, OutcomeSummary
from .outcomes import series_for_measure
from .selectors import always_event_for_user


@dataclass
class MeasureOutcome:
    measure: Measure
    period_name: str
    rows: list[OutcomeSummary]
    latest: OutcomeSummary | None
    chart: str

    @property
    def explanations(self) -> list[str]:
        return self.latest.chart.get("explanations", []) if self.latest else []


def _label(row: OutcomeSummary) -> str:
    return f"{row.period_start:%-d %b %y}" if row.period == Frequency.WEEKLY else (
        f"{row.period_start:%b %Y}"
    )


def _annotations(rows: list[OutcomeSummary], cycles) -> list[tuple[int, str]]:
    """Each PDSA cycle marked at the first period that starts on or after it began."""
    marks = []
    for cycle in cycles:
        index = next(
            (i for i, r in enumerate(rows) if r.period_start >= cycle.started_on), None
        )
        if index is not None:
            marks.append((index, f"PDSA {cycle.number}"))
    return marks


def measure_outcome(
    measure: Measure, cycles, *, rows: list[OutcomeSummary] | None = None,
    period: str | None = None, suppress_small_numbers: bool = False,
) -> MeasureOutcome:
    """The measure's chart and figures. Give `rows` (already read, of `period`) to draw
    them without a query; `suppress_small_numbers` leaves out the points of fewer than 5
    responses (reports, which are read away from the service's data tables)."""
    period = period or measure.frequency
    if rows is None:
        rows = series_for_measure(measure, period)
    latest = rows[-1] if rows else None
    period_name = "week" if period == Frequency.WEEKLY else "month"
    points = [
        charts.ChartPoint(
            label=_label(r),
            value=None if suppress_small_numbers and r.is_small_number else r.percent,
            lcl=r.chart["lcl"] * 100 if r.chart.get("lcl") is not None else None,
            ucl=r.chart["ucl"] * 100 if r.chart.get("ucl") is not None else None,
            signal=bool(r.chart.get("outside_limits") or r.chart.get("shift")),
            small_number=r.is_small_number,
        )
        for r in rows
    ]
    centre = latest.chart.get("centre") if latest else None
    chart = charts.render(
        charts.Chart(
            title=f"{measure.name}: % of people each {period_name}",
            description=(
                f"p-chart of {len(rows)} {period_name}s from {_label(rows[0])} to "
                f"{_label(rows[-1])}. The table below gives every figure."
                if rows else ""
            ),
            points=points,
            centre=centre * 100 if centre is not None else None,
            centre_label="Mean",
            median=latest.chart.get("median") if latest else None,
            target=measure.target_percent,
            annotations=_annotations(rows, cycles),
            chart_id=f"measure-{measure.pk}",
        )
    )
    return MeasureOutcome(measure, period_name, rows, latest, chart)


@login_required
def always_event_outcomes(request, pk: int):
    always_event = always_event_for_user(request.user, pk)
    cycles = list(
        PDSACycle.objects.filter(always_event=always_event, started_on__isnull=False).order_by(
            "started_on"
        )
    )
    measures = always_event.measures.filter(kind=Measure.Kind.OUTCOME).order_by("name")
    return render(
        request,
        "evaluation/outcomes.html",
        {
            "always_event": always_event,
            "outcomes": [measure_outcome(m, cycles) for m in measures],
            "section": "outcomes",
            "heading": "Outcomes",
        },
    )


# The executive dashboard ------------------------------------------------------------

MIN_MONTHS_FOR_ICONS = 12  # Making Data Count: too few points make the icons misleading
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
    latest: OutcomeSummary | None
    last_six: list[tuple[dt.date, OutcomeSummary | None]]
    variation: tuple[str, str] | None
    assurance: tuple[str, str] | None
    responses_this_month: int
    months_without_data: int
    coproduction: object
    overdue_actions: int
    monthly: list[OutcomeSummary]


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    starts, month = [], today.replace(day=1)
    for _ in range(count):
        starts.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return starts[::-1]


def _icons(measure: Measure, rows: list[OutcomeSummary]):
    percents = [r.percent for r in rows if r.percent is not None and not r.is_small_number]
    if measure is None or len(percents) < MIN_MONTHS_FOR_ICONS:
        return None, None
    chart = analysis.xmr_chart(percents, measure.improvement, measure.target_percent)
    assurance = ASSURANCE_WORDS.get(chart.assurance) if chart.assurance else None
    return VARIATION_WORDS.get(chart.variation_icon), assurance


def executive_rows(organisation, *, today: dt.date, phase: str = "", setting: str = ""):
    """Every Always Event of the organisation with its figures, in a fixed number of
    queries whatever the number of Always Events (summaries only, never answers)."""
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
    measures = {}
    for measure in Measure.objects.filter(
        always_event__in=events, kind=Measure.Kind.OUTCOME
    ).order_by("always_event_id", "pk"):
        measures.setdefault(measure.always_event_id, measure)
    monthly = defaultdict(list)
    for row in OutcomeSummary.objects.filter(
        measure__in=measures.values(), period=Frequency.MONTHLY, period_start__lte=today
    ).order_by("period_start"):
        monthly[row.measure_id].append(row)
    teams = {r.always_event.pk: r for r in organisation_overview(organisation, today=today)}
    months = _month_starts(today, 6)
    result = []
    for event in events:
        measure = measures.get(event.pk)
        rows = monthly[measure.pk] if measure else []
        by_month = {r.period_start: r for r in rows}
        last_six = [(m, by_month.get(m)) for m in months]
        variation, assurance = _icons(measure, rows)
        this_month = by_month.get(months[-1])
        result.append(
            ExecutiveRow(
                always_event=event, measure=measure, latest=rows[-1] if rows else None,
                last_six=last_six, variation=variation, assurance=assurance,
                responses_this_month=this_month.responses if this_month else 0,
                months_without_data=sum(1 for _, r in last_six if not r or not r.responses),
                coproduction=teams.get(event.pk), overdue_actions=event.overdue, monthly=rows,
            )
        )
    return result


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
    return render(
        request,
        "evaluation/executive_dashboard.html",
        {
            "organisation": membership.organisation,
            "rows": executive_rows(
                membership.organisation, today=today, phase=phase, setting=setting
            ),
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
    path("dashboard/", executive_dashboard, name="executive"),
]
