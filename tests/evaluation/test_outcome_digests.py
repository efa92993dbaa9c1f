"""Row digests: each row's digest names what it is worked out from (its series' counts up
to it, and the code); a recompute analyses and writes only the rows whose digest is not
stored, and deletes stored rows it did not make again (outcomes.py, ADR 016 and 017)."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import outcomes
from evaluation.models import Frequency, Outcome, OutcomeSummary
from evaluation.outcomes import (
    MONDAY_2000,
    Groups,
    Summaries,
    code_digest,
    input_digests,
    outcome_summaries_recompute,
    outcome_summaries_recompute_all,
    summarise,
)

from .outcome_data import answers, outcome_question

MONDAY = dt.date(2026, 3, 2)
OPTIONS = {1: (Outcome.SUCCESS, "Yes"), 2: (Outcome.NOT_SUCCESS, "No")}
WEEKS = 8


def _groups(counts: dict[int, list[tuple[int, int]]]) -> Groups:
    """Answer groups of one question an Always Event (event e: question 10e, options 2e-1
    and 2e): {event: [(yes, no) a week, …]}; a week's answers all on its Monday."""
    rows = []
    for event, weeks in counts.items():
        for week, (yes, no) in enumerate(weeks):
            day = MONDAY_2000 + 7 * week
            month = day - day % 28  # any grouping of weeks into months will do here
            for option, n in ((2 * event - 1, yes), (2 * event, no)):
                if n:
                    rows.append((event, 10 * event, option, day, month, n, day))
    columns = zip(*rows, strict=True)
    names = ("event", "question", "option", "week", "month", "n", "last")
    return Groups(**{n: np.array(c, dtype=np.int64) for n, c in zip(names, columns, strict=True)})


def _options(events):
    return {2 * e - 1 + i: OPTIONS[1 + i] for e in events for i in (0, 1)}


def _summaries(stored=None) -> Summaries:
    """Two series of eight weeks (and their months), analysed by the engine."""
    counts = {e: [(week + e, 3) for week in range(WEEKS)] for e in (1, 2)}
    return summarise(_groups(counts), {10: 100, 20: 200}, _options(counts), stored)


def _weeks(summaries: Summaries, event: int) -> list[int]:
    return np.flatnonzero((summaries.event == event) & (summaries.kind == 0)).tolist()


def test_the_digest_is_the_same_for_the_same_counts():
    first, second = _summaries(), _summaries()

    assert np.array_equal(first.digest, second.digest)
    assert len(set(first.digest.tolist())) == len(first)  # and differs from row to row


@pytest.mark.parametrize("column", ["responses", "excluded", "successes", "last", "start"])
def test_a_change_in_a_periods_counts_changes_its_digest_and_those_after_it(column):
    summaries = _summaries()
    row = _weeks(summaries, 1)[5]
    values = getattr(summaries, column).copy()
    values[row] += 1

    after = input_digests(dataclasses.replace(summaries, **{column: values}))

    # the rest of its series is worked out from it; no other row is
    assert np.flatnonzero(after != summaries.digest).tolist() == _weeks(summaries, 1)[5:]


def test_a_change_in_the_counts_per_option_or_their_labels_changes_the_digest():
    summaries = _summaries()
    rows, label, n = summaries.option_counts
    row = _weeks(summaries, 2)[6]
    recounted = dataclasses.replace(summaries, option_counts=(rows, label, n + (rows == row)))
    renamed = dataclasses.replace(summaries, labels=["No", "Nope"])

    assert np.flatnonzero(input_digests(recounted) != summaries.digest).tolist() == [row, row + 1]
    assert (input_digests(renamed) != summaries.digest).all()  # every row counts a "Yes"


def test_the_latest_period_has_a_digest_of_its_own():
    """Only the latest period carries sentences, so a period that stops being the latest
    is worked out again, though its counts and those before it are the same."""
    short = summarise(_groups({1: [(1, 3)] * 3}), {10: 100}, _options([1]))
    longer = summarise(_groups({1: [(1, 3)] * 4}), {10: 100}, _options([1]))
    weeks = _weeks(short, 1)

    assert short.digest[weeks[:2]].tolist() == longer.digest[weeks[:2]].tolist()
    assert short.digest[weeks[2]] != longer.digest[weeks[2]]


def test_other_code_gives_other_digests():
    summaries = _summaries()
    source = b"def analysis(): ..."

    assert code_digest([source]) != code_digest([source + b"  # a comment"])
    assert code_digest([b"ab", b"c"]) != code_digest([b"a", b"bc"])
    assert (input_digests(summaries, code=outcomes.CODE_DIGEST ^ 1) != summaries.digest).all()
    # this release's: the engine's and the library's source, numpy and Python, the periods
    engine = outcomes.Path(outcomes.__file__).read_bytes()
    library = outcomes.Path(outcomes.analysis.__file__).read_bytes()
    versions = f"numpy {np.__version__}, Python {outcomes.platform.python_version()}"
    assert code_digest([engine, library, versions.encode(), b"week,month"]) == (
        outcomes.CODE_DIGEST
    )


def test_only_the_rows_whose_digest_is_not_stored_are_analysed():
    everything = _summaries()
    stored = np.delete(everything.digest, _weeks(everything, 1)[6:])

    summaries = _summaries(stored)

    assert np.flatnonzero(summaries.analysed).tolist() == _weeks(everything, 1)[6:]
    assert everything.analysed.all()
    latest = _weeks(everything, 1)[-1]
    assert set(summaries.explanations) == {latest}


def _same_analysis(part: Summaries, whole: Summaries) -> None:
    rows = np.flatnonzero(part.analysed)
    for name, values in whole.chart.items():
        assert np.array_equal(part.chart[name][rows], values[rows], equal_nan=True), name
    assert part.explanations == {
        row: sentences for row, sentences in whole.explanations.items() if part.analysed[row]
    }
    assert np.array_equal(part.digest, whole.digest)


@settings(max_examples=60, deadline=None)
@given(
    series=st.lists(
        st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=30),
        min_size=1,
        max_size=5,
    ),
    kept=st.lists(st.booleans(), min_size=300, max_size=300),
)
def test_an_analysed_row_is_what_analysing_every_row_gives(series, kept):
    """Any rows analysed on their own (their series' prefixes up to them, `runs_at`) come
    out as the whole analysis (`prefix_runs`' every prefix) makes them, sentences too."""
    counts = {e + 1: weeks for e, weeks in enumerate(series)}
    counts = {e: w for e, w in counts.items() if any(y or n for y, n in w)}
    if not counts:
        return
    question_measure = {10 * e: 100 * e for e in counts}
    groups = _groups(counts)
    whole = summarise(groups, question_measure, _options(counts))
    stored = whole.digest[np.array(kept[: len(whole)]) if len(whole) <= 300 else slice(0)]

    part = summarise(groups, question_measure, _options(counts), stored)

    _same_analysis(part, whole)
    assert part.analysed.sum() == len(whole) - len(stored)


# The COPY text of one fixed row: how a row is written (the JSON layout, the numbers'
# digits, COPY's escapes), which readers rely on.
COPY_TEXT = (
    "7\t70\tweek\t2026-03-02\t10\t1\t6\t"
    '{"Yes": 6, "No": 4, "Don\'t know": 1}\t60.0\t31.26\t83.18\t'
    '{"centre": 0.6, "lcl": 0.1, "ucl": 1, "median": 60, "longest_run": null, '
    '"longest_run_max": null, "crossings": null, "crossings_min": null, '
    '"outside_limits": false, "runs_signal": false, "shift": false, "trend": false, '
    r'"explanations": ["A sentence with a \\\\ in it."]}' "\t"  # JSON's \\, then COPY's
    "2026-11-28T09:30:00+00:00\t2026-03-04\t-42\n"
)


def test_the_copy_text_of_a_row():
    def one(value, dtype=np.int64):
        return np.array([value], dtype=dtype)

    row = Summaries(
        event=one(7), measure=one(70), kind=one(0),
        start=one((MONDAY - outcomes.EPOCH_DATE).days),
        responses=one(10), excluded=one(1), successes=one(6),
        last=one((MONDAY - outcomes.EPOCH_DATE).days + 2),
        percent=one(60.0, float), ci_low=one(31.26, float), ci_high=one(83.18, float),
        chart={
            "centre": one(0.6, float), "lcl": one(0.1, float), "ucl": one(1.0, float),
            "median": one(60.0, float),
            **{name: one(-1) for name in outcomes.CHART_COUNTS},
            **{name: one(False, bool) for name in outcomes.CHART_FLAGS},
        },
        option_counts=(np.zeros(3, np.int64), np.array([2, 1, 0]), np.array([6, 4, 1])),
        labels=["Don't know", "No", "Yes"],
        explanations={0: ["A sentence with a \\ in it."]},
        digest=one(-42),
    )
    now = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)

    assert outcomes._copy_rows(row, now) == COPY_TEXT


# ------------------------------------------------------------------ against the database


@pytest.fixture
def question(organisation):
    return outcome_question(organisation)


def _recompute(question):
    return outcome_summaries_recompute(always_event_id=question.measure.always_event_id)


def _snapshot():
    return sorted(
        (r.measure_id, r.period, r.period_start, r.responses, r.successes, r.excluded,
         r.option_counts, r.percent, r.ci_low, r.ci_high, r.chart, r.answers_through, r.digest)
        for r in OutcomeSummary.objects.all()
    )


@pytest.mark.django_db
def test_a_late_answer_rewrites_only_the_rows_it_changes(question):
    for week in range(12):
        answers(question, MONDAY + dt.timedelta(weeks=week), yes=week % 4 + 2, no=3)
    _recompute(question)
    before = {(r.period, r.period_start): r.pk for r in OutcomeSummary.objects.all()}
    late = MONDAY + dt.timedelta(weeks=5)  # 6 April 2026: weeks from then, April and May

    answers(question, late, yes=1)  # a paper form entered late
    written = _recompute(question)

    after = {(r.period, r.period_start): r.pk for r in OutcomeSummary.objects.all()}
    kept = {key for key in after if after[key] == before.get(key)}
    assert kept == {
        key for key in before
        if key[1] < (late if key[0] == Frequency.WEEKLY else late.replace(day=1))
    }
    assert written == len(after) - len(kept) == 7 + 2
    rows = _snapshot()
    OutcomeSummary.objects.all().delete()
    _recompute(question)
    assert _snapshot() == rows  # what recomputing from nothing gives


@pytest.mark.django_db
def test_a_stored_row_that_differs_is_written_again(question):
    for week in range(6):
        answers(question, MONDAY + dt.timedelta(weeks=week), yes=4, no=week)
    _recompute(question)
    rows = _snapshot()
    wrong = OutcomeSummary.objects.filter(period=Frequency.WEEKLY).order_by("period_start")[2]
    # as left by a recompute before digests (0) or by a hand edit that also moved the digest
    OutcomeSummary.objects.filter(pk=wrong.pk).update(percent=1.0, successes=0, digest=0)
    OutcomeSummary.objects.filter(period=Frequency.MONTHLY).update(digest=0)

    written = _recompute(question)

    assert written == 1 + OutcomeSummary.objects.filter(period=Frequency.MONTHLY).count()
    assert _snapshot() == rows


@pytest.mark.django_db
def test_rows_written_again_get_the_time_they_were_computed(question):
    answers(question, MONDAY, yes=3)
    _recompute(question)
    OutcomeSummary.objects.update(computed_at=timezone.now() - dt.timedelta(days=3))
    old = timezone.now() - dt.timedelta(days=2)

    answers(question, MONDAY + dt.timedelta(weeks=1), yes=2)
    _recompute(question)

    weeks = OutcomeSummary.objects.filter(period=Frequency.WEEKLY).order_by("period_start")
    # the first week's figures are unchanged but it is no longer the latest, so its
    # (empty) sentences changed; the month's counts changed
    assert all(row.computed_at > old for row in weeks)
    assert OutcomeSummary.objects.get(period=Frequency.MONTHLY).computed_at > old


@pytest.mark.django_db(transaction=True)
def test_the_nightly_run_over_current_rows_writes_none(question, other_organisation):
    other = outcome_question(other_organisation)
    for week in range(10):
        answers(question, MONDAY + dt.timedelta(weeks=week), yes=week, no=2)
        answers(other, MONDAY + dt.timedelta(weeks=week), yes=2, no=week)
    first = outcome_summaries_recompute_all()  # two connections side by side
    ids = sorted(OutcomeSummary.objects.values_list("pk", flat=True))

    second = outcome_summaries_recompute_all()

    assert first == len(ids) > 0
    assert second == 0
    assert sorted(OutcomeSummary.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_after_a_release_with_other_code_every_row_is_worked_out_again(question, monkeypatch):
    for week in range(6):
        answers(question, MONDAY + dt.timedelta(weeks=week), yes=week, no=2)
    _recompute(question)
    before = [row[:-1] for row in _snapshot()]  # all but the digest
    ids = set(OutcomeSummary.objects.values_list("pk", flat=True))

    monkeypatch.setattr(outcomes, "CODE_DIGEST", outcomes.CODE_DIGEST ^ 1)
    written = _recompute(question)

    assert written == len(ids) == OutcomeSummary.objects.count()
    assert not ids & set(OutcomeSummary.objects.values_list("pk", flat=True))
    assert [row[:-1] for row in _snapshot()] == before
    assert _recompute(question) == 0
