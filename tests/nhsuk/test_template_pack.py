"""The nhsuk template pack renders each component like the NHS.UK fixtures.

Every test builds a Django form whose field matches one fixture from
``node_modules/nhsuk-frontend/dist/nhsuk/components/<component>/fixtures.json``
(named in the test's docstring), renders it through the pack and compares the
result with the fixture's ``html``, ignoring only whitespace and the order of
attributes and classes. Ids and names are made to match the fixture with
``auto_id="%s"``, a widget ``id`` attribute or field names equal to the
fixture's; where a fixture's names cannot be Django's, the test says how they
are mapped.
"""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

from nhsuk.fields import DateInputField
from nhsuk.layout import Button, Field, Fieldset, Fluid, Size, Submit

from .helpers import assert_same_html, fixture_html, render_layout, render_template

NHS_NUMBER_HINT = (
    'This is a 10 digit number (like <span class="nhsuk-u-nowrap">999 123 4567</span>) '
    "that you can find on an NHS letter, prescription or in the NHS App"
)
PERSONAL_INFO_HINT = (
    "Do not include personal information like your name, date of birth or NHS number"
)
CONTACT_CHOICES = [("email", "Email"), ("phone", "Phone"), ("text", "Text message")]


def nhs_number_form(widget_id, data=None, help_text=""):
    class NhsNumberForm(forms.Form):
        example = forms.CharField(
            label="What is your NHS number?",
            help_text=help_text,
            error_messages={"required": "Enter NHS number"},
            widget=forms.TextInput(
                attrs={"id": widget_id, "spellcheck": "false", "inputmode": "numeric"}
            ),
        )

    return NhsNumberForm(data=data, auto_id="%s")


NHS_NUMBER_LAYOUT = Field.text(
    "example",
    label_size=Size.LARGE,
    label_tag="h1",
    field_width=10,
    css_class="nhsuk-input--code",
)


# -- input ---------------------------------------------------------------


def test_it_renders_a_text_input_like_the_nhsuk_fixture():
    """input fixture "default": a label as an h1 page heading."""

    class NameForm(forms.Form):
        example = forms.CharField(label="What is your full name?")

    html = render_layout(
        NameForm(auto_id="%s"), Field.text("example", label_size=Size.LARGE, label_tag="h1")
    )

    assert_same_html(html, fixture_html("input", "default"))


def test_it_renders_a_text_input_with_a_hint_like_the_nhsuk_fixture():
    """input fixture "with hint": help_text becomes the hint, linked by aria-describedby."""
    form = nhs_number_form("with-hint", help_text=NHS_NUMBER_HINT)

    assert_same_html(render_layout(form, NHS_NUMBER_LAYOUT), fixture_html("input", "with hint"))


def test_it_renders_a_text_input_with_an_error_message_like_the_nhsuk_fixture():
    """input fixture "with error message": error class, message and aria-describedby."""
    form = nhs_number_form("with-error-message", data={})

    assert_same_html(
        render_layout(form, NHS_NUMBER_LAYOUT), fixture_html("input", "with error message")
    )


def test_it_renders_a_text_input_with_a_hint_and_an_error_message_like_the_nhsuk_fixture():
    """input fixture "with error message and hint": hint id then error id in aria-describedby."""
    form = nhs_number_form("with-hint-error", data={}, help_text=NHS_NUMBER_HINT)

    assert_same_html(
        render_layout(form, NHS_NUMBER_LAYOUT),
        fixture_html("input", "with error message and hint"),
    )


def test_it_passes_the_autocomplete_attribute_through_like_the_nhsuk_fixture():
    """input fixture "with autocomplete attribute": autocomplete from the widget's attrs."""

    class PostcodeForm(forms.Form):
        example = forms.CharField(
            label="Enter a full postcode in England",
            help_text="For example, LS1 1AB",
            widget=forms.TextInput(
                attrs={"id": "with-autocomplete-attribute", "autocomplete": "postal-code"}
            ),
        )

    html = render_layout(PostcodeForm(auto_id="%s"), Field.text("example", label_tag="h1"))

    assert_same_html(html, fixture_html("input", "with autocomplete attribute"))


def test_it_sets_a_fixed_input_width_like_the_nhsuk_fixture():
    """input fixture "width" (the first, 2 characters): a label that is not a heading."""

    class WidthForm(forms.Form):
        example = forms.CharField(
            label="2 character width", widget=forms.TextInput(attrs={"id": "input-width"})
        )

    html = render_layout(WidthForm(auto_id="%s"), Field.text("example", field_width=2))

    assert_same_html(html, fixture_html("input", "width", index=0))


# -- textarea and character count ------------------------------------------


def detail_form(widget_id, data=None, **field_kwargs):
    class DetailForm(forms.Form):
        example = forms.CharField(
            label="Can you provide more detail?",
            widget=forms.Textarea(attrs={"id": widget_id}),
            **field_kwargs,
        )

    return DetailForm(data=data, auto_id="%s")


def test_it_renders_a_textarea_like_the_nhsuk_fixture():
    """textarea fixture "default": 5 rows, no cols, hint linked by aria-describedby."""
    form = detail_form("example", help_text=PERSONAL_INFO_HINT)

    html = render_layout(form, Field.textarea("example", label_size=Size.LARGE, label_tag="h1"))

    assert_same_html(html, fixture_html("textarea", "default"))


def test_it_renders_a_textarea_with_a_hint_and_an_error_message_like_the_nhsuk_fixture():
    """textarea fixture "with error message and hint"."""
    form = detail_form(
        "with-hint-error",
        data={},
        help_text=PERSONAL_INFO_HINT,
        error_messages={"required": "You must provide an explanation"},
    )

    html = render_layout(form, Field.textarea("example", label_size=Size.LARGE, label_tag="h1"))

    assert_same_html(html, fixture_html("textarea", "with error message and hint"))


def test_it_passes_autocomplete_through_on_a_textarea_like_the_nhsuk_fixture():
    """textarea fixture "with autocomplete attribute"."""

    class AddressForm(forms.Form):
        example = forms.CharField(
            label="Full address",
            widget=forms.Textarea(
                attrs={"id": "with-autocomplete-attribute", "autocomplete": "street-address"}
            ),
        )

    html = render_layout(
        AddressForm(auto_id="%s"),
        Field.textarea("example", label_size=Size.LARGE, label_tag="h1"),
    )

    assert_same_html(html, fixture_html("textarea", "with autocomplete attribute"))


def test_it_adds_a_character_count_when_the_field_has_a_max_length_like_the_nhsuk_fixture():
    """character-count fixture "default": data-maxlength from the form field's max_length."""
    form = detail_form("example", help_text=PERSONAL_INFO_HINT, max_length=200)

    html = render_layout(form, Field.textarea("example", label_size=Size.LARGE, label_tag="h1"))

    assert_same_html(html, fixture_html("character-count", "default"))


def test_it_renders_a_character_count_with_an_error_message_like_the_nhsuk_fixture():
    """character-count fixture "with error message": the too-long text is kept."""
    long_text = (
        fixture_html("character-count", "with error message")
        .split('aria-describedby="with-error-message-info with-error-message-error">')[1]
        .split("</textarea>")[0]
    )

    class JobForm(forms.Form):
        example = forms.CharField(
            label="Enter a job description",
            max_length=350,
            widget=forms.Textarea(attrs={"id": "with-error-message"}),
            error_messages={"max_length": "Job description must be 350 characters or less"},
        )

    form = JobForm(data={"example": long_text}, auto_id="%s")

    html = render_layout(form, Field.textarea("example", label_size=Size.LARGE, label_tag="h1"))

    assert_same_html(html, fixture_html("character-count", "with error message"))


def test_it_counts_words_when_max_words_is_set_like_the_nhsuk_fixture():
    """character-count fixture "with maxwords": data-maxwords and data-count-type="words"."""

    class JobForm(forms.Form):
        example = forms.CharField(
            label="Enter a job description",
            widget=forms.Textarea(attrs={"id": "with-word-count"}),
        )

    html = render_layout(
        JobForm(auto_id="%s"),
        Field.textarea("example", max_words=150, label_size=Size.LARGE, label_tag="h1"),
    )

    assert_same_html(html, fixture_html("character-count", "with maxwords"))


def test_it_sets_the_character_count_threshold_like_the_nhsuk_fixture():
    """character-count fixture "with threshold": data-threshold and an initial value."""
    text = "Type another letter into this field after this message to see the threshold feature"
    form = detail_form("with-threshold", initial=text)

    html = render_layout(
        form,
        Field.textarea(
            "example", max_characters=112, threshold=75, label_size=Size.LARGE, label_tag="h1"
        ),
    )

    assert_same_html(html, fixture_html("character-count", "with threshold"))


# -- radios ------------------------------------------------------------------


def contact_radios_form(data=None, help_text="", choices=CONTACT_CHOICES, label=None, **kw):
    class ContactForm(forms.Form):
        example = forms.ChoiceField(
            label=label or "How do you want to be contacted about this?",
            choices=choices,
            help_text=help_text,
            widget=forms.RadioSelect,
            **kw,
        )

    return ContactForm(data=data, auto_id="%s")


def radios_layout(**kwargs):
    return Field.radios("example", legend_size=Size.LARGE, legend_tag="h1", **kwargs)


def with_id(form, field_id):
    form.fields["example"].widget.attrs["id"] = field_id
    return form


def test_it_renders_radios_like_the_nhsuk_fixture():
    """radios fixture "default": first radio has the field id, the rest <id>-2, <id>-3."""
    html = render_layout(contact_radios_form(), radios_layout())

    assert_same_html(html, fixture_html("radios", "default"))


def test_it_renders_radios_with_a_hint_like_the_nhsuk_fixture():
    """radios fixture "with hint": the fieldset is described by the hint."""
    form = with_id(contact_radios_form(help_text="Select 1 option"), "with-hint")

    assert_same_html(render_layout(form, radios_layout()), fixture_html("radios", "with hint"))


def test_it_renders_radios_with_a_hint_and_an_error_message_like_the_nhsuk_fixture():
    """radios fixture "with error message and hint"."""
    form = with_id(
        contact_radios_form(
            data={},
            help_text="Select 1 option",
            error_messages={"required": "Select how you want to be contacted"},
        ),
        "with-hint-error",
    )

    assert_same_html(
        render_layout(form, radios_layout()),
        fixture_html("radios", "with error message and hint"),
    )


def test_it_renders_inline_radios_like_the_nhsuk_fixture():
    """radios fixture "inline"."""
    form = with_id(
        contact_radios_form(choices=[("yes", "Yes"), ("no", "No")], label="Are you 18 or over?"),
        "inline",
    )

    assert_same_html(
        render_layout(form, radios_layout(inline=True)), fixture_html("radios", "inline")
    )


def test_it_renders_hints_on_radio_options_like_the_nhsuk_fixture():
    """radios fixture "with hints on items": each option's hint is its aria-describedby."""
    form = with_id(
        contact_radios_form(
            label="Do you have a mobile phone with signal?",
            choices=[
                ("mobile", "Yes, I have a mobile phone with signal"),
                ("landline", "No, I want to use my landline"),
            ],
        ),
        "with-hint-item",
    )
    layout = radios_layout(
        hints={
            "mobile": "We will text you a 6 digit security code",
            "landline": "We will call you to give you a 6 digit security code",
        }
    )

    assert_same_html(render_layout(form, layout), fixture_html("radios", "with hints on items"))


def test_it_renders_a_divider_between_radios_like_the_nhsuk_fixture():
    """radios fixture "with divider": the divider counts in the option ids (…-4)."""
    form = with_id(
        contact_radios_form(
            label="Do you know your NHS number?",
            help_text=NHS_NUMBER_HINT,
            choices=[
                ("yes", "Yes, I know my NHS number"),
                ("no", "No, I do not know my NHS number"),
                ("not sure", "I'm not sure"),
            ],
        ),
        "with-divider",
    )

    html = render_layout(form, radios_layout(dividers={"not sure": "or"}))

    assert_same_html(html, fixture_html("radios", "with divider"))


def conditional_contact_form(widget, data=None):
    """Fields named like the fixture's: contact-by-email, contact-by-phone, contact-by-text."""

    class ContactForm(forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["example"] = forms.ChoiceField(
                label="How do you want to be contacted about this?",
                help_text=(
                    "Select 1 option"
                    if widget is forms.RadioSelect
                    else "Select all options that are relevant to you"
                ),
                choices=CONTACT_CHOICES,
                widget=widget(attrs={"id": "conditional"}),
            )
            if widget is forms.CheckboxSelectMultiple:
                self.fields["example"] = forms.MultipleChoiceField(
                    label=self.fields["example"].label,
                    help_text=self.fields["example"].help_text,
                    choices=CONTACT_CHOICES,
                    widget=widget(attrs={"id": "conditional"}),
                )
            self.fields["contact-by-email"] = forms.CharField(
                label="Email address",
                required=False,
                widget=forms.TextInput(attrs={"spellcheck": "false"}),
            )
            self.fields["contact-by-phone"] = forms.CharField(
                label="Phone number", required=False, widget=forms.TextInput(attrs={"type": "tel"})
            )
            self.fields["contact-by-text"] = forms.CharField(
                label="Mobile phone number",
                required=False,
                widget=forms.TextInput(attrs={"type": "tel"}),
            )

    return ContactForm(data=data, auto_id="%s")


def conditional_layout(method):
    def reveal(name):
        return Field.text(name, field_width=Fluid.TWO_THIRDS)

    return method(
        "example",
        legend_size=Size.LARGE,
        legend_tag="h1",
        conditional={
            "email": reveal("contact-by-email"),
            "phone": reveal("contact-by-phone"),
            "text": [reveal("contact-by-text")],
        },
    )


def test_it_reveals_fields_under_a_radio_like_the_nhsuk_fixture():
    """radios fixture "with conditional content": nhsuk-radios__conditional blocks."""
    form = conditional_contact_form(forms.RadioSelect)

    html = render_layout(form, conditional_layout(Field.radios))

    assert_same_html(html, fixture_html("radios", "with conditional content"))


def test_it_shows_the_revealed_fields_of_the_selected_radio():
    """A selected option's conditional block is not hidden (no …--hidden class)."""
    form = conditional_contact_form(forms.RadioSelect, data={"example": "phone"})

    html = render_layout(form, conditional_layout(Field.radios))

    assert 'class="nhsuk-radios__conditional" id="conditional-conditional-2"' in html
    assert "nhsuk-radios__conditional--hidden" in html  # the other two
    assert html.count("nhsuk-radios__conditional--hidden") == 2


# -- checkboxes --------------------------------------------------------------


def contact_checkboxes_form(data=None, **kw):
    class ContactForm(forms.Form):
        example = forms.MultipleChoiceField(
            label="How do you want to be contacted about this?",
            help_text="Select all options that are relevant to you",
            widget=forms.CheckboxSelectMultiple,
            **kw,
        )

    return ContactForm(data=data, auto_id="%s")


def checkboxes_layout(**kwargs):
    return Field.checkboxes("example", legend_size=Size.LARGE, legend_tag="h1", **kwargs)


def test_it_renders_checkboxes_like_the_nhsuk_fixture():
    """checkboxes fixture "default"."""
    form = contact_checkboxes_form(choices=CONTACT_CHOICES)

    assert_same_html(
        render_layout(form, checkboxes_layout()), fixture_html("checkboxes", "default")
    )


def test_it_renders_checkboxes_with_a_hint_and_an_error_message_like_the_nhsuk_fixture():
    """checkboxes fixture "with error message and hint"."""
    form = with_id(
        contact_checkboxes_form(
            data={},
            choices=[("email", "Email"), ("phone", "Phone"), ("text message", "Text message")],
            error_messages={"required": "Select how you want to be contacted"},
        ),
        "with-hint-error",
    )

    assert_same_html(
        render_layout(form, checkboxes_layout()),
        fixture_html("checkboxes", "with error message and hint"),
    )


def test_it_renders_hints_on_checkbox_options_like_the_nhsuk_fixture():
    """checkboxes fixture "with hints on items"."""

    class ConditionsForm(forms.Form):
        example = forms.MultipleChoiceField(
            label="What medical conditions do you have?",
            help_text="Select 1 or more",
            choices=[
                ("alzheimers", "Alzheimer's disease or dementia"),
                ("asthma", "Asthma"),
                ("cancer", "Cancer"),
                ("diabetes", "Diabetes"),
            ],
            widget=forms.CheckboxSelectMultiple(attrs={"id": "with-hint-item"}),
        )

    layout = checkboxes_layout(
        hints={"diabetes": "including type 1, type 2, and gestational diabetes"}
    )

    assert_same_html(
        render_layout(ConditionsForm(auto_id="%s"), layout),
        fixture_html("checkboxes", "with hints on items"),
    )


def test_it_reveals_fields_under_a_checkbox_like_the_nhsuk_fixture():
    """checkboxes fixture "with conditional content" (its checkboxes are named "contact")."""
    form = conditional_contact_form(forms.CheckboxSelectMultiple)

    html = render_layout(form, conditional_layout(Field.checkboxes))

    assert_same_html(
        html.replace('name="example"', 'name="contact"'),
        fixture_html("checkboxes", "with conditional content"),
    )


# -- select ------------------------------------------------------------------

SORT_CHOICES = [
    ("published", "Recently published"),
    ("updated", "Recently updated"),
    ("views", "Most views"),
    ("comments", "Most comments"),
]


def test_it_renders_a_select_like_the_nhsuk_fixture():
    """select fixture "default"."""

    class SortForm(forms.Form):
        example = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES)

    html = render_layout(
        SortForm(auto_id="%s"), Field.select("example", label_size=Size.LARGE, label_tag="h1")
    )

    assert_same_html(html, fixture_html("select", "default"))


def test_it_renders_a_select_with_a_selected_value_like_the_nhsuk_fixture():
    """select fixture "with selected value"."""

    class SortForm(forms.Form):
        example = forms.ChoiceField(
            label="Sort by",
            choices=SORT_CHOICES,
            initial="updated",
            widget=forms.Select(attrs={"id": "with-value"}),
        )

    html = render_layout(
        SortForm(auto_id="%s"), Field.select("example", label_size=Size.LARGE, label_tag="h1")
    )

    assert_same_html(html, fixture_html("select", "with selected value"))


def test_it_renders_a_select_with_a_hint_and_an_error_message_like_the_nhsuk_fixture():
    """select fixture "with error message and hint": the "choose" option fails validation."""

    def not_choose(value):
        if value == "choose":
            raise ValidationError("Select a location")

    class LocationForm(forms.Form):
        example = forms.ChoiceField(
            label="Choose location",
            help_text="This can be different to where you went before",
            choices=[
                ("choose", "Choose location"),
                ("eastmidlands", "East Midlands"),
                ("eastofengland", "East of England"),
                ("london", "London"),
                ("northeast", "North East"),
                ("northwest", "North West"),
                ("southeast", "South East"),
                ("southwest", "South West"),
                ("westmidlands", "West Midlands"),
                ("yorkshire", "Yorkshire and the Humber"),
            ],
            validators=[not_choose],
            widget=forms.Select(attrs={"id": "with-hint-error"}),
        )

    # The fixture has no option selected, so the field is rendered with an
    # error but without the submitted value.
    form = LocationForm(data={"example": "choose"}, auto_id="%s")
    form.full_clean()
    form.data = {}

    html = render_layout(form, Field.select("example", label_size=Size.LARGE, label_tag="h1"))

    assert_same_html(html, fixture_html("select", "with error message and hint"))


# -- date input ----------------------------------------------------------------

# The fixtures name the inputs "day", "month" and "year"; Django's MultiWidget
# names them <field>_day, <field>_month and <field>_year.
DATE_NAMES = {'name="example_day"': 'name="day"', 'name="example_month"': 'name="month"'}
DATE_NAMES['name="example_year"'] = 'name="year"'


def fixture_date_names(html):
    for ours, theirs in DATE_NAMES.items():
        html = html.replace(ours, theirs)
    return html


def dob_form(data=None, **kwargs):
    class DateOfBirthForm(forms.Form):
        example = DateInputField(
            label="What is your date of birth?",
            help_text="For example, 31 3 1980",
            error_name="Date of birth",
            error_messages={"required": "Enter your date of birth"},
            **kwargs,
        )

    return DateOfBirthForm(data=data, auto_id="%s")


DATE_LAYOUT = Field.date("example", legend_size=Size.LARGE, legend_tag="h1")


def test_it_renders_a_date_input_like_the_nhsuk_fixture():
    """date-input fixture "default": a fieldset with role="group" and three inputs."""
    html = render_layout(dob_form(), DATE_LAYOUT)

    assert_same_html(fixture_date_names(html), fixture_html("date-input", "default"))


def test_it_renders_a_date_input_with_values_like_the_nhsuk_fixture():
    """date-input fixture "with values": an initial date split into day, month, year."""
    html = render_layout(dob_form(initial=datetime.date(2024, 8, 5)), DATE_LAYOUT)

    assert_same_html(fixture_date_names(html), fixture_html("date-input", "with values"))


def test_it_sets_autocomplete_on_each_date_part_like_the_nhsuk_fixture():
    """date-input fixture "with autocomplete values": bday-day, bday-month, bday-year."""
    html = render_layout(dob_form(autocomplete="bday"), DATE_LAYOUT)

    assert_same_html(
        fixture_date_names(html), fixture_html("date-input", "with autocomplete values")
    )


def test_it_marks_every_date_part_when_the_whole_date_is_wrong_like_the_nhsuk_fixture():
    """date-input fixture "with error message and hint": nothing entered."""
    html = render_layout(dob_form(data={}), DATE_LAYOUT)

    assert_same_html(
        fixture_date_names(html), fixture_html("date-input", "with error message and hint")
    )


def test_it_marks_only_the_missing_date_part_like_the_nhsuk_fixture():
    """date-input fixture "with error on day input": month and year kept, day marked."""
    form = dob_form(data={"example_month": "3", "example_year": "1980"})

    html = render_layout(form, DATE_LAYOUT)

    assert_same_html(
        fixture_date_names(html), fixture_html("date-input", "with error on day input")
    )


# -- fieldset and legend -----------------------------------------------------------


class NoFieldsForm(forms.Form):
    pass


def test_it_renders_a_fieldset_with_a_heading_legend_like_the_nhsuk_fixture():
    """fieldset fixture "default" (legend fixture "default" inside it)."""
    html = render_layout(
        NoFieldsForm(),
        Fieldset(legend="What is your address?", legend_size=Size.LARGE, legend_tag="h1"),
    )

    assert_same_html(html, fixture_html("fieldset", "default"))


def test_it_renders_a_fieldset_without_a_heading_like_the_nhsuk_fixture():
    """fieldset fixture "without legend heading"."""
    html = render_layout(NoFieldsForm(), Fieldset(legend="What is your address?"))

    assert_same_html(html, fixture_html("fieldset", "without legend heading"))


def test_it_renders_a_legend_like_the_nhsuk_fixture():
    """legend fixture "text" (small, as an h1) through the pack's legend template."""
    html = render_template(
        '{% include "nhsuk/layout/legend.html" %}',
        legend_text="What is your address?",
        legend_class=f"nhsuk-fieldset__legend {Size.for_legend(Size.SMALL)}",
        legend_tag="h1",
    )

    assert_same_html(html, fixture_html("legend", "text"))


def test_it_renders_the_fields_of_a_fieldset_inside_it():
    class AddressForm(forms.Form):
        line_1 = forms.CharField(label="Address line 1")
        town = forms.CharField(label="Town or city")

    html = render_layout(
        AddressForm(auto_id="%s"),
        Fieldset("line_1", "town", legend="What is your address?", legend_size=Size.MEDIUM),
    )

    assert html.index("<fieldset") < html.index('for="line_1"') < html.index('for="town"')
    assert html.index('for="town"') < html.index("</fieldset>")
    assert "nhsuk-fieldset__legend--m" in html


# -- label, hint and error message ---------------------------------------------------


def test_it_renders_a_label_as_a_page_heading_like_the_nhsuk_fixture():
    """label fixture "default": a large label wrapped in an h1."""
    html = render_template(
        '{% include "nhsuk/layout/label.html" %}',
        label_text="What is your full name?",
        label_class=f"nhsuk-label {Size.for_label(Size.LARGE)}",
        label_tag="h1",
    )

    assert_same_html(html, fixture_html("label", "default"))


def test_it_renders_a_label_without_a_heading_like_the_nhsuk_fixture():
    """label fixture "without heading"."""
    html = render_template(
        '{% include "nhsuk/layout/label.html" %}', label_text="What is your full name?"
    )

    assert_same_html(html, fixture_html("label", "without heading"))


def test_it_renders_a_hint_like_the_nhsuk_fixture():
    """hint fixture "default"."""
    html = render_template('{% include "nhsuk/layout/hint.html" %}', hint_text=PERSONAL_INFO_HINT)

    assert_same_html(html, fixture_html("hint", "default"))


def test_it_renders_an_error_message_with_a_visually_hidden_prefix_like_the_nhsuk_fixture():
    """error-message fixture "default": "Error:" is visually hidden."""
    html = render_template(
        '{% include "nhsuk/layout/error_message.html" %}', error_text="Enter your full name"
    )

    assert_same_html(html, fixture_html("error-message", "default"))


# -- buttons ------------------------------------------------------------------------


def render_button(button):
    return render_layout(NoFieldsForm(), button)


def test_it_renders_a_submit_button_like_the_nhsuk_fixture():
    """button fixture "default"."""
    assert_same_html(
        render_button(Submit("", "Save and continue")), fixture_html("button", "default")
    )


def test_it_renders_a_secondary_button_like_the_nhsuk_fixture():
    """button fixture "secondary"."""
    assert_same_html(
        render_button(Button.secondary("", "Find my location")),
        fixture_html("button", "secondary"),
    )


def test_it_renders_a_warning_button_like_the_nhsuk_fixture():
    """button fixture "warning"."""
    assert_same_html(
        render_button(Button.warning("", "Yes, delete this vaccine")),
        fixture_html("button", "warning"),
    )


def test_it_renders_a_disabled_button_like_the_nhsuk_fixture():
    """button fixture "disabled": disabled and aria-disabled="true"."""
    assert_same_html(
        render_button(Submit("", "Disabled button", disabled=True)),
        fixture_html("button", "disabled"),
    )


def test_it_gives_a_named_button_its_name():
    html = render_button(Submit("save", "Save"))

    assert_same_html(
        html,
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit" name="save">'
        "Save</button>",
    )


# -- error summary ----------------------------------------------------------------------


def test_it_renders_an_error_summary_like_the_nhsuk_fixture():
    """error-summary fixture "default": a whole-date error links to the day input."""

    def in_the_past(value):
        if value >= datetime.date.today():
            raise ValidationError("Date of birth must be in the past")

    form = dob_form(
        data={"example_day": "1", "example_month": "1", "example_year": "2999"},
        validators=[in_the_past],
    )

    html = render_template("{% load nhsuk_crispy %}{% nhsuk_error_summary form %}", form=form)

    assert_same_html(html, fixture_html("error-summary", "default"))


def test_it_renders_an_error_summary_with_several_errors_like_the_nhsuk_fixture():
    """error-summary fixture "with multiple errors": one link per field, in order."""

    class NameForm(forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["example-first-name"] = forms.CharField(
                error_messages={"required": "Enter your first name"}
            )
            self.fields["example-last-name"] = forms.CharField(
                error_messages={"required": "Enter your last name"}
            )

    form = NameForm(data={}, auto_id="%s")

    html = render_template("{% load nhsuk_crispy %}{% nhsuk_error_summary form %}", form=form)

    assert_same_html(html, fixture_html("error-summary", "with multiple errors"))


# -- the comparison itself ---------------------------------------------------------------


def test_the_fixture_comparison_fails_when_the_markup_differs():
    """A missing class, a changed id or extra text must all fail the comparison."""
    expected = fixture_html("input", "with error message and hint")
    for changed in (
        expected.replace(" nhsuk-input--error", ""),
        expected.replace('id="with-hint-error-hint"', 'id="other-hint"'),
        expected.replace("Error: </span>", "Error: </span>Oops "),
        expected.replace("with-hint-error-hint with-hint-error-error", "with-hint-error-error"),
    ):
        with pytest.raises(AssertionError):
            assert_same_html(changed, expected)


def test_the_fixture_comparison_ignores_attribute_order_and_whitespace():
    assert_same_html(
        '<input   type="text" id="a"  class="b c">',
        '<input class="c b" id="a" type="text">',
    )
