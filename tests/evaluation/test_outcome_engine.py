"""The set-based engine (numpy, many series at once) must give exactly what the plain
one-series functions give: `charts_as_of`, `explanations` and `wilson_interval`."""

import datetime as dt
import math

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


@settings(max_examples=150, deadline=None)
@given(st.lists(weeks, min_size=1, max_size=4))
def test_every_row_matches_the_one_series_functions(events):
    columns = {k: [] for k in ("event", "question", "option", "week", "month", "n", "last")}
    expected = {}
    for event, points in enumerate(events, start=1):
        starts, successes, responses = [], [], []
        for i, (yes, no, dont_know, skip) in enumerate(points):
            if skip or not yes + no + dont_know:
                continue  # a week with no answers has no summary
            week = MONDAY_2000 + 7 * i
            for option, n in ((1, yes), (2, no), (3, dont_know)):
                if n:
                    for name, value in zip(
                        columns, (event, 10, option, week, 0, n, week), strict=True
                    ):
                        columns[name].append(value)
            starts.append(EPOCH_DATE + dt.timedelta(days=week))
            successes.append(yes)
            responses.append(yes + no)
        if starts:
            expected[event] = (starts, successes, responses)
    groups = Groups(**{k: np.array(v, dtype=np.int64) for k, v in columns.items()})

    summaries = summarise(groups, {10: 99}, OPTIONS)

    weekly = np.flatnonzero(summaries.kind == 0)
    for event, (starts, successes, responses) in expected.items():
        rows = weekly[summaries.event[weekly] == event]
        assert summaries.responses[rows].tolist() == responses
        reference = charts_as_of(successes, responses, "weeks", starts)
        for row, chart, s, n in zip(rows.tolist(), reference, successes, responses, strict=True):
            got = {name: _none(values[row].item()) for name, values in summaries.chart.items()}
            got["explanations"] = summaries.explanations.get(row, [])
            assert got == chart
            if n:
                low, high = wilson_interval(s, n)
                assert summaries.percent[row] == s / n * 100
                assert (summaries.ci_low[row], summaries.ci_high[row]) == (low * 100, high * 100)
            else:
                assert math.isnan(summaries.percent[row])
