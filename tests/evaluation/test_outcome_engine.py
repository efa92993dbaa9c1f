"""The set-based engine (numpy, many series at once) must give exactly what the plain
one-series functions give: `charts_as_of`, `explanations` and `wilson_interval`."""

import datetime as dt
import math
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.analysis import wilson_interval
from evaluation.models import Outcome
from evaluation.outcomes import EPOCH_DATE, MONDAY_2000, Groups, charts_as_of, summarise

OPTIONS = {
    1: (Outcome.SUCCESS, "Yes"),
    2: (Outcome.NOT_SUCCESS, "No"),
    3: (Outcome.EXCLUDED, "Don't know"),
}
weeks = st.lists(
    st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(0, 2), st.booleans()),
    min_size=1,
    max_size=40,
)


def _none(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return None if isinstance(value, int) and value < 0 else value


def _month(week: int) -> int:
    """The first day of the month of the week starting on day `week`, as days since EPOCH."""
    day = EPOCH_DATE + dt.timedelta(days=week)
    return (day.replace(day=1) - EPOCH_DATE).days


def _summarise(events) -> tuple:
    """Summaries of Always Events whose weeks (in a row from the first Monday of 2000) have
    the counts (yes, no, don't know, skipped) in `events`, and each event's expected
    (starts, successes, responses) by period: weeks and months."""
    columns = {k: [] for k in ("event", "question", "option", "week", "month", "n", "last")}
    expected = {}
    for event, points in enumerate(events, start=1):
        series = {"weeks": {}, "months": {}}
        for i, (yes, no, dont_know, skip) in enumerate(points):
            if skip or not yes + no + dont_know:
                continue  # a week with no answers has no summary
            week = MONDAY_2000 + 7 * i
            month = _month(week)
            for option, n in ((1, yes), (2, no), (3, dont_know)):
                if n:
                    for name, value in zip(
                        columns, (event, 10, option, week, month, n, week), strict=True
                    ):
                        columns[name].append(value)
            for label, start in (("weeks", week), ("months", month)):
                s, n = series[label].get(start, (0, 0))
                series[label][start] = (s + yes, n + yes + no)
        for label, periods in series.items():
            if periods:
                starts = [EPOCH_DATE + dt.timedelta(days=d) for d in sorted(periods)]
                successes = [periods[d][0] for d in sorted(periods)]
                responses = [periods[d][1] for d in sorted(periods)]
                expected[event, label] = (starts, successes, responses)
    groups = Groups(**{k: np.array(v, dtype=np.int64) for k, v in columns.items()})
    return summarise(groups, {10: 99}, OPTIONS), expected


def _check(summaries, expected) -> list[str]:
    """Asserts each row is what the one-series functions give; returns every sentence."""
    sentences = []
    for (event, label), (starts, successes, responses) in expected.items():
        rows = np.flatnonzero(
            (summaries.kind == ("weeks", "months").index(label)) & (summaries.event == event)
        )
        assert summaries.responses[rows].tolist() == responses
        reference = charts_as_of(successes, responses, label, starts)
        for row, chart, s, n in zip(rows.tolist(), reference, successes, responses, strict=True):
            got = {name: _none(values[row].item()) for name, values in summaries.chart.items()}
            got["explanations"] = summaries.explanations.get(row, [])
            assert got == chart
            sentences += chart["explanations"]
            if n:
                low, high = wilson_interval(s, n)
                assert summaries.percent[row] == s / n * 100
                assert (summaries.ci_low[row], summaries.ci_high[row]) == (low * 100, high * 100)
            else:
                assert math.isnan(summaries.percent[row])
    return sentences


@settings(max_examples=150, deadline=None)
@given(st.lists(weeks, min_size=1, max_size=4))
def test_every_row_matches_the_one_series_functions(events):
    _check(*_summarise(events))


def _weeks(percents, n=20):
    """Weeks with these percentages of yes out of `n` answers (and one don't know)."""
    return [(p * n // 100, n - p * n // 100, 1, False) for p in percents]


def test_every_kind_of_sentence_matches_the_one_series_functions():
    events = [
        _weeks([20] * 10 + [80] * 10 + [20] * 10),  # long runs, few crossings, shifts
        _weeks([10, 20, 30, 40, 50, 60, 70, 60, 50, 40, 30, 20, 10]),  # trends
        _weeks([50, 55] * 10 + [100] + [50, 55] * 5),  # an astronomical point
        _weeks([50] * 12 + [95] + [50] * 12, n=1000),  # outside the p chart's limits
        _weeks([40, 60, 45, 55, 50, 40, 60, 45, 55]),  # no signal
        [(3, 1, 0, False), (0, 0, 0, True), (0, 0, 4, False), (2, 2, 0, False)],  # gaps
    ]
    sentences = _check(*_summarise(events))

    for words in (
        "in a row above the median",
        "The line crosses the median only",
        "Shift: ",
        "Trend: ",
        "(an astronomical point)",
        "is outside the upper control limit",
        "No signal",
    ):
        assert any(words in sentence for sentence in sentences), words
    assert any(s.startswith("The week of ") for s in sentences)
    assert any(re.match(r"[A-Z][a-z]+ 2000 is", s) for s in sentences)  # a dated month
