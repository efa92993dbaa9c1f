"""Template tags used by the ``nhsuk`` crispy-forms template pack.

The templates in ``nhsuk/templates/nhsuk`` stay small: the decisions about
ids, classes and ``aria-describedby`` are made here, in :class:`NhsukField`,
so they follow one set of rules (those of the NHS.UK frontend Nunjucks
macros) whatever template renders the field.
"""

import copy

from django import forms, template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from nhsuk.fields import DATE_PARTS, DateInputWidget

register = template.Library()

# Classes NHS.UK frontend gives each kind of control, and the class it adds
# when the field has an error.
BASE_CLASSES = {
    "input": "nhsuk-input",
    "textarea": "nhsuk-textarea",
    "select": "nhsuk-select",
    "file": "nhsuk-file-upload",
    "checkbox": "nhsuk-checkboxes__input",
}
ERROR_CLASSES = {
    "input": "nhsuk-input--error",
    "textarea": "nhsuk-textarea--error",
    "select": "nhsuk-select--error",
    "file": "nhsuk-file-upload--error",
}
# Attributes the pack never lets through to the rendered control: browser
# validation is switched off (errors are reported by the server in NHS.UK
# style) and Django's ``aria-invalid`` is not part of the NHS.UK markup.
DROPPED_ATTRS = ("required", "aria-invalid")
# Django's Textarea defaults, replaced by the NHS.UK default of 5 rows.
DJANGO_TEXTAREA_DEFAULTS = {"cols": "40", "rows": "10"}


def widget_kind(widget):
    """Name the NHS.UK component used to render a Django widget."""
    if isinstance(widget, DateInputWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):  # includes SelectMultiple
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "input"


SIZES = ("s", "m", "l", "xl")


def _size_class(value, prefix):
    """Accept a size ("m") or a full class ("nhsuk-label--m")."""
    return f"{prefix}--{value}" if value in SIZES else (value or "")


def _classes(*groups):
    """Join CSS classes, dropping blanks and duplicates but keeping order."""
    seen = []
    for group in groups:
        for name in (group or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


def field_id(bound_field):
    """The id of a field's (first) control, as NHS.UK frontend would set it."""
    widget = bound_field.field.widget
    return widget.attrs.get("id") or bound_field.auto_id or bound_field.html_name


def error_target(bound_field):
    """The id an error summary link points to for a field.

    Text inputs, textareas and selects: the control. Radios and checkboxes:
    the first option. Date inputs: the first of day, month and year that has
    an error (the day when the whole date is wrong).
    """
    base = field_id(bound_field)
    if widget_kind(bound_field.field.widget) == "date":
        parts = getattr(bound_field.field, "error_parts", None) or DATE_PARTS
        return f"{base}-{parts[0]}"
    return base


def error_summary_items(form):
    """Every error in a form as ``(href, message)`` pairs, in page order.

    Non-field errors come first and link to the first visible field (or
    have no link when the form has no visible fields); errors on hidden
    fields have no link as there is nothing to focus.
    """
    visible = [bf for bf in form if not bf.is_hidden]
    first = f"#{error_target(visible[0])}" if visible else None
    items = [(first, error) for error in form.non_field_errors()]
    for bound_field in form:
        if bound_field.is_hidden:
            items.extend((None, error) for error in bound_field.errors)
    for bound_field in visible:
        href = f"#{error_target(bound_field)}"
        items.extend((href, error) for error in bound_field.errors)
    return items


class NhsukField:
    """Everything the pack's templates need to render one bound field.

    Options come from the template context, where the layout objects in
    :mod:`nhsuk.layout` and the :class:`nhsuk.helper.FormHelper` put them.
    """

    def __init__(self, bound_field, context):
        self.bound_field = bound_field
        self.field = bound_field.field
        self.widget = bound_field.field.widget
        self.kind = widget_kind(self.widget)
        self.context = context
        self.id = field_id(bound_field)
        self.hint = bound_field.help_text
        self.hint_id = f"{self.id}-hint"
        show_errors = context.get("form_show_errors", True)
        self.errors = list(bound_field.errors) if show_errors else []
        self.has_errors = bool(self.errors)

    def option(self, name, default=None):
        value = self.context.get(name)
        return default if value in (None, "") else value

    # -- errors ---------------------------------------------------------

    @property
    def error_messages(self):
        """``(id, message)`` pairs; the first error gets the NHS.UK id."""
        return [
            (f"{self.id}-error" if n == 1 else f"{self.id}-error-{n}", message)
            for n, message in enumerate(self.errors, start=1)
        ]

    # -- wrappers -------------------------------------------------------

    @property
    def form_group_class(self):
        return _classes(
            "nhsuk-form-group",
            "nhsuk-form-group--error" if self.has_errors else "",
            "nhsuk-character-count" if self.is_character_count else "",
            self.option("wrapper_class", ""),
            self.bound_field.css_classes(),
        )

    @property
    def label_class(self):
        hidden = "" if self.context.get("form_show_labels", True) else "nhsuk-u-visually-hidden"
        return _classes(
            "nhsuk-label", _size_class(self.option("label_size"), "nhsuk-label"), hidden
        )

    @property
    def label_tag(self):
        return self.option("label_tag")

    @property
    def legend_class(self):
        hidden = "" if self.context.get("form_show_labels", True) else "nhsuk-u-visually-hidden"
        legend_size = _size_class(self.option("legend_size"), "nhsuk-fieldset__legend")
        return _classes("nhsuk-fieldset__legend", legend_size, hidden)

    @property
    def legend_tag(self):
        return self.option("legend_tag")

    def _describedby(self, *first):
        ids = list(first)
        if self.hint:
            ids.append(self.hint_id)
        ids.extend(error_id for error_id, _message in self.error_messages)
        return " ".join(i for i in ids if i)

    @property
    def fieldset_describedby(self):
        """``aria-describedby`` for the fieldset of radios, checkboxes and dates."""
        return self._describedby(self.widget.attrs.get("aria-describedby", ""))

    # -- character count ------------------------------------------------

    @property
    def max_words(self):
        return self.option("max_words")

    @property
    def max_characters(self):
        if self.max_words:
            return None
        explicit = self.option("max_characters")
        if explicit:
            return explicit
        if self.kind == "textarea" and self.option("character_count", True):
            return getattr(self.field, "max_length", None)
        return None

    @property
    def threshold(self):
        return self.option("threshold")

    @property
    def is_character_count(self):
        return self.kind == "textarea" and bool(self.max_characters or self.max_words)

    @property
    def info_id(self):
        return f"{self.id}-info"

    @property
    def character_count_message(self):
        if self.max_words:
            return _("You can enter up to %(count)s words") % {"count": self.max_words}
        return _("You can enter up to %(count)s characters") % {"count": self.max_characters}

    # -- single controls ------------------------------------------------

    @property
    def widget_html(self):
        """Render an input, textarea or select with NHS.UK classes and aria."""
        widget = copy.copy(self.widget)
        widget.attrs = {k: v for k, v in self.widget.attrs.items() if k not in DROPPED_ATTRS}
        kind = self.kind
        if kind == "textarea":
            for name, default in DJANGO_TEXTAREA_DEFAULTS.items():
                if widget.attrs.get(name) == default:
                    del widget.attrs[name]
            widget.attrs.setdefault("rows", "5")
            if self.is_character_count:
                # The count lets people type past the limit and see by how much.
                widget.attrs.pop("maxlength", None)
        attrs = {
            "class": _classes(
                BASE_CLASSES.get(kind, ""),
                ERROR_CLASSES.get(kind, "") if self.has_errors else "",
                "nhsuk-js-character-count" if self.is_character_count else "",
                self.widget.attrs.get("class", ""),
            )
        }
        describedby = self._describedby(
            self.widget.attrs.get("aria-describedby", ""),
            self.info_id if self.is_character_count else "",
        )
        if describedby:
            attrs["aria-describedby"] = describedby
        elif "aria-describedby" in widget.attrs:
            del widget.attrs["aria-describedby"]
        if self.field.disabled:
            attrs["disabled"] = True
        if "id" not in widget.attrs:
            attrs["id"] = self.id
        if self.field.localize:
            widget.is_localized = True
        if not attrs["class"]:
            del attrs["class"]
        return widget.render(
            name=self.bound_field.html_name,
            value=self.bound_field.value(),
            attrs=attrs,
            renderer=self.bound_field.form.renderer,
        )

    # -- radios and checkboxes ------------------------------------------

    def _extra_input_attrs(self):
        return {
            k: v
            for k, v in self.widget.attrs.items()
            if k not in ("id", "class", "aria-describedby", *DROPPED_ATTRS)
        }

    @property
    def item_class(self):
        return _classes(
            "nhsuk-radios__input" if self.kind == "radios" else "nhsuk-checkboxes__input",
            self.widget.attrs.get("class", ""),
        )

    @property
    def items(self):
        """The options of radios or checkboxes, with NHS.UK ids.

        The first option gets the field's id and later ones ``<id>-<n>``,
        where ``n`` counts dividers too, like the NHS.UK macros.
        """
        hints = {str(k): v for k, v in (self.option("choice_hints") or {}).items()}
        dividers = {str(k): v for k, v in (self.option("choice_dividers") or {}).items()}
        conditional = {str(k): v for k, v in (self.option("conditional_html") or {}).items()}
        extra = self._extra_input_attrs()
        if self.field.disabled:
            extra["disabled"] = True
        result = []
        index = 0
        for subwidget in self.bound_field.subwidgets:
            data = subwidget.data
            value = "" if data["value"] is None else str(data["value"])
            if value in dividers:
                index += 1
                result.append({"divider": dividers[value]})
            index += 1
            item_id = self.id if index == 1 else f"{self.id}-{index}"
            hint = hints.get(value)
            attrs = dict(extra)
            if hint:
                attrs["aria-describedby"] = f"{item_id}-item-hint"
            content = conditional.get(value)
            if content:
                attrs["data-aria-controls"] = f"conditional-{item_id}"
            result.append(
                {
                    "id": item_id,
                    "value": value,
                    "label": data["label"],
                    "checked": bool(data["selected"]),
                    "hint": hint,
                    "hint_id": f"{item_id}-item-hint",
                    "conditional": content,
                    "conditional_id": f"conditional-{item_id}",
                    "attrs": flatatt(attrs),
                }
            )
        return result

    @property
    def options_class(self):
        prefix = "nhsuk-radios" if self.kind == "radios" else "nhsuk-checkboxes"
        small = self.option(f"{self.kind}_small")
        inline = self.option(f"{self.kind}_inline")
        return _classes(
            prefix,
            f"{prefix}--small" if small else "",
            f"{prefix}--inline" if inline else "",
        )

    @property
    def checkbox_html(self):
        """A single checkbox (BooleanField) as one NHS.UK checkboxes item."""
        attrs = {"class": self.item_class, "id": self.id}
        if self.field.disabled:
            attrs["disabled"] = True
        widget = copy.copy(self.widget)
        widget.attrs = {
            k: v
            for k, v in self.widget.attrs.items()
            if k not in ("class", "aria-describedby", *DROPPED_ATTRS)
        }
        describedby = self._describedby(self.widget.attrs.get("aria-describedby", ""))
        if describedby:
            attrs["aria-describedby"] = describedby
        return widget.render(
            name=self.bound_field.html_name,
            value=self.bound_field.value(),
            attrs=attrs,
            renderer=self.bound_field.form.renderer,
        )

    # -- date input -----------------------------------------------------

    @property
    def date_items(self):
        """Day, month and year inputs for a DateInputField."""
        widget = self.widget
        value = self.bound_field.value()
        subwidgets = widget.get_context(self.bound_field.html_name, value, {})["widget"][
            "subwidgets"
        ]
        error_parts = set()
        if self.has_errors:
            error_parts = set(getattr(self.field, "error_parts", None) or DATE_PARTS)
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        widths = {"day": 2, "month": 2, "year": 4}
        items = []
        for part, subwidget in zip(DATE_PARTS, subwidgets, strict=True):
            attrs = {
                k: v
                for k, v in subwidget["attrs"].items()
                if k not in ("id", "class", "aria-describedby", *DROPPED_ATTRS)
            }
            if self.field.disabled:
                attrs["disabled"] = True
            has_error = part in error_parts
            items.append(
                {
                    "part": part,
                    "id": f"{self.id}-{part}",
                    "name": subwidget["name"],
                    "value": subwidget["value"],
                    "label": labels[part],
                    "has_error": has_error,
                    "class": _classes(
                        "nhsuk-input",
                        "nhsuk-input--error" if has_error else "",
                        f"nhsuk-input--width-{widths[part]}",
                        "nhsuk-date-input__input",
                        subwidget["attrs"].get("class", ""),
                    ),
                    "attrs": flatatt(attrs),
                }
            )
        return items


@register.simple_tag(takes_context=True)
def nhsuk_field(context, bound_field):
    """``{% nhsuk_field field as f %}``: NHS.UK rendering data for a field."""
    return NhsukField(bound_field, context.flatten() if hasattr(context, "flatten") else context)


@register.filter
def nhsuk_kind(bound_field):
    """``{{ field|nhsuk_kind }}``: which NHS.UK component renders the field."""
    return widget_kind(bound_field.field.widget)


@register.simple_tag(takes_context=True)
def nhsuk_error_summary(context, form, title=None):
    """Render an NHS.UK error summary listing every error in a form.

    ``{% nhsuk_error_summary form %}``, e.g. above the page's ``<h1>``.
    """
    items = error_summary_items(form)
    if not items:
        return ""
    return render_to_string(
        "nhsuk/layout/error_summary.html",
        {"items": items, "title": title or context.get("form_error_title") or ""},
    )


@register.simple_tag(takes_context=True)
def nhsuk_formset_error_summary(context, formset, title=None):
    """An NHS.UK error summary for a formset: its own errors, then each form's."""
    items = []
    for error in formset.non_form_errors():
        items.append((None, error))
    for form in formset:
        items.extend(error_summary_items(form))
    if not items:
        return ""
    return render_to_string(
        "nhsuk/layout/error_summary.html",
        {"items": items, "title": title or context.get("formset_error_title") or ""},
    )
