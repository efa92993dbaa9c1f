"""Property-based tests (hypothesis) for evaluation.analysis.

Each property follows from the definitions in the sources cited in evaluation/analysis.py:
qicharts2 0.8 (runs.analysis, qic.p, qic.pp), NHSRplotthedots 0.2 (ptd_spc) and Wilson 1927.
"""

import math
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from evaluation.analysis import (
    MR_SCREEN,
    XMR_LIMIT,
    crossings_limit,
    p_chart,
    run_chart,
    runs_analysis,
    wilson_interval,
    xmr_chart,
)

ints = st.integers(min_value=-50, max_value=50)
maybe_ints = st.one_of(st.none(), ints)


@st.composite
def counts(draw, min_size=1):
    dens = draw(st.lists(st.integers(0, 500), min_size=min_size, max_size=30))
    nums = [draw(st.integers(0, d)) for d in dens]
    return nums, dens


@given(counts(), st.booleans())
def test_it_keeps_p_chart_limits_around_the_centre_and_inside_zero_and_one(data, laney):
    """qic.p / qic.pp: cl ± 3·sigma, clipped to [0, 1]; zero denominators have no limits."""
    nums, dens = data
    chart = p_chart(nums, dens, laney=laney)
    for value, low, high, den in zip(chart.values, chart.lcl, chart.ucl, dens, strict=True):
        if den == 0:
            assert value is None and low is None and high is None
            continue
        if low is None:  # Laney needs a moving range, so two usable points
            assert laney and high is None
            continue
        assert 0.0 <= low <= chart.centre <= high <= 1.0
        assert 0.0 <= value <= 1.0


@given(counts())
def test_it_signals_exactly_the_points_outside_the_p_chart_limits(data):
    """qicharts2: sigma.signal <- y > ucl | y < lcl."""
    nums, dens = data
    chart = p_chart(nums, dens)
    for value, low, high, signal in zip(
        chart.values, chart.lcl, chart.ucl, chart.sigma_signals, strict=True
    ):
        expected = value is not None and (value < low or value > high)
        assert signal == expected


@given(counts(min_size=2))
def test_it_keeps_the_same_p_chart_centre_when_every_count_is_doubled(data):
    """The centre is sum(num)/sum(den); doubling both leaves it and the signs unchanged,
    while the limits tighten."""
    nums, dens = data
    assume(sum(dens) > 0)
    one, two = p_chart(nums, dens), p_chart([2 * n for n in nums], [2 * d for d in dens])
    assert math.isclose(one.centre, two.centre)
    for u1, u2 in zip(one.ucl, two.ucl, strict=True):
        assert (u1 is None and u2 is None) or u2 <= u1 + 1e-12


@given(st.lists(maybe_ints, max_size=60), ints)
def test_it_gives_the_same_run_chart_after_adding_a_constant(values, shift):
    """Runs, crossings and the IHI rules depend on order relative to the median only."""
    moved = [None if v is None else v + shift for v in values]
    a, b = run_chart(values), run_chart(moved)
    assert (a.n_obs, a.n_useful, a.longest_run, a.crossings) == (
        b.n_obs,
        b.n_useful,
        b.longest_run,
        b.crossings,
    )
    assert a.signal == b.signal
    assert a.runs_signal_points == b.runs_signal_points
    assert a.shift == b.shift
    assert a.trend == b.trend


@given(st.lists(maybe_ints, max_size=60))
def test_it_gives_the_same_runs_for_a_reversed_series(values):
    """Run lengths and crossings do not depend on the direction of time."""
    forward, backward = run_chart(values), run_chart(values[::-1])
    assert forward.longest_run == backward.longest_run
    assert forward.crossings == backward.crossings
    assert forward.runs_signal_points == backward.runs_signal_points[::-1]
    assert forward.shift == backward.shift[::-1]


@given(st.lists(maybe_ints, max_size=60))
def test_it_keeps_runs_statistics_within_their_possible_range(values):
    """1 <= longest run <= n_useful and crossings <= n_useful - 1; signal follows the rules."""
    chart = run_chart(values)
    present = [v for v in values if v is not None]
    assert chart.n_obs == len(present)
    assert chart.n_useful == sum(v != chart.centre for v in present)
    if chart.n_useful:
        assert 1 <= chart.longest_run <= chart.n_useful
        assert 0 <= chart.crossings <= chart.n_useful - 1
        expected = (
            chart.longest_run > chart.longest_run_max or chart.crossings < chart.crossings_min
        )
        assert chart.signal == expected
        assert any(chart.runs_signal_points) == (chart.longest_run > chart.longest_run_max)
    assert len(chart.runs_signal_points) == len(values)


@given(st.integers(1, 600))
def test_it_finds_the_fifth_percentile_of_the_binomial_exactly(n):
    """R qbinom(0.05, n - 1, 0.5): smallest x with P(X <= x) >= 0.05 (exact fractions)."""
    size, x = n - 1, crossings_limit(n)

    def cdf(k: int) -> Fraction:
        return Fraction(sum(math.comb(size, j) for j in range(k + 1)), 2**size)

    assert cdf(x) >= Fraction(1, 20)
    assert x == 0 or cdf(x - 1) < Fraction(1, 20)


@given(st.lists(st.integers(-100, 100), min_size=2, max_size=40))
def test_it_mirrors_xmr_point_types_when_values_and_direction_are_negated(values):
    """NHSRplotthedots: negating the data swaps above/below and up/down, so with the
    improvement direction swapped too every point keeps its point type."""
    floats = [float(v) for v in values]
    up = xmr_chart(floats, "increase")
    down = xmr_chart([-v for v in floats], "decrease")
    assert up.point_types == down.point_types
    assert up.variation_icon.split("_")[0] == down.variation_icon.split("_")[0]


def _margin_ok(values: list[float]) -> bool:
    """True when no value or moving range sits within rounding distance of a threshold."""
    chart = xmr_chart(values)
    mean, amr = chart.mean, chart.mean_moving_range
    near = 2 * XMR_LIMIT / 3 * amr
    cuts = [mean, mean - XMR_LIMIT * amr, mean + XMR_LIMIT * amr, mean - near, mean + near]
    scale = 1 + max(abs(v) for v in values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    raw = sum(ranges) / len(ranges)
    return all(abs(v - c) > 1e-9 * scale for v in values for c in cuts) and all(
        abs(r - MR_SCREEN * raw) > 1e-9 * scale for r in ranges
    )


@given(
    st.lists(st.integers(-100, 100), min_size=2, max_size=40),
    st.integers(1, 50),
    st.integers(-1000, 1000),
    st.sampled_from(["increase", "decrease", "neutral"]),
)
def test_it_keeps_xmr_point_types_under_a_positive_affine_transform(values, scale, shift, way):
    """Limits are mean ± 2.66·MR̄ (ptd_spc_standard), so they move with a·x + b, a > 0, and
    every rule compares values with lines built the same way."""
    floats = [float(v) for v in values]
    assume(_margin_ok(floats))
    moved = [scale * v + shift for v in floats]
    a, b = xmr_chart(floats, way), xmr_chart(moved, way)
    assert a.point_types == b.point_types
    assert a.special_cause_type == b.special_cause_type
    assert math.isclose(b.mean, scale * a.mean + shift, rel_tol=1e-9, abs_tol=1e-9)


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40))
def test_it_puts_xmr_limits_either_side_of_the_mean(values):
    """lpl <= mean <= upl with a symmetric distance 2.66 × the mean moving range."""
    chart = xmr_chart(values)
    assert chart.lpl <= chart.mean <= chart.upl
    assert math.isclose(chart.upl - chart.mean, chart.mean - chart.lpl, rel_tol=1e-9, abs_tol=1e-6)
    assert len(chart.point_types) == len(values)


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_it_keeps_the_wilson_interval_inside_zero_one_around_p(data):
    """Wilson 1927: the score interval always lies in [0, 1] and contains p = x / n."""
    successes, n = data
    low, high = wilson_interval(successes, n)
    assert 0.0 <= low <= successes / n <= high <= 1.0
    assert low < high


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_it_makes_the_wilson_interval_symmetric_between_successes_and_failures(data):
    """Swapping successes and failures reflects the interval about 1/2."""
    successes, n = data
    low, high = wilson_interval(successes, n)
    flip_low, flip_high = wilson_interval(n - successes, n)
    assert math.isclose(low, 1 - flip_high, abs_tol=1e-12)
    assert math.isclose(high, 1 - flip_low, abs_tol=1e-12)


@given(st.lists(maybe_ints, max_size=40))
def test_it_agrees_between_runs_analysis_and_run_chart(values):
    """run_chart's Anhøj fields are runs_analysis around the median."""
    chart, runs = run_chart(values), runs_analysis(values)
    assert chart.runs == runs
    assert (chart.longest_run_max, chart.crossings_min) == (
        runs.longest_run_max,
        runs.crossings_min,
    )
