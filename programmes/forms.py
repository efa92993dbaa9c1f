"""Forms check the shape of input and limit every choice to the organisation's own users
and objects; the rules themselves are in services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q

from nhsuk.fields import DateInputField
from nhsuk.helper import FormHelper
from nhsuk.layout import Field, Fieldset, Size, Submit

from .models import (
    Action,
    AlwaysEvent,
    ChangeIdea,
    Communication,
    Membership,
    OversightGroup,
    PDSACycle,
    Phase,
    ReadinessAnswer,
    ReadinessItem,
    SpreadRecord,
)
from .selectors import organisation_members

User = get_user_model()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} ({user.email})" if user.full_name else user.email


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class NHSForm(forms.Form):
    """A form drawn by the nhsuk pack: every field in order, then one submit button."""

    submit_text = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.layout.append(Submit("save", self.submit_text))


def _date(label, *, required=True, error_name="Date", required_message=None, hint=None):
    return DateInputField(
        label=label, required=required, error_name=error_name,
        help_text=hint or "For example, 15 3 2027",
        error_messages={"required": required_message or f"Enter the {error_name.lower()}"},
    )


def _text(label, *, required=True, message="", max_length=None, hint="", textarea=False):
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=hint,
        widget=forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput,
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


# Always Events ---------------------------------------------------------------------------


class AlwaysEventCreateForm(NHSForm):
    submit_text = "Create Always Event"
    title = _text(
        "Title", max_length=200, message="Enter a title",
        hint="A short name, for example Knowing who to contact at home",
    )
    service_area = _text(
        "Service area", max_length=200, message="Enter the service area",
        hint="The ward, clinic or service, for example Ward 7 (older people)",
    )
    setting = forms.ChoiceField(
        label="Setting", choices=AlwaysEvent.Setting.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the setting"},
    )


class AlwaysEventForm(AlwaysEventCreateForm):
    submit_text = "Save details"
    status = forms.ChoiceField(
        label="Status", choices=AlwaysEvent.Status.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    executive_sponsor = UserChoiceField(
        label="Executive sponsor", queryset=User.objects.none(), required=False,
        help_text="A member of your organisation with the executive role",
        error_messages={"invalid_choice": "Select an executive sponsor from your organisation"},
    )
    leads = UsersChoiceField(
        label="Leads", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select leads from your organisation",
                        "invalid_pk_value": "Select leads from your organisation"},
    )
    team = UsersChoiceField(
        label="Staff team", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select staff from your organisation",
                        "invalid_pk_value": "Select staff from your organisation"},
    )
    qi_strategy_objective = _text(
        "QI strategy objective", required=False, max_length=300,
        hint="The objective of your quality improvement strategy this supports",
    )
    you_said_we_did = _text(
        "“You said, we did”", required=False, textarea=True,
        hint="What changed because of what patients said. Shown to patients after they "
        "answer a feedback form, and on your organisation's public “You said, we did” page "
        "if it has one. Write nothing that is internal to the trust.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        members = organisation_members(organisation)
        self.fields["executive_sponsor"].queryset = members
        self.fields["leads"].queryset = members
        self.fields["team"].queryset = members


class VisionAndAimForm(NHSForm):
    submit_text = "Save vision and aim"
    vision_statement = _text(
        "Vision statement", required=False, textarea=True,
        hint="In the patient's own words, for example "
        "“I will always know who to contact when I get home”",
    )
    aim_population = _text(
        "Who the aim is for", required=False, max_length=200,
        hint="For example people discharged from Ward 7",
    )
    aim_measure = _text(
        "What they will report", required=False, max_length=300,
        hint="For example they knew who to contact when they got home",
    )
    aim_target_percent = forms.IntegerField(
        label="Target (%)", required=False,
        help_text="The percentage of people who will report it, from 0 to 100",
        validators=[
            MinValueValidator(0, "Target must be between 0 and 100"),
            MaxValueValidator(100, "Target must be between 0 and 100"),
        ],
        error_messages={"invalid": "Target must be a whole number, like 80"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
    )
    aim_deadline = _date("Deadline", required=False, error_name="Deadline")
    aim_review_interval = forms.ChoiceField(
        label="How often is the aim reviewed?", required=False,
        choices=AlwaysEvent.ReviewInterval.choices, widget=forms.RadioSelect,
    )


class CriterionForm(NHSForm):
    submit_text = "Save criterion"
    met = forms.TypedChoiceField(
        label="Is this criterion met?", choices=[("yes", "Met"), ("no", "Not yet")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": "Select met or not yet"},
    )
    evidence = _text("Evidence", required=False, textarea=True,
                     hint="What shows it, for example what patients said in interviews")
    agreed_by = _text(
        "Who agreed it", required=False, max_length=300,
        hint="Names or roles, for example the co-design team (4 patients, 3 staff)",
    )
    agreed_on = _date("Date agreed", required=False, error_name="Date agreed")


class PhaseChangeForm(NHSForm):
    to_phase = forms.ChoiceField(choices=Phase.choices, widget=forms.HiddenInput)
    reason = _text(
        "Reason for moving on", required=False, textarea=True,
        hint="Needed when something that must be true is not yet. It is kept in the history.",
    )

    def __init__(self, *args, phase_label: str, **kwargs):
        self.submit_text = f"Move to {phase_label}"
        super().__init__(*args, **kwargs)


class DriverNodeForm(NHSForm):
    text = _text("Text", max_length=300, message="Enter the text")

    def __init__(self, *args, label: str, hint: str = "", submit_text: str = "Save", **kwargs):
        self.submit_text = submit_text
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = hint
        self.fields["text"].error_messages["required"] = f"Enter the {label.lower()}"


class ChangeIdeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, idea):
        return idea.text


class PDSACycleForm(NHSForm):
    submit_text = "Save PDSA cycle"
    change_idea = ChangeIdeaChoiceField(
        label="Change idea being tested", queryset=ChangeIdea.objects.none(),
        error_messages={
            "required": "Select the change idea this cycle tests",
            "invalid_choice": "Select a change idea from this Always Event's driver diagram",
        },
    )
    objective = _text("Objective", textarea=True, message="Enter the objective of the cycle",
                      hint="What this cycle is trying to learn")
    prediction = _text("Prediction", required=False, textarea=True,
                       hint="What you think will happen")
    plan_who = _text("Plan: who", required=False, max_length=300)
    plan_what = _text("Plan: what", required=False, textarea=True)
    plan_when = _text("Plan: when", required=False, max_length=200,
                      hint="For example weekday discharges for two weeks")
    plan_where = _text("Plan: where", required=False, max_length=200)
    started_on = _date("Start date", required=False, error_name="Start date")
    ended_on = _date("End date", required=False, error_name="End date")
    do_notes = _text("Do: what happened", required=False, textarea=True)
    study_notes = _text("Study: results against the prediction", required=False, textarea=True)
    act = forms.ChoiceField(
        label="Act: what will you do next?", required=False,
        choices=PDSACycle.Act.choices, widget=forms.RadioSelect,
    )

    def __init__(self, *args, always_event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].queryset = ChangeIdea.objects.filter(
            secondary_driver__primary_driver__always_event=always_event
        )
        self.fields["change_idea"].empty_label = "Select a change idea"


class ActionForm(NHSForm):
    submit_text = "Save action"
    title = _text("What needs to be done", max_length=300, message="Enter what needs to be done")
    owner = UserChoiceField(
        label="Owner", queryset=User.objects.none(),
        error_messages={
            "required": "Select the owner",
            "invalid_choice": "Select an owner who is a member of this organisation",
        },
    )
    due_on = _date("Due date", error_name="Due date")
    status = forms.ChoiceField(
        label="Status", choices=Action.Status.choices, widget=forms.RadioSelect,
        initial=Action.Status.OPEN, error_messages={"required": "Select the status"},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisation_members(organisation)
        self.fields["owner"].empty_label = "Select the owner"


class CommunicationForm(NHSForm):
    submit_text = "Save"
    channel = forms.ChoiceField(
        label="Where was it presented?", choices=Communication.Channel.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select where it was presented"},
    )
    presented_on = _date("Date presented", error_name="Date presented")
    audience = _text("Audience", max_length=200, message="Enter who it was presented to",
                     hint="For example the nursing and midwifery council")
    notes = _text("Notes", required=False, textarea=True)


class AlwaysEventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, always_event):
        return f"{always_event.title} ({always_event.organisation.name})"


class SpreadRecordForm(NHSForm):
    submit_text = "Save"
    name = _text("Name", max_length=200, message="Enter the ward, site or organisation",
                 hint="The ward, site or organisation that adopted it")
    kind = forms.ChoiceField(
        label="What adopted it?", choices=SpreadRecord.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is a ward, site or organisation"},
    )
    adopted_on = _date("Date adopted", error_name="Date adopted")
    adopting_always_event = AlwaysEventChoiceField(
        label="Always Event that adopted it (optional)", required=False,
        queryset=AlwaysEvent.objects.none(),
        help_text="If the adopting team runs it here, link it so its history shows where "
        "it came from",
        error_messages={"invalid_choice": "Select an Always Event of your organisations"},
    )

    def __init__(self, *args, user, always_event, linked=None, **kwargs):
        """`linked`: the Always Event a record being changed links already, kept as a
        choice even when it is of an organisation the user is not a member of."""
        super().__init__(*args, **kwargs)
        field = self.fields["adopting_always_event"]
        choices = AlwaysEvent.objects.for_user(user)
        if linked is not None:
            choices = AlwaysEvent.objects.filter(
                Q(pk__in=choices.values("pk")) | Q(pk=linked.pk)
            )
        field.queryset = choices.exclude(pk=always_event.pk).select_related("organisation")
        field.empty_label = "Not recorded here"


# Organisation ----------------------------------------------------------------------------


class ReadinessForm(forms.Form):
    """One radio group (met, partly, not yet) and a note per readiness item."""

    assessed_on = _date("Date of the assessment", error_name="Date of the assessment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field.date("assessed_on", legend_size=Size.SMALL)]
        for item in ReadinessItem:
            self.fields[item.value] = forms.ChoiceField(
                label=item.label, choices=ReadinessAnswer.Status.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select met, partly met or not yet"},
            )
            self.fields[f"{item.value}_note"] = forms.CharField(
                label="Note (optional)", required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout.append(
                Fieldset(
                    Field.radios(item.value, inline=True, small=True),
                    Field.textarea(f"{item.value}_note", rows=2),
                    legend=item.label, legend_size=Size.SMALL,
                )
            )
        self.helper = FormHelper()
        self.helper.layout = layout_of(*layout, Submit("save", "Save assessment"))

    def answers(self) -> dict[str, tuple[str, str]]:
        return {
            item: (self.cleaned_data[item], self.cleaned_data[f"{item}_note"])
            for item in ReadinessItem.values
        }


def layout_of(*objects):
    from crispy_forms.layout import Layout

    return Layout(*objects)


class OversightGroupForm(NHSForm):
    submit_text = "Save oversight group"
    name = _text("Name of the group", max_length=200, message="Enter the name of the group")
    reports_to = forms.ChoiceField(
        label="Who does it report to?", choices=OversightGroup.ReportsTo.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select who the group reports to"},
    )


class OversightMemberForm(NHSForm):
    submit_text = "Add member"
    name = _text("Name", max_length=150, message="Enter the member's name")
    role = _text("Role", max_length=200, message="Enter the member's role",
                 hint="For example Chief Nurse, or patient partner")
    email = forms.EmailField(
        label="Email address (optional)", required=False, max_length=254,
        help_text="The monthly oversight report is emailed to this address",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@nhs.net"
        },
    )


class OversightMeetingForm(NHSForm):
    submit_text = "Save meeting"
    met_on = _date("Date of the meeting", error_name="Date of the meeting")
    decisions = _text("Decisions", required=False, textarea=True)


class MemberAddForm(NHSForm):
    submit_text = "Add member"
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = _text(
        "Full name", required=False, max_length=150,
        hint="Only needed when they do not have an account yet",
    )
    role = forms.ChoiceField(
        label="Role", choices=Membership.Role.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )


class MemberRoleForm(NHSForm):
    submit_text = "Change role"
    role = forms.ChoiceField(
        label="Role", choices=Membership.Role.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )


class YouSaidWeDidPageForm(NHSForm):
    submit_text = "Save"
    publish = forms.ChoiceField(
        label="Publish a public “You said, we did” page?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, publish it"), ("no", "No")],
        help_text="Anyone can see it without signing in. It lists each Always Event's "
        "“You said, we did” text; nothing else.",
        error_messages={"required": "Select whether to publish the page"},
    )


class AlwaysEventFilterForm(forms.Form):
    """The list page's filters; GET, so a filtered list can be bookmarked."""

    phase = forms.ChoiceField(label="Phase", required=False,
                              choices=[("", "All phases"), *Phase.choices])
    setting = forms.ChoiceField(label="Setting", required=False,
                                choices=[("", "All settings"), *AlwaysEvent.Setting.choices])
    lead = UserChoiceField(label="Lead", required=False, queryset=User.objects.none(),
                           empty_label="All leads")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = organisation_members(organisation).filter(
            led_always_events__organisation=organisation
        ).distinct()
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = layout_of(
            Field.select("phase"), Field.select("setting"), Field.select("lead"),
            Submit("", "Apply filters"),
        )
