"""Forms without a helper still render with NHS.UK markup."""

from django import forms

from .helpers import assert_same_html, fixture_html, render_template


class WidthForm(forms.Form):
    example = forms.CharField(
        label="2 character width",
        widget=forms.TextInput(attrs={"id": "input-width", "class": "nhsuk-input--width-2"}),
    )


class NhsNumberForm(forms.Form):
    example = forms.CharField(
        label="What is your NHS number?",
        help_text="This is a 10 digit number",
        error_messages={"required": "Enter NHS number"},
    )


def test_the_crispy_filter_renders_a_field_like_the_nhsuk_fixture():
    """input fixture "width" (2 characters), with the width class on the widget."""
    html = render_template(
        "{% load crispy_forms_tags %}{{ form|crispy }}", form=WidthForm(auto_id="%s")
    )

    assert_same_html(html, fixture_html("input", "width", index=0))


def test_the_crispy_tag_without_a_helper_renders_a_post_form_with_nhsuk_fields():
    """input fixture "width" inside <form method="post" novalidate>."""
    html = render_template(
        "{% load crispy_forms_tags %}{% crispy form %}", form=WidthForm(auto_id="%s")
    )

    assert_same_html(
        html,
        '<form method="post" novalidate>' + fixture_html("input", "width", index=0) + "</form>",
    )


def test_a_field_without_a_helper_gets_its_label_hint_error_and_aria_describedby():
    form = NhsNumberForm(data={})

    html = render_template("{% load crispy_forms_tags %}{{ form|crispy }}", form=form)

    assert '<label class="nhsuk-label" for="id_example">' in html
    assert '<div class="nhsuk-hint" id="id_example-hint">' in html
    assert '<span class="nhsuk-error-message" id="id_example-error">' in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>Enter NHS number' in html
    assert 'aria-describedby="id_example-hint id_example-error"' in html
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in html
    assert "nhsuk-input--error" in html
