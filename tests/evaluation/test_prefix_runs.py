"""prefix_runs must give, for every prefix, exactly what run_chart gives for it; runs_at
must give, for the prefixes it is asked for, exactly what prefix_runs_arrays gives."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.analysis import (
    prefix_runs,
    prefix_runs_arrays,
    run_chart,
    runs_analysis,
    runs_at,
)

values = st.lists(
    st.one_of(st.none(), st.integers(0, 6).map(float), st.floats(0, 100, allow_nan=False)),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_every_prefix_matches_run_chart(series):
    for k, prefix in enumerate(prefix_runs(series)):
        chart = run_chart(series[: k + 1])
        assert prefix.centre == chart.centre
        assert prefix.n_useful == chart.n_useful
        assert prefix.longest_run == chart.longest_run
        assert prefix.longest_run_max == chart.longest_run_max
        assert prefix.crossings == chart.crossings
        assert prefix.crossings_min == chart.crossings_min
        assert prefix.signal == chart.signal
        assert prefix.shift == chart.shift[k]
        assert prefix.trend == chart.trend[k]


@settings(max_examples=200, deadline=None)
@given(values, st.floats(0, 100, allow_nan=False))
def test_every_prefix_matches_runs_analysis_around_a_given_centre(series, centre):
    centres = [centre] * len(series)
    for k, prefix in enumerate(prefix_runs(series, centres)):
        runs = runs_analysis(series[: k + 1], centre)
        assert (prefix.longest_run, prefix.crossings, prefix.signal) == (
            runs.longest_run, runs.crossings, runs.signal,
        )


def test_a_long_run_shows_in_the_prefix_where_it_becomes_too_long():
    series = [20.0] * 10 + [90.0] * 10
    signals = [p.signal for p in prefix_runs(series)]
    assert signals[:10] == [False] * 10  # all on the median: no useful points
    assert signals[-1] is True


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 30)), min_size=1, max_size=30))
def test_the_stored_p_chart_limits_match_p_chart_for_each_prefix(points):
    from evaluation.analysis import p_chart
    from evaluation.outcomes import charts_as_of

    successes = [min(s, n) for s, n in points]
    responses = [n for _, n in points]
    charts = charts_as_of(successes, responses, "weeks")
    for k, chart in enumerate(charts):
        whole = p_chart(successes[: k + 1], responses[: k + 1])
        assert chart["centre"] == whole.centre
        assert (chart["lcl"], chart["ucl"]) == (whole.lcl[-1], whole.ucl[-1])
        assert chart["outside_limits"] == whole.sigma_signals[-1]


@settings(max_examples=300, deadline=None)
@given(st.lists(values, min_size=1, max_size=6), st.data())
def test_runs_at_gives_the_prefixes_it_is_asked_for_as_prefix_runs_arrays(rows, data):
    width = max(max(len(r) for r in rows), 1)
    matrix = np.full((len(rows), width), math.nan)
    for i, row in enumerate(rows):
        matrix[i, : len(row)] = [math.nan if v is None else v for v in row]
    every = prefix_runs_arrays(matrix)
    # any prefixes, in any order, each row padded with values it must not look at
    asked = data.draw(
        st.lists(st.tuples(st.integers(0, len(rows) - 1), st.integers(0, width - 1)), max_size=12)
    )
    series = np.array([a[0] for a in asked], dtype=np.int64)
    ends = np.array([a[1] for a in asked], dtype=np.int64)
    padded = matrix[series] if asked else np.zeros((0, width))
    if asked:
        padded = np.where(np.arange(width) > ends[:, None], 50.0, padded)

    result = runs_at(padded, ends)

    for name, values_at in result.items():
        expected = every[name][series, ends]
        assert values_at.dtype == expected.dtype, name
        assert np.array_equal(values_at, expected, equal_nan=True), name
