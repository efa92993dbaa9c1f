"""A date field entered as day, month and year, like the NHS.UK date input.

``DateInputField`` validates the three parts and reports problems with the
wording the NHS digital service manual asks for:

* nothing entered: "Enter a date" (override with ``error_messages["required"]``,
  e.g. "Enter your date of birth");
* a part missing: "Date must include a month", "Date must include a day and year";
* not a real date (letters, month 13, 30 February): "Date must be a real date";
* a 2-digit year: "Year must include 4 numbers".

"Date" in those messages is ``error_name`` ("Date of birth must include a
month"). The field remembers which of day, month and year were wrong in
``error_parts`` so the template pack can highlight just those inputs and the
error summary can link to the first of them.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_PARTS = ("day", "month", "year")


class DateInputWidget(forms.MultiWidget):
    """Three text inputs, for the day, month and year of a date.

    Sub-widget names are ``<name>_day``, ``<name>_month`` and ``<name>_year``;
    the template pack gives them NHS.UK ids ``<id>-day``, ``<id>-month`` and
    ``<id>-year``. Pass ``autocomplete="bday"`` for a date of birth: the
    inputs get ``bday-day``, ``bday-month`` and ``bday-year``.
    """

    template_name = "nhsuk/widgets/date_input.html"

    def __init__(self, attrs=None, autocomplete=None):
        widgets = {}
        for part in DATE_PARTS:
            part_attrs = {"inputmode": "numeric"}
            if autocomplete:
                part_attrs["autocomplete"] = f"{autocomplete}-{part}"
            widgets[part] = forms.TextInput(attrs=part_attrs)
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        # NHS.UK ids for the parts, <id>-day, <id>-month and <id>-year (Django
        # would use <id>_0, <id>_1, <id>_2), when the widget is rendered alone.
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        if base_id:
            for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
                subwidget["attrs"]["id"] = f"{base_id}-{part}"
        return context

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    """A ``datetime.date`` entered in separate day, month and year inputs.

    Args:
        error_name: how messages name the date ("Date" by default).
        autocomplete: autocomplete token prefix for the inputs, e.g. "bday".
        **kwargs: the usual field arguments (label, help_text, required,
            validators, error_messages, initial...).
    """

    widget = DateInputWidget
    default_error_messages = {
        "required": _("Enter a date"),
        "incomplete": _("%(name)s must include a %(missing)s"),
        "invalid": _("%(name)s must be a real date"),
        "invalid_year": _("Year must include 4 numbers"),
    }

    def __init__(self, *, error_name=None, autocomplete=None, **kwargs):
        self.error_name = error_name or _("Date")
        self.error_parts = []
        if autocomplete and "widget" not in kwargs:
            kwargs["widget"] = DateInputWidget(autocomplete=autocomplete)
        fields = tuple(forms.CharField(required=False) for _part in DATE_PARTS)
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def _error(self, code, parts, **params):
        self.error_parts = list(parts)
        return ValidationError(
            self.error_messages[code],
            code=code,
            params={"name": self.error_name, **params},
        )

    def clean(self, value):
        self.error_parts = []
        if self.disabled and not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        values = list(value) if isinstance(value, (list, tuple)) else []
        values = (values + [None, None, None])[:3]
        parts = {
            part: ("" if raw is None else str(raw).strip())
            for part, raw in zip(DATE_PARTS, values, strict=True)
        }

        missing = [part for part in DATE_PARTS if not parts[part]]
        if len(missing) == len(DATE_PARTS):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if missing:
            names = {"day": _("day"), "month": _("month"), "year": _("year")}
            joined = str(_(" and ")).join(str(names[part]) for part in missing)
            raise self._error("incomplete", missing, missing=joined)

        # isdecimal, not isdigit: "²" is a digit that int() refuses. A day or month of
        # more than a few figures is not a date, and int() or date() would overflow on it.
        not_numbers = [part for part in DATE_PARTS if not parts[part].isdecimal()]
        if not_numbers:
            raise self._error("invalid", not_numbers)
        if len(parts["year"]) != 4:
            raise self._error("invalid_year", ["year"])
        too_long = [part for part in ("day", "month") if len(parts[part]) > 4]
        if too_long:
            raise self._error("invalid", too_long)

        day, month, year = (int(parts[part]) for part in DATE_PARTS)
        if not 1 <= month <= 12:
            raise self._error("invalid", ["month"])
        try:
            result = datetime.date(year, month, day)
        except (ValueError, OverflowError):
            raise self._error("invalid", ["day"]) from None

        self.validate(result)
        self.run_validators(result)
        return result

    def compress(self, data_list):
        # clean() does the work; this is only used by Django's has_changed()
        # machinery and returns None for anything that is not a whole date.
        try:
            day, month, year = (int(v) for v in data_list)
            return datetime.date(year, month, day)
        except (TypeError, ValueError, OverflowError):
            return None

    def validate(self, value):
        # Required-ness is checked in clean(); MultiValueField.validate is a no-op.
        pass
