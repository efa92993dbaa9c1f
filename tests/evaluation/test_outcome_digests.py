"""Row digests: a recompute works every row out again but writes only the rows whose
digest is not stored, and deletes stored rows it did not make again (outcomes.py)."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from evaluation import outcomes
from evaluation.models import Frequency, Outcome, OutcomeSummary
from evaluation.outcomes import (
    DIGEST_VERSION,
    MONDAY_2000,
    Groups,
    Summaries,
    outcome_summaries_recompute,
    outcome_summaries_recompute_all,
    row_digests,
    summarise,
)

from .outcome_data import answers, outcome_question

MONDAY = dt.date(2026, 3, 2)
OPTIONS = {1: (Outcome.SUCCESS, "Yes"), 2: (Outcome.NOT_SUCCESS, "No")}


def _summaries() -> Summaries:
    """Two series of eight weeks, analysed by the engine."""
    rows = []
    for event in (1, 2):
        for week in range(8):
            day = MONDAY_2000 + 7 * week
            rows += [(event, 10 * event, 1, day, 0, week + event, day)]
            rows += [(event, 10 * event, 2, day, 0, 3, day)]
    columns = zip(*rows, strict=True)
    names = ("event", "question", "option", "week", "month", "n", "last")
    groups = Groups(**{n: np.array(c, dtype=np.int64) for n, c in zip(names, columns, strict=True)})
    options = {**OPTIONS, 3: OPTIONS[1], 4: OPTIONS[2]}
    groups.option = np.where(groups.event == 2, groups.option + 2, groups.option)
    return summarise(groups, {10: 100, 20: 200}, options)


def test_the_digest_is_the_same_for_the_same_rows():
    first, second = _summaries(), _summaries()

    assert np.array_equal(first.digest, second.digest)
    assert len(set(first.digest.tolist())) == len(first)  # and differs from row to row


@pytest.mark.parametrize(
    "column",
    ["responses", "excluded", "successes", "last", "percent", "ci_low", "ci_high", "start"],
)
def test_a_change_in_any_column_changes_that_rows_digest(column):
    summaries = _summaries()
    before = summaries.digest.copy()
    values = getattr(summaries, column).copy()
    values[5] = values[5] + 1

    after = row_digests(dataclasses.replace(summaries, **{column: values}))

    assert np.flatnonzero(after != before).tolist() == [5]


@pytest.mark.parametrize("name", ["centre", "lcl", "median", "crossings", "trend", "shift"])
def test_a_change_in_the_chart_analysis_changes_the_digest(name):
    summaries = _summaries()
    before = summaries.digest.copy()
    chart = {k: v.copy() for k, v in summaries.chart.items()}
    chart[name][3] = not chart[name][3] if chart[name].dtype == bool else chart[name][3] + 1

    after = row_digests(dataclasses.replace(summaries, chart=chart))

    assert np.flatnonzero(after != before).tolist() == [3]


def test_a_change_in_the_sentences_or_counts_per_option_changes_the_digest():
    summaries = _summaries()
    latest = max(summaries.explanations)
    sentences = {**summaries.explanations, latest: ["Another sentence."]}
    rows, label, n = summaries.option_counts
    renamed = dataclasses.replace(summaries, labels=["Yes", "Nope"])
    recounted = dataclasses.replace(summaries, option_counts=(rows, label, n + (rows == 2)))

    assert np.flatnonzero(
        row_digests(dataclasses.replace(summaries, explanations=sentences)) != summaries.digest
    ).tolist() == [latest]
    assert (row_digests(renamed) != summaries.digest).all()  # every row counts a "No"
    assert np.flatnonzero(row_digests(recounted) != summaries.digest).tolist() == [2]


# The COPY text of one fixed row for each DIGEST_VERSION. When this test fails, the way a
# row is written has changed: if its figures did not change too, the stored rows would
# keep the old text, so add DIGEST_VERSION + 1 here with the new text and raise it.
COPY_TEXT = {
    1: (
        "7\t70\tweek\t2026-03-02\t10\t1\t6\t"
        '{"Yes": 6, "No": 4, "Don\'t know": 1}\t60.0\t31.26\t83.18\t'
        '{"centre": 0.6, "lcl": 0.1, "ucl": 1, "median": 60, "longest_run": null, '
        '"longest_run_max": null, "crossings": null, "crossings_min": null, '
        '"outside_limits": false, "runs_signal": false, "shift": false, "trend": false, '
        r'"explanations": ["A sentence with a \\\\ in it."]}' "\t"  # JSON's \\, then COPY's
        "2026-11-28T09:30:00+00:00\t2026-03-04\t-42\n"
    ),
}


def test_the_copy_text_of_a_row_is_the_one_recorded_for_this_digest_version():
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

    assert outcomes._copy_rows(row, now) == COPY_TEXT[DIGEST_VERSION]


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
