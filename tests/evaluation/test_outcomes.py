import datetime as dt

import pytest

from evaluation.models import Frequency, OutcomeSummary
from evaluation.outcomes import (
    outcome_summaries_recompute,
    outcome_summaries_recompute_all,
    series_for_measure,
)

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def question(organisation):
    return outcome_question(organisation)


def _recompute(question):
    return outcome_summaries_recompute(always_event_id=question.version.form.always_event_id)


def _rows(question, period=Frequency.WEEKLY):
    return list(
        OutcomeSummary.objects.filter(measure=question.measure, period=period).order_by(
            "period_start"
        )
    )


def test_it_counts_successes_and_leaves_dont_know_out(question):
    answers(question, MONDAY, yes=6, some=2, no=2, dont_know=3)

    _recompute(question)

    [week] = _rows(question)
    assert (week.responses, week.successes, week.excluded) == (10, 6, 3)
    assert week.percent == pytest.approx(60.0)
    assert week.option_counts == {
        "Yes, definitely": 6, "Yes, to some extent": 2, "No": 2, "Don't know": 3,
    }
    # Wilson 95% interval for 6 of 10 (Newcombe 1998, table I: 0.3127 to 0.8318)
    assert week.ci_low == pytest.approx(31.27, abs=0.01)
    assert week.ci_high == pytest.approx(83.18, abs=0.01)
    assert week.answers_through == MONDAY


def test_weeks_start_on_monday_and_months_on_the_first(question):
    answers(question, MONDAY, yes=1)
    answers(question, MONDAY + dt.timedelta(days=6), no=1)
    answers(question, MONDAY + dt.timedelta(days=7), yes=1)

    _recompute(question)

    weeks = _rows(question)
    assert [(w.period_start, w.responses) for w in weeks] == [
        (MONDAY, 2), (MONDAY + dt.timedelta(days=7), 1),
    ]
    [month] = _rows(question, Frequency.MONTHLY)
    assert (month.period_start, month.responses, month.successes) == (dt.date(2026, 3, 1), 3, 2)


def test_running_it_twice_gives_the_same_rows(question):
    for week in range(8):
        answers(question, MONDAY + dt.timedelta(weeks=week), yes=week + 1, no=3)

    first = _recompute(question)
    before = [(r.pk, r.period_start, r.successes, r.percent, r.chart) for r in _rows(question)]
    second = _recompute(question)
    after = [(r.pk, r.period_start, r.successes, r.percent, r.chart) for r in _rows(question)]

    assert first == OutcomeSummary.objects.count() == 10
    assert second == 0  # every row came out as stored, so none was written again
    assert before == after


def test_it_replaces_rows_rather_than_adding_to_them(question):
    answers(question, MONDAY, yes=4)
    _recompute(question)
    question.answers.all().delete()
    answers(question, MONDAY, no=2)

    _recompute(question)

    [week] = _rows(question)
    assert (week.responses, week.successes) == (2, 0)


def test_each_period_carries_the_analysis_of_the_series_up_to_it(question):
    """10 weeks at 20% then 10 at 90%: by the 20th week the run of 10 above the median is
    longer than qicharts2's limit for 20 useful points (round(log2(20)) + 3 = 7)."""
    for week in range(20):
        day = MONDAY + dt.timedelta(weeks=week)
        if week < 10:
            answers(question, day, yes=2, no=8)
        else:
            answers(question, day, yes=9, no=1)

    _recompute(question)

    weeks = _rows(question)
    assert weeks[0].chart["runs_signal"] is False
    last = weeks[-1].chart
    assert last["runs_signal"] is True
    assert last["longest_run_max"] == 7
    assert any("in a row above the median" in s for s in last["explanations"])
    assert last["longest_run"] == 10
    assert last["centre"] == pytest.approx((20 + 90) / 200)


def test_an_event_without_answers_has_no_summaries(question):
    assert _recompute(question) == 0
    assert not OutcomeSummary.objects.exists()


def test_the_selector_computes_on_demand_when_no_summary_exists_yet(question):
    answers(question, MONDAY, yes=3, no=1)

    rows = series_for_measure(question.measure, Frequency.WEEKLY)

    assert [(r.responses, r.successes) for r in rows] == [(4, 3)]
    assert OutcomeSummary.objects.filter(period=Frequency.WEEKLY).count() == 1


def test_the_selector_reads_stored_summaries_without_recomputing(question):
    answers(question, MONDAY, yes=3, no=1)
    _recompute(question)
    answers(question, MONDAY, no=5)  # not yet recomputed

    [row] = series_for_measure(question.measure, Frequency.WEEKLY)

    assert row.responses == 4


def test_fewer_than_five_responses_is_a_small_number(question):
    answers(question, MONDAY, yes=3, no=1)
    answers(question, MONDAY + dt.timedelta(weeks=1), yes=3, no=2)
    _recompute(question)

    small, enough = _rows(question)

    assert small.is_small_number and not enough.is_small_number


def test_recomputing_all_gives_the_rows_of_recomputing_each(question, other_organisation):
    other = outcome_question(other_organisation)
    for week in range(10):
        day = MONDAY + dt.timedelta(weeks=week, days=week % 7)
        answers(question, day, yes=week, no=3, dont_know=1)
        answers(other, day, yes=2, some=week % 3)

    def snapshot():
        return sorted(
            (r.measure_id, r.period, r.period_start, r.responses, r.successes, r.excluded,
             r.option_counts, r.percent, r.chart, r.answers_through)
            for r in OutcomeSummary.objects.all()
        )

    _recompute(question)
    _recompute(other)
    each = snapshot()
    OutcomeSummary.objects.all().delete()

    written = outcome_summaries_recompute_all()

    assert written == len(each)
    assert snapshot() == each


def test_recomputing_all_removes_summaries_whose_answers_are_gone(question):
    answers(question, MONDAY, yes=2)
    _recompute(question)
    question.answers.all().delete()

    outcome_summaries_recompute_all()

    assert not OutcomeSummary.objects.exists()


def test_signals_name_the_period_by_its_date(question):
    for week in range(12):
        answers(question, MONDAY + dt.timedelta(weeks=week), yes=5, no=5)
    answers(question, MONDAY + dt.timedelta(weeks=12), yes=40)  # far above the rest

    _recompute(question)

    sentences = _rows(question)[-1].chart["explanations"]
    assert any(s.startswith("The week of 25 May 2026 is outside the upper") for s in sentences)
    assert not any(s.startswith("Week 13") for s in sentences)
