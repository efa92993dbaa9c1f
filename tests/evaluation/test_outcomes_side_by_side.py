"""The full recompute split between two connections gives the rows of recomputing each
Always Event. Committed data (transaction=True): other connections see only that."""

import datetime as dt

import pytest

from evaluation import outcomes
from evaluation.models import OutcomeSummary
from evaluation.outcomes import outcome_summaries_recompute, outcome_summaries_recompute_all

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY = dt.date(2026, 3, 2)


def _snapshot():
    return sorted(
        (r.always_event_id, r.measure_id, r.period, r.period_start, r.responses, r.successes,
         r.excluded, r.option_counts, r.percent, r.ci_low, r.ci_high, r.chart,
         r.answers_through, r.digest)
        for r in OutcomeSummary.objects.all()
    )  # fmt: skip


def test_two_connections_give_the_rows_of_recomputing_each(organisation, other_organisation):
    questions = [outcome_question(organisation), outcome_question(other_organisation)]
    for week in range(14):
        day = MONDAY + dt.timedelta(weeks=week, days=week % 7)
        answers(questions[0], day, yes=week, no=3, dont_know=1)
        answers(questions[1], day, yes=2 + week % 4, some=week % 3, no=1)
    for question in questions:
        outcome_summaries_recompute(always_event_id=question.version.form.always_event_id)
    each = _snapshot()
    OutcomeSummary.objects.all().delete()
    done = []

    written = outcome_summaries_recompute_all(workers=2, progress=done.append)

    assert written == len(each) > 0
    assert _snapshot() == each
    assert sorted(done)[-1] == 2  # both Always Events, one part each


def test_running_it_again_replaces_the_rows(organisation, other_organisation):
    for org in (organisation, other_organisation):
        answers(outcome_question(org), MONDAY, yes=4, no=2)
    outcome_summaries_recompute_all(workers=2)
    first = _snapshot()

    outcome_summaries_recompute_all(workers=2)

    assert _snapshot() == first
    assert OutcomeSummary.objects.count() == 4  # two events, a week and a month each


def test_parts_of_one_event_and_copy_in_slices_give_the_same_rows(
    organisation, other_organisation, monkeypatch
):
    questions = [outcome_question(org) for org in (organisation, other_organisation)]
    questions.append(outcome_question(organisation))
    for week in range(20):
        day = MONDAY + dt.timedelta(weeks=week, days=week % 7)
        answers(questions[0], day, yes=week, no=3, dont_know=1)
        answers(questions[1], day, yes=2 + week % 4, some=week % 3, no=1)
        answers(questions[2], day, yes=20 - week, no=2 + week % 2)
    outcome_summaries_recompute_all(workers=2)
    whole = _snapshot()
    assert any(r[11]["explanations"] for r in whole) and len(whole) > 30

    # one Always Event a part, one series a chunk of the analysis, 7 rows of COPY text
    monkeypatch.setattr(outcomes, "EVENTS_PER_PART", 1)
    monkeypatch.setattr(outcomes, "CHUNK_CELLS", 1)
    monkeypatch.setattr(outcomes, "COPY_ROWS", 7)
    OutcomeSummary.objects.all().delete()  # so every row is written again, in slices
    done = []
    written = outcome_summaries_recompute_all(workers=2, progress=done.append)

    assert written == len(whole)
    assert _snapshot() == whole
    assert sorted(done) == [1, 2, 3]  # three parts
