"""DateInputField validates day, month and year with NHS.UK-style messages."""

import datetime

import pytest
from django import forms

from nhsuk.fields import DateInputField, DateInputWidget


class VisitForm(forms.Form):
    visit = DateInputField(label="When did you visit?")


class OptionalForm(forms.Form):
    visit = DateInputField(required=False)


def submit(day="", month="", year="", form_class=VisitForm):
    form = form_class(data={"visit_day": day, "visit_month": month, "visit_year": year})
    form.is_valid()
    return form


def test_it_cleans_a_real_date():
    form = submit(" 5", "8", "2024")

    assert form.is_valid()
    assert form.cleaned_data["visit"] == datetime.date(2024, 8, 5)


def test_it_asks_for_a_date_when_nothing_is_entered():
    form = submit()

    assert form.errors["visit"] == ["Enter a date"]
    assert form.fields["visit"].error_parts == []  # the whole date: every input is marked


def test_an_optional_date_can_be_left_blank():
    form = submit(form_class=OptionalForm)

    assert form.is_valid()
    assert form.cleaned_data["visit"] is None


@pytest.mark.parametrize(
    ("values", "message", "parts"),
    [
        (("", "3", "1980"), "Date must include a day", ["day"]),
        (("31", "", "1980"), "Date must include a month", ["month"]),
        (("31", "3", ""), "Date must include a year", ["year"]),
        (("", "", "1980"), "Date must include a day and month", ["day", "month"]),
        (("31", "", ""), "Date must include a month and year", ["month", "year"]),
        (("", "3", ""), "Date must include a day and year", ["day", "year"]),
        (("30", "2", "2024"), "Date must be a real date", ["day"]),
        (("1", "13", "2024"), "Date must be a real date", ["month"]),
        (("0", "1", "2024"), "Date must be a real date", ["day"]),
        (("1", "one", "2024"), "Date must be a real date", ["month"]),
        (("1", "1", "-2024"), "Date must be a real date", ["year"]),
        (("1", "1", "24"), "Year must include 4 numbers", ["year"]),
    ],
)
def test_it_explains_what_is_wrong_and_remembers_which_part(values, message, parts):
    form = submit(*values)

    assert form.errors["visit"] == [message]
    assert form.fields["visit"].error_parts == parts


def test_messages_can_name_the_date_and_be_replaced():
    class BirthForm(forms.Form):
        dob = DateInputField(
            error_name="Date of birth", error_messages={"required": "Enter your date of birth"}
        )

    assert BirthForm(data={}).errors["dob"] == ["Enter your date of birth"]
    form = BirthForm(data={"dob_day": "4", "dob_year": "1990"})
    assert form.errors["dob"] == ["Date of birth must include a month"]


def test_validators_run_on_the_whole_date():
    def in_the_past(value):
        if value >= datetime.date.today():
            raise forms.ValidationError("Date must be in the past")

    class PastForm(forms.Form):
        visit = DateInputField(validators=[in_the_past])

    form = PastForm(data={"visit_day": "1", "visit_month": "1", "visit_year": "2999"})

    assert form.errors["visit"] == ["Date must be in the past"]
    assert form.fields["visit"].error_parts == []


def test_the_widget_splits_a_date_into_day_month_and_year():
    widget = DateInputWidget()

    assert widget.decompress(datetime.date(2024, 8, 5)) == [5, 8, 2024]
    assert widget.decompress("2024-08-05") == [5, 8, 2024]
    assert widget.decompress(None) == [None, None, None]


def test_it_notices_when_the_date_has_changed():
    form = VisitForm(
        data={"visit_day": "5", "visit_month": "8", "visit_year": "2024"},
        initial={"visit": datetime.date(2024, 8, 5)},
    )

    assert not form.has_changed()


def test_the_widget_alone_uses_nhsuk_ids_for_the_parts():
    html = str(VisitForm()["visit"])

    for part in ("day", "month", "year"):
        assert f'for="id_visit-{part}"' in html
        assert f'id="id_visit-{part}"' in html
        assert f'name="visit_{part}"' in html
