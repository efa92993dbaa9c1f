import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from hypothesis import given
from hypothesis import strategies as st

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
