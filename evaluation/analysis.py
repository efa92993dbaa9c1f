"""Statistics for measuring Always Events: run charts, p-charts, XmR charts and intervals.

Pure Python (the standard library, and numpy for many series at once; no Django).
Every rule names its source:

* **Anhøj runs rules** (unusually long run, unusually few crossings): Anhøj & Olesen (2014)
  "Run charts revisited: a simulation study of run chart rules for detection of non-random
  variation in health care processes", PLoS One 9(11): e113825; implemented exactly as
  ``runs.analysis()`` in qicharts2 0.8 by Jacob Anhøj (R/helper.functions.R): points on the
  centre line and missing points are dropped, ``longest.run.max = round(log2(n.useful)) + 3``
  (Schilling 2012), ``n.crossings.min = qbinom(0.05, n.useful - 1, 0.5)`` (Chen 2010).
* **IHI run chart rules** (shift, trend, astronomical point): Perla, Provost & Murray (2011)
  "The run chart: a simple analytical tool for learning from variation in healthcare
  processes", BMJ Qual Saf 20:46-51, as taught by the Institute for Healthcare Improvement.
* **P chart and Laney p′ chart**: ``qic.p()`` and ``qic.pp()`` in qicharts2 0.8 (Montgomery 2009;
  Laney 2002 "Improved control charts for attributes", Quality Engineering 14(4):531-537).
* **XmR chart, special-cause rules, point types, variation and assurance icons**: ``ptd_spc()``
  in NHSRplotthedots 0.2 (NHS-R Community; R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
  R/ptd_calculate_assurance_type.R, R/geom_ptd_icon.R) implementing NHS England's
  "Making Data Count" guidance; moving-range screening from Nelson (1982) J Qual Technol 14(3).
* **Wilson score interval**: Wilson (1927) "Probable inference, the law of succession, and
  statistical inference", J Am Stat Assoc 22(158):209-212.
"""

import functools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

Value = float | int | None
Improvement = Literal["increase", "decrease", "neutral"]

#: z for a two-sided 95% interval (qnorm(0.975)).
Z_95 = 1.959963984540054

#: d2 bias-correction constant for moving ranges of two points (Montgomery 2009, table VI).
D2 = 1.128

#: XmR process-limit factor 3 / d2 as rounded by NHSRplotthedots and Making Data Count.
XMR_LIMIT = 2.66

#: Upper limit of a moving range, D4 for n = 2 (Nelson 1982), used to screen moving ranges.
MR_SCREEN = 3.267

#: NHSRplotthedots warns about trial limits for phases shorter than this
#: (``ptd_add_short_group_warnings``, option ``ptd_spc.warning_threshold``).
SHORT_PHASE = 13

#: NHSRplotthedots rejects ``fix_after_n_points`` smaller than this (``ptd_spc_options``).
MIN_BASELINE = 12

#: IHI run chart rules (Perla, Provost & Murray 2011).
IHI_SHIFT_POINTS = 6
IHI_TREND_POINTS = 5

#: NHSRplotthedots / Making Data Count: 7 points in a row (one side of the mean, or a trend).
PTD_RUN_POINTS = 7

#: Approximate rule used for the IHI "astronomical point" (IHI leaves this to judgement).
ASTRONOMICAL_RULE = "outside median ± 3 × (mean moving range / 1.128)"

COMMON_CAUSE = "Common Cause"


# --------------------------------------------------------------------------- helpers


def _is_missing(value: Value) -> bool:
    return value is None or math.isnan(float(value))


def _clean(values: Sequence[Value]) -> tuple[float | None, ...]:
    """Convert to floats, with ``None`` for missing (``None`` or NaN); reject infinities."""
    out: list[float | None] = []
    for value in values:
        if _is_missing(value):
            out.append(None)
            continue
        number = float(value)  # type: ignore[arg-type]
        if math.isinf(number):
            raise ValueError("values must be finite numbers or missing (None/NaN)")
        out.append(number)
    return tuple(out)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _present(values: Sequence[float | None]) -> list[tuple[int, float]]:
    return [(i, v) for i, v in enumerate(values) if v is not None]


def _mean_moving_range(numbers: Sequence[float]) -> float | None:
    ranges = [abs(b - a) for a, b in zip(numbers, numbers[1:], strict=False)]
    return statistics.fmean(ranges) if ranges else None


def _plural(period_label: str, count: int) -> str:
    if count == 1 and period_label.endswith("s"):
        return period_label[:-1]
    return period_label


def _singular(period_label: str) -> str:
    return _plural(period_label, 1)


def _side_word(direction: int) -> str:
    return "above" if direction > 0 else "below"


# --------------------------------------------------------------------------- Anhøj rules


@functools.cache
def longest_run_limit(n_useful: int) -> int:
    """Upper 95% prediction limit for the longest run: ``round(log2(n)) + 3``.

    Source: qicharts2 0.8 ``runs.analysis`` (Schilling 2012; Anhøj & Olesen 2014).  R's
    ``round`` rounds halves to even, as Python's does; ``log2(n)`` of a whole number is never
    exactly ``k + 0.5``, so the rounding mode cannot change the result.
    """
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    return round(math.log2(n_useful)) + 3


@functools.cache
def crossings_limit(n_useful: int) -> int:
    """Lower 5% prediction limit for crossings: R's ``qbinom(0.05, n_useful - 1, 0.5)``.

    Source: qicharts2 0.8 ``runs.analysis`` (Chen 2010; Anhøj & Olesen 2014).  Returns the
    smallest ``x`` with ``P(X <= x) >= 0.05`` for ``X ~ Binomial(n_useful - 1, 0.5)``, computed
    exactly with integers (``20 * sum(comb) >= 2**size``), so there is no rounding error.
    """
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    size = n_useful - 1
    total = 2**size
    term = 1  # comb(size, 0)
    cumulative = 0
    for x in range(size + 1):
        cumulative += term
        if 20 * cumulative >= total:
            return x
        term = term * (size - x) // (x + 1)
    return size  # pragma: no cover - the loop always returns by x == size


@dataclass(frozen=True)
class Episode:
    """A stretch of points that together make one signal (indices are inclusive)."""

    start: int
    end: int
    n_points: int
    direction: int  # +1 above / up / high, -1 below / down / low


@dataclass(frozen=True)
class RunsAnalysis:
    """Anhøj runs analysis of a series around a centre line (qicharts2 0.8 ``runs.analysis``).

    ``longest_run``, ``longest_run_max``, ``crossings`` and ``crossings_min`` are ``None`` when
    there are no useful points (qicharts2 returns NA and no signal).  ``runs_signal_points``
    marks the points of every run longer than ``longest_run_max``; qicharts2 itself only
    dashes the centre line, so this per-point marking is our own presentation choice.
    """

    centre: float | None
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool
    runs_signal_points: tuple[bool, ...]
    long_runs: tuple[Episode, ...]
    centre_name: str = "median"

    @property
    def long_run_signal(self) -> bool:
        return bool(self.long_runs)

    @property
    def crossings_signal(self) -> bool:
        if self.crossings is None or self.crossings_min is None:
            return False
        return self.crossings < self.crossings_min

    def explanations(
        self, period_label: str = "weeks", centre_name: str | None = None
    ) -> list[str]:
        """Plain-English sentences for the Anhøj signals (empty if there are none)."""
        centre_name = centre_name or self.centre_name
        sentences = [
            long_run_sentence(run.n_points, run.direction, period_label, centre_name)
            for run in self.long_runs
        ]
        if self.crossings_signal:
            sentences.append(
                crossings_sentence(
                    self.crossings, self.n_useful, self.crossings_min, period_label, centre_name
                )
            )
        return sentences


# The sentences, one function each, so that the engine that explains many series at once
# (evaluation.outcomes) writes exactly these words.


def long_run_sentence(n_points: int, direction: int, period_label: str, centre_name: str) -> str:
    return (
        f"{n_points} {period_label} in a row {_side_word(direction)} the "
        f"{centre_name}: this is unlikely to be chance."
    )


def crossings_sentence(
    crossings: int, n_useful: int, crossings_min: int, period_label: str, centre_name: str
) -> str:
    return (
        f"The line crosses the {centre_name} only {crossings} "
        f"{_plural('times', crossings or 0)} in {n_useful} {period_label}; "
        f"fewer than {crossings_min} crossings is unlikely to be chance, "
        "so the process has probably shifted."
    )


def shift_sentence(n_points: int, direction: int, period_label: str) -> str:
    return (
        f"Shift: {n_points} {period_label} in a row {_side_word(direction)} "
        "the median (6 or more is a signal): this is unlikely to be chance."
    )


def trend_sentence(n_points: int, direction: int, period_label: str) -> str:
    way = "up" if direction > 0 else "down"
    return (
        f"Trend: {n_points} {period_label} in a row going {way} "
        "(5 or more is a signal): this is unlikely to be chance."
    )


def astronomical_sentence(index: int, high: bool, period_label: str, when: str = "") -> str:
    """Point `index` (from 0) is an astronomical point, above the median when `high`;
    `when` names the point instead of its number ("Week 3")."""
    return (
        f"{when or _point_name(index, period_label)} is unusually "
        f"{'high' if high else 'low'} (an astronomical point): "
        "check what happened then."
    )


def outside_sentence(index: int, above: bool, period_label: str, when: str = "") -> str:
    """Point `index` (from 0) is outside a p chart's limits, the upper one when `above`;
    `when` names the point instead of its number ("Week 3")."""
    return (
        f"{when or _point_name(index, period_label)} is outside the "
        f"{'upper' if above else 'lower'} control limit: this is unlikely to be chance "
        "(special cause variation)."
    )


def _point_name(index: int, period_label: str) -> str:
    return f"{_singular(period_label).capitalize()} {index + 1}"


def no_signal_sentence() -> str:
    return "No signal: the variation looks like common cause (random) variation."


def _runs(sides: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group (index, side) pairs into runs of the same side (R's ``rle``)."""
    runs: list[list[tuple[int, int]]] = []
    for item in sides:
        if runs and runs[-1][-1][1] == item[1]:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _useful_sides(values: Sequence[float | None], centre: float | None) -> list[tuple[int, int]]:
    if centre is None:
        return []
    sides = [(i, _sign(v - centre)) for i, v in _present(values)]
    return [(i, s) for i, s in sides if s != 0]


def _episode(run: list[tuple[int, int]]) -> Episode:
    return Episode(start=run[0][0], end=run[-1][0], n_points=len(run), direction=run[0][1])


def runs_analysis(values: Sequence[Value], centre: float | None = None) -> RunsAnalysis:
    """Anhøj runs analysis around ``centre`` (default: the median of the non-missing values).

    Source: qicharts2 0.8 ``runs.analysis``: ``runs <- sign(y - cl)``; drop zeros and NA;
    ``longest.run = max(rle(runs)$lengths)``, ``n.crossings = max(n.runs - 1, 0)``,
    ``runs.signal = longest.run > longest.run.max || n.crossings < n.crossings.min``.
    ``n_obs`` here counts non-missing points (qicharts2 counts missing points too).
    """
    clean = _clean(values)
    present = [v for _, v in _present(clean)]
    name = "median" if centre is None else "centre line"
    if centre is None and present:
        centre = statistics.median(present)
    sides = _useful_sides(clean, centre)
    n_useful = len(sides)
    if not n_useful:
        return RunsAnalysis(
            centre, len(present), 0, None, None, None, None, False, (False,) * len(clean), (), name
        )
    runs = _runs(sides)
    longest = max(len(run) for run in runs)
    longest_max = longest_run_limit(n_useful)
    crossings = max(len(runs) - 1, 0)
    crossings_min = crossings_limit(n_useful)
    long_runs = tuple(_episode(run) for run in runs if len(run) > longest_max)
    marked = {i for run in runs if len(run) > longest_max for i, _ in run}
    return RunsAnalysis(
        centre=centre,
        n_obs=len(present),
        n_useful=n_useful,
        longest_run=longest,
        longest_run_max=longest_max,
        crossings=crossings,
        crossings_min=crossings_min,
        signal=longest > longest_max or crossings < crossings_min,
        runs_signal_points=tuple(i in marked for i in range(len(clean))),
        long_runs=long_runs,
        centre_name=name,
    )


# --------------------------------------------------------------------------- IHI rules


def _ihi_shifts(sides: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """IHI shift: 6+ consecutive points on one side of the median; points on it are skipped.

    Source: Perla, Provost & Murray (2011), rule 1 ("values that fall on the median do not add
    to nor break a shift").  Points on the median inside a shift are not flagged.
    """
    return [run for run in _runs(sides) if len(run) >= IHI_SHIFT_POINTS]


def _ihi_trends(values: Sequence[float | None]) -> tuple[Episode, ...]:
    """IHI trend: 5+ consecutive points all going up or all going down.

    Source: Perla, Provost & Murray (2011), rule 2: "if the value of two or more successive
    points is the same, ignore one of the points when counting".  So a repeated value neither
    breaks nor extends a trend (it is skipped), and missing values are skipped too.  The
    episode's ``n_points`` counts distinct steps + 1; ``start``/``end`` span any skipped points.
    """
    kept: list[tuple[int, float]] = []
    for i, v in _present(values):
        if not kept or v != kept[-1][1]:
            kept.append((i, v))
    steps = [
        (kept[k][0], kept[k + 1][0], _sign(kept[k + 1][1] - kept[k][1]))
        for k in range(len(kept) - 1)
    ]
    trends: list[Episode] = []
    k = 0
    while k < len(steps):
        j = k
        while j + 1 < len(steps) and steps[j + 1][2] == steps[k][2]:
            j += 1
        n_points = j - k + 2
        if n_points >= IHI_TREND_POINTS:
            trends.append(Episode(steps[k][0], steps[j][1], n_points, steps[k][2]))
        k = j + 1
    return tuple(trends)


def _astronomical(
    values: Sequence[float | None], centre: float | None
) -> tuple[tuple[int, ...], tuple[float, float] | None]:
    """Approximate IHI astronomical points: outside median ± 3 × (mean moving range / 1.128).

    IHI (Perla, Provost & Murray 2011, rule 4) leaves "an obviously, or blatantly, different
    value" to judgement; this XmR-style screen (Montgomery 2009, d2 = 1.128) is our
    approximation, named ``ASTRONOMICAL_RULE``.  Moving ranges join successive non-missing
    points.
    """
    present = _present(values)
    amr = _mean_moving_range([v for _, v in present])
    if amr is None or centre is None:
        return (), None
    spread = 3 * amr / D2
    low, high = centre - spread, centre + spread
    return tuple(i for i, v in present if v < low or v > high), (low, high)


def _mark(episodes: Sequence[Episode], values: Sequence[float | None]) -> tuple[bool, ...]:
    marked = {
        i
        for episode in episodes
        for i in range(episode.start, episode.end + 1)
        if values[i] is not None
    }
    return tuple(i in marked for i in range(len(values)))


# --------------------------------------------------------------------------- run chart


@dataclass(frozen=True)
class RunChart:
    """Run chart around the median with Anhøj and IHI rules.

    ``signal`` is the Anhøj runs signal (qicharts2 ``runs.signal``).  ``shift`` and ``trend`` are
    per-point flags for the IHI rules; ``astronomical`` lists indices of points outside
    ``astronomical_limits`` (see ``ASTRONOMICAL_RULE``).
    """

    values: tuple[float | None, ...]
    centre: float | None
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool
    runs_signal_points: tuple[bool, ...]
    runs: RunsAnalysis
    shift: tuple[bool, ...]
    trend: tuple[bool, ...]
    shifts: tuple[Episode, ...]
    trends: tuple[Episode, ...]
    astronomical: tuple[int, ...]
    astronomical_limits: tuple[float, float] | None

    @property
    def any_signal(self) -> bool:
        """True if any Anhøj or IHI rule fires."""
        return self.signal or bool(self.shifts or self.trends or self.astronomical)

    def explanations(self, period_label: str = "weeks") -> list[str]:
        """Plain-English sentences for every signal, or a single common-cause sentence."""
        sentences = self.runs.explanations(period_label, "median")
        sentences += [shift_sentence(e.n_points, e.direction, period_label) for e in self.shifts]
        sentences += [trend_sentence(e.n_points, e.direction, period_label) for e in self.trends]
        sentences += [self._astronomical_sentence(i, period_label) for i in self.astronomical]
        return sentences or [no_signal_sentence()]

    def _astronomical_sentence(self, index: int, period_label: str) -> str:
        value = self.values[index]
        high = value is not None and self.centre is not None and value > self.centre
        return astronomical_sentence(index, high, period_label)


def run_chart(values: Sequence[Value]) -> RunChart:
    """Run chart of ``values`` (``None``/NaN = missing) around their median.

    Anhøj rules as qicharts2 0.8 ``qic(chart = "run")``; IHI rules per Perla et al. (2011).
    Empty, all-missing and all-on-the-median series give no useful points and no signal.
    """
    clean = _clean(values)
    runs = runs_analysis(clean)
    shift_runs = _ihi_shifts(_useful_sides(clean, runs.centre))
    shift_points = {i for run in shift_runs for i, _ in run}
    trends = _ihi_trends(clean)
    astronomical, limits = _astronomical(clean, runs.centre)
    return RunChart(
        values=clean,
        centre=runs.centre,
        n_obs=runs.n_obs,
        n_useful=runs.n_useful,
        longest_run=runs.longest_run,
        longest_run_max=runs.longest_run_max,
        crossings=runs.crossings,
        crossings_min=runs.crossings_min,
        signal=runs.signal,
        runs_signal_points=runs.runs_signal_points,
        runs=runs,
        shift=tuple(i in shift_points for i in range(len(clean))),
        trend=_mark(trends, clean),
        shifts=tuple(_episode(run) for run in shift_runs),
        trends=trends,
        astronomical=astronomical,
        astronomical_limits=limits,
    )


@dataclass(frozen=True)
class PrefixRuns:
    """The Anhøj numbers and IHI flags of one prefix of a series, about its last point."""

    centre: float | None
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool
    shift: bool
    trend: bool


def prefix_runs(
    values: Sequence[Value], centres: Sequence[float | None] | None = None
) -> list[PrefixRuns]:
    """``run_chart(values[:k + 1])`` for every k: what each period's summary stores as "the
    analysis up to that period".

    Around the prefix's median (as ``run_chart``), or around ``centres[k]`` when given (a
    control chart's centre line, as ``runs_analysis(values[:k + 1], centres[k])``).  The
    results equal ``run_chart``'s (``longest_run`` … ``signal``; ``shift`` and ``trend`` are
    the flags of the prefix's last point); the tests check this on random series.  One
    series at a time through ``prefix_runs_arrays``, which does many at once.
    """
    clean = _clean(values)
    if not clean:
        return []
    row = np.array([[math.nan if v is None else v for v in clean]])
    given = None
    if centres is not None:
        given = np.array([[math.nan if c is None else c for c in centres[: len(clean)]]])
    arrays = {name: a[0].tolist() for name, a in prefix_runs_arrays(row, given).items()}
    results = []
    for k in range(len(clean)):
        centre = arrays["centre"][k]
        centre = None if math.isnan(centre) else centre
        if not arrays["n_useful"][k]:
            results.append(PrefixRuns(centre, 0, None, None, None, None, False, False, False))
            continue
        results.append(
            PrefixRuns(
                centre=centre,
                n_useful=arrays["n_useful"][k],
                longest_run=arrays["longest_run"][k],
                longest_run_max=arrays["longest_run_max"][k],
                crossings=arrays["crossings"][k],
                crossings_min=arrays["crossings_min"][k],
                signal=arrays["signal"][k],
                shift=arrays["shift"][k],
                trend=arrays["trend"][k],
            )
        )
    return results


def _run_lengths(sides: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sides (+1, -1, or 0 for a point that does not count) along the last axis: each
    counting point's position in its run (1, 2, …; 0 elsewhere) and whether it starts a
    run. Points that do not count neither break nor extend a run (R's ``rle`` after
    dropping them, as ``_runs`` does)."""
    n = sides.shape[-1]
    counts = sides != 0
    position = np.where(counts, np.arange(n), -1)
    last = np.maximum.accumulate(position, axis=-1)
    before = np.full_like(last, -1)
    before[..., 1:] = last[..., :-1]
    previous_side = np.where(
        before >= 0, np.take_along_axis(sides, np.maximum(before, 0), axis=-1), 0
    )
    starts = counts & (previous_side != sides)
    counted = np.cumsum(counts, axis=-1)
    run_start = np.maximum.accumulate(np.where(starts, counted, 0), axis=-1)
    return np.where(counts, counted - run_start + 1, 0), starts


@functools.cache
def limit_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``longest_run_limit`` and ``crossings_limit`` for 0..n useful points (0 at 0)."""
    longest = np.array([0] + [longest_run_limit(i) for i in range(1, n + 1)])
    crossings = np.array([0] + [crossings_limit(i) for i in range(1, n + 1)])
    return longest, crossings


def prefix_medians(values: np.ndarray) -> np.ndarray:
    """The median of every prefix of every row (NaN = missing; NaN when none), computed as
    ``statistics.median`` does: the middle value, or the mean of the middle two."""
    n = values.shape[-1]
    present = ~np.isnan(values)
    lower = np.tri(n, dtype=bool)
    ordered = np.where(lower & present[:, None, :], values[:, None, :], np.inf)
    ordered.sort(axis=-1)
    return _middle(ordered, np.cumsum(present, axis=-1))


def _middle(ordered: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The median of the first ``count`` values of each sorted row of ``ordered`` (NaN when
    none): the middle value, or the mean of the middle two, as ``statistics.median``."""
    n = ordered.shape[-1]
    high = np.take_along_axis(ordered, (count // 2)[..., None].clip(0, n - 1), -1)[..., 0]
    low = np.take_along_axis(ordered, ((count - 1) // 2)[..., None].clip(0, n - 1), -1)[..., 0]
    with np.errstate(invalid="ignore"):
        medians = np.where(count % 2 == 1, high, (low + high) / 2)
    return np.where(count > 0, medians, np.nan)


def prefix_runs_arrays(
    values: np.ndarray, centres: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """``prefix_runs`` for many series at once, vectorised with numpy.

    ``values`` is (series, periods) with NaN for a missing point (and for the padding after
    a shorter series ends: a prefix never looks past its own end, so padding changes
    nothing).  Returns (series, periods) arrays named as ``PrefixRuns``' fields; ``centre``
    is NaN and the Anhøj numbers 0 where there is no centre or no useful point.  Memory is
    series × periods², so callers pass a few hundred series at a time.
    """
    values = np.asarray(values, dtype=float)
    n = values.shape[-1]
    centre = prefix_medians(values) if centres is None else np.asarray(centres, dtype=float)
    lower = np.tri(n, dtype=bool)  # [k, i]: point i is in prefix k
    above = values[:, None, :] > centre[:, :, None]
    below = values[:, None, :] < centre[:, :, None]
    sides = np.where(lower, above.astype(np.int8) - below.astype(np.int8), np.int8(0))
    lengths, starts = _run_lengths(sides)
    n_useful = np.count_nonzero(sides, axis=-1)
    longest = lengths.max(axis=-1)
    crossings = np.maximum(starts.sum(axis=-1) - 1, 0)
    last = np.diagonal(lengths, axis1=1, axis2=2)  # the prefix's own last point
    return _runs_results(n, centre, n_useful, longest, crossings, last, trend_flags(values))


def runs_at(values: np.ndarray, ends: np.ndarray) -> dict[str, np.ndarray]:
    """``prefix_runs_arrays``' results for one prefix of each row: row i's up to and
    including point ``ends[i]`` (points after it are ignored).  The same numbers, worked
    out the same way, in series × periods steps instead of series × periods², for a
    recompute that needs the analysis of a few prefixes of each series (the periods whose
    answers changed).  ``values`` is (rows, periods) with NaN for a missing point; returns
    (rows,) arrays.  The tests check it against ``prefix_runs_arrays`` on random series.
    """
    values = np.asarray(values, dtype=float)
    n = values.shape[-1]
    ends = np.asarray(ends, dtype=np.int64)
    values = np.where(np.arange(n) <= ends[:, None], values, np.nan)
    present = ~np.isnan(values)
    ordered = np.sort(np.where(present, values, np.inf), axis=-1)
    centre = _middle(ordered, np.count_nonzero(present, axis=-1))
    sides = (values > centre[:, None]).astype(np.int8) - (values < centre[:, None])
    lengths, starts = _run_lengths(sides)
    n_useful = np.count_nonzero(sides, axis=-1)
    longest = lengths.max(axis=-1)
    crossings = np.maximum(starts.sum(axis=-1) - 1, 0)
    rows = np.arange(len(ends))
    last = lengths[rows, ends]
    trend = trend_flags(values)[rows, ends]
    return _runs_results(n, centre, n_useful, longest, crossings, last, trend)


def _runs_results(n, centre, n_useful, longest, crossings, last, trend) -> dict[str, np.ndarray]:
    """The Anhøj limits and signals, and the IHI flags of the last point, from the runs."""
    longest_table, crossings_table = limit_tables(n)
    longest_max = longest_table[n_useful]
    crossings_min = crossings_table[n_useful]
    useful = n_useful > 0
    return {
        "centre": centre,
        "n_useful": n_useful,
        "longest_run": longest,
        "longest_run_max": longest_max,
        "crossings": crossings,
        "crossings_min": crossings_min,
        "signal": useful & ((longest > longest_max) | (crossings < crossings_min)),
        "shift": useful & (last >= IHI_SHIFT_POINTS),
        "trend": useful & trend,
    }


def trend_flags(values: np.ndarray) -> np.ndarray:
    """For each point, whether it ends an IHI trend of the series up to it (as
    ``_ihi_trends`` and ``_mark`` decide for its prefix): it is a kept point (not missing,
    not equal to the point before) and the last of 5+ points moving the same way."""
    steps = trend_steps(values)
    lengths, _ = _run_lengths(steps)
    return (steps != 0) & (lengths + 1 >= IHI_TREND_POINTS)


# --------------------------------------------------------------------------- p chart


@dataclass(frozen=True)
class PChart:
    """P (or Laney p′) chart.  Points with a zero denominator are missing (``None``)."""

    numerators: tuple[int, ...]
    denominators: tuple[int, ...]
    centre: float | None
    values: tuple[float | None, ...]
    lcl: tuple[float | None, ...]
    ucl: tuple[float | None, ...]
    sigma_signals: tuple[bool, ...]
    runs: RunsAnalysis
    laney: bool
    sigma_z: float | None

    @property
    def signal(self) -> bool:
        return any(self.sigma_signals) or self.runs.signal

    def explanations(self, period_label: str = "weeks") -> list[str]:
        """Plain-English sentences for every signal, or a single common-cause sentence."""
        sentences = [
            self._outside_sentence(i, period_label) for i, s in enumerate(self.sigma_signals) if s
        ]
        sentences += self.runs.explanations(period_label, "average")
        return sentences or [no_signal_sentence()]

    def _outside_sentence(self, index: int, period_label: str) -> str:
        value, centre = self.values[index], self.centre
        above = value is not None and centre is not None and value > centre
        return outside_sentence(index, above, period_label)


def _check_counts(numerators: Sequence[int], denominators: Sequence[int]) -> None:
    if len(numerators) != len(denominators):
        raise ValueError("numerators and denominators must have the same length")
    for num, den in zip(numerators, denominators, strict=True):
        if num < 0 or den < 0 or num > den:
            raise ValueError("need 0 <= numerator <= denominator for every point")


def _laney_sigma_z(
    values: Sequence[float | None], sigmas: Sequence[float | None], centre: float, screen: bool
) -> float | None:
    """Laney's sigma_z: mean moving range of z-scores / 1.128, optionally screened.

    Source: qicharts2 0.8 ``qic.pp`` (Laney 2002); moving ranges ``>= 3.267 × mean`` are dropped
    when the option ``qic.screenedmr`` is TRUE, which qicharts2 0.8 sets on attach.
    """
    z = [(v - centre) / s for v, s in zip(values, sigmas, strict=True) if v is not None and s]
    ranges = [abs(b - a) for a, b in zip(z, z[1:], strict=False)]
    if not ranges:
        return None
    amr = statistics.fmean(ranges)
    if screen:
        kept = [r for r in ranges if r < MR_SCREEN * amr]
        amr = statistics.fmean(kept) if kept else amr
    return amr / D2


def p_chart(
    numerators: Sequence[int],
    denominators: Sequence[int],
    *,
    laney: bool = False,
    screen_mr: bool = True,
) -> PChart:
    """P chart: ``centre = sum(num) / sum(den)``; limits ``centre ± 3·sqrt(c(1−c)/n_i)``.

    Source: qicharts2 0.8 ``qic.p`` (Montgomery 2009) and, with ``laney=True``, ``qic.pp``
    (Laney 2002): sigma_i is multiplied by sigma_z.  Limits are clipped to [0, 1]; a point is a
    sigma signal when strictly outside its limits (qicharts2 ``sigma.signal``).  The runs
    analysis is around the centre line, as qicharts2 does for control charts.
    """
    _check_counts(numerators, denominators)
    total_n = sum(d for d in denominators if d > 0)
    centre = (
        sum(n for n, d in zip(numerators, denominators, strict=True) if d > 0) / total_n
        if total_n
        else None
    )
    values = tuple(n / d if d > 0 else None for n, d in zip(numerators, denominators, strict=True))
    sigmas: list[float | None] = [
        math.sqrt(centre * (1 - centre) / d) if d > 0 and centre is not None else None
        for d in denominators
    ]
    sigma_z = None
    if laney and centre is not None:
        sigma_z = _laney_sigma_z(values, sigmas, centre, screen_mr)
        sigmas = _laney_sigmas(sigmas, sigma_z, centre)
    lcl = tuple(
        _clip(centre - 3 * s) if s is not None and centre is not None else None for s in sigmas
    )
    ucl = tuple(
        _clip(centre + 3 * s) if s is not None and centre is not None else None for s in sigmas
    )
    signals = tuple(
        v is not None and lo is not None and hi is not None and (v < lo or v > hi)
        for v, lo, hi in zip(values, lcl, ucl, strict=True)
    )
    return PChart(
        numerators=tuple(numerators),
        denominators=tuple(denominators),
        centre=centre,
        values=values,
        lcl=lcl,
        ucl=ucl,
        sigma_signals=signals,
        runs=runs_analysis(values, centre) if centre is not None else runs_analysis(values),
        laney=laney,
        sigma_z=sigma_z,
    )


def p_chart_limits(centre: float, denominator: int) -> tuple[float, float]:
    """One point's p-chart limits, ``centre ± 3·sqrt(c(1−c)/n)`` clipped to [0, 1], as
    ``p_chart`` computes them (qicharts2 0.8 ``qic.p``)."""
    sigma = math.sqrt(centre * (1 - centre) / denominator)
    return _clip(centre - 3 * sigma), _clip(centre + 3 * sigma)


def _laney_sigmas(
    sigmas: Sequence[float | None], sigma_z: float | None, centre: float
) -> list[float | None]:
    """Multiply each sigma by sigma_z.  With no moving range of z (fewer than two usable points)
    there are no Laney limits (``None``), except when the centre is 0 or 1, where every sigma
    is 0 and the limits equal the centre whatever sigma_z is."""
    if sigma_z is None:
        sigma_z = 0.0 if centre in (0.0, 1.0) else None
    if sigma_z is None:
        return [None] * len(sigmas)
    return [s * sigma_z if s is not None else None for s in sigmas]


def _clip(limit: float) -> float:
    return min(1.0, max(0.0, limit))


# --------------------------------------------------------------------------- XmR chart
# Rules mirror NHSRplotthedots 0.2 R/ptd_calculate_point_type.R, function by function.


def seven_point_one_side_mean(relative_to_mean: Sequence[int]) -> list[int]:
    """1 at the 7th (and later) point of 7 in a row on the same side of the mean.

    Source: NHSRplotthedots ``ptd_seven_point_one_side_mean``; a point on the mean (0) breaks it.
    The package compares each point with the 6 before it; counting the run so far gives the
    same flags in one pass.
    """
    out, run, before = [], 0, 0
    for side in relative_to_mean:
        run = 0 if side == 0 else run + 1 if side == before else 1
        before = side
        out.append(int(run >= PTD_RUN_POINTS))
    return out


def part_of_seven(flags: Sequence[int]) -> list[int]:
    """1 for a point that is, or is among the 6 points before, a flagged 7th point.

    Source: NHSRplotthedots ``ptd_part_of_seven_trend``, which looks 6 points ahead of each
    point; the distance to the next flagged point, counted from the end, is the same test.
    """
    out = [0] * len(flags)
    next_flag = len(flags) + PTD_RUN_POINTS
    for i in range(len(flags) - 1, -1, -1):
        if abs(flags[i]) == 1:
            next_flag = i
        out[i] = int(next_flag - i < PTD_RUN_POINTS)
    return out


def seven_point_trend(y: Sequence[float]) -> list[int]:
    """+1/−1 at the last point of 7 points each strictly higher/lower than the one before.

    Source: NHSRplotthedots ``ptd_seven_point_trend``; equal neighbours break a trend. The
    package looks at the 6 steps up to each point; counting the steps the same way so far
    gives the same flags in one pass.
    """
    out = [0] * len(y)
    run, before = 0, 0
    for i in range(1, len(y)):
        step = _sign(y[i] - y[i - 1])
        run = 0 if step == 0 else run + 1 if step == before else 1
        before = step
        if run >= PTD_RUN_POINTS - 1:
            out[i] = step
    return out


def two_in_three(close: Sequence[int], relative_to_mean: Sequence[int]) -> list[int]:
    """1 for points in a window of 3 with 2+ close to a limit, all 3 on the same side.

    Source: NHSRplotthedots ``ptd_two_in_three``.
    """
    pad_close = [0, 0, *close, 0, 0]
    pad_side = [0, 0, *relative_to_mean, 0, 0]
    # each window of 3 once; a point is in the three that start up to 2 points before it
    window = [
        sum(pad_close[j : j + 3]) >= 2 and abs(sum(pad_side[j : j + 3])) == 3
        for j in range(len(close) + 2)
    ]
    return [int(window[i] or window[i + 1] or window[i + 2]) for i in range(len(close))]


def part_of_two_in_three(flags: Sequence[int], close: Sequence[int]) -> list[int]:
    """Only the close-to-limit points of a 2-in-3 window are flagged.

    Source: NHSRplotthedots ``ptd_part_of_two_in_three``.
    """
    return [int(f == 1 and abs(c) == 1) for f, c in zip(flags, close, strict=True)]


def _trend_direction(y: Sequence[float], in_trend: Sequence[int], i: int) -> int:
    """Direction of point i in a trend: use the step to the right if the next point is also
    in the trend, else the step from the left (NHSRplotthedots ``ptd_special_cause_type``)."""
    n = len(y)
    if in_trend[i] and i + 1 < n and in_trend[i + 1]:
        return _sign(y[i + 1] - y[i])
    return _sign(y[i] - y[i - 1]) if i > 0 else 0


def special_cause_types(
    y: Sequence[float],
    relative_to_mean: Sequence[int],
    close: Sequence[int],
    outside: Sequence[int],
) -> list[str]:
    """Label each point with the package's special-cause type, in its order of precedence.

    Source: NHSRplotthedots ``ptd_special_cause_type``: outside the limits ("Above UCL" /
    "Below LCL") > 7-point trend > 2 of 3 close to a limit > 7 points one side of the mean.
    """
    trend = part_of_seven(seven_point_trend(y))
    two_three = part_of_two_in_three(two_in_three(close, relative_to_mean), close)
    one_side = part_of_seven(seven_point_one_side_mean(relative_to_mean))
    labels = []
    for i in range(len(y)):
        side = "Above" if relative_to_mean[i] > 0 else "Below"
        if outside[i]:
            labels.append("Above UCL" if relative_to_mean[i] == 1 else "Below LCL")
        elif trend[i]:
            way = "In" if _trend_direction(y, trend, i) == 1 else "De"
            labels.append(f"7 Point Trend ({way}creasing)")
        elif two_three[i]:
            labels.append(f"2 in 3 {side} CL")
        elif one_side[i]:
            labels.append(f"7 Points {side} CL")
        else:
            labels.append(COMMON_CAUSE)
    return labels


_DIRECTIONS = {"increase": 1, "neutral": 0, "decrease": -1}


def point_type(special_cause_type: str, improvement: Improvement) -> str:
    """Map a special-cause type to the package's point type (``ptd_point_type``)."""
    if "Above" in special_cause_type or "Increasing" in special_cause_type:
        v = 1
    elif "Below" in special_cause_type or "Decreasing" in special_cause_type:
        v = -1
    else:
        return "common_cause"
    direction = _DIRECTIONS[improvement]
    if direction == 0:
        return "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if v * direction > 0 else "special_cause_concern"


def variation_icon(last_point_type: str, improvement: Improvement) -> str:
    """Name of the Making Data Count variation icon (``ptd_get_icons`` in geom_ptd_icon.R)."""
    high_low = "high" if improvement == "increase" else "low"
    low_high = "low" if improvement == "increase" else "high"
    return {
        "common_cause": "common_cause",
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
        "special_cause_concern": f"concern_{low_high}",
        "special_cause_improvement": f"improvement_{high_low}",
    }[last_point_type]


def assurance_type(
    target: float | None, lpl: float, upl: float, improvement: Improvement
) -> str | None:
    """Assurance against a target (``ptd_calculate_assurance_type``), from the latest limits.

    ``consistent_pass`` / ``consistent_fail`` when the target lies outside the process limits,
    ``inconsistent`` (hit and miss) otherwise; ``None`` without a target or when neutral.
    NaN limits compare false, so they give ``inconsistent`` as R's ``case_when`` does.
    """
    if target is None or improvement == "neutral":
        return None
    increasing = improvement == "increase"
    if target > upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


@dataclass(frozen=True)
class XmRPhase:
    """One set of limits (a rebase group).  ``end`` is inclusive."""

    start: int
    end: int
    mean: float
    mean_moving_range: float
    lpl: float
    upl: float
    n_baseline: int  # points used for the limits (fix_after_n_points)

    @property
    def n_points(self) -> int:
        return self.end - self.start + 1

    @property
    def trial_limits(self) -> bool:
        """NHSRplotthedots warns that phases of fewer than 13 points have trial limits."""
        return self.n_points < SHORT_PHASE


@dataclass(frozen=True)
class XmRChart:
    """XmR chart as NHSRplotthedots ``ptd_spc``.  ``mean``/``lpl``/``upl`` are the latest phase's;
    per-point lines are in ``centre_line``, ``lower_limits`` and ``upper_limits``."""

    values: tuple[float, ...]
    improvement: Improvement
    target: float | None
    phases: tuple[XmRPhase, ...]
    mean: float
    mean_moving_range: float
    lpl: float
    upl: float
    centre_line: tuple[float, ...]
    lower_limits: tuple[float, ...]
    upper_limits: tuple[float, ...]
    special_cause_type: tuple[str, ...]
    special_cause: tuple[bool, ...]
    point_types: tuple[str, ...]
    variation: str
    variation_icon: str
    assurance: str | None

    def explanations(self, period_label: str = "weeks") -> list[str]:
        """Plain-English sentences for every special-cause episode and for assurance."""
        sentences = [
            _xmr_sentence(label, start, count, period_label)
            for label, start, count in _episodes(self.special_cause_type)
        ]
        if not sentences:
            sentences.append(no_signal_sentence())
        if self.assurance is not None:
            sentences.append(_assurance_sentence(self.assurance, self.target))
        return sentences


def _episodes(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """Group special-cause points with equal labels into (label, start, count); a "2 in 3"
    episode may skip the one unflagged point that its 3-point window can contain."""
    out: list[tuple[str, int, int]] = []
    for i, label in enumerate(labels):
        if label == COMMON_CAUSE:
            continue
        gap = 2 if label.startswith("2 in 3") else 1
        if out and out[-1][0] == label and i - (out[-1][1] + out[-1][2] - 1) <= gap:
            out[-1] = (label, out[-1][1], i - out[-1][1] + 1)
        else:
            out.append((label, i, 1))
    return out


def _xmr_sentence(label: str, start: int, count: int, period_label: str) -> str:
    first = f"{_singular(period_label)} {start + 1}"
    if label in ("Above UCL", "Below LCL"):
        where = "above the upper" if label == "Above UCL" else "below the lower"
        what = (
            f"{count} {_plural(period_label, count)} from {first}"
            if count > 1
            else first.capitalize()
        )
        verb = "are" if count > 1 else "is"
        return (
            f"{what} {verb} {where} process limit: "
            "this is unlikely to be chance (special cause variation)."
        )
    if label.startswith("7 Point Trend"):
        way = "up" if "Increasing" in label else "down"
        return (
            f"{count} {period_label} in a row going {way} from {first} "
            "(7 or more is a signal): this is unlikely to be chance."
        )
    side = "above" if "Above" in label else "below"
    if label.startswith("2 in 3"):
        limit = "upper" if side == "above" else "lower"
        return (
            f"2 out of 3 {period_label} in a row close to the {limit} process limit "
            f"(from {first}): this is unlikely to be chance."
        )
    return (
        f"{count} {period_label} in a row {side} the mean from {first} "
        "(7 or more is a signal): this is unlikely to be chance."
    )


def _assurance_sentence(assurance: str, target: float | None) -> str:
    return {
        "consistent_pass": f"The process limits are all on the right side of the target "
        f"({target:g}): the process will consistently meet it.",
        "consistent_fail": f"The process limits are all on the wrong side of the target "
        f"({target:g}): the process will not meet it without change.",
        "inconsistent": f"The target ({target:g}) lies between the process limits: the "
        "process will hit and miss it by chance.",
    }[assurance]


def _phase_limits(
    y: Sequence[float], start: int, end: int, baseline: int | None, screen: bool
) -> XmRPhase:
    """Mean and limits of one rebase group (NHSRplotthedots ``ptd_spc_standard``).

    ``fix_y`` keeps the first ``baseline`` points; moving ranges ``>= 3.267 × mean MR`` are
    excluded once and the mean recomputed when ``screen`` (``screen_outliers = TRUE``).  Where
    every range would be excluded (only when they are all zero) R yields NaN limits; we keep
    the mean moving range of zero so the limits equal the mean.  A one-point phase has NaN
    limits, as in R.
    """
    fixed = list(y[start : end + 1])[: baseline or None]
    mean = statistics.fmean(fixed)
    ranges = [abs(b - a) for a, b in zip(fixed, fixed[1:], strict=False)]
    amr = statistics.fmean(ranges) if ranges else math.nan
    if screen and ranges:
        kept = [r for r in ranges if r < MR_SCREEN * amr]
        amr = statistics.fmean(kept) if kept else amr
    return XmRPhase(
        start, end, mean, amr, mean - XMR_LIMIT * amr, mean + XMR_LIMIT * amr, len(fixed)
    )


def _phase_types(y: Sequence[float], phase: XmRPhase) -> list[str]:
    segment = y[phase.start : phase.end + 1]
    near = 2 * (XMR_LIMIT / 3) * phase.mean_moving_range
    rtm = [_sign(v - phase.mean) for v in segment]
    outside = [int(v > phase.upl or v < phase.lpl) for v in segment]
    close = [
        int(not out and (v < phase.mean - near or v > phase.mean + near))
        for v, out in zip(segment, outside, strict=True)
    ]
    return special_cause_types(segment, rtm, close, outside)


def _check_xmr_args(
    y: Sequence[float | None], improvement: str, baseline: int | None, rebase: Sequence[int]
) -> None:
    if not y:
        raise ValueError("an XmR chart needs at least one value")
    if any(v is None for v in y):
        raise ValueError("XmR values must not be missing: NHSRplotthedots has no rule for gaps")
    if improvement not in _DIRECTIONS:
        raise ValueError("improvement must be 'increase', 'decrease' or 'neutral'")
    if baseline is not None and baseline < MIN_BASELINE:
        raise ValueError("baseline (fix_after_n_points) must be at least 12")
    if any(not 0 <= i < len(y) for i in rebase):
        raise ValueError("rebase indices must be positions in values")


def xmr_chart(
    values: Sequence[Value],
    improvement: Improvement = "increase",
    target: float | None = None,
    *,
    baseline: int | None = None,
    rebase: Sequence[int] = (),
    screen_outliers: bool = True,
) -> XmRChart:
    """XmR chart with Making Data Count rules, as NHSRplotthedots ``ptd_spc``.

    ``baseline`` is ``fix_after_n_points`` (limits from the first n points of each phase, n ≥ 12);
    ``rebase`` lists indices where a new phase starts (limits recalculated from that point);
    each phase is analysed separately, as the package groups by ``rebase_group``.  Missing
    values are rejected.  ``variation`` is the point type of the last point and ``assurance``
    uses the last phase's limits, as the package's icons do.
    """
    y = _clean(values)
    _check_xmr_args(y, improvement, baseline, rebase)
    numbers = [float(v) for v in y if v is not None]
    starts = sorted({0, *rebase})
    ends = [s - 1 for s in starts[1:]] + [len(numbers) - 1]
    phases = tuple(
        _phase_limits(numbers, s, e, baseline, screen_outliers)
        for s, e in zip(starts, ends, strict=True)
    )
    labels = [label for phase in phases for label in _phase_types(numbers, phase)]
    types = [point_type(label, improvement) for label in labels]
    last = phases[-1]

    def per_point(field: str) -> tuple[float, ...]:
        return tuple(getattr(p, field) for p in phases for _ in range(p.n_points))

    return XmRChart(
        values=tuple(numbers),
        improvement=improvement,
        target=target,
        phases=phases,
        mean=last.mean,
        mean_moving_range=last.mean_moving_range,
        lpl=last.lpl,
        upl=last.upl,
        centre_line=per_point("mean"),
        lower_limits=per_point("lpl"),
        upper_limits=per_point("upl"),
        special_cause_type=tuple(labels),
        special_cause=tuple(label != COMMON_CAUSE for label in labels),
        point_types=tuple(types),
        variation=types[-1],
        variation_icon=variation_icon(types[-1], improvement),
        assurance=assurance_type(target, last.lpl, last.upl, improvement),
    )



def xmr_icons(
    values: Sequence[float], improvement: Improvement = "increase", target: float | None = None
) -> tuple[str, str | None]:
    """``xmr_chart(values, improvement, target)``'s ``variation_icon`` and ``assurance``
    (one phase, screened moving ranges), labelling the last point only: the dashboards
    show nothing else, and labelling every point cost five times as much.

    No rule looks more than PTD_RUN_POINTS points back from the point it labels, nor
    past the last point (``part_of_seven`` and ``two_in_three`` look ahead), so the last
    point's label is ``_phase_types`` of the last PTD_RUN_POINTS points against the
    whole phase's limits. A test holds this to ``xmr_chart`` for any values.
    """
    y = _clean(values)
    _check_xmr_args(y, improvement, None, ())
    numbers = [float(v) for v in y]
    phase = _phase_limits(numbers, 0, len(numbers) - 1, None, True)
    last_points = replace(phase, start=max(phase.end - PTD_RUN_POINTS + 1, 0))
    label = _phase_types(numbers, last_points)[-1]
    return (
        variation_icon(point_type(label, improvement), improvement),
        assurance_type(target, phase.lpl, phase.upl, improvement),
    )

# --------------------------------------------------------------------------- Wilson


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson (1927) score interval for a proportion ``successes / n``.

    ``(p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)``, clipped to [0, 1] against
    floating-point error.  Raises ``ValueError`` when ``n <= 0`` or ``successes`` is not in
    ``0..n`` (there is no interval for an empty sample).
    """
    if n <= 0:
        raise ValueError("n must be positive: there is no interval for an empty sample")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    middle = p + z2 / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    scale = 1 + z2 / n
    low = 0.0 if successes == 0 else max(0.0, (middle - half) / scale)
    high = 1.0 if successes == n else min(1.0, (middle + half) / scale)
    return low, high


# --------------------------------------------------------------------------- explain


def explain(
    result: RunChart | PChart | XmRChart | RunsAnalysis, period_label: str = "weeks"
) -> list[str]:
    """Plain-English sentences for every signal in ``result`` (see each ``explanations``)."""
    if isinstance(result, RunsAnalysis):
        return result.explanations(period_label) or [no_signal_sentence()]
    return result.explanations(period_label)


# --------------------------------------------------------------------------- many at once


def wilson_intervals(successes: np.ndarray, n: np.ndarray, z: float = Z_95):
    """``wilson_interval`` for arrays, with the same floating-point steps (so the same
    results); NaN where ``n`` is 0."""
    successes = np.asarray(successes, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        z2 = z * z
        middle = p + z2 / (2 * n)
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
        scale = 1 + z2 / n
        low = np.where(successes == 0, 0.0, np.maximum(0.0, (middle - half) / scale))
        high = np.where(successes == n, 1.0, np.minimum(1.0, (middle + half) / scale))
    empty = n <= 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def p_chart_limits_arrays(centre: np.ndarray, denominators: np.ndarray):
    """``p_chart_limits`` for arrays; NaN where the centre is NaN or the denominator 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(centre * (1 - centre) / denominators)
        lcl = np.minimum(1.0, np.maximum(0.0, centre - 3 * sigma))
        ucl = np.minimum(1.0, np.maximum(0.0, centre + 3 * sigma))
    none = np.isnan(centre) | (np.asarray(denominators) <= 0)
    return np.where(none, np.nan, lcl), np.where(none, np.nan, ucl)


def episodes(sides: np.ndarray) -> tuple[np.ndarray, ...]:
    """The runs of a (series, points) array of sides (0 = not counted), in order: their
    series, first and last point, number of points and direction."""
    lengths, starts = _run_lengths(sides)
    counted = sides != 0
    run = np.cumsum(starts.ravel()) - 1
    flat = run[counted.ravel()]
    series, first = np.nonzero(starts)
    n_points = np.bincount(flat, minlength=len(first))
    last = np.zeros(len(first), dtype=np.int64)
    np.maximum.at(last, flat, np.nonzero(counted)[1])
    return series, first, last, n_points, sides[series, first]


def previous_values(values: np.ndarray) -> np.ndarray:
    """The last present value before each point (NaN = missing; NaN when none)."""
    n = values.shape[-1]
    position = np.where(~np.isnan(values), np.arange(n), -1)
    last = np.maximum.accumulate(position, axis=-1)
    before = np.full_like(last, -1)
    before[..., 1:] = last[..., :-1]
    return np.where(
        before >= 0, np.take_along_axis(values, np.maximum(before, 0), axis=-1), np.nan
    )


def trend_steps(values: np.ndarray) -> np.ndarray:
    """+1 / -1 at each point that moves up / down from the point before it (missing and
    repeated points skipped, as ``_ihi_trends`` does), 0 elsewhere."""
    present = ~np.isnan(values)
    previous = previous_values(values)
    with np.errstate(invalid="ignore"):
        up = present & (values > previous)
        down = present & (values < previous)
    return up.astype(np.int8) - down.astype(np.int8)
