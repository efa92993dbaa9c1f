"""The outcome page of an Always Event: the staff dashboard's chart, figures and signals.

It reads outcome summaries only (never the answers), so its cost does not grow with
the number of responses.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from always_events.permissions import membership_in
from programmes.models import AlwaysEvent, PDSACycle

from . import charts
from .models import Frequency, Measure, OutcomeSummary
from .outcomes import series_for_measure


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


def measure_outcome(measure: Measure, cycles) -> MeasureOutcome:
    period = measure.frequency
    rows = series_for_measure(measure, period)
    latest = rows[-1] if rows else None
    period_name = "week" if period == Frequency.WEEKLY else "month"
    points = [
        charts.ChartPoint(
            label=_label(r),
            value=r.percent,
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
    always_event = get_object_or_404(
        AlwaysEvent.objects.for_user(request.user).select_related("organisation"), pk=pk
    )
    membership_in(request.user, always_event.organisation)
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


app_name = "dashboards"
urlpatterns = [
    path("always-events/<int:pk>/outcomes/", always_event_outcomes, name="always_event_outcomes"),
]
