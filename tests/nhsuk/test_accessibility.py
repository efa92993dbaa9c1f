"""Accessibility rules the pack follows for every kind of field."""

from html.parser import HTMLParser

import pytest
from django import forms

from nhsuk.fields import DateInputField
from nhsuk.helper import FormHelper

from .helpers import render_template


class EverythingForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your NHS record")
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    age = forms.IntegerField(label="Age")
    details = forms.CharField(label="Details", widget=forms.Textarea, max_length=500)
    contact = forms.ChoiceField(
        label="Contact", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    needs = forms.MultipleChoiceField(
        label="Needs", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    region = forms.ChoiceField(label="Region", choices=[("n", "North"), ("s", "South")])
    visit = DateInputField(label="Date of visit", help_text="For example, 27 3 2025")
    agree = forms.BooleanField(label="I agree")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)


class Page(HTMLParser):
    """Collect controls, labels, legends, ids and aria-describedby values."""

    def __init__(self, html):
        super().__init__()
        self.controls = []
        self.label_for = set()
        self.ids = set()
        self.describedby = []
        self.fieldsets = []  # [has_legend, controls]
        self.form_groups = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.describedby.append(attrs["aria-describedby"])
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag == "fieldset":
            self.fieldsets.append([False, []])
        if tag == "legend" and self.fieldsets:
            self.fieldsets[-1][0] = True
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden",):
            self.controls.append(attrs)
            for fieldset in self.fieldsets:
                fieldset[1].append(attrs)
        if tag == "div" and "nhsuk-form-group" in attrs.get("class", "").split():
            self.form_groups.append(attrs["class"])


def render(form):
    return render_template("{% load crispy_forms_tags %}{% crispy form %}", form=form)


@pytest.mark.parametrize("data", [None, {}], ids=["unbound", "with errors"])
def test_every_control_has_a_label(data):
    page = Page(render(EverythingForm(data=data)))

    assert len(page.controls) > 10
    for control in page.controls:
        assert control["id"] in page.label_for, control


def test_radios_checkboxes_and_dates_are_grouped_in_a_fieldset_with_a_legend():
    page = Page(render(EverythingForm()))

    grouped = {c["name"] for _legend, controls in page.fieldsets for c in controls}
    assert {"contact", "needs", "visit_day", "visit_month", "visit_year"} <= grouped
    assert all(has_legend for has_legend, _controls in page.fieldsets)


@pytest.mark.parametrize("data", [None, {}], ids=["unbound", "with errors"])
def test_aria_describedby_only_lists_ids_on_the_page(data):
    page = Page(render(EverythingForm(data=data)))

    assert page.describedby
    for value in page.describedby:
        for described_id in value.split():
            assert described_id in page.ids, value


def test_aria_describedby_lists_the_hint_then_the_error():
    html = render(EverythingForm(data={}))

    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'aria-describedby="id_visit-hint id_visit-error"' in html
    assert 'aria-describedby="id_details-info id_details-error"' in html
    assert 'aria-describedby="id_contact-error"' in html


def test_every_form_group_with_an_error_has_the_error_class():
    page = Page(render(EverythingForm(data={})))

    top_level = [c for c in page.form_groups if "nhsuk-form-group--error" in c]
    # name, email, password, age, details, contact, needs, region, visit (+3 parts), agree
    assert len(top_level) == 9 + 3 + 1


def test_autocomplete_passes_through_from_the_widget():
    html = render(EverythingForm())

    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html


def test_inputs_keep_their_html_types():
    page = Page(render(EverythingForm()))
    types = {c["name"]: c.get("type") for c in page.controls}

    assert types["email"] == "email"
    assert types["password"] == "password"
    assert types["age"] == "number"
    assert all(
        "nhsuk-input" in c["class"]
        for c in page.controls
        if c.get("type") in ("text", "email", "password", "number")
    )


def test_no_control_asks_the_browser_to_validate_it():
    page = Page(render(EverythingForm()))

    assert not [c for c in page.controls if "required" in c]
