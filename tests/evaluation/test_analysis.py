"""Tests for evaluation.analysis against published reference values.

Reference sources:

* qicharts2 0.8.1 (Jacob Anhøj, github.com/anhoej/qicharts2): vignette "qicharts2" Appendix 2
  (critical values for longest run and crossings) and tests/testthat reference outputs
  ``tbl_7.4_1.rds`` (P chart, Montgomery table 7.4) and ``ex_6.5_3.rds`` (I chart, Montgomery
  example 6.5, ``freeze = 20``), read from the .rds files.
* NHSRplotthedots 0.2.2 (github.com/nhs-r-community/NHSRplotthedots): tests/testthat
  ``test-ptd_spc_standard.R`` with its snapshot ``_snaps/ptd_spc_standard.md``,
  ``test-ptd_calculate_point_type.R`` and ``test-ptd_calculate_assurance_type.R``.
* Newcombe (1998) "Two-sided confidence intervals for the single proportion", Stat Med 17,
  table I (Wilson score interval).
* Perla, Provost & Murray (2011) BMJ Qual Saf 20:46-51 (IHI run chart rules).
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import analysis
from evaluation.analysis import (
    crossings_limit,
    explain,
    longest_run_limit,
    p_chart,
    run_chart,
    runs_analysis,
    wilson_interval,
    xmr_chart,
)

# qicharts2 vignette, Appendix 2: (n useful, upper limit longest run, lower limit crossings).
ANHOEJ_TABLE = [
    (10, 6, 2),
    (11, 6, 2),
    (12, 7, 3),
    (13, 7, 3),
    (14, 7, 4),
    (15, 7, 4),
    (16, 7, 4),
    (17, 7, 5),
    (18, 7, 5),
    (19, 7, 6),
    (20, 7, 6),
    (21, 7, 6),
    (22, 7, 7),
    (23, 8, 7),
    (24, 8, 8),
    (25, 8, 8),
    (26, 8, 8),
    (27, 8, 9),
    (28, 8, 9),
    (29, 8, 10),
    (30, 8, 10),
    (31, 8, 11),
    (32, 8, 11),
    (33, 8, 11),
    (34, 8, 12),
    (35, 8, 12),
    (36, 8, 13),
    (37, 8, 13),
    (38, 8, 14),
    (39, 8, 14),
    (40, 8, 14),
    (41, 8, 15),
    (42, 8, 15),
    (43, 8, 16),
    (44, 8, 16),
    (45, 8, 17),
    (46, 9, 17),
    (47, 9, 17),
    (48, 9, 18),
    (49, 9, 18),
    (50, 9, 19),
    (51, 9, 19),
    (52, 9, 20),
    (53, 9, 20),
    (54, 9, 21),
    (55, 9, 21),
    (56, 9, 21),
    (57, 9, 22),
    (58, 9, 22),
    (59, 9, 23),
    (60, 9, 23),
    (61, 9, 24),
    (62, 9, 24),
    (63, 9, 25),
    (64, 9, 25),
    (65, 9, 25),
    (66, 9, 26),
    (67, 9, 26),
    (68, 9, 27),
    (69, 9, 27),
    (70, 9, 28),
    (71, 9, 28),
    (72, 9, 29),
    (73, 9, 29),
    (74, 9, 29),
    (75, 9, 30),
    (76, 9, 30),
    (77, 9, 31),
    (78, 9, 31),
    (79, 9, 32),
    (80, 9, 32),
    (81, 9, 33),
    (82, 9, 33),
    (83, 9, 34),
    (84, 9, 34),
    (85, 9, 34),
    (86, 9, 35),
    (87, 9, 35),
    (88, 9, 36),
    (89, 9, 36),
    (90, 9, 37),
    (91, 10, 37),
    (92, 10, 38),
    (93, 10, 38),
    (94, 10, 39),
    (95, 10, 39),
    (96, 10, 39),
    (97, 10, 40),
    (98, 10, 40),
    (99, 10, 41),
    (100, 10, 41),
]

# R: set.seed(123); rnorm(20) -- the data of NHSRplotthedots tests/testthat/test-ptd_spc_standard.R
RNORM_123 = [
    -0.560475646552213, -0.23017748948328, 1.55870831414912, 0.070508391424576,
    0.129287735160946, 1.71506498688328, 0.460916205989202, -1.26506123460653,
    -0.686852851893526, -0.445661970099958, 1.22408179743946, 0.359813827057364,
    0.400771450594052, 0.11068271594512, -0.555841134754075, 1.78691313680308,
    0.497850478229239, -1.96661715662964, 0.701355901563686, -0.472791407727934,
]  # fmt: skip

# Montgomery table 7.4 as in qicharts2 tests/testthat/tbl_7.4_1.rds (y.sum, n, ucl, lcl).
TBL_7_4_NUM = [12, 8, 6, 9, 10, 12, 11, 16, 10, 6, 20, 15, 9, 8, 6, 8, 10, 7, 5, 8, 5, 8, 10, 6, 9]
TBL_7_4_DEN = [
    100, 80, 80, 100, 110, 110, 100, 100, 90, 90, 110, 120, 120, 120, 110, 80, 80, 80, 90, 100,
    100, 100, 100, 90, 90,
]  # fmt: skip
UCL_BY_N = {
    80: 0.19409342051458195, 90: 0.18845535188285867, 100: 0.18368571343549223,
    110: 0.17958225353821256, 120: 0.17600306323599374,
}  # fmt: skip
LCL_BY_N = {
    80: 0.0, 90: 0.0025650562804066107, 100: 0.007334694727773067,
    110: 0.011438154625052752, 120: 0.01501734492727154,
}  # fmt: skip

# Montgomery example 6.5 as in qicharts2 tests/testthat/ex_6.5_3.rds
# (qic(chart = "i", freeze = 20)).
EX_6_5 = [
    310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295, 293, 306,
    301, 304, 305, 282, 305, 296, 314, 295, 287, 301, 298, 311, 310, 292, 305, 299, 304, 310,
    304, 305, 333, 328,
]  # fmt: skip


# --------------------------------------------------------------------------- Anhøj limits


@pytest.mark.parametrize(("n_useful", "longest_max", "crossings_min"), ANHOEJ_TABLE)
def test_it_matches_the_qicharts2_table_of_critical_values(n_useful, longest_max, crossings_min):
    """qicharts2 vignette Appendix 2: round(log2(n) + 3) and qbinom(0.05, n - 1, 0.5)."""
    assert longest_run_limit(n_useful) == longest_max
    assert crossings_limit(n_useful) == crossings_min


def test_it_gives_the_values_quoted_in_the_brief_and_vignette_for_24_points():
    """qicharts2 vignette: with 24 useful points a run of more than 8, or fewer than 8
    crossings, is a signal."""
    assert (longest_run_limit(24), crossings_limit(24)) == (8, 8)
    assert (longest_run_limit(10), crossings_limit(10)) == (6, 2)
    assert (longest_run_limit(20), crossings_limit(20)) == (7, 6)
    assert (longest_run_limit(30), crossings_limit(30)) == (8, 10)


def test_it_takes_the_smallest_quantile_whose_binomial_cdf_reaches_five_percent():
    """R's qbinom definition: P(X <= x) >= 0.05 > P(X <= x - 1), X ~ Binomial(n - 1, 0.5)."""
    for n in (1, 2, 5, 37, 150, 400):
        size, x = n - 1, crossings_limit(n)
        cdf = sum(math.comb(size, k) for k in range(x + 1)) / 2**size
        below = sum(math.comb(size, k) for k in range(x)) / 2**size
        assert cdf >= 0.05 > below


def test_it_refuses_limits_for_no_useful_points():
    """There is no prediction limit for an empty series (qicharts2 returns NA)."""
    with pytest.raises(ValueError):
        longest_run_limit(0)
    with pytest.raises(ValueError):
        crossings_limit(0)


# --------------------------------------------------------------------------- run chart


def test_it_drops_points_on_the_median():
    """qicharts2 runs.analysis: runs <- runs[runs != 0] -- points on the centre are useless."""
    chart = run_chart([1, 2, 3, 4, 5])
    assert chart.centre == 3
    assert chart.n_obs == 5
    assert chart.n_useful == 4
    assert chart.longest_run == 2
    assert chart.crossings == 1


def test_it_drops_missing_values_and_nan():
    """qicharts2 runs.analysis drops NA; here None and NaN both mean missing."""
    chart = run_chart([1, None, 5, math.nan, 1, 5])
    assert chart.centre == 3
    assert chart.n_obs == 4
    assert chart.n_useful == 4
    assert chart.crossings == 3
    assert chart.runs_signal_points == (False,) * 6


@pytest.mark.parametrize("values", [[], [None, None], [math.nan], [4, 4, 4, 4]])
def test_it_reports_no_signal_when_there_are_no_useful_points(values):
    """qicharts2 runs.analysis: with n.useful == 0 the run fields are NA and no signal."""
    chart = run_chart(values)
    assert chart.n_useful == 0
    assert chart.longest_run is None
    assert chart.longest_run_max is None
    assert chart.crossings is None
    assert chart.crossings_min is None
    assert chart.signal is False
    assert chart.explanations() == [
        "No signal: the variation looks like common cause (random) variation."
    ]


def test_it_keeps_the_median_of_an_all_missing_series_empty():
    """All missing: there is no median."""
    assert run_chart([None, None]).centre is None
    assert run_chart([]).centre is None


def test_it_handles_a_single_useful_point():
    """qicharts2 with n.useful = 1: longest.run.max = round(log2(1)) + 3 = 3 and
    qbinom(0.05, 0, 0.5) = 0."""
    chart = run_chart([1, 2, 2])
    assert chart.n_useful == 1
    assert (chart.longest_run, chart.longest_run_max) == (1, 3)
    assert (chart.crossings, chart.crossings_min) == (0, 0)
    assert chart.signal is False


def test_it_flags_long_runs_and_too_few_crossings():
    """Anhøj & Olesen 2014 rules with n = 20: limit 7 for the longest run, 6 for crossings."""
    values = [3] * 8 + [1, 3, 1, 3] + [1] * 8
    chart = run_chart(values)
    assert chart.centre == 2
    assert chart.n_useful == 20
    assert (chart.longest_run, chart.longest_run_max) == (8, 7)
    assert (chart.crossings, chart.crossings_min) == (5, 6)
    assert chart.signal is True
    assert chart.runs_signal_points == tuple([True] * 8 + [False] * 4 + [True] * 8)
    assert chart.explanations("weeks")[:3] == [
        "8 weeks in a row above the median: this is unlikely to be chance.",
        "8 weeks in a row below the median: this is unlikely to be chance.",
        "The line crosses the median only 5 times in 20 weeks; fewer than 6 crossings is "
        "unlikely to be chance, so the process has probably shifted.",
    ]


def test_it_does_not_signal_a_run_at_the_limit():
    """A run of exactly longest.run.max is not a signal (longest.run > longest.run.max)."""
    signs = [1] * 7 + [-1, 1] * 6 + [-1]  # 20 useful points, longest run 7 = limit
    analysis_ = runs_analysis(signs, centre=0)
    assert (analysis_.n_useful, analysis_.longest_run, analysis_.longest_run_max) == (20, 7, 7)
    assert analysis_.crossings == 13
    assert analysis_.signal is False
    assert not any(analysis_.runs_signal_points)


def test_it_matches_the_runs_analysis_of_qicharts2_example_6_5():
    """qicharts2 ex_6.5_3.rds: around cl = 300.5, 40 useful, longest run 6 (max 8),
    20 crossings (min 14), no runs signal."""
    result = runs_analysis(EX_6_5, centre=300.5)
    assert (result.n_useful, result.longest_run, result.longest_run_max) == (40, 6, 8)
    assert (result.crossings, result.crossings_min, result.signal) == (20, 14, False)


def test_it_finds_an_ihi_shift_skipping_points_on_the_median():
    """Perla et al. 2011 rule 1: 6+ points one side; points on the median neither add nor break."""
    chart = run_chart([3, 3, 3, 2, 3, 3, 3, 1, 1, 1, 1, 1, 1])
    assert chart.centre == 2
    assert chart.shift == (True, True, True, False, True, True, True) + (True,) * 6
    assert [(e.n_points, e.direction) for e in chart.shifts] == [(6, 1), (6, -1)]


def test_it_does_not_call_five_points_a_shift():
    """Perla et al. 2011 rule 1 needs six points; the median point does not count."""
    chart = run_chart([3, 3, 2, 3, 3, 3, 1, 1, 1, 1, 1, 2])
    assert chart.centre == 2
    assert not any(chart.shift)
    assert chart.shifts == ()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5], (5, 1)),
        ([9, 7, 5, 3, 1], (5, -1)),
        ([1, 2, 2, 3, 4, 5], (5, 1)),  # a repeat does not break the trend
        ([1, 2, None, 3, 4, 5], (5, 1)),  # nor does a missing value
    ],
)
def test_it_finds_an_ihi_trend(values, expected):
    """Perla et al. 2011 rule 2: 5+ points all going up or down; repeats are skipped."""
    chart = run_chart(values)
    assert [(e.n_points, e.direction) for e in chart.trends] == [expected]
    assert chart.trend == tuple(v is not None for v in values)


@pytest.mark.parametrize("values", [[1, 2, 3, 4], [1, 2, 3, 3, 4], [1, 2, 3, 2, 4, 5, 6]])
def test_it_does_not_let_a_repeat_extend_a_trend(values):
    """Perla et al. 2011 rule 2: a repeated value is ignored, so it adds no length."""
    assert run_chart(values).trends == ()
    assert not any(run_chart(values).trend)


def test_it_flags_an_astronomical_point():
    """Approximation of IHI rule 4 (analysis.ASTRONOMICAL_RULE): median ± 3·MR̄/1.128."""
    values = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 30]
    chart = run_chart(values)
    assert chart.astronomical == (10,)
    low, high = chart.astronomical_limits
    assert low < 5 and 6 < high < 30
    assert "Week 11 is unusually high (an astronomical point): check what happened then." in (
        chart.explanations()
    )


def test_it_uses_the_period_label_in_sentences():
    """Sentences are written in the caller's unit of time."""
    chart = run_chart([1, 2, 3, 4, 5])
    assert chart.explanations("months") == [
        "Trend: 5 months in a row going up (5 or more is a signal): this is unlikely to be chance."
    ]


def test_it_rejects_infinite_values():
    """Only finite numbers or missing values make sense on a chart."""
    with pytest.raises(ValueError):
        run_chart([1, math.inf])


# --------------------------------------------------------------------------- p chart


def test_it_matches_qicharts2_p_chart_for_montgomery_table_7_4():
    """qicharts2 tests/testthat/tbl_7.4_1.rds: cl, ucl, lcl, sigma.signal and runs analysis."""
    chart = p_chart(TBL_7_4_NUM, TBL_7_4_DEN)
    assert chart.centre == pytest.approx(0.09551020408163265, rel=1e-12)
    assert chart.ucl == pytest.approx([UCL_BY_N[n] for n in TBL_7_4_DEN], rel=1e-12)
    assert chart.lcl == pytest.approx([LCL_BY_N[n] for n in TBL_7_4_DEN], rel=1e-12, abs=1e-15)
    assert [i for i, s in enumerate(chart.sigma_signals) if s] == [10]
    runs = chart.runs
    assert (runs.n_obs, runs.n_useful, runs.longest_run, runs.longest_run_max) == (25, 25, 5, 8)
    assert (runs.crossings, runs.crossings_min, runs.signal) == (10, 8, False)


def test_it_analyses_runs_around_the_centre_line_not_the_median():
    """qicharts2 runs.analysis uses cl, which for a P chart is sum(num)/sum(den)."""
    chart = p_chart([1, 1, 1, 9], [10, 10, 10, 10])
    assert chart.centre == pytest.approx(0.3)
    assert chart.runs.centre == pytest.approx(0.3)
    assert chart.runs.n_useful == 4
    assert chart.runs.crossings == 1


def test_it_treats_a_zero_denominator_as_missing():
    """A week with no eligible patients has no proportion and no limits."""
    chart = p_chart([3, 0, 5], [10, 0, 10])
    assert chart.centre == pytest.approx(0.4)
    assert chart.values[1] is None
    assert chart.lcl[1] is None and chart.ucl[1] is None
    assert chart.sigma_signals[1] is False
    assert chart.runs.n_obs == 2


def test_it_has_no_centre_when_every_denominator_is_zero():
    """No data at all: centre and limits are missing and nothing signals."""
    chart = p_chart([0, 0], [0, 0])
    assert chart.centre is None
    assert chart.values == (None, None)
    assert chart.sigma_signals == (False, False)
    assert chart.runs.n_useful == 0


def test_it_clips_p_chart_limits_to_zero_and_one():
    """qic.p: ucl > 1 is set to 1 and lcl < 0 to 0."""
    chart = p_chart([1, 9, 5], [2, 10, 10])
    assert min(chart.lcl) == 0.0
    assert max(chart.ucl) == 1.0


def test_it_widens_laney_limits_for_overdispersed_proportions():
    """Laney 2002 / qicharts2 qic.pp: limits are multiplied by sigma_z, which exceeds 1
    when the proportions vary more than binomial sampling allows."""
    num = [100, 300, 120, 280, 110, 310, 90, 290]
    den = [1000] * 8
    plain, laney = p_chart(num, den), p_chart(num, den, laney=True)
    assert laney.sigma_z > 1
    assert all(lu > pu for lu, pu in zip(laney.ucl, plain.ucl, strict=True))
    assert sum(plain.sigma_signals) == 8
    assert sum(laney.sigma_signals) == 0


def test_it_computes_sigma_z_from_the_mean_moving_range_of_z_scores():
    """qicharts2 qic.pp: z_i = (p_i - cl) / sigma_i; sigma_z = mean(|diff(z)|) / 1.128."""
    num, den = [10, 20, 15], [100, 100, 100]
    chart = p_chart(num, den, laney=True, screen_mr=False)
    sigma = math.sqrt(0.15 * 0.85 / 100)
    z = [(n / 100 - 0.15) / sigma for n in num]
    expected = (abs(z[1] - z[0]) + abs(z[2] - z[1])) / 2 / 1.128
    assert chart.sigma_z == pytest.approx(expected)
    assert chart.ucl[0] == pytest.approx(0.15 + 3 * sigma * expected)


def test_it_rejects_inconsistent_counts():
    """A numerator larger than its denominator, or mismatched lengths, is a data error."""
    with pytest.raises(ValueError):
        p_chart([5], [4])
    with pytest.raises(ValueError):
        p_chart([1, 2], [4])


def test_it_explains_a_p_chart_point_outside_the_limits():
    """qicharts2 sigma.signal for Montgomery table 7.4 sample 11."""
    sentences = p_chart(TBL_7_4_NUM, TBL_7_4_DEN).explanations("months")
    assert sentences == [
        "Month 11 is outside the upper control limit: this is unlikely to be chance "
        "(special cause variation)."
    ]


# --------------------------------------------------------------------------- XmR chart


def test_it_matches_nhsrplotthedots_limits_for_rnorm_data():
    """NHSRplotthedots _snaps/ptd_spc_standard.md r1: mean 0.1416238, lpl -3.01138,
    upl 3.294627."""
    chart = xmr_chart(RNORM_123)
    assert chart.mean == pytest.approx(0.1416238, abs=5e-8)
    assert chart.lpl == pytest.approx(-3.01138, abs=5e-6)
    assert chart.upl == pytest.approx(3.294627, abs=5e-7)
    assert chart.point_types == ("common_cause",) * 20
    assert chart.variation == "common_cause"


def test_it_screens_moving_ranges_like_nhsrplotthedots():
    """NHSRplotthedots snapshot r2 (y[15] = 10, screen_outliers = TRUE): lpl -2.383666,
    upl 3.722497; r3 (screen_outliers = FALSE): lpl -4.596625, upl 5.935457."""
    values = list(RNORM_123)
    values[14] = 10
    screened = xmr_chart(values)
    assert screened.mean == pytest.approx(0.6694159, abs=5e-8)
    assert screened.lpl == pytest.approx(-2.383666, abs=5e-7)
    assert screened.upl == pytest.approx(3.722497, abs=5e-7)
    raw = xmr_chart(values, screen_outliers=False)
    assert raw.lpl == pytest.approx(-4.596625, abs=5e-7)
    assert raw.upl == pytest.approx(5.935457, abs=5e-7)


def test_it_freezes_limits_on_a_baseline_like_qicharts2_freeze():
    """qicharts2 ex_6.5_3.rds (freeze = 20): cl 300.5 and ucl 321.2166853, so the mean moving
    range is (ucl - cl) * 1.128 / 3; the last two points are above the limit."""
    chart = xmr_chart(EX_6_5, baseline=20)
    assert chart.mean == 300.5
    assert chart.mean_moving_range == pytest.approx((321.21668533034716 - 300.5) * 1.128 / 3)
    assert chart.special_cause_type[-2:] == ("Above UCL", "Above UCL")
    assert chart.special_cause.count(True) == 2
    assert chart.phases[0].n_baseline == 20


def test_it_requires_a_baseline_of_at_least_twelve_points():
    """NHSRplotthedots ptd_spc_options: fix_after_n_points must be >= 12."""
    with pytest.raises(ValueError):
        xmr_chart(EX_6_5, baseline=11)


def test_it_rejects_missing_values_in_an_xmr_chart():
    """XmR charts need an unbroken series; NHSRplotthedots defines no rule for gaps."""
    with pytest.raises(ValueError):
        xmr_chart([1.0, None, 2.0])
    with pytest.raises(ValueError):
        xmr_chart([])


def test_it_only_reports_two_in_three_when_on_the_same_side_of_the_mean():
    """NHSRplotthedots test-ptd_spc_standard.R: 2 successive points close to the limits on
    opposite sides of the mean are common cause."""
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    assert xmr_chart(values).point_types[-2:] == ("common_cause", "common_cause")


def test_it_flags_two_of_three_points_close_to_a_limit():
    """NHSRplotthedots ptd_two_in_three: 2 of 3 beyond 2/3 of the way to a limit, same side;
    only the close points are flagged (ptd_part_of_two_in_three)."""
    values = [0.5, -0.5] * 12
    values[16], values[17], values[18] = 3.0, 0.5, 3.0
    chart = xmr_chart(values)
    near = chart.mean + 2 * 2.66 / 3 * chart.mean_moving_range
    assert near < 3.0 < chart.upl
    assert chart.special_cause_type[15:20] == (
        "Common Cause", "2 in 3 Above CL", "Common Cause", "2 in 3 Above CL", "Common Cause"
    )  # fmt: skip
    assert chart.point_types[16] == "special_cause_improvement"


@pytest.mark.parametrize(
    ("improvement", "expected", "icon"),
    [
        ("increase", "special_cause_improvement", "improvement_high"),
        ("decrease", "special_cause_concern", "concern_high"),
        ("neutral", "special_cause_neutral_high", "neutral_high"),
    ],
)
def test_it_orients_point_types_by_the_improvement_direction(improvement, expected, icon):
    """NHSRplotthedots ptd_point_type and the icon file names in ptd_get_icons."""
    values = [10.0, 11.0] * 10 + [30.0]
    chart = xmr_chart(values, improvement)
    assert chart.special_cause_type[-1] == "Above UCL"
    assert chart.point_types[-1] == expected
    assert chart.variation == expected
    assert chart.variation_icon == icon


def test_it_labels_a_seven_point_trend_with_its_direction():
    """NHSRplotthedots ptd_seven_point_trend: 7 strictly rising points, all flagged."""
    values = [5.0, 4.0] * 6 + [3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0] + [4.5]
    chart = xmr_chart(values, "decrease")
    assert chart.special_cause_type[12:19] == ("7 Point Trend (Increasing)",) * 7
    assert chart.special_cause_type[11] == "Common Cause"
    assert chart.special_cause_type[19] == "Common Cause"
    assert chart.point_types[12:19] == ("special_cause_concern",) * 7
    falling = xmr_chart([-v for v in values], "decrease")
    assert falling.special_cause_type[12:19] == ("7 Point Trend (Decreasing)",) * 7
    assert falling.point_types[12] == "special_cause_improvement"


def test_it_labels_seven_points_on_one_side_of_the_mean():
    """NHSRplotthedots ptd_seven_point_one_side_mean, marked back 6 points by
    ptd_part_of_seven_trend."""
    values = [2.0, 0.0] * 7 + [1.5, 1.6, 1.5, 1.6, 1.5, 1.6, 1.5]
    chart = xmr_chart(values)
    assert chart.special_cause_type[-7:] == ("7 Points Above CL",) * 7
    assert chart.special_cause_type[-8] == "Common Cause"
    assert chart.explanations()[0] == (
        "7 weeks in a row above the mean from week 15 (7 or more is a signal): "
        "this is unlikely to be chance."
    )


def test_it_recalculates_limits_at_each_rebase():
    """NHSRplotthedots rebase: rebase_group = cumsum(rebase); limits per group."""
    values = [10.0, 12.0] * 8 + [30.0, 32.0] * 8
    chart = xmr_chart(values, rebase=[16])
    assert [p.mean for p in chart.phases] == [11.0, 31.0]
    assert chart.centre_line == (11.0,) * 16 + (31.0,) * 16
    assert chart.mean == 31.0
    assert chart.mean_moving_range == 2.0
    assert chart.special_cause == (False,) * 32
    unbased = xmr_chart(values)
    assert any(unbased.special_cause)


def test_it_does_not_carry_a_trend_across_a_rebase():
    """NHSRplotthedots groups its rules by rebase_group, so a 7-point trend split 4 + 3 by a
    rebase is not a trend."""
    values = [5.0, 6.0] * 6 + [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0]
    rebased = xmr_chart(values, rebase=[16])
    assert not any("Trend" in t for t in rebased.special_cause_type)
    assert any("Trend" in t for t in xmr_chart(values).special_cause_type)


def test_it_freezes_limits_within_each_phase():
    """NHSRplotthedots: fix_y keeps row_number() <= fix_after_n_points within each group."""
    values = [float(v) for v in range(12)] + [100.0] * 3
    chart = xmr_chart(values, baseline=12)
    assert chart.mean == pytest.approx(5.5)
    assert chart.mean_moving_range == pytest.approx(1.0)
    assert chart.special_cause_type[-3:] == ("Above UCL",) * 3


def test_it_marks_short_phases_as_trial_limits():
    """NHSRplotthedots ptd_add_short_group_warnings: fewer than 13 points have trial limits."""
    assert xmr_chart([1.0, 2.0] * 6).phases[0].trial_limits is True
    assert xmr_chart([1.0, 2.0] * 7).phases[0].trial_limits is False


@pytest.mark.parametrize(
    ("lpl", "upl", "improvement", "expected"),
    [
        (1, 3, "increase", "consistent_fail"),
        (5, 7, "increase", "consistent_pass"),
        (1, 5, "increase", "inconsistent"),
        (1, 3, "decrease", "consistent_pass"),
        (5, 7, "decrease", "consistent_fail"),
        (1, 5, "decrease", "inconsistent"),
        (1, 3, "neutral", None),
    ],
)
def test_it_decides_assurance_like_nhsrplotthedots(lpl, upl, improvement, expected):
    """NHSRplotthedots test-ptd_calculate_assurance_type.R with target 4."""
    assert analysis.assurance_type(4, lpl, upl, improvement) == expected


def test_it_gives_no_assurance_without_a_target():
    """ptd_calculate_assurance_type returns NA when target is NULL."""
    assert xmr_chart(RNORM_123).assurance is None
    assert xmr_chart(RNORM_123, target=0.5).assurance == "inconsistent"
    assert xmr_chart(RNORM_123, target=-4).assurance == "consistent_pass"
    assert xmr_chart(RNORM_123, "decrease", target=-4).assurance == "consistent_fail"


def test_it_explains_assurance_and_common_cause():
    """Plain-English summary of a stable chart with a target between its limits."""
    assert xmr_chart(RNORM_123, target=0.5).explanations() == [
        "No signal: the variation looks like common cause (random) variation.",
        "The target (0.5) lies between the process limits: the process will hit and miss it "
        "by chance.",
    ]
    passing = explain(xmr_chart(RNORM_123, target=-4))
    assert passing[-1].startswith("The process limits are all on the right side of the target")
    failing = explain(xmr_chart(RNORM_123, target=4))
    assert failing[-1].startswith("The process limits are all on the wrong side of the target")


def test_it_explains_points_outside_the_limits_and_two_in_three():
    """Sentences for the outside-limits and 2-of-3 rules."""
    values = [0.5, -0.5] * 12
    values[16], values[17], values[18] = 3.0, 0.5, 3.0
    sentences = xmr_chart(values).explanations("days")
    assert sentences == [
        "2 out of 3 days in a row close to the upper process limit (from day 17): "
        "this is unlikely to be chance."
    ]
    outside = xmr_chart([10.0, 11.0] * 10 + [30.0]).explanations("days")
    assert outside[-1] == (
        "Day 21 is above the upper process limit: this is unlikely to be chance "
        "(special cause variation)."
    )


# NHSRplotthedots test-ptd_calculate_point_type.R, helper by helper.


@pytest.mark.parametrize(
    ("v", "expected"),
    [
        ([], []),
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0] * 6 + [1, 1, 0]),
        ([-1] * 8 + [1], [0] * 6 + [1, 1, 0]),
    ],
)
def test_it_matches_ptd_seven_point_one_side_mean(v, expected):
    """NHSRplotthedots test 'ptd_seven_point_one_side_mean works as expected'."""
    assert analysis.seven_point_one_side_mean(v) == expected


@pytest.mark.parametrize(
    ("v", "expected"),
    [
        ([], []),
        ([0] * 6, [0] * 6),
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [1] * 7 + [0]),
        ([0] * 7 + [-1, 0], [0] + [1] * 7 + [0]),
    ],
)
def test_it_matches_ptd_part_of_seven_trend(v, expected):
    """NHSRplotthedots test 'ptd_part_of_seven_trend works as expected'."""
    assert analysis.part_of_seven(v) == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ([], []),
        ([1, 2, 3, 4, 5, 6], [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        ([1, 2, 3, 4, 5, 6, 7], [0] * 6 + [1]),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0] * 7 + [1, 0]),
        ([7, 6, 5, 4, 3, 2, 1], [0] * 6 + [-1]),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0] * 7 + [-1, 0]),
    ],
)
def test_it_matches_ptd_seven_point_trend(y, expected):
    """NHSRplotthedots test 'ptd_seven_point_trend works as expected'."""
    assert analysis.seven_point_trend(y) == expected


@pytest.mark.parametrize(
    ("close", "side", "expected"),
    [
        ([0, 0, 0], [0, 0, 0], [0, 0, 0]),
        ([1, 0, 1], [1, 1, 1], [1, 1, 1]),
        ([0, 1, 1], [1, 1, 1], [1, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 1, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 1, 1, 1, 1, 0, 0]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_it_matches_ptd_two_in_three(close, side, expected):
    """NHSRplotthedots tests 'ptd_two_in_three works as expected' (both variants)."""
    assert analysis.two_in_three(close, side) == expected


@pytest.mark.parametrize(
    ("close", "expected"),
    [
        ([1, 0, 1], [1, 0, 1]),
        ([0, 1, 1], [0, 1, 1]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_it_matches_ptd_part_of_two_in_three(close, expected):
    """NHSRplotthedots test 'ptd_part_of_two_in_three works as expected' (all on one side)."""
    flags = analysis.two_in_three(close, [1] * len(close))
    assert analysis.part_of_two_in_three(flags, close) == expected


# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)  # fmt: skip
def test_it_matches_newcombes_wilson_intervals(successes, n, low, high):
    """Newcombe 1998 table I, method 3 (Wilson score interval without continuity correction)."""
    result = wilson_interval(successes, n)
    assert result == pytest.approx((low, high), abs=5e-5)


def test_it_refuses_an_interval_for_an_empty_sample():
    """n = 0 has no proportion: ValueError (documented in wilson_interval)."""
    with pytest.raises(ValueError):
        wilson_interval(0, 0)
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_it_reaches_one_when_every_case_succeeds():
    """Wilson upper limit for x = n is exactly 1."""
    low, high = wilson_interval(20, 20)
    assert high == 1.0
    assert low == pytest.approx(1 - 0.1611, abs=5e-5)


def test_it_has_no_laney_limits_without_a_moving_range():
    """qic.pp needs at least two z-scores for a moving range; one point gives no limits."""
    chart = p_chart([3, 0], [10, 0], laney=True)
    assert chart.sigma_z is None
    assert chart.lcl == (None, None) and chart.ucl == (None, None)
    assert p_chart([0, 0], [10, 10], laney=True).ucl == (0.0, 0.0)


def test_it_explains_a_runs_analysis_directly():
    """explain() accepts any result, including a bare runs analysis."""
    assert explain(runs_analysis([1, -1, 1], centre=0)) == [
        "No signal: the variation looks like common cause (random) variation."
    ]
    assert explain(runs_analysis([1] * 9 + [-1], centre=0), "days")[0] == (
        "9 days in a row above the centre line: this is unlikely to be chance."
    )


# The rules as the package words them, one window per point: the library counts runs in
# one pass instead, and must flag the same points.


def _one_side_by_windows(sides):
    padded = [0] * 6 + list(sides)
    return [
        int(padded[i] != 0 and all(padded[i - k] == padded[i] for k in range(1, 7)))
        for i in range(6, len(padded))
    ]


def _part_of_seven_by_windows(flags):
    padded = list(flags) + [0] * 6
    return [int(any(abs(padded[i + k]) == 1 for k in range(7))) for i in range(len(flags))]


def _trend_by_windows(y):
    out = [0] * len(y)
    for i in range(6, len(y)):
        steps = {(y[j] > y[j - 1]) - (y[j] < y[j - 1]) for j in range(i - 5, i + 1)}
        if steps in ({1}, {-1}):
            out[i] = steps.pop()
    return out


def _two_in_three_by_windows(close, sides):
    pad_close, pad_side = [0, 0, *close, 0, 0], [0, 0, *sides, 0, 0]

    def window(start):
        part = range(start, start + 3)
        return sum(pad_close[j] for j in part) >= 2 and abs(sum(pad_side[j] for j in part)) == 3

    return [int(window(i) or window(i + 1) or window(i + 2)) for i in range(len(close))]


signs = st.lists(st.sampled_from([-1, 0, 1]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(signs, st.lists(st.integers(0, 4).map(float), max_size=40), st.data())
def test_the_one_pass_rules_flag_what_the_windows_flag(sides, y, data):
    size = len(sides)
    close = data.draw(st.lists(st.sampled_from([-1, 0, 1]), min_size=size, max_size=size))

    assert analysis.seven_point_one_side_mean(sides) == _one_side_by_windows(sides)
    assert analysis.part_of_seven(sides) == _part_of_seven_by_windows(sides)
    assert analysis.seven_point_trend(y) == _trend_by_windows(y)
    assert analysis.two_in_three(close, sides) == _two_in_three_by_windows(close, sides)


# A steady start (mean about 5, limits about 2.7 either side) and a tail whose whole
# numbers fall inside, near (3 and 7) and outside the limits: every rule fires often.
steady_then_tail = st.tuples(
    st.lists(st.integers(4, 6), min_size=10, max_size=20),
    st.one_of(
        st.lists(st.integers(0, 10), max_size=8),
        # runs going one way, of 3 to 9 points, for the trend rule
        st.tuples(st.lists(st.integers(0, 10), min_size=3, max_size=9, unique=True), st.booleans())
        .map(lambda run: sorted(run[0], reverse=run[1])),
    ),
).map(lambda parts: [float(v) for v in parts[0] + parts[1]])


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(
        steady_then_tail,
        st.lists(
            st.one_of(st.integers(0, 6).map(float), st.floats(-50, 150, allow_nan=False)),
            min_size=1,
            max_size=30,
        ),
    ),
    st.sampled_from(["increase", "decrease", "neutral"]),
    st.one_of(st.none(), st.floats(-10, 110, allow_nan=False)),
)
def test_xmr_icons_are_the_whole_charts_icons(values, improvement, target):
    chart = xmr_chart(values, improvement, target)

    assert analysis.xmr_icons(values, improvement, target) == (
        chart.variation_icon,
        chart.assurance,
    )


@pytest.mark.parametrize(
    ("values", "icon"),
    [
        ([5.0, 6.0] * 8 + [40.0], "improvement_high"),  # above the upper limit
        ([5.0, 6.0] * 8 + [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], "improvement_high"),  # trend
        ([5.0, 6.0, 4.0, 6.0, 5.0, 4.0] * 3 + [8.5, 6.0, 8.5], "improvement_high"),  # 2 in 3
        ([5.0, 6.0, 4.0] * 5 + [3.0] * 7, "concern_low"),  # 7 below the mean
        ([5.0, 6.0, 4.0] * 6, "common_cause"),
    ],
)
def test_xmr_icons_cover_every_rule_at_the_last_point(values, icon):
    assert xmr_chart(values).variation_icon == icon
    assert analysis.xmr_icons(values)[0] == icon
