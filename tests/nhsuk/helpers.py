"""Helpers for comparing the nhsuk template pack's output with NHS.UK fixtures.

The fixtures are the examples nhsuk-frontend publishes for each component
(``components/<component>/fixtures.json``: a list of ``{name, options, html}``),
rendered from the same Nunjucks templates NHS.UK services use.
"""

import difflib
import json
from functools import cache

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test.html import parse_html

from nhsuk.helper import FormHelper

COMPONENTS = settings.BASE_DIR / "node_modules/nhsuk-frontend/dist/nhsuk/components"


@cache
def _fixtures(component):
    path = COMPONENTS / component / "fixtures.json"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make install` to get nhsuk-frontend")
    return json.loads(path.read_text())["fixtures"]


def fixture_html(component, name, index=0):
    """The ``html`` of the ``index``-th fixture called ``name`` for ``component``."""
    matches = [f for f in _fixtures(component) if f["name"] == name]
    assert matches, f"no fixture {name!r} in {component}/fixtures.json"
    return matches[index]["html"]


def assert_same_html(actual, expected):
    """Compare HTML semantically, like assertHTMLEqual.

    Whitespace is normalised and attribute order (and class order) ignored;
    anything else, an element, attribute, class, id or text, must match.
    """
    parsed_actual = parse_html(actual)
    parsed_expected = parse_html(expected)
    if parsed_actual != parsed_expected:
        diff = "\n".join(
            difflib.unified_diff(
                parsed_expected.__str__().splitlines(),
                parsed_actual.__str__().splitlines(),
                "NHS.UK fixture",
                "template pack",
                lineterm="",
            )
        )
        raise AssertionError(f"Rendered HTML differs from the fixture:\n{diff}")


def render_layout(form, *layout, **helper_attrs):
    """Render just a form's fields through the pack (no <form> tag or summary)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.error_summary = False
    for name, value in helper_attrs.items():
        setattr(helper, name, value)
    if layout:
        from nhsuk.layout import Layout

        helper.layout = Layout(*layout)
    return Template("{% load crispy_forms_tags %}{% crispy form helper %}").render(
        Context({"form": form, "helper": helper})
    )


def render_template(source, **context):
    return Template(source).render(Context(context))
