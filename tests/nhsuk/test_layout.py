"""Layout objects: sizes, widths, textarea options and buttons."""

import pytest
from django import forms

from nhsuk.helper import FormHelper
from nhsuk.layout import HTML, Button, Field, Fixed, Fluid, Layout, Size, Submit

from .helpers import render_layout, render_template


def test_sizes_give_nhsuk_label_and_legend_classes():
    assert Size.for_label(Size.MEDIUM) == "nhsuk-label--m"
    assert Size.for_legend(Size.EXTRA_LARGE) == "nhsuk-fieldset__legend--xl"
    with pytest.raises(ValueError):
        Size.for_label("huge")


def test_widths_give_fixed_and_fluid_classes():
    assert Fixed.for_input(10) == "nhsuk-input--width-10"
    assert Fluid.for_input(10) == "nhsuk-input--width-10"
    assert Fluid.for_input(Fluid.TWO_THIRDS) == "nhsuk-u-width-two-thirds"
    with pytest.raises(ValueError):
        Fixed.for_input(7)
    with pytest.raises(ValueError):
        Fluid.for_input("most")


def test_a_textarea_cannot_count_characters_and_words():
    with pytest.raises(ValueError):
        Field.textarea("details", max_characters=10, max_words=10)
    with pytest.raises(ValueError):
        Field.textarea("details", threshold=50)


class DetailsForm(forms.Form):
    details = forms.CharField(widget=forms.Textarea)
    name = forms.CharField()


def test_a_textarea_can_set_its_rows():
    html = render_layout(DetailsForm(), Field.textarea("details", rows=3))

    assert 'rows="3"' in html
    assert "cols" not in html


def test_the_helper_can_set_a_default_label_size_and_fields_can_override_it():
    helper_html = render_layout(
        DetailsForm(),
        Field.text("name"),
        Field.textarea("details", label_size=Size.SMALL),
        label_size=Size.MEDIUM,
    )

    assert 'class="nhsuk-label nhsuk-label--m" for="id_name"' in helper_html
    assert 'class="nhsuk-label nhsuk-label--s" for="id_details"' in helper_html


def test_buttons_come_in_nhsuk_variants():
    html = render_layout(
        DetailsForm(),
        Button.reverse("back", "Back"),
        Button("find", "Find", type="button", small=True, prevent_double_click=True),
        HTML("<p>Or</p>"),
    )

    assert 'class="nhsuk-button nhsuk-button--reverse"' in html
    assert 'type="button"' in html
    assert "nhsuk-button--small" in html
    assert 'data-prevent-double-click="true"' in html
    assert "<p>Or</p>" in html


def test_helper_inputs_render_as_nhsuk_buttons():
    class SignInForm(forms.Form):
        email = forms.EmailField()

    form = SignInForm()
    form.helper = FormHelper(form)
    form.helper.add_input(Submit("sign_in", "Sign in"))

    html = render_template("{% load crispy_forms_tags %}{% crispy form %}", form=form)

    assert (
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit" name="sign_in">'
        in html
    )


def test_the_helper_uses_the_nhsuk_pack_and_posts():
    helper = FormHelper()

    assert helper.template_pack == "nhsuk"
    assert helper.form_tag is True
    assert helper.form_method == "post"


def test_extra_field_attributes_go_on_the_input():
    html = render_layout(DetailsForm(), Layout(Field.text("name", autocomplete="name", data_x="1")))

    assert 'autocomplete="name"' in html
    assert 'data-x="1"' in html
