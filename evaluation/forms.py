"""Forms of the evaluation app: staff pages and the public feedback form."""

import copy
from functools import cached_property

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nhsuk.fields import DateInputField
from nhsuk.helper import FormHelper
from nhsuk.layout import HTML, Field, Fieldset, Fluid, Layout, Size, Submit

from .models import DistributionPoint, FormVersion, Measure, Question
from .services import CUSTOM_SCALE, MAX_IMPORT_BYTES, PRESET_SCALES

RADIO = forms.RadioSelect


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*layout)
    return helper


# Staff forms -------------------------------------------------------------------------

class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "kind", "name", "definition", "numerator", "denominator", "target_percent",
            "improvement", "frequency",
        ]
        labels = {
            "kind": "Type of measure",
            "name": "Name",
            "definition": "Definition",
            "numerator": "Numerator",
            "denominator": "Denominator",
            "target_percent": "Target (%)",
            "improvement": "Is a higher or lower figure better?",
            "frequency": "How often is it measured?",
        }
        help_texts = {
            "kind": "Outcome measures come from feedback forms; you enter process, balancing, "
            "operational (for example complaints, PALS contacts or readmissions) and staff "
            "experience (staff survey results) measures each week or month",
            "numerator": "What is counted, for example people who said they knew who to contact",
            "denominator": "Out of what, for example people discharged who answered",
            "target_percent": "For example 80. Leave blank if there is no target yet",
        }
        widgets = {"kind": RADIO, "improvement": RADIO, "frequency": RADIO}
        error_messages = {
            "kind": {"required": "Select the type of measure"},
            "name": {"required": "Enter a name for the measure"},
            "target_percent": {"invalid": "The target must be a whole number from 0 to 100"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "improvement", "frequency"):
            self.fields[name].choices = [
                c for c in self.fields[name].choices if c[0] != ""
            ]
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("definition", rows=3),
            Field.text("numerator", field_width=Fluid.TWO_THIRDS),
            Field.text("denominator", field_width=Fluid.TWO_THIRDS),
            Field.text("target_percent", field_width=3, inputmode="numeric"),
            Field.radios("improvement", legend_size=Size.SMALL),
            Field.radios("frequency", legend_size=Size.SMALL, inline=True),
            Submit("save", "Save measure"),
        )

    def clean_target_percent(self):
        value = self.cleaned_data["target_percent"]
        if value is not None and value > 100:
            raise forms.ValidationError("The target must be a whole number from 0 to 100")
        return value


class DataPointForm(forms.Form):
    period_start = DateInputField(
        label="Start of the week or month",
        help_text="For example, 3 11 2026. A date in the week or month will do",
        error_name="Start date",
        error_messages={"required": "Enter the start of the week or month"},
    )
    numerator = forms.IntegerField(
        label="Numerator", min_value=0,
        error_messages={
            "required": "Enter the numerator", "invalid": "The numerator must be a whole number",
            "min_value": "The numerator must be 0 or more",
        },
    )
    denominator = forms.IntegerField(
        label="Denominator", min_value=0,
        error_messages={
            "required": "Enter the denominator",
            "invalid": "The denominator must be a whole number",
            "min_value": "The denominator must be 0 or more",
        },
    )

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        if measure.numerator:
            self.fields["numerator"].help_text = measure.numerator
        if measure.denominator:
            self.fields["denominator"].help_text = measure.denominator
        self.helper = _helper(
            Field.date("period_start", legend_size=Size.SMALL),
            Field.text("numerator", field_width=5, inputmode="numeric"),
            Field.text("denominator", field_width=5, inputmode="numeric"),
            Submit("save", "Save figures"),
        )

    def clean(self):
        data = super().clean()
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if numerator is not None and denominator is not None and numerator > denominator:
            self.add_error(
                "numerator", "The numerator must be the same as or less than the denominator"
            )
        return data


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="The file must be a CSV smaller than 2 MB",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, submit_text: str = "Upload file", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("file", accept=".csv,text/csv"), Submit("upload", submit_text))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2 MB")
        if not upload.name.lower().endswith(".csv") or upload.content_type not in (
            "text/csv", "application/csv", "text/plain", "application/vnd.ms-excel",
            "application/octet-stream",
        ):
            raise forms.ValidationError("The selected file must be a CSV")
        return upload


class FeedbackFormForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200,
        help_text="Patients see it, for example “Going home from Ward 7”",
        error_messages={"required": "Enter a title"},
    )
    introduction = forms.CharField(
        label="Introduction (optional)", required=False, widget=forms.Textarea,
        help_text="A sentence above the questions, for example why you ask",
    )
    format = forms.ChoiceField(
        label="Format", choices=FormVersion.Format.choices, widget=RADIO,
        initial=FormVersion.Format.STANDARD,
        help_text="Easy read uses short sentences and larger text",
        error_messages={"required": "Select the format"},
    )

    def __init__(self, *args, submit_text: str = "Save form", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("introduction", rows=3),
            Field.radios("format", legend_size=Size.SMALL),
            Submit("save", submit_text),
        )


SCALE_CHOICES = [(key, label) for key, (label, _) in PRESET_SCALES.items()] + [
    (CUSTOM_SCALE, "Your own answers")
]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of question", choices=Question.Kind.choices, widget=RADIO,
        error_messages={"required": "Select the type of question"},
    )
    text = forms.CharField(
        label="Question", max_length=500, error_messages={"required": "Enter the question"},
    )
    hint = forms.CharField(label="Hint (optional)", max_length=500, required=False)
    scale = forms.ChoiceField(
        label="Answers", choices=SCALE_CHOICES, widget=RADIO, required=False,
        help_text="For a scale or a single choice",
    )
    custom_options = forms.CharField(
        label="Your own answers", required=False, widget=forms.Textarea,
        help_text="One answer on each line, then | and whether it counts as success: "
        "“Yes | success”, “No | not success”, “Not sure | left out”",
    )
    required = forms.BooleanField(
        label="People must answer this question", required=False, initial=True,
    )
    max_length = forms.IntegerField(
        label="Most characters allowed (free text)", required=False, min_value=50,
        max_value=5000, initial=1000,
        error_messages={
            "min_value": "Allow at least 50 characters",
            "max_value": "Allow 5000 characters or fewer",
            "invalid": "Enter a whole number of characters",
        },
    )
    measure = forms.ModelChoiceField(
        label="Outcome measure it feeds (optional)", queryset=Measure.objects.none(),
        required=False, empty_label="None",
    )

    def __init__(self, *args, always_event, editing: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.filter(
            always_event=always_event, kind=Measure.Kind.OUTCOME
        )
        self.editing = editing
        layout = [
            Field.textarea("text", rows=2),
            Field.text("hint", field_width=Fluid.TWO_THIRDS),
        ]
        if editing is not None:
            del self.fields["kind"]
            self.fields["scale"].help_text = "Leave blank to keep the answers it has"
        else:
            layout.insert(0, Field.radios("kind", legend_size=Size.SMALL))
        if editing is None or editing.kind != Question.Kind.FREE_TEXT:
            layout += [
                Field.radios("scale", legend_size=Size.SMALL),
                Field.textarea("custom_options", rows=5),
                Field.checkbox("required"),
            ]
        if editing is None or editing.kind == Question.Kind.FREE_TEXT:
            layout.append(Field.text("max_length", field_width=5, inputmode="numeric"))
        if editing is None or editing.kind != Question.Kind.FREE_TEXT:
            layout.append(Field.select("measure"))
        layout.append(Submit("save", "Save question"))
        self.helper = _helper(*layout)

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or (self.editing.kind if self.editing else None)
        if kind and kind != Question.Kind.FREE_TEXT:
            scale = data.get("scale")
            if not scale and self.editing is None:
                self.add_error("scale", "Select the answers people choose from")
            if kind == Question.Kind.SINGLE_CHOICE and scale and scale != CUSTOM_SCALE:
                data["scale"] = CUSTOM_SCALE
                if not data.get("custom_options"):
                    data["custom_options"] = "\n".join(
                        f"{label} | {_outcome_word(outcome)}"
                        for label, outcome in PRESET_SCALES[scale][1]
                    )
            if data.get("scale") == CUSTOM_SCALE and not data.get("custom_options"):
                self.add_error("custom_options", "Enter your own answers, one on each line")
        return data


def _outcome_word(outcome: int) -> str:
    return {1: "success", 0: "not success", 2: "left out"}[outcome]


class TranslationForm(forms.Form):
    """A translation of the current version: title, introduction, each question and option."""

    language = forms.CharField(
        label="Language code", max_length=10,
        help_text="For example cy (Welsh), pl (Polish), ar (Arabic), ur (Urdu)",
        error_messages={"required": "Enter the language code"},
    )
    language_name = forms.CharField(
        label="Language name, in that language", max_length=50,
        help_text="For example Cymraeg, Polski, العربية, اردو",
        error_messages={"required": "Enter the language's name"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    introduction = forms.CharField(label="Introduction", required=False, widget=forms.Textarea)

    def __init__(self, *args, version: FormVersion, language_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        layout = [] if language_fixed else [Field.text("language", field_width=5)]
        if language_fixed:
            del self.fields["language"]
        layout += [
            Field.text("language_name", field_width=10),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("introduction", rows=3),
        ]
        self.questions = list(version.questions.prefetch_related("options"))
        for question in self.questions:
            names = [f"q{question.position}_text", f"q{question.position}_hint"]
            self.fields[names[0]] = forms.CharField(
                label=f"Question {question.position}: {question.text}", max_length=500,
                error_messages={"required": f"Enter question {question.position} in this language"},
            )
            self.fields[names[1]] = forms.CharField(
                label=f"Hint of question {question.position}", required=False, max_length=500,
                help_text=question.hint or "This question has no hint",
            )
            for option in question.options.all():
                name = f"q{question.position}_o{option.position}"
                names.append(name)
                self.fields[name] = forms.CharField(
                    label=f"Answer “{option.label}”", max_length=200,
                    error_messages={
                        "required": f"Enter the answer “{option.label}” in this language"
                    },
                )
            layout.append(
                Fieldset(
                    *[Field.text(n, field_width=Fluid.TWO_THIRDS) for n in names],
                    legend=f"Question {question.position}", legend_size=Size.MEDIUM,
                )
            )
        layout.append(Submit("save", "Save translation"))
        self.helper = _helper(*layout)

    @classmethod
    def initial_from(cls, translation) -> dict:
        initial = {
            "language": translation.language, "language_name": translation.language_name,
            "title": translation.title, "introduction": translation.introduction,
        }
        for position, texts in translation.questions.items():
            initial[f"q{position}_text"] = texts.get("text", "")
            initial[f"q{position}_hint"] = texts.get("hint", "")
            for option_position, label in texts.get("options", {}).items():
                initial[f"q{position}_o{option_position}"] = label
        return initial

    def questions_data(self) -> dict:
        data = {}
        for question in self.questions:
            p = question.position
            data[str(p)] = {
                "text": self.cleaned_data[f"q{p}_text"],
                "hint": self.cleaned_data[f"q{p}_hint"],
                "options": {
                    str(o.position): self.cleaned_data[f"q{p}_o{o.position}"]
                    for o in question.options.all()
                },
            }
        return data


class DistributionPointForm(forms.Form):
    location = forms.CharField(
        label="Location", max_length=200,
        help_text="The ward, clinic or service, for example Ward 7 discharge lounge",
        error_messages={"required": "Enter the location"},
    )
    channel = forms.ChoiceField(
        label="How do people reach the form?", choices=DistributionPoint.Channel.choices,
        widget=RADIO, error_messages={"required": "Select how people reach the form"},
    )
    starts_on = DateInputField(
        label="Start date", help_text="For example, 1 12 2026", error_name="Start date",
        error_messages={"required": "Enter the start date"},
    )
    ends_on = DateInputField(
        label="End date (optional)", help_text="Leave blank to keep it open",
        error_name="End date", required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("location", field_width=Fluid.TWO_THIRDS),
            Field.radios("channel", legend_size=Size.SMALL),
            Field.date("starts_on", legend_size=Size.SMALL),
            Field.date("ends_on", legend_size=Size.SMALL),
            Submit("save", "Save distribution point"),
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data


# The public feedback form --------------------------------------------------------------

SUBMISSION_SALT = "evaluation.submission"


def submission_key_new(token: str) -> str:
    """A one-time key for one view of the form, signed so only keys we issued are accepted."""
    import secrets

    return signing.TimestampSigner(salt=f"{SUBMISSION_SALT}:{token}").sign(secrets.token_hex(16))


def submission_key_check(token: str, signed: str) -> str:
    """The key's random part (what Response.submission_key stores), or raises BadSignature."""
    signer = signing.TimestampSigner(salt=f"{SUBMISSION_SALT}:{token}")
    value = signer.unsign(signed, max_age=settings.FEEDBACK_SUBMISSION_MAX_AGE)
    if len(value) != 32 or any(c not in "0123456789abcdef" for c in value):
        raise signing.BadSignature("Not a key we issued")
    return value


class FeedbackResponseForm(forms.Form):
    """The questions of one form version, in the person's language. Fields are q1, q2…"""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)
    lang = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    website = forms.CharField(required=False, max_length=200)

    def __init__(
        self, *args, version: FormVersion, translation=None, easy_read: bool = False,
        kiosk_start_url: str = "", **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.version = version
        self.easy_read = easy_read
        self.kiosk_start_url = kiosk_start_url
        self.questions, fields = _question_fields(version, translation)
        self.fields.update(copy.deepcopy(fields))
        self.fields["website"].label = _("Leave this blank")

    @cached_property
    def helper(self) -> FormHelper:
        """The layout, made only when the form is rendered (not for valid answers)."""
        helper = FormHelper()
        helper.form_error_title = _("There is a problem")
        helper.attrs = {"autocomplete": "off"}
        if self.kiosk_start_url:
            helper.attrs["data-kiosk-start-url"] = self.kiosk_start_url
            helper.attrs["data-kiosk-idle-seconds"] = settings.FEEDBACK_KIOSK_IDLE_SECONDS
        size = Size.LARGE if self.easy_read else Size.MEDIUM
        layout = [Field("submission_key"), Field("lang")]
        for question in self.questions:
            name = f"q{question.position}"
            if question.kind == Question.Kind.FREE_TEXT:
                layout.append(Field.textarea(name, label_size=size))
            else:
                layout.append(Field.radios(name, legend_size=size))
        layout += [
            HTML(
                '<div class="app-honeypot" aria-hidden="true">'
                f'<label for="id_website">{self.fields["website"].label}</label>'
                '<input type="text" name="website" id="id_website" tabindex="-1" '
                'autocomplete="off"></div>'
            ),
            Submit("send", _("Send your answers"), prevent_double_click=True),
        ]
        helper.layout = Layout(*layout)
        return helper

    def answers(self):
        from .services import AnswerInput

        result = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.position}")
            if question.kind == Question.Kind.FREE_TEXT:
                result.append(AnswerInput(question=question, text=value or ""))
            elif value not in (None, ""):
                option = next(o for o in question.options.all() if o.pk == value)
                result.append(AnswerInput(question=question, option=option))
        return result


def _question_fields(version: FormVersion, translation) -> tuple[list[Question], dict]:
    """The version's questions and their fields in the person's language. Built once per
    version object and language and kept on it (the public form cache keeps one version
    object per generation, so an edit builds them again); each form copies them, as a
    form copies its declared fields."""
    key = (translation.language if translation else "", get_language())
    built = version.__dict__.setdefault("_response_fields", {})
    if key not in built:
        built[key] = _build_question_fields(version, translation)
    return built[key]


def _build_question_fields(version: FormVersion, translation) -> tuple[list[Question], dict]:
    questions = version.questions.all()
    if "questions" not in getattr(version, "_prefetched_objects_cache", {}):
        questions = questions.prefetch_related("options")
    questions = list(questions)
    texts = translation.questions if translation else {}
    fields = {}
    for question in questions:
        words = texts.get(str(question.position), {})
        label = words.get("text") or question.text
        hint = words.get("hint") or question.hint
        name = f"q{question.position}"
        if question.kind == Question.Kind.FREE_TEXT:
            limit = question.max_length or 1000
            fields[name] = forms.CharField(
                label=label, help_text=hint, required=False, max_length=limit,
                widget=forms.Textarea(attrs={"rows": 5}), strip=True,
                error_messages={
                    "max_length": _("Your answer must be %(limit)s characters or fewer")
                    % {"limit": limit}
                },
            )
        else:
            labels = words.get("options", {})
            fields[name] = forms.TypedChoiceField(
                label=label, help_text=hint, required=question.required, widget=RADIO,
                coerce=int,
                choices=[
                    (o.pk, labels.get(str(o.position)) or o.label)
                    for o in question.options.all()
                ],
                error_messages={
                    "required": _("Select an answer to question %(number)s")
                    % {"number": question.position},
                    "invalid_choice": _("Select one of the answers shown"),
                },
            )
    return questions, fields
