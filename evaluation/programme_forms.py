"""Forms of the programme evaluation: the survey, survey rounds and interviews."""

from django import forms

from nhsuk.fields import DateInputField
from nhsuk.helper import FormHelper
from nhsuk.layout import Field, Layout, Size, Submit

from .models import Interview, SurveyResponse

OTHER_HINT = (
    "Optional. Do not include names: names, phone numbers, email addresses and postcodes "
    "are removed before it is saved."
)


def _radios(label, choices, message, hint=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": message, "invalid_choice": message},
    )


def _checkboxes(label, choices, hint=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=hint,
        error_messages={"invalid_choice": "Select answers from the list"},
    )


def _other(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=1000,
        help_text=OTHER_HINT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"{label} must be 1000 characters or fewer"},
    )


class SurveyResponseForm(forms.Form):
    improved_experience = _radios(
        "Has your Always Event improved service users' experience?",
        SurveyResponse.Improved.choices,
        "Select whether your Always Event has improved service users' experience",
    )
    influenced_coproduction = _radios(
        "Has your Always Event influenced other co-production work in your organisation?",
        SurveyResponse.Influence.choices,
        "Select how much your Always Event has influenced co-production work",
    )
    challenges = _checkboxes(
        "What have been the main challenges?",
        SurveyResponse.Challenge.choices,
        hint="Select all that apply",
    )
    challenges_other = _other("Other challenges")
    helped = _checkboxes(
        "What has helped?", SurveyResponse.Helper.choices, hint="Select all that apply"
    )
    helped_other = _other("Anything else that helped")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("improved_experience", legend_size=Size.MEDIUM),
            Field.radios("influenced_coproduction", legend_size=Size.MEDIUM),
            Field.checkboxes("challenges", legend_size=Size.MEDIUM),
            Field.textarea("challenges_other", max_characters=1000),
            Field.checkboxes("helped", legend_size=Size.MEDIUM),
            Field.textarea("helped_other", max_characters=1000),
            Submit("save", "Send your answers"),
        )

    def clean(self):
        data = super().clean()
        if not data.get("challenges") and not data.get("challenges_other", "").strip():
            self.add_error(
                "challenges", "Select the main challenges, or describe them under other challenges"
            )
        if not data.get("helped") and not data.get("helped_other", "").strip():
            self.add_error(
                "helped", "Select what has helped, or describe it under anything else that helped"
            )
        return data


class SurveyOpenForm(forms.Form):
    title = forms.CharField(
        label="Name of the survey round",
        max_length=200,
        help_text="For example Always Events programme evaluation, spring 2027",
        error_messages={
            "required": "Enter a name for the survey round",
            "max_length": "The name must be 200 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.layout.append(Submit("save", "Open the survey"))


class InterviewForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        error_messages={
            "required": "Select the organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    interviewed_on = DateInputField(
        label="Date of the interview",
        error_name="Date of the interview",
        help_text="For example, 15 3 2027",
        error_messages={"required": "Enter the date of the interview"},
    )
    interviewee_role = forms.CharField(
        label="Role of the person interviewed",
        max_length=200,
        help_text="A role, not a name: for example Always Event lead, or patient partner",
        error_messages={
            "required": "Enter the role of the person interviewed",
            "max_length": "The role must be 200 characters or fewer",
        },
    )
    themes = _checkboxes("Themes", Interview.Theme.choices, hint="Select all that apply")
    quotes = forms.CharField(
        label="Quotes (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Put each quote on its own line. " + OTHER_HINT.removeprefix("Optional. "),
        error_messages={"max_length": "Quotes must be 3000 characters or fewer"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Notes must be 5000 characters or fewer"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("organisation"),
            Field.date("interviewed_on"),
            Field.text("interviewee_role"),
            Field.checkboxes("themes"),
            Field.textarea("quotes"),
            Field.textarea("notes"),
            Submit("save", "Save interview"),
        )

    def clean_interviewed_on(self):
        from django.utils import timezone

        value = self.cleaned_data["interviewed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of the interview must be today or in the past")
        return value
