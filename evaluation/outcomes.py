"""Outcome summaries: the figures dashboards and reports read (DESIGN §4 step 4, §5).

`outcome_summaries_recompute` rebuilds one Always Event's summaries from its answers:
one GROUP BY over the covering index (answers per question, option outcome and day),
rolled up into weeks and months here, then the p-chart and run-chart analysis of each
series up to each period. It replaces the rows in one transaction, so running it twice
gives the same rows.
"""

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from programmes.models import AlwaysEvent

from . import analysis
from .models import Answer, Frequency, Measure, Option, Outcome, OutcomeSummary, Question


@dataclass
class PeriodCounts:
    successes: int = 0
    not_successes: int = 0
    excluded: int = 0
    options: dict[str, int] = field(default_factory=dict)
    last_day: dt.date | None = None

    @property
    def responses(self) -> int:
        return self.successes + self.not_successes


def _period_counts(always_event_id: int, question_ids, period: str):
    """Answers of the event's outcome questions per (question, option, week or month),
    grouped in the database over the covering index."""
    trunc = TruncWeek if period == Frequency.WEEKLY else TruncMonth
    return (
        Answer.objects.filter(
            always_event_id=always_event_id, question_id__in=question_ids, option__isnull=False
        )
        .annotate(start=trunc("responded_on"))
        .values("question_id", "option_id", "start")
        .annotate(n=Count("*"), last_day=Max("responded_on"))
        .order_by()
    )


def _series(always_event_id: int, measures: list[Measure]) -> dict:
    """{(measure id, period): {period start: PeriodCounts}} from the grouped counts."""
    question_measure = {
        q_id: m.id for m in measures for q_id in m.questions.values_list("id", flat=True)
    }
    series: dict = defaultdict(lambda: defaultdict(PeriodCounts))
    if not question_measure:
        return series
    options = {
        o.id: o
        for o in Option.objects.filter(question_id__in=question_measure).only(
            "id", "label", "outcome"
        )
    }
    for period in Frequency.values:
        for row in _period_counts(always_event_id, list(question_measure), period):
            measure_id = question_measure[row["question_id"]]
            start = row["start"]
            start = start.date() if isinstance(start, dt.datetime) else start
            counts = series[(measure_id, period)][start]
            _add(counts, options[row["option_id"]], row["n"], row["last_day"])
    return series


def _add(counts: PeriodCounts, option: Option, n: int, day: dt.date) -> None:
    if option.outcome == Outcome.SUCCESS:
        counts.successes += n
    elif option.outcome == Outcome.NOT_SUCCESS:
        counts.not_successes += n
    else:
        counts.excluded += n
    counts.options[option.label] = counts.options.get(option.label, 0) + n
    counts.last_day = max(counts.last_day or day, day)


def charts_as_of(
    successes: list[int], responses: list[int], period_label: str, starts=None
) -> list[dict]:
    """For each period, the analysis of the series up to it: the p-chart centre line and
    that period's limits, and the run chart's Anhøj and IHI results about its median.

    `analysis.prefix_runs` gives every prefix's run chart in one pass each, so a series
    of n periods costs O(n²) simple steps rather than n whole charts. The plain-English
    explanations are written for the latest period only, from the whole charts.
    """
    percents = [s / n * 100 if n else None for s, n in zip(successes, responses, strict=True)]
    runs = analysis.prefix_runs(percents)
    charts = []
    total_s = total_n = 0
    for s, n, run in zip(successes, responses, runs, strict=True):
        total_s, total_n = total_s + s, total_n + n
        centre = total_s / total_n if total_n else None
        lcl = ucl = None
        if centre is not None and n:
            lcl, ucl = analysis.p_chart_limits(centre, n)
        charts.append(
            {
                "centre": centre,
                "lcl": lcl,
                "ucl": ucl,
                "outside_limits": lcl is not None and not lcl <= s / n <= ucl,
                "median": run.centre,
                "longest_run": run.longest_run,
                "longest_run_max": run.longest_run_max,
                "crossings": run.crossings,
                "crossings_min": run.crossings_min,
                "runs_signal": run.signal,
                "shift": run.shift,
                "trend": run.trend,
                "explanations": [],
            }
        )
    if charts:
        charts[-1]["explanations"] = explanations(
            successes, responses, percents, period_label, starts
        )
    return charts


def explanations(successes, responses, percents, period_label: str, starts=None) -> list[str]:
    """The signals in plain words; "Week 12 is …" becomes "The week of 2 March 2026 is …"."""
    p = analysis.p_chart(successes, responses)
    sentences = analysis.run_chart(percents).explanations(period_label) + [
        s for s in p.explanations(period_label) if "limit" in s.lower()
    ]
    return [_dated(s, starts, period_label) for s in sentences] if starts else sentences


def _dated(sentence: str, starts: list[dt.date], period_label: str) -> str:
    match = re.match(r"^(Week|Month) (\d+) ", sentence)
    if not match or not 0 < int(match.group(2)) <= len(starts):
        return sentence
    start = starts[int(match.group(2)) - 1]
    when = f"The week of {start:%-d %B %Y}" if period_label == "weeks" else f"{start:%B %Y}"
    return when + sentence[match.end() - 1 :]


def _summaries_for(
    always_event_id: int, measure_id: int, period: str, by_start: dict, now
) -> list[tuple]:
    """The rows of one series, as tuples in COPY_COLUMNS order."""
    starts = sorted(by_start)
    successes = [by_start[s].successes for s in starts]
    responses = [by_start[s].responses for s in starts]
    label = "weeks" if period == Frequency.WEEKLY else "months"
    charts = charts_as_of(successes, responses, label, starts)
    rows = []
    for start, chart in zip(starts, charts, strict=True):
        counts = by_start[start]
        low = high = percent = None
        if counts.responses:
            percent = counts.successes / counts.responses * 100
            interval = analysis.wilson_interval(counts.successes, counts.responses)
            low, high = interval[0] * 100, interval[1] * 100
        rows.append(
            (
                always_event_id, measure_id, period, start, counts.responses, counts.excluded,
                counts.successes, counts.options, percent, low, high, chart, now,
                counts.last_day,
            )
        )
    return rows


@transaction.atomic
def outcome_summaries_recompute(*, always_event_id: int) -> int:
    """Replaces the Always Event's outcome summaries. Returns the number of rows written.

    The Always Event's row is locked first, so two recomputes of one event run one after
    the other and the second sees the first's rows (no duplicate-key races).
    """
    if not AlwaysEvent.objects.filter(pk=always_event_id).exists():
        return 0
    measures = list(
        Measure.objects.filter(always_event_id=always_event_id, kind=Measure.Kind.OUTCOME)
    )
    return _replace(always_event_id, _series(always_event_id, measures))


COPY_COLUMNS = [
    "always_event_id", "measure_id", "period", "period_start", "responses", "excluded",
    "successes", "option_counts", "percent", "ci_low", "ci_high", "chart", "computed_at",
    "answers_through",
]
JSON_COLUMNS = {COPY_COLUMNS.index("option_counts"), COPY_COLUMNS.index("chart")}


def _insert(rows: list[tuple]) -> None:
    """On PostgreSQL, COPY: several times faster than INSERT for the nightly recompute."""
    if connection.vendor != "postgresql":
        OutcomeSummary.objects.bulk_create(
            [OutcomeSummary(**dict(zip(COPY_COLUMNS, row, strict=True))) for row in rows],
            batch_size=500,
        )
        return
    table = OutcomeSummary._meta.db_table
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN"  # noqa: S608
    ) as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(v) if i in JSON_COLUMNS else v for i, v in enumerate(row)]
            )


ALL_SQL = """
    SELECT a.always_event_id, a.question_id, a.option_id,
           a.responded_on - (extract(isodow FROM a.responded_on)::int - 1) AS week,
           date_trunc('month', a.responded_on::timestamp)::date AS month,
           count(*), max(a.responded_on)
    FROM evaluation_answer a
    WHERE a.question_id = ANY(%s) AND a.option_id IS NOT NULL
    GROUP BY GROUPING SETS (
        (a.always_event_id, a.question_id, a.option_id,
         a.responded_on - (extract(isodow FROM a.responded_on)::int - 1)),
        (a.always_event_id, a.question_id, a.option_id,
         date_trunc('month', a.responded_on::timestamp)::date)
    )
    ORDER BY a.always_event_id
"""


def outcome_summaries_recompute_all(*, progress=None) -> int:
    """Recomputes every Always Event's summaries: the nightly safety net and
    `recompute_summaries --all`. Returns the number of rows written.

    On PostgreSQL it is set-based: one streamed GROUP BY (weeks and months as grouping
    sets) over every outcome answer, ordered by Always Event, so each event's series is
    analysed as its rows arrive and memory stays flat. Each Always Event's rows are
    replaced in its own short transaction. Elsewhere it recomputes one event at a time.
    """
    if connection.vendor != "postgresql":
        written = 0
        ids = AlwaysEvent.objects.order_by("id").values_list("id", flat=True)
        for done, always_event_id in enumerate(ids, start=1):
            written += outcome_summaries_recompute(always_event_id=always_event_id)
            if progress:
                progress(done)
        return written
    question_measure = dict(
        Question.objects.filter(measure__kind=Measure.Kind.OUTCOME).values_list(
            "id", "measure_id"
        )
    )
    options = {o.id: o for o in Option.objects.filter(question_id__in=question_measure)}
    written = 0
    done: set[int] = set()
    batch: dict[int, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(ALL_SQL, [list(question_measure)])
        for event_id, rows in _by_event(cursor):
            series: dict = defaultdict(lambda: defaultdict(PeriodCounts))
            for _, question_id, option_id, week, month, n, last_day in rows:
                period, start = (
                    (Frequency.WEEKLY, week) if week is not None else (Frequency.MONTHLY, month)
                )
                counts = series[(question_measure[question_id], period)][start]
                _add(counts, options[option_id], n, last_day)
            batch[event_id] = series
            done.add(event_id)
            if len(batch) == REPLACE_BATCH:
                written += _replace_many(batch)
                batch = {}
                if progress:
                    progress(len(done))
        written += _replace_many(batch)
        if progress:
            progress(len(done))
    stale = OutcomeSummary.objects.exclude(always_event_id__in=done)
    stale.delete()  # Always Events whose answers are all gone
    return written


def _by_event(cursor, fetch: int = 5000):
    """Groups a cursor's rows (ordered by their first column) into (key, rows) runs."""
    current, rows = None, []
    while batch := cursor.fetchmany(fetch):
        for row in batch:
            if row[0] != current and rows:
                yield current, rows
                rows = []
            current = row[0]
            rows.append(row)
    if rows:
        yield current, rows


def _replace(always_event_id: int, series: dict) -> int:
    return _replace_many({always_event_id: series})


REPLACE_BATCH = 100  # Always Events whose rows are swapped in one transaction


@transaction.atomic
def _replace_many(series_by_event: dict[int, dict]) -> int:
    """Swaps in the events' new rows. Their Always Event rows are locked first (in id
    order), so two recomputes of one event run one after the other (no duplicate keys)."""
    if not series_by_event:
        return 0
    ids = sorted(series_by_event)
    list(AlwaysEvent.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    now = timezone.now()
    rows = [
        row
        for event_id in ids
        for (measure_id, period), by_start in series_by_event[event_id].items()
        for row in _summaries_for(event_id, measure_id, period, by_start, now)
    ]
    OutcomeSummary.objects.filter(always_event_id__in=ids).delete()
    _insert(rows)
    return len(rows)


def series_for_measure(measure: Measure, period: str) -> list[OutcomeSummary]:
    """The stored summaries of a measure in date order; computed on demand when the
    Always Event has answers but no summary yet (a new Always Event, or the worker has
    not run). Dashboards read only this, never the answers."""
    rows = list(
        OutcomeSummary.objects.filter(measure=measure, period=period).order_by("period_start")
    )
    if rows or not Answer.objects.filter(always_event_id=measure.always_event_id).exists():
        return rows
    outcome_summaries_recompute(always_event_id=measure.always_event_id)
    return list(
        OutcomeSummary.objects.filter(measure=measure, period=period).order_by("period_start")
    )
