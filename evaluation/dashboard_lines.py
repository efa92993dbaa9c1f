"""Each outcome measure's line on the executive dashboard, worked out once and stored.

A line is what the executive dashboard shows of an Always Event's outcome: its latest
month against target, the last six months, and the *Making Data Count* variation and
assurance icons judged on the last 24 months. Worked out on every request, that work
grows with the months of data behind each line (up to 24 summaries and an XmR chart an
Always Event). The worker works it out when it writes the measure's summaries, in the
same transaction, and the page reads one stored row an Always Event (ADR 013).

A stored line is for one month and one target and direction of improvement. When the
month has moved on or the measure has been edited since, the page works the line out
from the summaries again, with the same function, until the next recompute stores it.
"""

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from psycopg.types.json import Jsonb

from . import analysis
from .models import SMALL_NUMBER, DashboardLine, Frequency, Measure, OutcomeSummary

MONTHS_JUDGED = 24  # the icons judge this many months up to the current one
MONTHS_SHOWN = 6  # the months listed beside the latest
MIN_MONTHS_FOR_ICONS = 12  # Making Data Count: too few points make the icons misleading


@dataclass(frozen=True)
class MonthFigures:
    """A month's outcome figures: what the dashboard needs of an OutcomeSummary."""

    period_start: dt.date
    responses: int
    successes: int
    percent: float | None

    @property
    def is_small_number(self) -> bool:
        return self.responses < SMALL_NUMBER

    def as_json(self) -> list:
        return [self.period_start.isoformat(), self.responses, self.successes, self.percent]

    @classmethod
    def from_json(cls, value: list | None) -> "MonthFigures | None":
        if value is None:
            return None
        start, responses, successes, percent = value
        return cls(dt.date.fromisoformat(start), responses, successes, percent)


@dataclass(frozen=True)
class Line:
    latest: MonthFigures | None
    last_six: list[tuple[dt.date, MonthFigures | None]]
    variation: str  # the icon's name in analysis.xmr_chart, "" when not judged
    assurance: str

    @property
    def responses_this_month(self) -> int:
        this_month = self.last_six[-1][1]
        return this_month.responses if this_month else 0

    @property
    def months_without_data(self) -> int:
        return sum(1 for _, month in self.last_six if not month or not month.responses)


@functools.lru_cache(maxsize=64)
def month_starts(today: dt.date, count: int) -> tuple[dt.date, ...]:
    """The first days of the `count` months up to and including today's, oldest first
    (kept: a recompute asks once a line, with the same day)."""
    starts, month = [], today.replace(day=1)
    for _ in range(count):
        starts.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return tuple(starts[::-1])


def _figures(row) -> MonthFigures:
    return MonthFigures(row.period_start, row.responses, row.successes, row.percent)


def line_of(measure: Measure | None, rows, *, today: dt.date) -> Line:
    """The line from the measure's monthly summaries of the last MONTHS_JUDGED months up
    to today's (`rows`, in date order; none when there is no measure)."""
    months = month_starts(today, MONTHS_SHOWN)
    by_month = {row.period_start: row for row in rows}
    percents = [r.percent for r in rows if r.percent is not None and not r.is_small_number]
    variation = assurance = ""
    if len(percents) >= MIN_MONTHS_FOR_ICONS:
        icon, assurance = analysis.xmr_icons(percents, measure.improvement, measure.target_percent)
        variation, assurance = icon or "", assurance or ""
    return Line(
        latest=_figures(rows[-1]) if rows else None,
        last_six=[
            (month, _figures(by_month[month]) if month in by_month else None) for month in months
        ],
        variation=variation,
        assurance=assurance,
    )


def monthly_rows(measures, *, today: dt.date, summaries=None) -> dict[int, list]:
    """Each measure's monthly summaries of the MONTHS_JUDGED months up to today's, in date
    order, in one query, none without measures (`summaries`: the queryset to read them
    from, for its columns)."""
    rows = defaultdict(list)
    if not measures:
        return rows
    summaries = OutcomeSummary.objects.all() if summaries is None else summaries
    for row in summaries.filter(
        measure__in=measures, period=Frequency.MONTHLY,
        period_start__gte=month_starts(today, MONTHS_JUDGED)[0], period_start__lte=today,
    ).order_by("measure_id", "period_start"):
        rows[row.measure_id].append(row)
    return rows


def stored_line(measure: Measure, *, today: dt.date) -> Line | None:
    """The measure's stored line (read with `select_related("dashboard_line")`) when it is
    for today's month and the measure's present target and direction; otherwise None."""
    try:
        stored = measure.dashboard_line
    except DashboardLine.DoesNotExist:
        return None
    if (
        stored.month != today.replace(day=1)
        or stored.target_percent != measure.target_percent
        or stored.improvement != measure.improvement
    ):
        return None
    months = month_starts(today, MONTHS_SHOWN)
    return Line(
        latest=MonthFigures.from_json(stored.latest),
        last_six=list(zip(months, map(MonthFigures.from_json, stored.last_six), strict=True)),
        variation=stored.variation,
        assurance=stored.assurance,
    )


def lines_store(
    *, first_event: int, last_event: int, monthly=None, today: dt.date | None = None
) -> int:
    """Works out and replaces the lines of the outcome measures of the Always Events with
    ids from `first_event` to `last_event`. Called by the recompute in the transaction
    that writes those summaries, with `monthly`: each measure's MonthFigures of the
    MONTHS_JUDGED months up to today's, in date order, taken from the rows it has just
    written (reading them back cost a tenth of the full recompute). Without it they are
    read from the summaries as they are now. Returns the lines written."""
    today = today or timezone.localdate()
    measures = list(
        Measure.objects.filter(
            always_event_id__gte=first_event, always_event_id__lte=last_event,
            kind=Measure.Kind.OUTCOME,
        ).order_by("pk")
    )
    rows = monthly if monthly is not None else monthly_rows(
        measures, today=today,
        summaries=OutcomeSummary.objects.only(
            "measure_id", "period_start", "responses", "successes", "percent"
        ),
    )
    now, month = timezone.now(), today.replace(day=1)
    lines = []
    for measure in measures:
        line = line_of(measure, rows.get(measure.pk, []), today=today)
        lines.append(
            (
                measure.pk, month, measure.target_percent, measure.improvement,
                line.latest.as_json() if line.latest else None,
                [figures.as_json() if figures else None for _, figures in line.last_six],
                line.variation, line.assurance, now,
            )
        )
    DashboardLine.objects.filter(
        measure__always_event_id__gte=first_event, measure__always_event_id__lte=last_event
    ).delete()
    _write(lines)
    return len(lines)


LINE_COLUMNS = (
    "measure_id", "month", "target_percent", "improvement", "latest", "last_six", "variation",
    "assurance", "computed_at",
)


def _write(lines: list[tuple]) -> None:
    """Inserts the lines (tuples of LINE_COLUMNS): one COPY on PostgreSQL, where
    `bulk_create` spent about 0.3 ms an object at the national size; `bulk_create`
    elsewhere."""
    rows = [dict(zip(LINE_COLUMNS, line, strict=True)) for line in lines]
    if connection.vendor != "postgresql":
        DashboardLine.objects.bulk_create([DashboardLine(**row) for row in rows], batch_size=500)
        return
    sql = f"COPY {DashboardLine._meta.db_table} ({', '.join(LINE_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            latest, last_six = row["latest"], row["last_six"]
            row.update(latest=None if latest is None else Jsonb(latest), last_six=Jsonb(last_six))
            copy.write_row([row[column] for column in LINE_COLUMNS])
