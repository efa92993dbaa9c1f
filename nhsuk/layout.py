"""Layout objects for NHS.UK forms, in the spirit of crispy-forms-gds.

Examples::

    from nhsuk.layout import Button, Field, Fieldset, Fluid, Layout, Size, Submit

    helper.layout = Layout(
        Field.text("name", label_size=Size.LARGE, label_tag="h1"),
        Field.text("postcode", field_width=10, autocomplete="postal-code"),
        Field.radios(
            "contact",
            legend_size=Size.MEDIUM,
            conditional={"email": Field.text("email", field_width=Fluid.TWO_THIRDS)},
        ),
        Field.textarea("details", max_characters=500),
        Field.date("date_of_birth", legend_size=Size.MEDIUM),
        Fieldset("line_1", "town", legend="What is your address?", legend_size=Size.LARGE),
        Submit("save", "Save and continue"),
        Button.secondary("cancel", "Cancel"),
    )
"""

from crispy_forms import layout as crispy_layout
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

__all__ = [
    "HTML",
    "Button",
    "ButtonHolder",
    "Div",
    "Field",
    "Fieldset",
    "Fixed",
    "Fluid",
    "Hidden",
    "Layout",
    "Size",
    "Submit",
]

# Re-exported from django-crispy-forms so forms import everything from here.
Layout = crispy_layout.Layout
HTML = crispy_layout.HTML
Div = crispy_layout.Div
Hidden = crispy_layout.Hidden
ButtonHolder = crispy_layout.ButtonHolder


class Size:
    """Label and legend sizes: ``nhsuk-label--m``, ``nhsuk-fieldset__legend--m``."""

    SMALL = "s"
    MEDIUM = "m"
    LARGE = "l"
    EXTRA_LARGE = "xl"
    SIZES = (SMALL, MEDIUM, LARGE, EXTRA_LARGE)

    @classmethod
    def _check(cls, size):
        if size not in cls.SIZES:
            raise ValueError(f"Unknown size {size!r}: use one of {', '.join(cls.SIZES)}")
        return size

    @classmethod
    def for_label(cls, size):
        return f"nhsuk-label--{cls._check(size)}"

    @classmethod
    def for_legend(cls, size):
        return f"nhsuk-fieldset__legend--{cls._check(size)}"


class Fixed:
    """Fixed input widths, in characters: ``nhsuk-input--width-10``."""

    WIDTHS = (2, 3, 4, 5, 10, 20, 30)

    @classmethod
    def for_input(cls, width):
        if int(width) not in cls.WIDTHS:
            raise ValueError(f"Unknown fixed width {width!r}: use one of {cls.WIDTHS}")
        return f"nhsuk-input--width-{int(width)}"


class Fluid:
    """Fluid widths, a fraction of the container: ``nhsuk-u-width-two-thirds``.

    ``Fluid.for_input`` also accepts a number of characters and returns the
    fixed width class, so ``field_width`` can be either.
    """

    FULL = "full"
    THREE_QUARTERS = "three-quarters"
    TWO_THIRDS = "two-thirds"
    ONE_HALF = "one-half"
    ONE_THIRD = "one-third"
    ONE_QUARTER = "one-quarter"
    WIDTHS = (FULL, THREE_QUARTERS, TWO_THIRDS, ONE_HALF, ONE_THIRD, ONE_QUARTER)

    @classmethod
    def for_input(cls, width):
        if isinstance(width, int) or str(width).isdigit():
            return Fixed.for_input(width)
        if width not in cls.WIDTHS:
            raise ValueError(f"Unknown fluid width {width!r}: use one of {cls.WIDTHS}")
        return f"nhsuk-u-width-{width}"


def _label_context(label_size=None, label_tag=None):
    context = {}
    if label_size:
        context["label_size"] = Size.for_label(label_size)
    if label_tag:
        context["label_tag"] = label_tag
    return context


def _legend_context(legend_size=None, legend_tag=None):
    context = {}
    if legend_size:
        context["legend_size"] = Size.for_legend(legend_size)
    if legend_tag:
        context["legend_tag"] = legend_tag
    return context


class Field(crispy_layout.LayoutObject):
    """One or more form fields, rendered with the pack's ``field.html``.

    ``Field(name, css_class=..., context={...}, template=..., **attrs)``:
    ``css_class`` and ``**attrs`` go on the control (underscores in names
    become hyphens: ``data_id`` is ``data-id``); ``context`` sets options
    for the templates. The class methods are the simpler way in.
    """

    template = "%s/field.html"

    def __init__(self, *fields, css_class=None, context=None, template=None, **attrs):
        self.fields = list(fields)
        self.attrs = {}
        self.context = dict(context or {})
        self.conditional = {}
        if css_class:
            self.attrs["class"] = css_class
        if template:
            self.template = template
        # Values are escaped by Django when the widget is rendered.
        for name, value in attrs.items():
            self.attrs[name.replace("_", "-")] = value

    @classmethod
    def text(cls, name, label_size=None, field_width=None, label_tag=None, **attrs):
        """A text input (also email, password, number, tel, url inputs).

        ``field_width`` is characters (``10`` gives ``nhsuk-input--width-10``)
        or a :class:`Fluid` fraction (``"two-thirds"``).
        """
        css_class = attrs.pop("css_class", None)
        if field_width:
            css_class = " ".join(filter(None, [Fluid.for_input(field_width), css_class]))
        return cls(
            name, css_class=css_class, context=_label_context(label_size, label_tag), **attrs
        )

    @classmethod
    def textarea(
        cls,
        name,
        max_characters=None,
        max_words=None,
        rows=None,
        threshold=None,
        label_size=None,
        label_tag=None,
        **attrs,
    ):
        """A textarea; with ``max_characters`` or ``max_words`` a character count.

        A field with ``max_length`` gets a character count on its own; pass
        ``character_count=False`` in ``context`` to turn that off.
        """
        if max_characters and max_words:
            raise ValueError("Set max_characters or max_words, not both.")
        if threshold and not (max_characters or max_words):
            raise ValueError("threshold needs max_characters or max_words.")
        context = _label_context(label_size, label_tag)
        if max_characters:
            context["max_characters"] = max_characters
        if max_words:
            context["max_words"] = max_words
        if threshold:
            context["threshold"] = threshold
        if rows:
            attrs["rows"] = rows
        return cls(name, context=context, **attrs)

    @classmethod
    def select(cls, name, label_size=None, label_tag=None, **attrs):
        """A select (drop-down)."""
        return cls(name, context=_label_context(label_size, label_tag), **attrs)

    @classmethod
    def radios(
        cls,
        name,
        legend_size=None,
        legend_tag=None,
        small=False,
        inline=False,
        hints=None,
        dividers=None,
        conditional=None,
        **attrs,
    ):
        """Radios in a fieldset, the field's label as the legend.

        Args:
            hints: ``{value: hint}``, a hint under an option's label.
            dividers: ``{value: text}``, a divider (usually "or") before an option.
            conditional: ``{value: content}``, fields revealed when the option
                is selected. ``content`` is a field name, a layout object, or a
                list of them.
        """
        context = _legend_context(legend_size, legend_tag)
        context.update(radios_small=small, radios_inline=inline)
        field = cls(name, context=context, **attrs)
        field._choice_options(hints, dividers, conditional)
        return field

    @classmethod
    def checkboxes(
        cls,
        name,
        legend_size=None,
        small=False,
        legend_tag=None,
        hints=None,
        dividers=None,
        conditional=None,
        **attrs,
    ):
        """Checkboxes in a fieldset; ``hints``/``dividers``/``conditional`` as radios."""
        context = _legend_context(legend_size, legend_tag)
        context.update(checkboxes_small=small)
        field = cls(name, context=context, **attrs)
        field._choice_options(hints, dividers, conditional)
        return field

    @classmethod
    def checkbox(cls, name, small=False, **attrs):
        """A single checkbox (a BooleanField)."""
        return cls(name, context={"checkbox_small": small}, **attrs)

    @classmethod
    def date(cls, name, legend_size=None, legend_tag=None, **attrs):
        """A :class:`nhsuk.fields.DateInputField`: day, month and year in a fieldset."""
        return cls(name, context=_legend_context(legend_size, legend_tag), **attrs)

    def _choice_options(self, hints, dividers, conditional):
        if hints:
            self.context["choice_hints"] = dict(hints)
        if dividers:
            self.context["choice_dividers"] = dict(dividers)
        if conditional:
            self.conditional = dict(conditional)

    def _render_conditional(self, form, context, template_pack):
        rendered = {}
        for value, content in self.conditional.items():
            items = content if isinstance(content, (list, tuple)) else [content]
            rendered[str(value)] = mark_safe(  # noqa: S308 - rendered by crispy templates
                "".join(
                    render_field(item, form, context, template_pack=template_pack) for item in items
                )
            )
        return rendered

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        extra_context = dict(self.context)
        if self.conditional:
            extra_context["conditional_html"] = self._render_conditional(
                form, context, template_pack
            )
        return self.get_rendered_fields(
            form,
            context,
            template_pack,
            template=self.get_template_name(template_pack),
            attrs=self.attrs,
            extra_context=extra_context,
            **kwargs,
        )


class Fieldset(crispy_layout.LayoutObject):
    """Group fields in an NHS.UK fieldset with a legend.

    ``Fieldset("line_1", "town", legend="What is your address?",
    legend_size=Size.LARGE, legend_tag="h1")``
    """

    template = "%s/layout/fieldset.html"

    def __init__(
        self,
        *fields,
        legend=None,
        legend_size=None,
        legend_tag=None,
        css_class=None,
        css_id=None,
        template=None,
        **attrs,
    ):
        self.fields = list(fields)
        self.legend = legend
        self.legend_class = Size.for_legend(legend_size) if legend_size else ""
        self.legend_tag = legend_tag
        self.css_class = css_class
        self.css_id = css_id
        self.template = template or self.template
        self.flat_attrs = crispy_layout.flatatt(attrs)

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        return render_to_string(
            self.get_template_name(template_pack),
            {
                "fieldset": self,
                "fields": mark_safe(fields),  # noqa: S308 - rendered by crispy templates
                "legend": self.legend,
                "fieldset_legend_class": self.legend_class,
                "fieldset_legend_tag": self.legend_tag,
            },
        )


class Button(crispy_layout.BaseInput):
    """An NHS.UK button: ``<button class="nhsuk-button" data-module="nhsuk-button">``.

    ``Button(name, text)`` is a primary submit button; ``Button.secondary``,
    ``Button.reverse`` and ``Button.warning`` give the other styles. Pass
    ``type="button"`` for a button that does not submit the form,
    ``disabled=True``, ``small=True`` or ``prevent_double_click=True``.
    ``name`` may be empty, for a button that adds nothing to the submission.
    """

    template = "%s/layout/button.html"
    input_type = "submit"
    field_classes = "nhsuk-button"

    def __init__(
        self,
        name,
        value,
        *,
        css_id=None,
        css_class=None,
        template=None,
        disabled=False,
        small=False,
        prevent_double_click=False,
        type=None,
        **attrs,
    ):
        if disabled:
            attrs["disabled"] = True
            attrs["aria-disabled"] = "true"
        if prevent_double_click:
            attrs["data-prevent-double-click"] = "true"
        classes = " ".join(filter(None, ["nhsuk-button--small" if small else "", css_class]))
        super().__init__(
            name or "", value, css_id=css_id, css_class=classes or None, template=template, **attrs
        )
        if type:
            self.input_type = type
        # crispy-forms makes up an id from the name; NHS.UK buttons only have
        # one when asked for.
        self.id = css_id or ""

    @classmethod
    def primary(cls, name, value, **kwargs):
        return cls(name, value, **kwargs)

    @classmethod
    def secondary(cls, name, value, **kwargs):
        return cls._variant("secondary", name, value, **kwargs)

    @classmethod
    def reverse(cls, name, value, **kwargs):
        return cls._variant("reverse", name, value, **kwargs)

    @classmethod
    def warning(cls, name, value, **kwargs):
        return cls._variant("warning", name, value, **kwargs)

    @classmethod
    def _variant(cls, variant, name, value, css_class=None, **kwargs):
        css_class = " ".join(filter(None, [f"nhsuk-button--{variant}", css_class]))
        return cls(name, value, css_class=css_class, **kwargs)


class Submit(Button):
    """A primary submit button (an NHS.UK ``<button type="submit">``)."""
