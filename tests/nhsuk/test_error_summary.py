"""The FormHelper puts every error in an NHS.UK error summary at the top of the form."""

import re

from django import forms

from nhsuk.fields import DateInputField
from nhsuk.helper import FormHelper
from nhsuk.layout import Submit

from .helpers import render_template


class ReferralForm(forms.Form):
    name = forms.CharField(label="Full name", error_messages={"required": "Enter your name"})
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )
    needs = forms.MultipleChoiceField(
        label="What do you need?",
        choices=[("ramp", "A ramp"), ("hearing", "A hearing loop")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you need"},
    )
    date_of_visit = DateInputField(label="Date of visit", error_name="Date of visit")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.layout.append(Submit("save", "Save and continue"))

    def clean(self):
        raise forms.ValidationError("We could not save your referral")


def summary_links(html):
    summary = html.split('<div class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [
        (href, " ".join(text.split()))
        for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', summary, re.S)
    ]


def render(form):
    return render_template("{% load crispy_forms_tags %}{% crispy form %}", form=form)


def test_it_lists_every_field_error_and_non_field_error_with_links_to_the_fields():
    form = ReferralForm(data={"date_of_visit_day": "12", "date_of_visit_year": "2025"})

    links = summary_links(render(form))

    assert links == [
        ("#id_name", "We could not save your referral"),
        ("#id_name", "Enter your name"),
        ("#id_contact", "Select how we should contact you"),
        ("#id_needs", "Select what you need"),
        ("#id_date_of_visit-month", "Date of visit must include a month"),
    ]


def test_each_summary_link_points_at_an_element_on_the_page():
    form = ReferralForm(data={"date_of_visit_day": "12", "date_of_visit_year": "2025"})
    html = render(form)

    for href, _text in summary_links(html):
        assert f'id="{href[1:]}"' in html
    # Radios and checkboxes: the link goes to the first option's input.
    assert re.search(r'<input class="nhsuk-radios__input" id="id_contact" ', html)
    assert re.search(r'<input class="nhsuk-checkboxes__input" id="id_needs" ', html)


def test_the_summary_is_the_first_thing_in_a_post_form_that_the_browser_does_not_validate():
    html = render(ReferralForm(data={}))

    form_tag = re.search(r"<form[^>]*>", html).group(0)
    assert 'method="post"' in form_tag
    assert "novalidate" in form_tag
    after_tag = html.split(form_tag, 1)[1].lstrip()
    assert after_tag.startswith(
        '<div class="nhsuk-error-summary" data-module="nhsuk-error-summary">'
    )
    assert '<div role="alert">' in after_tag
    assert "There is a problem" in after_tag
    assert "required" not in re.findall(r"<input[^>]*>", html)[0]


def test_there_is_no_summary_when_the_form_has_no_errors():
    html = render(ReferralForm())

    assert "nhsuk-error-summary" not in html


def test_the_summary_can_be_turned_off_and_non_field_errors_shown_as_error_messages():
    form = ReferralForm(data={})
    form.helper.error_summary = False

    html = render(form)

    assert "nhsuk-error-summary" not in html
    assert "We could not save your referral" in html
    assert '<span class="nhsuk-error-message">' in html


def test_the_summary_title_can_be_changed():
    form = ReferralForm(data={})
    form.helper.form_error_title = "Check your answers"

    assert "Check your answers" in render(form)


def test_forms_rendered_with_the_crispy_filter_also_get_the_summary():
    form = ReferralForm(data={})

    html = render_template("{% load crispy_forms_tags %}{{ form|crispy }}", form=form)

    assert ("#id_name", "Enter your name") in summary_links(html)
