from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "Enter an ODS code of 3 to 6 capital letters and numbers, like RJ1 or R1K01",
)


class Region(models.Model):
    """An NHS England region, such as London or North East and Yorkshire."""

    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(max_length=10, unique=True, help_text="For example Y56")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Organisations the user is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Organisation(models.Model):
    class Type(models.TextChoices):
        ACUTE = "acute", "Acute trust"
        MENTAL_HEALTH = "mental_health", "Mental health trust"
        COMMUNITY = "community", "Community trust"
        AMBULANCE = "ambulance", "Ambulance trust"
        PRIMARY_CARE = "primary_care", "Primary care"
        CARE_HOME = "care_home", "Care home"
        ICB = "icb", "Integrated care board"

    name = models.CharField(max_length=200)
    ods_code = models.CharField(
        "ODS code", max_length=6, unique=True, validators=[ods_code_validator]
    )
    type = models.CharField(max_length=20, choices=Type.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    publishes_you_said_we_did = models.BooleanField(
        "publish a “You said, we did” page", default=False,
        help_text="A public page listing what changed because of what patients said",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation. A user can belong to several."""

    class Role(models.TextChoices):
        STAFF = "staff", "Staff"
        LEAD = "lead", "Always Event lead"
        EXECUTIVE = "executive", "Executive"
        ORG_ADMIN = "org_admin", "Organisation admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"


class ProgrammeAdmin(models.Model):
    """A regional or national programme admin: reads aggregates across organisations.

    A blank region means national scope.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_admin"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="programme_admins"
    )

    def __str__(self) -> str:
        return f"{self.user} — {self.scope}"

    @property
    def scope(self) -> str:
        return f"{self.region} region" if self.region else "national"


class Programme(models.Model):
    """A programme or cohort that organisations join, e.g. "Always Events — London cohort 2027"."""

    name = models.CharField(max_length=200, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="programmes",
        help_text="Leave blank for a national programme",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="programmes")

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    """The six phases of the NHS England / IHI Always Events toolkit (DESIGN §1)."""

    SET_UP = "set_up", "Set-up and oversight"
    UNDERSTAND = "understand", "Understand what matters"
    CO_DESIGN = "co_design", "Co-design"
    TEST = "test", "Test"
    IMPLEMENT = "implement", "Implement reliably"
    SUSTAIN = "sustain", "Sustain and spread"


PHASE_ORDER = list(Phase.values)


class AlwaysEventQuerySet(models.QuerySet):
    def for_user(self, user):
        """Always Events of the organisations the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user).distinct()

    def in_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.exclude(status=AlwaysEvent.Status.CLOSED)


class AlwaysEvent(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    class Setting(models.TextChoices):
        INPATIENT = "inpatient", "Inpatient ward"
        OUTPATIENT = "outpatient", "Outpatient clinic"
        EMERGENCY = "emergency", "Emergency department"
        MATERNITY = "maternity", "Maternity"
        MENTAL_HEALTH = "mental_health", "Mental health service"
        COMMUNITY = "community", "Community service"
        PRIMARY_CARE = "primary_care", "Primary care"
        CARE_HOME = "care_home", "Care home"
        AMBULANCE = "ambulance", "Ambulance service"
        OTHER = "other", "Other"

    class ReviewInterval(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="always_events"
    )
    title = models.CharField(max_length=200)
    service_area = models.CharField(
        max_length=200, help_text="The ward, clinic or service, for example Ward 7 (older people)"
    )
    setting = models.CharField(max_length=20, choices=Setting.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.SET_UP)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    vision_statement = models.TextField(
        blank=True,
        help_text="In the patient's own words, for example "
        "“I will always know who to contact when I get home”",
    )
    aim_population = models.CharField(
        "who the aim is for", max_length=200, blank=True,
        help_text="For example people discharged from Ward 7",
    )
    aim_measure = models.CharField(
        "what is measured", max_length=300, blank=True,
        help_text="What people will report, for example they knew who to contact at home",
    )
    aim_target_percent = models.PositiveSmallIntegerField("target (%)", null=True, blank=True)
    aim_deadline = models.DateField("deadline", null=True, blank=True)
    aim_review_interval = models.CharField(
        "review interval", max_length=10, choices=ReviewInterval.choices, blank=True
    )
    executive_sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="sponsored_always_events",
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_always_events"
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="always_event_teams",
        verbose_name="staff team",
    )
    qi_strategy_objective = models.CharField(
        "QI strategy objective", max_length=300, blank=True,
        help_text="The objective of the trust's quality improvement strategy this supports",
    )
    you_said_we_did = models.TextField(
        "“You said, we did”", blank=True,
        help_text="Shown to patients after they answer a feedback form",
    )
    spread_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="spread_to",
        help_text="The Always Event this one adopted",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlwaysEventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[leads, team])

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["organisation", "phase"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(aim_target_percent__lte=100),
                name="aim_target_percent_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def aim_statement(self) -> str:
        """The aim as one sentence, or "" until its parts are filled in."""
        if None in (self.aim_target_percent, self.aim_deadline) or not (
            self.aim_population and self.aim_measure
        ):
            return ""
        sentence = (
            f"By {self.aim_deadline:%B %Y}, {self.aim_target_percent}% of "
            f"{self.aim_population} will report {self.aim_measure}."
        )
        if self.aim_review_interval:
            sentence += f" Reviewed {self.get_aim_review_interval_display().lower()}."
        return sentence


class ReadinessItem(models.TextChoices):
    """What the national evaluation found an organisation needs before it starts (DESIGN §1)."""

    EXECUTIVE_SPONSOR = "executive_sponsor", "An executive sponsor is named at board level"
    OVERSIGHT_GROUP = "oversight_group", "An oversight group reports to executives"
    PROTECTED_TIME = "protected_time", "A team has protected time for the work"
    PATIENT_PARTNERS = "patient_partners", "Patient and carer partners are recruited"
    DATA_REPORTING = "data_reporting", "Monthly data reporting is agreed"
    QI_STRATEGY = "qi_strategy", "Always Events are part of the QI strategy"
    STAFF_FORUMS = "staff_forums", "The work links into existing staff forums"
    TRAINING_PLAN = "training_plan", "There is a training plan for co-production and QI tools"


READINESS_NEXT_STEPS = {
    ReadinessItem.EXECUTIVE_SPONSOR: "Ask a board member to be the executive sponsor and "
    "agree how they will hold the work to account.",
    ReadinessItem.OVERSIGHT_GROUP: "Set up an oversight group and agree that it reports "
    "to the board or the executive committee.",
    ReadinessItem.PROTECTED_TIME: "Agree protected time for the Always Event team in "
    "their job plans or rotas.",
    ReadinessItem.PATIENT_PARTNERS: "Recruit patient and carer partners through your "
    "patient experience team or local groups.",
    ReadinessItem.DATA_REPORTING: "Agree who collects the feedback each month and where "
    "it is reported.",
    ReadinessItem.QI_STRATEGY: "Ask the quality improvement team to include Always "
    "Events in the QI strategy.",
    ReadinessItem.STAFF_FORUMS: "Put the Always Event on the agenda of existing staff "
    "forums, such as ward meetings and nursing councils.",
    ReadinessItem.TRAINING_PLAN: "Plan training in co-production and QI tools (PDSA, "
    "driver diagrams, run charts) for the team.",
}


class ReadinessAssessment(models.Model):
    """One readiness self-assessment of an organisation; repeated over time to show progress."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="readiness_assessments"
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Readiness of {self.organisation} on {self.assessed_on:%-d %B %Y}"


class ReadinessAnswer(models.Model):
    class Status(models.TextChoices):
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_YET = "not_yet", "Not yet"

    SCORES = {Status.MET: 2, Status.PARTLY: 1, Status.NOT_YET: 0}

    assessment = models.ForeignKey(
        ReadinessAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.CharField(max_length=30, choices=ReadinessItem.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_status_display()}"

    @property
    def next_step(self) -> str:
        return "" if self.status == self.Status.MET else READINESS_NEXT_STEPS[self.item]


class OversightGroup(models.Model):
    """The group that oversees an organisation's Always Events and reports to executives."""

    class ReportsTo(models.TextChoices):
        BOARD = "board", "Trust board"
        EXECUTIVE_COMMITTEE = "executive_committee", "Executive committee"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="oversight_group"
    )
    name = models.CharField(max_length=200, default="Always Events oversight group")
    reports_to = models.CharField(max_length=30, choices=ReportsTo.choices)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class OversightGroupMember(models.Model):
    """A member of the oversight group: a name and role, since patient partners may not log in."""

    group = models.ForeignKey(OversightGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=200, help_text="For example Chief Nurse or patient partner")
    email = models.EmailField(
        blank=True, help_text="The monthly oversight report is sent here; leave blank to not send"
    )

    history = HistoricalRecords()
    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class OversightMeeting(models.Model):
    group = models.ForeignKey(OversightGroup, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField()
    decisions = models.TextField(blank=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["-met_on"]

    def __str__(self) -> str:
        return f"{self.group} on {self.met_on:%-d %B %Y}"


class Criterion(models.Model):
    """One of the four criteria every Always Event must meet, with who agreed it and when."""

    class Kind(models.TextChoices):
        IMPORTANT = "important", "Important"
        EVIDENCE_BASED = "evidence_based", "Evidence-based"
        MEASURABLE = "measurable", "Measurable"
        AFFORDABLE_SUSTAINABLE = "affordable_sustainable", "Affordable and sustainable"

    QUESTIONS = {
        Kind.IMPORTANT: "Patients and families say it is fundamental to their experience",
        Kind.EVIDENCE_BASED: "It contributes to good, safe care",
        Kind.MEASURABLE: "It is specific enough to tell whether it happens reliably",
        Kind.AFFORDABLE_SUSTAINABLE: "It needs no capital spend or new technology",
    }

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="criteria"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    met = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)
    agreed_by = models.CharField(
        max_length=300, blank=True,
        help_text="Names or roles, for example the co-design team or Ward 7 patient partners",
    )
    agreed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["always_event", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["always_event", "kind"], name="one_criterion_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'met' if self.met else 'not yet'}"

    @property
    def question(self) -> str:
        return self.QUESTIONS[self.kind]


class PhaseChange(models.Model):
    """A move between phases. Unmet gates and the reason for moving on anyway are kept."""

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.CharField(max_length=20, choices=Phase.choices)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    unmet_gates = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.get_from_phase_display()} to {self.get_to_phase_display()}"


class PrimaryDriver(models.Model):
    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="primary_drivers"
    )
    text = models.CharField(max_length=300)

    history = HistoricalRecords()
    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class SecondaryDriver(models.Model):
    primary_driver = models.ForeignKey(
        PrimaryDriver, on_delete=models.CASCADE, related_name="secondary_drivers"
    )
    text = models.CharField(max_length=300)

    history = HistoricalRecords()
    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class ChangeIdea(models.Model):
    secondary_driver = models.ForeignKey(
        SecondaryDriver, on_delete=models.CASCADE, related_name="change_ideas"
    )
    text = models.CharField(max_length=300)

    history = HistoricalRecords()
    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class PDSACycle(models.Model):
    """A Plan-Do-Study-Act cycle testing a change idea. Numbered 1, 2, 3… per Always Event."""

    class Act(models.TextChoices):
        ADOPT = "adopt", "Adopt"
        ADAPT = "adapt", "Adapt"
        ABANDON = "abandon", "Abandon"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="pdsa_cycles"
    )
    change_idea = models.ForeignKey(
        ChangeIdea, on_delete=models.PROTECT, related_name="pdsa_cycles"
    )
    number = models.PositiveIntegerField()
    objective = models.TextField()
    prediction = models.TextField(blank=True)
    plan_who = models.CharField("who", max_length=300, blank=True)
    plan_what = models.TextField("what", blank=True)
    plan_when = models.CharField("when", max_length=200, blank=True)
    plan_where = models.CharField("where", max_length=200, blank=True)
    do_notes = models.TextField("what happened", blank=True)
    study_notes = models.TextField("results against the prediction", blank=True)
    act = models.CharField(max_length=10, choices=Act.choices, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["always_event", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["always_event", "number"], name="one_pdsa_number_per_always_event"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="pdsa_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"PDSA cycle {self.number}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    always_event = models.ForeignKey(AlwaysEvent, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="always_event_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.DONE and self.due_on < today


class Communication(models.Model):
    """Where the Always Event was presented: staff forums, the board, newsletters."""

    class Channel(models.TextChoices):
        STAFF_FORUM = "staff_forum", "Staff forum"
        BOARD = "board", "Board"
        NEWSLETTER = "newsletter", "Newsletter"
        OTHER = "other", "Other"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="communications"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    presented_on = models.DateField()
    audience = models.CharField(max_length=200)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["-presented_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.audience}"


class SpreadRecord(models.Model):
    """A ward, site or organisation that adopted the Always Event."""

    class Kind(models.TextChoices):
        WARD = "ward", "Ward or team"
        SITE = "site", "Site"
        ORGANISATION = "organisation", "Organisation"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="spread_records"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    adopted_on = models.DateField()
    adopting_always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The Always Event that adopted it, if it is recorded here",
    )

    history = HistoricalRecords()
    class Meta:
        ordering = ["-adopted_on", "-id"]

    def __str__(self) -> str:
        return self.name
