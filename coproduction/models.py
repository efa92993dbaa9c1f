"""Co-production: co-design teams, sessions, "What matters to you?", training, check-ins.

The national evaluation of Always Events found protected staff time and staff engagement
were the hardest parts, prior "What matters to you?" work and the patient voice helped
most, staff needed training in co-production and QI tools, and taking part improved
people's wellbeing, skills and working relationships. These models record each of those.

Partners (patients, carers, family, volunteers, advocates) never sign in. We keep only
what the team needs to work with them, and `purge_partner_details` removes it a set time
after they leave. Models holding partners' personal details therefore have no
HistoricalRecords: a history table would keep what the purge removes.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from programmes.models import AlwaysEvent, Organisation, Phase


class CoDesignMemberQuerySet(models.QuerySet):
    def current(self, on):
        """Members who had joined by `on` and had not left."""
        return self.filter(joined_on__lte=on).filter(
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=on)
        )

    def partners(self):
        return self.exclude(kind=CoDesignMember.Kind.STAFF)

    def staff(self):
        return self.filter(kind=CoDesignMember.Kind.STAFF)


class CoDesignMember(models.Model):
    """A member of an Always Event's co-design team: staff (a user) or a partner (no login)."""

    class Kind(models.TextChoices):
        PATIENT = "patient", "Patient"
        CARER = "carer", "Carer"
        FAMILY = "family", "Family member"
        VOLUNTEER = "volunteer", "Volunteer"
        ADVOCATE = "advocate", "Advocate"
        STAFF = "staff", "Staff"

    # The kinds counted as "patients, carers or family" in the team mix (aim: about half).
    LIVED_EXPERIENCE = frozenset({Kind.PATIENT, Kind.CARER, Kind.FAMILY})

    class Role(models.TextChoices):
        PARTNER = "partner", "Person and family partner"
        FACILITATOR = "facilitator", "Facilitator"
        MEMBER = "member", "Member"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="codesign_members"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="codesign_memberships", help_text="Staff only",
    )
    chosen_name = models.CharField(
        "name or chosen name", max_length=150, blank=True,
        help_text="Partners only: the name they want the team to use",
    )
    contact = models.CharField(
        "how to contact them", max_length=300, blank=True,
        help_text="Optional: a phone number, email address or how to reach them",
    )
    consent_given_on = models.DateField("date consent given", null=True, blank=True)
    consent_scope = models.TextField("what they agreed to", blank=True)
    access_needs = models.TextField(blank=True)
    easy_read = models.BooleanField(default=False)
    large_print = models.BooleanField(default=False)
    interpreter = models.BooleanField(default=False)
    language = models.CharField("preferred language", max_length=100, blank=True)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    details_removed_on = models.DateField(
        null=True, blank=True,
        help_text="When the retention rule removed this partner's personal details",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoDesignMemberQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="codesign_member_leaves_after_joining",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="staff", user__isnull=False)
                | (~models.Q(kind="staff") & models.Q(user__isnull=True)),
                name="codesign_member_staff_have_a_user",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_staff(self) -> bool:
        return self.kind == self.Kind.STAFF

    @property
    def is_lived_experience(self) -> bool:
        return self.kind in self.LIVED_EXPERIENCE

    @property
    def display_name(self) -> str:
        if self.is_staff:
            return self.user.full_name or self.user.email
        return self.chosen_name or f"Former {self.get_kind_display().lower()} partner"

    @property
    def preferred_formats(self) -> list[str]:
        formats = []
        if self.easy_read:
            formats.append("Easy read")
        if self.large_print:
            formats.append("Large print")
        if self.language:
            formats.append(f"Language: {self.language}")
        if self.interpreter:
            formats.append("Interpreter")
        return formats


class InvolvementPayment(models.Model):
    """A payment or expense for a partner's involvement (personal data: leads only)."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Involvement payment"
        EXPENSE = "expense", "Expenses"

    member = models.ForeignKey(CoDesignMember, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    description = models.CharField("what for", max_length=300)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="involvement_payment_is_positive"
            )
        ]

    def __str__(self) -> str:
        return f"£{self.amount} on {self.paid_on:%-d %B %Y}"


class CoDesignSession(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        MEETING = "meeting", "Meeting"
        INTERVIEW = "interview", "Interview"
        FOCUS_GROUP = "focus_group", "Focus group"
        WALKABOUT = "walkabout", "Walkabout"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="codesign_sessions"
    )
    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    notes = models.TextField("what the team decided", blank=True)
    notes_shareable = models.BooleanField(
        default=False, help_text="Partners see the notes on their team page"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["always_event", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="codesign_session_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"


class SessionAttendance(models.Model):
    """One member at one session: hours taken part and, for staff, protected time released."""

    session = models.ForeignKey(
        CoDesignSession, on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        CoDesignMember, on_delete=models.CASCADE, related_name="attendances"
    )
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    protected_hours = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member__joined_on", "member__pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_each"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=0, protected_hours__gte=0),
                name="attendance_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.session}"


class Theme(models.Model):
    """A reusable "What matters to you?" theme of an organisation, e.g. "Knowing who to call"."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="engagement_themes"
    )
    name = models.CharField(max_length=150)
    led_to = models.ForeignKey(
        AlwaysEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The Always Event this theme led to",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_theme_name_each")
        ]

    def __str__(self) -> str:
        return self.name


class Engagement(models.Model):
    """A piece of "What matters to you?" work: conversations, interviews, a survey..."""

    class Method(models.TextChoices):
        CONVERSATIONS = "conversations", "“What matters to you?” conversations"
        INTERVIEWS = "interviews", "Interviews"
        SURVEY = "survey", "Survey"
        WORKSHOP = "workshop", "Workshop"
        FOCUS_GROUP = "focus_group", "Focus group"
        COMMENT_CARDS = "comment_cards", "Comment cards"
        OBSERVATION = "observation", "Observation or walkabout"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="engagements"
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    held_on = models.DateField()
    setting = models.CharField(max_length=200, help_text="For example Ward 7 day room")
    participants = models.PositiveIntegerField("how many people took part")
    themes = models.ManyToManyField(Theme, blank=True, related_name="engagements")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} on {self.held_on:%-d %B %Y}"


class EngagementQuote(models.Model):
    """An anonymised quote: identifiers are scrubbed before it is saved."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Rung(models.IntegerChoices):
    """The ladder of co-production (Think Local Act Personal), lowest rung first."""

    COERCION = 1, "Coercion"
    EDUCATING = 2, "Educating"
    INFORMING = 3, "Informing"
    CONSULTATION = 4, "Consultation"
    ENGAGEMENT = 5, "Engagement"
    CO_DESIGN = 6, "Co-design"
    CO_PRODUCTION = 7, "Co-production"


class LadderRating(models.Model):
    """Where the team says its work sat on the ladder of co-production during a phase."""

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="ladder_ratings"
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    rung = models.PositiveSmallIntegerField(choices=Rung.choices)
    rated_on = models.DateField()
    notes = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["rated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.get_rung_display()}"


class TrainingRecord(models.Model):
    class Topic(models.TextChoices):
        CO_PRODUCTION = "co_production", "Co-production"
        PDSA = "pdsa", "QI tools: PDSA cycles"
        RUN_CHARTS = "run_charts", "QI tools: run charts"
        DRIVER_DIAGRAMS = "driver_diagrams", "QI tools: driver diagrams"
        FACILITATION = "facilitation", "Facilitation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="training_records"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records"
    )
    topic = models.CharField(max_length=20, choices=Topic.choices)
    completed_on = models.DateField()
    provider = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="training_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.user})"


class PrivateLink(models.Model):
    """A private link for a member who has no account: a check-in form or their team page.

    The token is 256 random bits from `secrets`; whoever holds it may open the page
    until it expires, so links are short-lived and a check-in link works once.
    """

    class Purpose(models.TextChoices):
        CHECK_IN = "check_in", "Experience check-in"
        TEAM_PAGE = "team_page", "Team page"

    member = models.ForeignKey(
        CoDesignMember, on_delete=models.CASCADE, related_name="private_links"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link for {self.member}"


class Scale(models.IntegerChoices):
    STRONGLY_AGREE = 5, "Strongly agree"
    AGREE = 4, "Agree"
    NEITHER = 3, "Neither agree nor disagree"
    DISAGREE = 2, "Disagree"
    STRONGLY_DISAGREE = 1, "Strongly disagree"


class CheckIn(models.Model):
    """An anonymous experience check-in: it records the group (staff or partner), not who."""

    class Group(models.TextChoices):
        STAFF = "staff", "Staff"
        PARTNER = "partner", "Partner"

    QUESTIONS = {
        "wellbeing": "Taking part has been good for my wellbeing",
        "skills": "I have learned new skills",
        "relationships": "Working relationships between patients, carers and staff are better",
        "listened_to": "I feel listened to",
    }

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="check_ins"
    )
    group = models.CharField(max_length=10, choices=Group.choices)
    answered_on = models.DateField()
    wellbeing = models.PositiveSmallIntegerField(choices=Scale.choices)
    skills = models.PositiveSmallIntegerField(choices=Scale.choices)
    relationships = models.PositiveSmallIntegerField(choices=Scale.choices)
    listened_to = models.PositiveSmallIntegerField(choices=Scale.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-answered_on", "-pk"]

    def __str__(self) -> str:
        return f"Check-in for {self.always_event} on {self.answered_on:%-d %B %Y}"


class PersonalDetailsLog(models.Model):
    """Who read or changed a co-design partner's personal details, when and where.

    Partners' details have no history table (see the module's docstring), so this log
    records that something happened and which fields changed, never the values. Staff
    members' team records are logged here too (their changes only). Organisation admins
    read it on the personal details log page.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        EXPORTED = "exported", "Downloaded (subject access)"
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        PAYMENT = "payment", "Payment recorded"
        REMOVED = "removed", "Removed under the retention rule"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        CoDesignMember, on_delete=models.SET_NULL, null=True, related_name="details_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        help_text="Who; empty for the system (the retention rule)",
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action.choices)
    view = models.CharField(
        max_length=100, help_text="The page, export or task: a URL name or a task name"
    )
    fields = models.CharField(
        max_length=500, blank=True, help_text="Names of the fields that changed, not values"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.user or 'the system'} at {self.at}"
