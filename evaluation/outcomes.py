"""Outcome summaries: the figures dashboards and reports read (DESIGN §4 step 4, §5).

Every recompute, of one Always Event or of all of them, is set-based:

1. one GROUP BY in PostgreSQL counts the outcome answers per (Always Event, option,
   day), handed over as one bytea of fixed-width records read straight into numpy;
   numpy works out each day's week and month, and each option's question;
2. `summarise` rolls those up into weeks and months and gives each row a digest of
   what it is worked out from (`input_digests`: its series' counts up to it, and this
   code); the rows whose digest is stored are current (ADR 017), and only the others are
   analysed up to their period (p chart, Anhøj and IHI run-chart rules) with numpy, many
   at once (`analysis.runs_at`), with no Python object per answer group or period;
3. stored rows whose digest was not made again are deleted, and the analysed rows go
   back with one COPY straight into the table, their JSON written here exactly as
   PostgreSQL would have written it (ADR 016): the nightly run analyses and writes the
   rows whose answers changed.

The full recompute splits the Always Events in parts of at most EVENTS_PER_PART,
recomputed two at a time on two connections, so it uses both cores and its memory is
bounded by the part, not by the data. Each part's rows are replaced in one transaction,
so running it twice gives the same rows (and the second writes none).
`charts_as_of` and `explanations` are the plain one-series versions: the tests check the
engine against them. Elsewhere than PostgreSQL (SQLite for `make run`) the counts come
from the ORM and the rows are written with `bulk_create`.
"""

import datetime as dt
import hashlib
import json
import math
import platform
import re
import statistics
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from programmes.models import AlwaysEvent

from . import analysis
from .dashboard_lines import MONTHS_JUDGED, MonthFigures, lines_store, month_starts
from .models import Answer, Frequency, Measure, Option, Outcome, OutcomeSummary, Question


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


NUMBERED = re.compile(r"(Week|Month) (\d+) ")  # "Week 12 is …", to be dated


def _dated(sentence: str, starts: list[dt.date], period_label: str) -> str:
    match = NUMBERED.match(sentence)
    if not match or not 0 < int(match.group(2)) <= len(starts):
        return sentence
    return _when(starts[int(match.group(2)) - 1], period_label) + sentence[match.end() - 1 :]


def _when(start: dt.date, period_label: str) -> str:
    """The name of the period starting on `start` in a sentence."""
    return f"The week of {start:%-d %B %Y}" if period_label == "weeks" else f"{start:%B %Y}"


# --------------------------------------------------------------------------- the engine
# Answers grouped per (Always Event, question, option, week, month) go in; every summary
# row comes out as columns of numpy arrays, with no Python object per answer group or
# per period. Both the set-based full recompute and the one-event recompute use it.

EPOCH = np.datetime64("2000-01-01", "D")  # day 0 of the days counted in GROUPS_SQL
MONDAY_2000 = 2  # 2000-01-03, a Monday, as days since EPOCH
KINDS = (Frequency.WEEKLY, Frequency.MONTHLY)
# Rows × periods cells analysed at once by `analysis.runs_at`, about 60 bytes each
# (4 MB here): small enough that a part's analysis stays a few MB whatever the data,
# large enough that numpy's per-call overhead is lost in the work.
CHUNK_CELLS = 70_000


@dataclass
class Groups:
    """Answer counts per (event, question, option, week, month); dates as days since
    EPOCH. The same key may appear more than once (its counts add up)."""

    event: np.ndarray
    question: np.ndarray
    option: np.ndarray
    week: np.ndarray
    month: np.ndarray
    n: np.ndarray
    last: np.ndarray


@dataclass
class Summaries:
    """Every summary row as columns, ordered by kind, event, measure and start, so each
    series (event, measure, kind) is one contiguous stretch."""

    event: np.ndarray
    measure: np.ndarray
    kind: np.ndarray  # index into KINDS
    start: np.ndarray
    responses: np.ndarray
    excluded: np.ndarray
    successes: np.ndarray
    last: np.ndarray
    percent: np.ndarray  # NaN: no responses
    ci_low: np.ndarray
    ci_high: np.ndarray
    chart: dict[str, np.ndarray]  # centre, lcl, ucl (NaN = none), counts (-1 = none), flags
    option_counts: tuple[np.ndarray, np.ndarray, np.ndarray]  # (row, label index, n)
    labels: list[str]
    explanations: dict[int, list[str]]  # row of each series' latest period: its sentences
    digest: np.ndarray | None = None  # each row's `input_digests`, set by `summarise`
    analysed: np.ndarray | None = None  # rows whose chart and sentences `summarise` made

    def __len__(self) -> int:
        return len(self.event)


def _lookup(value, wanted: np.ndarray) -> np.ndarray:
    """value(w) for every w in wanted, vectorised: one call per distinct w, so the cost
    follows the part's answer groups, not every option of every Always Event."""
    distinct, inverse = np.unique(wanted, return_inverse=True)
    values = np.array([value(k) for k in distinct.tolist()], dtype=np.int64)
    return values[inverse.reshape(-1)]


def summarise(
    groups: Groups, question_measure: dict[int, int], options: dict, stored=None
) -> Summaries:
    """The summaries of every series in `groups`. `options` maps option id to
    (outcome, label). Every row gets its counts, percentage, interval and digest; the
    chart analysis and sentences are made for the rows whose digest is not in `stored`
    (the digests of the rows in the table: those are current), all when it is None.
    `analysed` marks them; the others' chart columns hold nothing."""
    # the labels of the options answered here, not of every option (a part is a few
    # Always Events of thousands); their order is the order of the counts' JSON keys
    labels = sorted({options[o][1] for o in np.unique(groups.option).tolist()})
    label_index = {label: i for i, label in enumerate(labels)}
    measure = _lookup(question_measure.__getitem__, groups.question)
    outcome = _lookup(lambda o: options[o][0], groups.option)
    label = _lookup(lambda o: label_index[options[o][1]], groups.option)
    parts = []
    for kind_index, start in enumerate((groups.week, groups.month)):
        order = np.lexsort((start, measure, groups.event))
        keys = np.stack([groups.event[order], measure[order], start[order]])
        new = np.ones(len(order), dtype=bool)
        new[1:] = (keys[:, 1:] != keys[:, :-1]).any(axis=0)
        period = np.cumsum(new) - 1
        firsts = np.flatnonzero(new)
        n = groups.n[order]
        o = outcome[order]

        size = len(firsts)

        def total(mask, n=n, period=period, size=size):
            return np.bincount(period[mask], n[mask], minlength=size).astype(np.int64)

        pair = period * len(labels) + label[order]
        pairs, inverse = np.unique(pair, return_inverse=True)
        parts.append(
            {
                "event": keys[0, firsts],
                "measure": keys[1, firsts],
                "kind": np.full(len(firsts), kind_index, dtype=np.int64),
                "start": keys[2, firsts],
                "successes": total(o == Outcome.SUCCESS),
                "not_successes": total(o == Outcome.NOT_SUCCESS),
                "excluded": total((o != Outcome.SUCCESS) & (o != Outcome.NOT_SUCCESS)),
                "last": np.maximum.reduceat(groups.last[order], firsts)
                if len(firsts)
                else np.zeros(0, dtype=np.int64),
                "option_counts": (
                    pairs // max(len(labels), 1),
                    pairs % max(len(labels), 1),
                    np.bincount(inverse, n, minlength=len(pairs)).astype(np.int64),
                ),
            }
        )
    offset = len(parts[0]["event"])
    columns = {
        name: np.concatenate([parts[0][name], parts[1][name]])
        for name in (
            "event",
            "measure",
            "kind",
            "start",
            "successes",
            "not_successes",
            "excluded",
            "last",
        )
    }
    option_counts = tuple(
        np.concatenate(
            [parts[0]["option_counts"][i], parts[1]["option_counts"][i] + (offset if i == 0 else 0)]
        )
        for i in range(3)
    )
    successes = columns["successes"]
    responses = successes + columns["not_successes"]
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = np.where(responses > 0, successes / responses * 100, np.nan)
    low, high = analysis.wilson_intervals(successes, responses)
    summaries = Summaries(
        event=columns["event"],
        measure=columns["measure"],
        kind=columns["kind"],
        start=columns["start"],
        responses=responses,
        excluded=columns["excluded"],
        successes=successes,
        last=columns["last"],
        percent=percent,
        ci_low=low * 100,
        ci_high=high * 100,
        chart={},
        option_counts=option_counts,
        labels=labels,
        explanations={},
    )
    summaries.digest = input_digests(summaries)
    summaries.analysed = (
        np.ones(len(summaries), dtype=bool)
        if stored is None
        else ~np.isin(summaries.digest, stored)
    )
    summaries.chart, summaries.explanations = _charts(
        columns, successes, responses, percent, summaries.analysed
    )
    return summaries


def _series_bounds(columns) -> tuple[np.ndarray, np.ndarray]:
    """Start row and length of each series (event, measure, kind)."""
    size = len(columns["event"])
    new = np.zeros(size, dtype=bool)
    new[:1] = True
    for name in ("event", "measure", "kind"):
        new[1:] |= columns[name][1:] != columns[name][:-1]
    firsts = np.flatnonzero(new)
    return firsts, np.diff(np.append(firsts, size))


def _charts(columns, successes, responses, percent, analysed):
    """The analysis of each series up to each `analysed` period (see `charts_as_of`),
    vectorised; the sentences of each series whose latest period is analysed."""
    size = len(successes)
    firsts, lengths = _series_bounds(columns)
    series = np.repeat(np.arange(len(firsts)), lengths)
    position = np.arange(size) - firsts[series]
    # p chart: centre of the series up to each period, and that period's limits
    total_s = _cumulative(successes, firsts, lengths)
    total_n = _cumulative(responses, firsts, lengths)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(total_n > 0, total_s / total_n, np.nan)
        lcl, ucl = analysis.p_chart_limits_arrays(centre, responses)
        fraction = successes / responses
    outside = ~np.isnan(lcl) & ~((lcl <= fraction) & (fraction <= ucl))
    chart = {"centre": centre, "lcl": lcl, "ucl": ucl, "outside_limits": outside}
    runs = {
        name: np.full(size, np.nan) if name == "centre" else np.zeros(size, dtype=np.int64)
        for name in (
            "centre",
            "n_useful",
            "longest_run",
            "longest_run_max",
            "crossings",
            "crossings_min",
            "signal",
            "shift",
            "trend",
        )
    }
    signals = []  # SIGNAL_COLUMNS of the whole series whose latest period is analysed
    # the analysed rows, shortest prefix first, so each chunk pads its rows little
    wanted = np.flatnonzero(analysed)
    wanted = wanted[np.argsort(position[wanted], kind="stable")]
    begin = 0
    while begin < len(wanted):
        end = min(begin + max(CHUNK_CELLS // int(position[wanted[begin]] + 1), 1), len(wanted))
        while end - begin > 1 and (end - begin) * int(position[wanted[end - 1]] + 1) > CHUNK_CELLS:
            end = begin + max(CHUNK_CELLS // int(position[wanted[end - 1]] + 1), 1)
        rows = wanted[begin:end]
        ends = position[rows]
        cells = firsts[series[rows]][:, None] + np.arange(int(ends[-1]) + 1)
        inside = cells <= rows[:, None]  # a prefix never looks past its own period
        values = np.where(inside, percent[np.where(inside, cells, 0)], np.nan)
        result = analysis.runs_at(values, ends)
        for name, array in result.items():
            runs[name][rows] = array
        latest = np.flatnonzero(ends == lengths[series[rows]] - 1)
        if len(latest):
            signals.append(
                _run_chart_signals(values[latest], result["centre"][latest], series[rows[latest]])
            )
        begin = end
    useful = runs["n_useful"] > 0
    for name in ("longest_run", "longest_run_max", "crossings", "crossings_min"):
        runs[name] = np.where(useful, runs[name], -1)
    chart.update(
        median=runs["centre"],
        longest_run=runs["longest_run"],
        longest_run_max=runs["longest_run_max"],
        crossings=runs["crossings"],
        crossings_min=runs["crossings_min"],
        runs_signal=runs["signal"].astype(bool),
        shift=runs["shift"].astype(bool),
        trend=runs["trend"].astype(bool),
    )
    explanations = _explanations(
        columns, firsts, lengths, series, signals, successes, responses, centre
    )
    return chart, explanations


EPOCH_DATE = dt.date(2000, 1, 1)


def _cumulative(values, firsts, lengths):
    """Running totals of `values` restarting at each series."""
    running = np.cumsum(values)
    before = np.repeat(running[firsts] - values[firsts], lengths)
    return running - before


# The kinds of sentence, in the order a series' sentences come (`explanations`): the run
# chart's (long runs, too few crossings, shifts, trends, astronomical points, or else
# that there is no signal), then the points outside the p chart's limits.
LONG_RUN, CROSSINGS, SHIFT, TREND, ASTRONOMICAL, NO_SIGNAL, OUTSIDE = range(7)
# One row per sentence: its series, its kind, its place among the series' sentences of
# that kind (first point of the run or trend, or the point), and its numbers: a run's or
# trend's points and direction; crossings, useful points and fewest crossings; a
# point's index and whether it is above the centre line.
SIGNAL_COLUMNS = ("series", "kind", "order", "a", "b", "c")


def _signals(series, kind, order, a=None, b=None, c=None) -> np.ndarray:
    size = len(series)
    zero = np.zeros(size, dtype=np.int64)
    columns = [series, np.full(size, kind), order, *(zero if x is None else x for x in (a, b, c))]
    return np.stack([np.asarray(x, dtype=np.int64) for x in columns])


def _run_chart_signals(values, centre, series) -> np.ndarray:
    """What `analysis.run_chart` finds in each whole series, for many series at once, as
    SIGNAL_COLUMNS: `values` holds the series `series` (NaN after each one's end),
    `centre` their medians. A series with nothing to say gets NO_SIGNAL."""
    with np.errstate(invalid="ignore"):
        sides = (values > centre[:, None]).astype(np.int8) - (values < centre[:, None])
    useful = np.count_nonzero(sides, axis=1)
    row, first, _, n_points, direction = analysis.episodes(sides.astype(np.int8))
    longest_max, crossings_min = (
        table[useful] for table in analysis.limit_tables(int(useful.max(initial=0)))
    )
    crossings = np.maximum(np.bincount(row, minlength=len(series)) - 1, 0)
    long = n_points > longest_max[row]  # a series with a run has useful points
    few = (useful > 0) & (crossings < crossings_min)
    shift = n_points >= analysis.IHI_SHIFT_POINTS
    t_row, t_first, _, t_steps, t_direction = analysis.episodes(analysis.trend_steps(values))
    trend = t_steps + 1 >= analysis.IHI_TREND_POINTS  # a trend's points are its steps + 1
    # astronomical points: outside the median ± 3 × mean moving range / d2, the moving
    # ranges joining successive present points, averaged with `statistics.fmean` (as the
    # one-series rule does) so the limits are the same to the last bit
    previous = analysis.previous_values(values)
    joined = ~np.isnan(values) & ~np.isnan(previous)
    ranges = np.abs(values - previous)[joined]
    counts = np.count_nonzero(joined, axis=1)
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    flat = ranges.tolist()
    pairs = zip(bounds[:-1], bounds[1:], strict=True)
    mean_range = np.array([statistics.fmean(flat[i:j]) if j > i else np.nan for i, j in pairs])
    spread = 3 * mean_range / analysis.D2
    with np.errstate(invalid="ignore"):
        low, high = centre - spread, centre + spread
        astronomical = (values < low[:, None]) | (values > high[:, None])
        a_row, a_point = np.nonzero(astronomical)
        a_high = values[a_row, a_point] > centre[a_row]
    found = [  # (rows of `series`, kind, order, numbers)
        (row[long], LONG_RUN, first[long], n_points[long], direction[long]),
        (np.flatnonzero(few), CROSSINGS, 0, crossings[few], useful[few], crossings_min[few]),
        (row[shift], SHIFT, first[shift], n_points[shift], direction[shift]),
        (t_row[trend], TREND, t_first[trend], t_steps[trend] + 1, t_direction[trend]),
        (a_row, ASTRONOMICAL, a_point, a_point, a_high),
    ]
    said = np.zeros(len(series), dtype=bool)
    for rows, *_ in found:
        said[rows] = True
    found.append((np.flatnonzero(~said), NO_SIGNAL, 0))
    parts = [
        _signals(series[rows], kind, np.broadcast_to(order, len(rows)), *numbers)
        for rows, kind, order, *numbers in found
    ]
    return np.concatenate(parts, axis=1)


def _explanations(columns, firsts, lengths, series, signals, successes, responses, centre):
    """The sentences of each series' latest period, as `explanations` writes them: the
    whole run chart's (`signals`, SIGNAL_COLUMNS of the series to explain), then the
    points outside the whole p chart's limits (`series`: each row's series). Only the
    words are made one at a time."""
    signals = np.concatenate(signals, axis=1) if signals else _signals(*[np.zeros(0)] * 3)
    explained = np.zeros(len(firsts), dtype=bool)
    explained[signals[0]] = True
    last_rows = firsts + lengths - 1
    final_centre = np.repeat(centre[last_rows], lengths)
    lcl, ucl = analysis.p_chart_limits_arrays(final_centre, responses)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = successes / responses
        outside = np.flatnonzero(((fraction < lcl) | (fraction > ucl)) & explained[series])
    point = outside - firsts[series[outside]]
    above = fraction[outside] > final_centre[outside]
    signals = np.concatenate([signals, _signals(series[outside], OUTSIDE, point, point, above)], 1)
    signals = signals[:, np.lexsort((signals[2], signals[1], signals[0]))]
    of_series, kinds, numbers = signals[0], signals[1], signals[3:]
    first = firsts[of_series]
    point = (kinds == ASTRONOMICAL) | (kinds == OUTSIDE)
    columns_of_sentences = (
        last_rows[of_series],
        kinds,
        *numbers,
        columns["kind"][first] == 0,
        np.where(point, columns["start"][first + np.where(point, numbers[0], 0)], -1),
    )
    names: dict[tuple[int, bool], str] = {}  # (day, weekly): "The week of 2 March 2026"
    explanations: dict[int, list[str]] = {}
    for row, kind, a, b, c, weekly, day in zip(
        *(x.tolist() for x in columns_of_sentences), strict=True
    ):
        label = "weeks" if weekly else "months"
        if kind == LONG_RUN:
            sentence = analysis.long_run_sentence(a, b, label, "median")
        elif kind == CROSSINGS:
            sentence = analysis.crossings_sentence(a, b, c, label, "median")
        elif kind == SHIFT:
            sentence = analysis.shift_sentence(a, b, label)
        elif kind == TREND:
            sentence = analysis.trend_sentence(a, b, label)
        elif kind == NO_SIGNAL:
            sentence = analysis.no_signal_sentence()
        else:
            when = names.get((day, weekly))
            if when is None:
                when = names[day, weekly] = _when(EPOCH_DATE + dt.timedelta(days=day), label)
            if kind == ASTRONOMICAL:
                sentence = analysis.astronomical_sentence(a, bool(b), label, when)
            else:
                sentence = analysis.outside_sentence(a, bool(b), label, when)
        explanations.setdefault(row, []).append(sentence)
    return explanations


# --------------------------------------------------------------------------- digests

# splitmix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number
# generators", OOPSLA 2014): every input bit changes about half the output bits.
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STEP = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


def _text_digest(text: str) -> int:
    """A 64-bit hash of `text` that is the same in every process (unlike `hash`)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def code_digest(parts: list[bytes]) -> int:
    """A 64-bit hash of the code that works a row out (see CODE_DIGEST)."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return int.from_bytes(digest.digest(), "little")


# The code that works a summary row out from its counts and writes it: this module, the
# analysis library, the numpy and Python that run them and the periods' names. Part of
# every row's digest, so after any change to them (a new release) no stored row matches,
# and the next recompute analyses and writes every row again (ADR 017).
CODE_DIGEST = code_digest(
    [
        Path(__file__).read_bytes(),
        Path(analysis.__file__).read_bytes(),
        f"numpy {np.__version__}, Python {platform.python_version()}".encode(),
        ",".join(KINDS).encode(),
    ]
)


def _bits(values: np.ndarray) -> np.ndarray:
    """The column's values as 64-bit words; every NaN the same word."""
    if values.dtype.kind == "f":
        return np.where(np.isnan(values), np.nan, values).astype(np.float64).view(np.uint64)
    return values.astype(np.int64).view(np.uint64)


def input_digests(summaries: Summaries, code: int | None = None) -> np.ndarray:
    """A 64-bit hash of everything each row is worked out from: its key, the counts of
    every period of its series up to it (start, responses, successes, excluded, latest
    answer, counts per option with their labels), whether it is its series' latest period
    (which alone carries sentences), and the code (CODE_DIGEST, or `code`). Two rows with
    the same digest are worked out the same, so a stored row whose digest the recompute
    makes again is current, and is neither analysed nor written again (ADR 017). Worked
    out with numpy from the counts, before any analysis; as int64, as PostgreSQL's
    bigint holds them."""
    size = len(summaries)
    code = np.uint64(CODE_DIGEST if code is None else code)
    firsts, lengths = _series_bounds(
        {"event": summaries.event, "measure": summaries.measure, "kind": summaries.kind}
    )
    series = np.repeat(np.arange(len(firsts)), lengths)
    position = np.arange(size) - firsts[series]
    # each period's own counts, with its place in the series
    period = np.full(size, code, dtype=np.uint64)
    for values in (
        position, summaries.start, summaries.responses, summaries.successes,
        summaries.excluded, summaries.last,
    ):
        period = _mix(period * _STEP + _bits(values))
    # counts per option: a sum over the row's (label, count) pairs, so their order is moot
    rows, label, n = summaries.option_counts
    labels = np.array([_text_digest(text) for text in summaries.labels], dtype=np.uint64)
    options = np.zeros(size, dtype=np.uint64)
    np.add.at(options, rows, _mix(labels[label] * _STEP + _bits(n)))
    period = _mix(period * _STEP + options)
    # the periods up to each row: a running sum (modulo 2⁶⁴) of their hashes, which carry
    # their places, so it is one cumulative sum however long the series
    upto = _cumulative(period, firsts, lengths)
    digest = np.full(size, code, dtype=np.uint64)
    latest = position == lengths[series] - 1
    for values in (summaries.event, summaries.measure, summaries.kind, latest, upto):
        digest = _mix(digest * _STEP + _bits(values))
    return digest.view(np.int64)


# --------------------------------------------------------------------------- reading

WEEK_SQL = "a.responded_on - ((a.responded_on - DATE '2000-01-03') % 7 + 7) % 7"  # Monday
# Answer counts per (Always Event, option, day), handed over as one bytea of fixed-width
# records and read straight into a numpy array (`_packed`), so no Python object is made
# per group. The option gives the question; weeks and months are worked out from the day
# with numpy, so PostgreSQL only hashes three plain columns per answer. Each outcome
# question is joined to its Always Event's answers on (Always Event, question), the head
# of the covering index, so every question is one index-only range of exactly its
# answers: no heap pages, and no answers of other questions read and thrown away. (A
# question feeds a measure of its own form's Always Event, and an answer belongs to its
# form's Always Event: services.py checks the first, the response the second.) Measured
# on a part of 25 Always Events of the national data: 15 ms, against 40 ms for a bitmap
# scan of the question index over the heap.
GROUPS_SQL = """
    SELECT string_agg(
        int8send(event) || int8send(option) || int4send(day) || int4send(n), ''::bytea
    )
    FROM (
        SELECT a.always_event_id AS event, a.option_id AS option,
               a.responded_on - DATE '2000-01-01' AS day, count(*)::int4 AS n
        FROM evaluation_question q
        JOIN evaluation_measure m ON m.id = q.measure_id
        JOIN evaluation_answer a
          ON a.always_event_id = m.always_event_id AND a.question_id = q.id
        WHERE m.kind = 'outcome' AND a.option_id IS NOT NULL {events}
        GROUP BY 1, 2, 3
    ) groups
"""
GROUPS_RECORD = np.dtype([("event", ">i8"), ("option", ">i8"), ("day", ">i4"), ("n", ">i4")])


def _outcome_questions(always_event_id: int | None = None):
    """{question id: measure id} of the outcome measures, and {option id: (outcome,
    label, question id)} of their options."""
    questions = Question.objects.filter(measure__kind=Measure.Kind.OUTCOME)
    if always_event_id is not None:
        questions = questions.filter(measure__always_event_id=always_event_id)
    question_measure = dict(questions.values_list("id", "measure_id"))
    options = {
        o_id: (outcome, label, question)
        for o_id, outcome, label, question in Option.objects.filter(
            question_id__in=question_measure
        ).values_list("id", "outcome", "label", "question_id")
    }
    return question_measure, options


def _from_days(event, option, day, n, options) -> Groups:
    """Groups from counts per (event, option, day): each day's week (its Monday) and
    month (its 1st), and the option's question."""
    known = np.isin(option, np.fromiter(options, dtype=np.int64, count=len(options)))
    if not known.all():  # an option added since `options` was read
        event, option, day, n = event[known], option[known], day[known], n[known]
    month = ((EPOCH + day).astype("datetime64[M]").astype("datetime64[D]") - EPOCH).astype(np.int64)
    return Groups(
        event=event,
        question=_lookup(lambda o: options[o][2], option),
        option=option,
        week=day - (day - MONDAY_2000) % 7,
        month=month,
        n=n,
        last=day,
    )


def _packed(sql: str, params, record: np.dtype) -> np.ndarray:
    """The records of a query whose one value is a bytea of fixed-width records (a
    `string_agg` of `int8send` and `int4send`), as a numpy array. One value for the whole
    result: a COPY or a cursor hands rows over one at a time, each costing a few
    microseconds of Python, which at 450,000 groups a fifth of the national data was a
    sixth of the nightly run."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchone()[0]
    return np.frombuffer(data or b"", dtype=record)


def _groups_postgresql(options, first: int | None, last: int | None) -> Groups:
    """The counts of the outcome answers of Always Events `first` to `last` (all when
    None), by event, option and day, read as one value."""
    events = "" if first is None else f"AND m.always_event_id BETWEEN {int(first)} AND {int(last)}"
    rows = _packed(GROUPS_SQL.format(events=events), None, GROUPS_RECORD)
    return _from_days(
        rows["event"].astype(np.int64),
        rows["option"].astype(np.int64),
        rows["day"].astype(np.int64),
        rows["n"].astype(np.int64),
        options,
    )


def _groups_orm(options, always_event_id: int | None) -> Groups:
    """The same counts through the ORM (databases other than PostgreSQL)."""
    answers = Answer.objects.filter(option_id__in=options)
    if always_event_id is not None:
        answers = answers.filter(always_event_id=always_event_id)
    rows = list(
        answers.values_list("always_event_id", "option_id", "responded_on")
        .annotate(n=Count("*"))
        .order_by()
    )
    return _from_days(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([(r[2] - EPOCH_DATE).days for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=np.int64),
        options,
    )


# --------------------------------------------------------------------------- writing

STAGE_COLUMNS = [  # (name, PostgreSQL type): the row's fixed-width figures
    ("event", "int8"),
    ("measure", "int8"),
    ("kind", "int2"),
    ("start", "date"),
    ("responses", "int4"),
    ("excluded", "int4"),
    ("successes", "int4"),
    ("through", "date"),
    ("percent", "float8"),
    ("ci_low", "float8"),
    ("ci_high", "float8"),
    ("centre", "float8"),
    ("lcl", "float8"),
    ("ucl", "float8"),
    ("outside_limits", "bool"),
    ("median", "float8"),
    ("longest_run", "int4"),
    ("longest_run_max", "int4"),
    ("crossings", "int4"),
    ("crossings_min", "int4"),
    ("runs_signal", "bool"),
    ("shift", "bool"),
    ("trend", "bool"),
]
CHART_FLOATS = ("centre", "lcl", "ucl", "median")
CHART_COUNTS = ("longest_run", "longest_run_max", "crossings", "crossings_min")
CHART_FLAGS = ("outside_limits", "runs_signal", "shift", "trend")
COPY_SQL = """
    COPY evaluation_outcomesummary
        (always_event_id, measure_id, period, period_start, responses, excluded, successes,
         option_counts, percent, ci_low, ci_high, chart, computed_at, answers_through, digest)
    FROM STDIN
"""


def _stage_columns(summaries: Summaries) -> dict[str, np.ndarray]:
    chart = summaries.chart
    return {
        "event": summaries.event,
        "measure": summaries.measure,
        "kind": summaries.kind,
        "start": summaries.start,
        "responses": summaries.responses,
        "excluded": summaries.excluded,
        "successes": summaries.successes,
        "through": summaries.last,
        "percent": summaries.percent,
        "ci_low": summaries.ci_low,
        "ci_high": summaries.ci_high,
        **{name: chart[name] for name in CHART_FLOATS + CHART_COUNTS + CHART_FLAGS},
    }


def _json_floats(values: np.ndarray, null: str = "null") -> list[str]:
    """JSON numbers as PostgreSQL writes a float8 into jsonb (shortest round-trip digits,
    whole numbers without ".0"), `null` for NaN: what readers got when the database built
    the JSON. The digits come from the json module's C encoder (float repr) in one call."""
    text = json.dumps(values.tolist())[1:-1].split(", ") if len(values) else []
    with np.errstate(invalid="ignore"):
        whole = np.flatnonzero((values == np.trunc(values)) & (np.abs(values) < 1e15))
    for i, v in zip(whole.tolist(), values[whole].astype(np.int64).tolist(), strict=True):
        text[i] = str(v)
    for i in np.flatnonzero(np.isnan(values)).tolist():
        text[i] = null
    return text


def _copy_text(value: str) -> str:
    """A value for COPY's text format (JSON text has no raw tabs or newlines)."""
    return value.replace("\\", "\\\\")


def _copy_rows(summaries: Summaries, now) -> str:
    """Every summary row as COPY text, the JSON columns built here."""
    size = len(summaries)
    columns = _stage_columns(summaries)
    chart = summaries.chart
    floats = {name: _json_floats(chart[name]) for name in CHART_FLOATS}
    counts = {
        name: ["null" if v < 0 else str(v) for v in chart[name].tolist()] for name in CHART_COUNTS
    }
    flags = {name: ["true" if v else "false" for v in chart[name].tolist()] for name in CHART_FLAGS}
    explanations = ["[]"] * size
    for i, sentences in summaries.explanations.items():
        explanations[i] = _copy_text(json.dumps(sentences))
    labels = [_copy_text(json.dumps(label)) for label in summaries.labels]
    option_counts = ["{}"] * size
    rows, label_index, n = (a.tolist() for a in summaries.option_counts)
    bounds = [0, *(np.flatnonzero(np.diff(summaries.option_counts[0])) + 1).tolist(), len(rows)]
    for begin, end in zip(bounds[:-1], bounds[1:], strict=True):
        if begin < end:
            pairs = (f"{labels[label_index[i]]}: {n[i]}" for i in range(begin, end))
            option_counts[rows[begin]] = "{" + ", ".join(pairs) + "}"

    def dates(days):
        return np.datetime_as_string(EPOCH + days).tolist()

    def reals(values):
        text = json.dumps(values.tolist())[1:-1].split(", ") if len(values) else []
        for i in np.flatnonzero(np.isnan(values)).tolist():
            text[i] = "\\N"
        return text

    stamp = now.isoformat()
    kinds = [KINDS[k] for k in columns["kind"].tolist()]
    lines = [
        f"{e}\t{m}\t{k}\t{start}\t{r}\t{x}\t{s}\t{o}\t{p}\t{lo}\t{hi}\t"
        f'{{"centre": {c}, "lcl": {lcl}, "ucl": {ucl}, "median": {med}, '
        f'"longest_run": {lr}, "longest_run_max": {lrm}, "crossings": {cr}, '
        f'"crossings_min": {crm}, "outside_limits": {ol}, "runs_signal": {rs}, '
        f'"shift": {sh}, "trend": {tr}, "explanations": {ex}}}\t{stamp}\t{through}\t{d}\n'
        for (
            e,
            m,
            k,
            start,
            r,
            x,
            s,
            o,
            p,
            lo,
            hi,
            c,
            lcl,
            ucl,
            med,
            lr,
            lrm,
            cr,
            crm,
            ol,
            rs,
            sh,
            tr,
            ex,
            through,
            d,
        ) in zip(
            columns["event"].tolist(),
            columns["measure"].tolist(),
            kinds,
            dates(columns["start"]),
            columns["responses"].tolist(),
            columns["excluded"].tolist(),
            columns["successes"].tolist(),
            option_counts,
            reals(columns["percent"]),
            reals(columns["ci_low"]),
            reals(columns["ci_high"]),
            *(floats[name] for name in CHART_FLOATS),
            *(counts[name] for name in CHART_COUNTS),
            *(flags[name] for name in CHART_FLAGS),
            explanations,
            dates(columns["through"]),
            summaries.digest.tolist(),
            strict=True,
        )
    ]
    return "".join(lines)


COPY_ROWS = 1000  # summary rows turned into COPY text at once (about 0.5 MB)


def _take(summaries: Summaries, rows: np.ndarray) -> Summaries:
    """The rows `rows` (row numbers in increasing order) of `summaries`, numbered from 0."""
    if len(rows) == len(summaries):
        return summaries
    number = np.full(len(summaries), -1, dtype=np.int64)
    number[rows] = np.arange(len(rows))
    row, label, n = summaries.option_counts
    kept = number[row] >= 0
    columns = {
        field.name: getattr(summaries, field.name)[rows]
        for field in fields(Summaries)
        if isinstance(getattr(summaries, field.name), np.ndarray)
    }
    return Summaries(
        **columns,
        chart={name: values[rows] for name, values in summaries.chart.items()},
        option_counts=(number[row[kept]], label[kept], n[kept]),
        labels=summaries.labels,
        explanations={
            int(number[i]): sentences
            for i, sentences in summaries.explanations.items()
            if number[i] >= 0
        },
    )


def _write_postgresql(summaries: Summaries, now) -> None:
    """One COPY straight into the table: no staging, no JSON built by the database. The
    text is made and sent COPY_ROWS rows at a time, so it never holds a part's rows."""
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_SQL) as copy:
        for begin in range(0, len(summaries), COPY_ROWS):
            rows = np.arange(begin, min(begin + COPY_ROWS, len(summaries)))
            copy.write(_copy_rows(_take(summaries, rows), now))


def _nan_to_none(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def _write_orm(summaries: Summaries, now) -> None:
    """`bulk_create` of the same rows (databases other than PostgreSQL)."""
    columns = {name: values.tolist() for name, values in _stage_columns(summaries).items()}
    option_counts: list[dict] = [{} for _ in range(len(summaries))]
    for i, label, n in zip(*(a.tolist() for a in summaries.option_counts), strict=True):
        option_counts[i][summaries.labels[label]] = n
    digests = summaries.digest.tolist()
    objects = []
    for i in range(len(summaries)):
        chart = {name: _nan_to_none(columns[name][i]) for name in CHART_FLOATS}
        chart |= {name: None if columns[name][i] < 0 else columns[name][i] for name in CHART_COUNTS}
        chart |= {name: bool(columns[name][i]) for name in CHART_FLAGS}
        chart["explanations"] = summaries.explanations.get(i, [])
        objects.append(
            OutcomeSummary(
                always_event_id=columns["event"][i],
                measure_id=columns["measure"][i],
                period=KINDS[columns["kind"][i]],
                period_start=EPOCH_DATE + dt.timedelta(days=columns["start"][i]),
                responses=columns["responses"][i],
                excluded=columns["excluded"][i],
                successes=columns["successes"][i],
                option_counts=option_counts[i],
                percent=_nan_to_none(columns["percent"][i]),
                ci_low=_nan_to_none(columns["ci_low"][i]),
                ci_high=_nan_to_none(columns["ci_high"][i]),
                chart=chart,
                computed_at=now,
                answers_through=EPOCH_DATE + dt.timedelta(days=columns["through"][i]),
                digest=digests[i],
            )
        )
    OutcomeSummary.objects.bulk_create(objects, batch_size=500)


# --------------------------------------------------------------------------- recomputing


def _monthly_figures(summaries: Summaries, today: dt.date) -> dict[int, list[MonthFigures]]:
    """Each measure's months of the MONTHS_JUDGED up to today's, in date order, from the
    rows the recompute has just written: what `lines_store` would read back."""
    since = (month_starts(today, MONTHS_JUDGED)[0] - EPOCH_DATE).days
    until = (today - EPOCH_DATE).days
    kind = KINDS.index(Frequency.MONTHLY)
    rows = np.flatnonzero(
        (summaries.kind == kind) & (summaries.start >= since) & (summaries.start <= until)
    )
    days = set(summaries.start[rows].tolist())
    dates = {day: EPOCH_DATE + dt.timedelta(days=day) for day in days}
    monthly: dict[int, list[MonthFigures]] = {}
    for measure, start, responses, successes, percent in zip(
        summaries.measure[rows].tolist(),
        summaries.start[rows].tolist(),
        summaries.responses[rows].tolist(),
        summaries.successes[rows].tolist(),
        summaries.percent[rows].tolist(),
        strict=True,
    ):
        monthly.setdefault(measure, []).append(
            MonthFigures(dates[start], responses, successes, _nan_to_none(percent))
        )
    return monthly



STORED_SQL = """
    SELECT string_agg(int8send(id) || int8send(digest), ''::bytea)
    FROM evaluation_outcomesummary WHERE always_event_id BETWEEN %s AND %s
"""
STORED_RECORD = np.dtype([("id", ">i8"), ("digest", ">i8")])
DELETE_SQL = "DELETE FROM evaluation_outcomesummary WHERE id = ANY(%s)"
DELETE_ROWS = 10_000  # ids a statement elsewhere than PostgreSQL


def _stored(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """The ids and digests of the stored summaries of Always Events `first` to `last`."""
    if connection.vendor == "postgresql":
        rows = _packed(STORED_SQL, [first, last], STORED_RECORD)
        return rows["id"].astype(np.int64), rows["digest"].astype(np.int64)
    pairs = list(
        OutcomeSummary.objects.filter(always_event_id__gte=first, always_event_id__lte=last)
        .values_list("id", "digest")
    )
    return (
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
    )


def _delete(ids: np.ndarray) -> None:
    if not len(ids):
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(DELETE_SQL, [ids.tolist()])
        return
    for begin in range(0, len(ids), DELETE_ROWS):
        OutcomeSummary.objects.filter(pk__in=ids[begin : begin + DELETE_ROWS].tolist()).delete()


def _recompute(question_measure, options, event_ids: list[int], one_event: bool) -> int:
    """Recomputes the summaries of `event_ids` (sorted), and the dashboard lines of their
    outcome measures (dashboard_lines.py), in one transaction. Their Always
    Event rows are locked first, in id order, so two recomputes of one event run one
    after the other and the second sees the first's rows (no duplicate keys).

    Every answer is counted again and every row's digest made from the counts
    (`input_digests`); the stored rows whose digest the recompute did not make are
    deleted, and only the rows whose digest is not stored are analysed and written (ADR
    016, 017). The result is the same as replacing every row, but the nightly run, where
    a day's answers change a few periods of each series, analyses and writes only those.
    Returns the number of rows written."""
    if not event_ids:
        return 0
    first, last = event_ids[0], event_ids[-1]
    with transaction.atomic():
        list(
            AlwaysEvent.objects.select_for_update()
            .filter(pk__gte=first, pk__lte=last)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")  # one hash table, no spill
            groups = _groups_postgresql(options, first, last)
        else:
            groups = _groups_orm(options, first if one_event else None)
            keep = (groups.event >= first) & (groups.event <= last)
            groups = Groups(**{k: v[keep] for k, v in vars(groups).items()})
        stored_ids, stored_digests = _stored(first, last)
        summaries = summarise(groups, question_measure, options, stored=stored_digests)
        del groups
        _delete(stored_ids[~np.isin(stored_digests, summaries.digest)])
        changed = _take(summaries, np.flatnonzero(summaries.analysed))
        now = timezone.now()
        if len(changed):
            if connection.vendor == "postgresql":
                _write_postgresql(changed, now)
            else:
                _write_orm(changed, now)
        today = timezone.localdate()
        lines_store(
            first_event=first, last_event=last, monthly=_monthly_figures(summaries, today),
            today=today,
        )
    return len(changed)


def outcome_summaries_recompute(*, always_event_id: int) -> int:
    """Recomputes the Always Event's outcome summaries, writing the rows that changed.
    Returns the number of rows written."""
    if not AlwaysEvent.objects.filter(pk=always_event_id).exists():
        return 0
    question_measure, options = _outcome_questions(always_event_id)
    return _recompute(question_measure, options, [always_event_id], one_event=True)


WORKERS = 2  # Always Events recomputed side by side, each part on its own connection
PARTS_PER_WORKER = 4  # smaller parts: one part's counting overlaps another's analysis
# At most this many Always Events a part: a part's memory (its answer counts by option
# and day, and its summary rows with their analysis) grows with its Always Events, so
# the cap keeps the worker's memory about the same at 200 or 5,000 Always Events. Each
# part also costs about ten queries, a commit and a few hundred numpy calls on small
# arrays: at 25 a part, the national size's 200 parts spent a sixth of the nightly run
# on that; at 50, 7 MB more at the peak (benchmarks.md).
EVENTS_PER_PART = 50


def _recompute_part(question_measure, options, event_ids: list[int]) -> int:
    """`_recompute` on this thread's own connection, closed when done."""
    try:
        return _recompute(question_measure, options, event_ids, one_event=False)
    finally:
        connection.close()


def outcome_summaries_recompute_all(*, progress=None, workers: int = WORKERS) -> int:
    """Recomputes every Always Event's summaries: the nightly safety net and
    `recompute_summaries --all`. Returns the number of rows written (those that changed).

    Set-based: the Always Events are split by id in parts, each counted with one GROUP
    BY, analysed with numpy and swapped in with one COPY in a transaction of its own.
    Summaries of Always Events left with no answers are deleted too.

    There are `workers` × PARTS_PER_WORKER parts, or more when that would put more than
    EVENTS_PER_PART Always Events in one (memory is bounded by the part, not by the
    data), recomputed `workers` at a time by threads on their own connections:
    PostgreSQL counts, parses and indexes one part while Python analyses another, so the
    recompute uses more than one core. Inside a caller's transaction (whose uncommitted
    rows other connections cannot see) or elsewhere than PostgreSQL, the parts run one
    after the other on the caller's connection.
    """
    question_measure, options = _outcome_questions()
    ids = list(AlwaysEvent.objects.order_by("pk").values_list("pk", flat=True))
    size = max(min(-(-len(ids) // (max(workers, 1) * PARTS_PER_WORKER)), EVENTS_PER_PART), 1)
    parts = [ids[i : i + size] for i in range(0, len(ids), size)]
    side_by_side = (
        workers > 1 and len(parts) > 1 and connection.vendor == "postgresql"
    ) and not connection.in_atomic_block
    written = done = 0
    if not side_by_side:
        for part in parts:
            written += _recompute(question_measure, options, part, one_event=False)
            done += len(part)
            if progress:
                progress(done)
        return written
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(_recompute_part, question_measure, options, part): len(part)
            for part in parts
        }
        for future in as_completed(futures):
            written += future.result()
            done += futures[future]
            if progress:
                progress(done)
    return written


def series_for_measure(
    measure: Measure, period: str, *, since: dt.date | None = None
) -> list[OutcomeSummary]:
    """The stored summaries of a measure in date order (from `since`, when given);
    computed on demand when the Always Event has answers but no summary yet (a new
    Always Event, or the worker has not run). Dashboards read only this, never the
    answers."""
    summaries = OutcomeSummary.objects.filter(measure=measure, period=period)
    window = summaries.filter(period_start__gte=since) if since else summaries
    rows = list(window.order_by("period_start"))
    if rows or (since and summaries.exists()):
        return rows
    if not Answer.objects.filter(always_event_id=measure.always_event_id).exists():
        return rows
    outcome_summaries_recompute(always_event_id=measure.always_event_id)
    return list(window.order_by("period_start"))
