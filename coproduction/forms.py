"""Forms check the shape of input and limit every choice to the organisation's own users
and objects; the rules themselves are in services.py."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from nhsuk.fields import DateInputField
from nhsuk.helper import FormHelper
from nhsuk.layout import Field, Fieldset, Layout, Size, Submit
from programmes.models import AlwaysEvent, Phase

from .models import (
    CheckIn,
    CoDesignMember,
    CoDesignSession,
    Engagement,
    InvolvementPayment,
    Rung,
    Scale,
    Theme,
    TrainingRecord,
)

User = get_user_model()
PARTNER_KINDS = [(k, label) for k, label in CoDesignMember.Kind.choices if k != "staff"]
FORMATS = [
    ("easy_read", "Easy read"),
    ("large_print", "Large print"),
    ("interpreter", "An interpreter"),
]


class NHSForm(forms.Form):
    """A form drawn by the nhsuk pack: every field in order, then one submit button."""

    submit_text = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.layout.append(Submit("save", self.submit_text))

    def add_service_errors(self, error: ValidationError) -> None:
        """Puts a service's errors on the matching fields (others at the top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


def _date(label, *, required=True, error_name="Date", hint=None):
    return DateInputField(
        label=label, required=required, error_name=error_name,
        help_text=hint or "For example, 15 3 2026",
        error_messages={"required": f"Enter the {error_name.lower()}"},
    )


def _text(label, *, required=True, message="", max_length=None, hint="", textarea=False,
          rows=3):
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput,
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


def _hours(label, *, required=True, hint="", message=None):
    return forms.DecimalField(
        label=label, required=required, help_text=hint, max_digits=5, decimal_places=1,
        error_messages={
            "required": message or f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number, like 1.5",
            "max_digits": f"{label} must be 24 or fewer",
            "max_decimal_places": f"{label} can have one decimal place, like 1.5",
            "max_whole_digits": f"{label} must be 24 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
    )


def _radios(label, choices, message, **kwargs):
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message}, **kwargs,
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} ({user.email})" if user.full_name else user.email


def organisation_users(organisation):
    return User.objects.filter(memberships__organisation=organisation).order_by(
        "full_name", "email"
    ).distinct()


# Members -------------------------------------------------------------------------------


class StaffMemberForm(NHSForm):
    submit_text = "Add to the team"
    user = UserChoiceField(
        label="Member of staff", queryset=User.objects.none(),
        help_text="Only people who are members of your organisation are listed",
        error_messages={"required": "Select a member of staff",
                        "invalid_choice": "Select a member of staff from your organisation"},
    )
    role = _radios("Role on the team", CoDesignMember.Role.choices, "Select their role on the team")
    joined_on = _date("Date joined", error_name="Date joined")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = organisation_users(organisation)


class StaffMemberEditForm(NHSForm):
    submit_text = "Save changes"
    role = _radios("Role on the team", CoDesignMember.Role.choices, "Select their role on the team")
    joined_on = _date("Date joined", error_name="Date joined")
    left_on = _date("Date left", required=False, error_name="Date left",
                    hint="Leave blank while they are on the team. For example, 15 3 2026")


class PartnerForm(NHSForm):
    submit_text = "Add partner"
    chosen_name = _text(
        "Name or chosen name", max_length=150, message="Enter the name they want the team to use",
        hint="The name they want the team to use. It can be a first name only.",
    )
    kind = _radios(
        "Are they a patient, carer, family member, volunteer or advocate?", PARTNER_KINDS,
        "Select whether they are a patient, carer, family member, volunteer or advocate",
    )
    role = _radios("Role on the team", CoDesignMember.Role.choices, "Select their role on the team")
    contact = _text(
        "How to contact them (optional)", required=False, max_length=300,
        hint="A phone number, email address or another way. Only leads and organisation "
        "admins can see it.",
    )
    consent_given_on = _date("Date consent given", error_name="Date consent given")
    consent_scope = _text(
        "What they agreed to", textarea=True, message="Enter what they agreed to",
        hint="For example, to take part in workshops and for their first name to appear in notes",
    )
    access_needs = _text(
        "Access needs (optional)", required=False, textarea=True,
        hint="For example, step-free access, breaks every hour, a hearing loop",
    )
    formats = forms.MultipleChoiceField(
        label="Preferred formats (optional)", choices=FORMATS, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = _text("Preferred language (optional)", required=False, max_length=100,
                     hint="If not English, for example Polish or British Sign Language")
    joined_on = _date("Date joined", error_name="Date joined")

    def details_kwargs(self) -> dict:
        data = self.cleaned_data
        formats = set(data.get("formats") or [])
        return {
            "kind": data["kind"], "role": data["role"], "chosen_name": data["chosen_name"],
            "joined_on": data["joined_on"], "consent_given_on": data["consent_given_on"],
            "consent_scope": data["consent_scope"], "contact": data["contact"],
            "access_needs": data["access_needs"], "easy_read": "easy_read" in formats,
            "large_print": "large_print" in formats, "interpreter": "interpreter" in formats,
            "language": data["language"], "left_on": data.get("left_on"),
        }

    @staticmethod
    def initial_for(member: CoDesignMember) -> dict:
        formats = [name for name, _ in FORMATS if getattr(member, name)]
        return {
            "chosen_name": member.chosen_name, "kind": member.kind, "role": member.role,
            "contact": member.contact, "consent_given_on": member.consent_given_on,
            "consent_scope": member.consent_scope, "access_needs": member.access_needs,
            "formats": formats, "language": member.language, "joined_on": member.joined_on,
            "left_on": member.left_on,
        }


class PartnerEditForm(PartnerForm):
    submit_text = "Save changes"
    left_on = _date("Date left", required=False, error_name="Date left",
                    hint="Leave blank while they are on the team. For example, 15 3 2026")


class PaymentForm(NHSForm):
    submit_text = "Record payment"
    kind = _radios("Type", InvolvementPayment.Kind.choices, "Select a payment or expenses")
    paid_on = _date("Date paid", error_name="Date paid")
    amount = forms.DecimalField(
        label="Amount, in pounds", max_digits=8, decimal_places=2,
        error_messages={"required": "Enter the amount",
                        "invalid": "Amount must be a number, like 25.00",
                        "max_decimal_places": "Amount can have 2 decimal places, like 25.50",
                        "max_digits": "Amount must be less than £1,000,000",
                        "max_whole_digits": "Amount must be less than £1,000,000"},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
    )
    description = _text("What it was for", max_length=300,
                        message="Enter what the payment was for",
                        hint="For example, workshop on 3 March, or bus fares")


# Sessions ---------------------------------------------------------------------------------


class SessionForm(NHSForm):
    submit_text = "Save session"
    held_on = _date("Date of the session", error_name="Date of the session",
                    hint="It can be in the future. For example, 15 3 2026")
    kind = _radios("Kind of session", CoDesignSession.Kind.choices, "Select the kind of session")
    title = _text("Title (optional)", required=False, max_length=200,
                  hint="For example, Mapping the discharge journey")
    hours = _hours("Hours", hint="How long the session lasted, for example 2 or 1.5",
                   message="Enter how many hours the session lasted")
    notes = _text("What the team decided (optional)", required=False, textarea=True, rows=5)
    notes_shareable = forms.BooleanField(
        label="Partners may see these notes on their team page", required=False
    )


class SessionNotesForm(NHSForm):
    submit_text = "Save notes"
    notes = _text("What the team decided", required=False, textarea=True, rows=5)
    notes_shareable = forms.BooleanField(
        label="Partners may see these notes on their team page", required=False
    )


class AttendanceForm(NHSForm):
    """One checkbox per member ("took part"), their hours and, for staff, protected time."""

    submit_text = "Save attendance"

    def __init__(self, *args, members, session, **kwargs):
        self.members = list(members)
        super().__init__(*args, **kwargs)
        default_hours = session.hours
        existing = {a.member_id: a for a in session.attendances.all()}
        layout = []
        for member in self.members:
            attended = existing.get(member.pk)
            names = [f"attended_{member.pk}", f"hours_{member.pk}"]
            self.fields[names[0]] = forms.BooleanField(
                label=f"{member.display_name} took part", required=False,
                initial=attended is not None,
            )
            self.fields[names[1]] = _hours(f"Hours for {member.display_name}", required=False)
            self.fields[names[1]].initial = attended.hours if attended else default_hours
            parts = [Field.checkbox(names[0]), Field.text(names[1])]
            if member.is_staff:
                name = f"protected_hours_{member.pk}"
                self.fields[name] = _hours(
                    f"Protected time for {member.display_name}, in hours", required=False,
                    hint="Time released from their usual work to take part",
                )
                self.fields[name].initial = attended.protected_hours if attended else Decimal(0)
                parts.append(Field.text(name))
            legend = f"{member.display_name} ({member.get_kind_display().lower()})"
            layout.append(Fieldset(*parts, legend=legend, legend_size=Size.SMALL))
        self.helper.layout = Layout(*layout, Submit("save", self.submit_text))

    def entries(self):
        from .services import AttendanceEntry

        data = self.cleaned_data
        return [
            AttendanceEntry(
                member=member, hours=data.get(f"hours_{member.pk}"),
                protected_hours=data.get(f"protected_hours_{member.pk}"),
            )
            for member in self.members
            if data.get(f"attended_{member.pk}")
        ]


# "What matters to you?" ------------------------------------------------------------------


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, theme):
        return theme.name


class EngagementForm(NHSForm):
    submit_text = "Save engagement"
    method = _radios("How did you ask people?", Engagement.Method.choices,
                     "Select how you asked people")
    held_on = _date("Date", error_name="Date")
    setting = _text("Where", max_length=200, message="Enter where it took place",
                    hint="For example, Ward 7 day room, or online")
    participants = forms.IntegerField(
        label="How many people took part", min_value=1,
        error_messages={"required": "Enter how many people took part",
                        "invalid": "Number of people must be a whole number, like 12",
                        "min_value": "Number of people must be 1 or more"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
    )
    themes = ThemeChoiceField(
        label="Themes", queryset=Theme.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What people said mattered to them",
        error_messages={"invalid_choice": "Select themes from your organisation",
                        "invalid_pk_value": "Select themes from your organisation"},
    )
    new_themes = _text(
        "New themes (optional)", required=False, max_length=500,
        hint="Separate themes with commas, for example Knowing who to call, Being told why",
    )
    quotes = _text(
        "Quotes (optional)", required=False, textarea=True, rows=6,
        hint="Put each quote on its own line. Names, NHS numbers, phone numbers, email "
        "addresses and postcodes are removed before they are saved.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(organisation=organisation)
        if not self.fields["themes"].queryset.exists():
            del self.fields["themes"]

    def new_theme_names(self) -> list[str]:
        return [name for name in self.cleaned_data.get("new_themes", "").split(",") if name.strip()]

    def quote_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("quotes", "").splitlines() if line.strip()]


class QuoteForm(NHSForm):
    submit_text = "Add quote"
    text = _text("Quote", textarea=True, message="Enter the quote",
                 hint="Names, NHS numbers, phone numbers, email addresses and postcodes are "
                 "removed before it is saved.")
    theme = forms.ModelChoiceField(
        label="Theme (optional)", queryset=Theme.objects.none(), required=False,
        error_messages={"invalid_choice": "Select a theme from your organisation"},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(organisation=organisation)


class ThemeLinkForm(NHSForm):
    submit_text = "Save"
    led_to = forms.ModelChoiceField(
        label="Which Always Event did this theme lead to?", queryset=AlwaysEvent.objects.none(),
        required=False, help_text="Leave blank if it has not led to one yet",
        error_messages={"invalid_choice": "Select an Always Event of your organisation"},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["led_to"].queryset = AlwaysEvent.objects.in_organisation(organisation)


# Ladder and training -----------------------------------------------------------------------

RUNG_HINTS = {
    Rung.COERCION: "People attend to be told about something already decided",
    Rung.EDUCATING: "People are helped to understand the service",
    Rung.INFORMING: "People are told what is happening",
    Rung.CONSULTATION: "People are asked for their views, with no promise they change things",
    Rung.ENGAGEMENT: "People have more say, but staff still decide",
    Rung.CO_DESIGN: "People help design the service, with some decisions shared",
    Rung.CO_PRODUCTION: "People and staff share power and decisions as equals",
}


class LadderForm(NHSForm):
    submit_text = "Save rating"
    phase = _radios("Phase", Phase.choices, "Select the phase")
    rung = forms.TypedChoiceField(
        label="Where does the team's work sit on the ladder?",
        choices=[(r.value, r.label) for r in reversed(Rung)], coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the team's work sits on the ladder",
                        "invalid_choice": "Select where the team's work sits on the ladder"},
    )
    rated_on = _date("Date of the rating", error_name="Date of the rating")
    notes = _text("Notes (optional)", required=False, textarea=True,
                  hint="Why the team chose this rung, and what would move it up")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("phase"),
            Field.radios("rung", hints={r.value: RUNG_HINTS[r] for r in Rung}),
            Field.date("rated_on"),
            Field.textarea("notes", rows=3),
            Submit("save", self.submit_text),
        )


class TrainingForm(NHSForm):
    submit_text = "Save training record"
    user = UserChoiceField(
        label="Member of staff", queryset=User.objects.none(),
        error_messages={"required": "Select a member of staff",
                        "invalid_choice": "Select a member of staff from your organisation"},
    )
    topic = _radios("Topic", TrainingRecord.Topic.choices, "Select the topic")
    completed_on = _date("Date of the training", error_name="Date of the training")
    provider = _text("Provider", max_length=200, message="Enter who provided the training",
                     hint="For example, the trust's QI team or NHS England")
    hours = _hours("Hours", message="Enter the hours of training")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = organisation_users(organisation)


class CheckInForm(NHSForm):
    """The experience check-in: four statements on a five-point scale and a comment."""

    submit_text = "Send my answers"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for name, question in CheckIn.QUESTIONS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=question, choices=Scale.choices, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": f"Select how much you agree: {question.lower()}",
                                "invalid_choice": "Select one of the answers"},
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL))
        self.fields["comment"] = _text(
            "Anything else you want to tell us? (optional)", required=False, textarea=True,
            max_length=1000,
            hint="Do not include names or contact details. Any we find are removed.",
        )
        layout.append(Field.textarea("comment", rows=4))
        self.helper.layout = Layout(*layout, Submit("send", self.submit_text))
