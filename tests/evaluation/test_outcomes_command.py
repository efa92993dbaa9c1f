import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from evaluation.management.commands.recompute_summaries import progress_bar
from evaluation.models import OutcomeSummary

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db


def test_it_recomputes_one_always_event(organisation, capsys):
    question = outcome_question(organisation)
    answers(question, dt.date(2026, 3, 2), yes=3, no=1)

    call_command("recompute_summaries", "--event", str(question.version.form.always_event_id))

    assert OutcomeSummary.objects.count() == 2  # one week, one month
    assert "Recomputed 1 Always Events: 2 summary rows written" in capsys.readouterr().out

    call_command("recompute_summaries", "--event", str(question.version.form.always_event_id))

    assert "Recomputed 1 Always Events: 0 summary rows written" in capsys.readouterr().out


def test_it_recomputes_all(organisation, other_organisation, capsys):
    for org in (organisation, other_organisation):
        answers(outcome_question(org), dt.date(2026, 3, 2), yes=1)

    call_command("recompute_summaries", "--all")

    assert OutcomeSummary.objects.values("always_event").distinct().count() == 2
    assert "[" + "#" * 30 + "] 2/2" in capsys.readouterr().out


def test_an_unknown_event_is_an_error(db):
    with pytest.raises(CommandError, match="no Always Event with id 999999"):
        call_command("recompute_summaries", "--event", "999999")


def test_the_progress_bar_fills_in_proportion():
    assert progress_bar(1, 4, width=8) == "[##......] 1/4"
    assert progress_bar(0, 0, width=4) == "[####] 0/0"
