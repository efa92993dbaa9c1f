import datetime as dt

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from hypothesis import given
from hypothesis import strategies as st

from evaluation.dashboards import NoResponses
from evaluation.models import OutcomeSummary
from evaluation.templatetags.figures import whole


@given(
    st.integers(min_value=1, max_value=100_000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_a_percentage_of_counts_shows_as_floatformat_would_show_it(fraction):
    successes, responses = fraction
    percent = successes / responses * 100
    assert whole(percent) == floatformat(percent, 0)


@pytest.mark.parametrize(
    ("percent", "shown"),
    [(0.5, "1"), (2.5, "3"), (12.5, "13"), (99.5, "100"), (200 / 3, "67"), (100.0, "100"),
     (0.0, "0")],
)
def test_halves_go_up(percent, shown):
    assert whole(percent) == shown  # round() would give 0, 2 and 12 for the first three


def test_nothing_shows_as_nothing():
    page = Template("{% load figures %}[{{ missing|whole }}][{{ none|whole }}][{{ p|whole }}]")
    assert page.render(Context({"none": None, "p": 66.6})) == "[][][67]"


def _week(**figures):
    return OutcomeSummary(period="week", period_start=dt.date(2026, 9, 7), **figures)


NUMERIC = 'class="nhsuk-table__cell nhsuk-table__cell--numeric"'


@pytest.mark.parametrize(
    ("row", "period_name", "compact", "cells"),
    [
        (NoResponses(dt.date(2026, 9, 7)), "week", True,
         f'<td class="nhsuk-table__cell">7 Sep 2026</td><td {NUMERIC}>0</td>'
         '<td class="nhsuk-table__cell" colspan="1">No responses</td>'),
        (NoResponses(dt.date(2026, 9, 1)), "month", False,
         f'<td class="nhsuk-table__cell">September 2026</td><td {NUMERIC}>0</td>'
         '<td class="nhsuk-table__cell" colspan="3">No responses</td>'),
        (_week(responses=4, successes=4, percent=100.0), "week", False,
         f'<td class="nhsuk-table__cell">7 Sep 2026</td><td {NUMERIC}>4</td>'
         '<td class="nhsuk-table__cell" colspan="3">Fewer than 5 responses</td>'),
        (_week(responses=12, successes=8, percent=200 / 3, ci_low=39.1, ci_high=86.2), "week",
         True,
         f'<td class="nhsuk-table__cell">7 Sep 2026</td><td {NUMERIC}>12</td>'
         f'<td {NUMERIC}>67%</td>'),
        (_week(responses=12, successes=8, percent=200 / 3, ci_low=39.1, ci_high=86.2), "week",
         False,
         f'<td class="nhsuk-table__cell">7 Sep 2026</td><td {NUMERIC}>12</td>'
         f'<td {NUMERIC}>8</td><td {NUMERIC}>67%</td>'
         '<td class="nhsuk-table__cell">39% to 86%</td>'),
    ],
    ids=["no responses", "no responses, whole table", "fewer than 5", "compact", "whole table"],
)
def test_an_outcome_period_shows_its_figures_by_how_many_answered(
    row, period_name, compact, cells
):
    page = Template("{% load figures %}{% outcome_cells row period compact %}")
    shown = page.render(Context({"row": row, "period": period_name, "compact": compact}))
    assert shown == cells
