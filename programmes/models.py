from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

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
