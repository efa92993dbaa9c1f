"""Measures, feedback forms, responses and answers (DESIGN §2, §4).

Answers carry copies of their Always Event, date and outcome so that outcome summaries
are one indexed GROUP BY over one table (see docs/adr/006-answer-rows.md).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from programmes.models import AlwaysEvent, Organisation

SMALL_NUMBER = 5  # fewer responses than this: no percentage is shown


class Outcome(models.IntegerChoices):
    """Whether an answer counts as the Always Event happening (DESIGN §1)."""

    NOT_SUCCESS = 0, "Does not count as success"
    SUCCESS = 1, "Counts as success"
    EXCLUDED = 2, "Left out (for example Don't know)"


class Frequency(models.TextChoices):
    WEEKLY = "week", "Weekly"
    MONTHLY = "month", "Monthly"


class Measure(models.Model):
    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome"
        PROCESS = "process", "Process"
        BALANCING = "balancing", "Balancing"
        OPERATIONAL = "operational", "Operational"
        STAFF_EXPERIENCE = "staff_experience", "Staff experience"

    class Improvement(models.TextChoices):
        HIGHER = "increase", "Higher is better"
        LOWER = "decrease", "Lower is better"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    numerator = models.CharField(max_length=300, blank=True)
    denominator = models.CharField(max_length=300, blank=True)
    target_percent = models.PositiveSmallIntegerField(
        "target (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    improvement = models.CharField(
        max_length=10, choices=Improvement.choices, default=Improvement.HIGHER
    )
    frequency = models.CharField(max_length=5, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class MeasureDataPoint(models.Model):
    """A process, balancing, operational or staff-experience measure's numerator and
    denominator for one period (entered by staff or uploaded)."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by staff"
        CSV = "csv", "Uploaded file"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="data_points")
    period_start = models.DateField()
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start"], name="one_data_point_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__lte=models.F("denominator")),
                name="numerator_at_most_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.numerator}/{self.denominator} from {self.period_start}"


class FeedbackForm(models.Model):
    """A feedback form of an Always Event. Its questions live in versions."""

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="feedback_forms"
    )
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class FormVersion(models.Model):
    """A frozen set of questions. Editing a form in use makes a new version."""

    class Format(models.TextChoices):
        STANDARD = "standard", "Standard"
        EASY_READ = "easy_read", "Easy read"

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.STANDARD)
    introduction = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="unique_form_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.form} (version {self.number})"


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "A scale"
        SINGLE_CHOICE = "choice", "A single choice"
        FREE_TEXT = "text", "Free text"

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    max_length = models.PositiveIntegerField(null=True, blank=True)
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions",
        help_text="The outcome measure this question feeds",
    )

    history = HistoricalRecords()
    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_question_position")
        ]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    outcome = models.PositiveSmallIntegerField(choices=Outcome.choices)

    history = HistoricalRecords()
    class Meta:
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return self.label


def new_token() -> str:
    """256 random bits, URL-safe: a distribution point's address cannot be guessed."""
    return secrets.token_urlsafe(32)


class DistributionPoint(models.Model):
    class Channel(models.TextChoices):
        QR_CODE = "qr", "QR code"
        LINK = "link", "Web link"
        KIOSK = "kiosk", "Ward tablet (kiosk)"
        SMS = "sms", "SMS link"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="distribution_points"
    )
    form = models.ForeignKey(
        FeedbackForm, on_delete=models.CASCADE, related_name="distribution_points"
    )
    location = models.CharField(max_length=200, help_text="The ward, clinic or service")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["location"]

    def __str__(self) -> str:
        return f"{self.location} ({self.get_channel_display()})"


class ImportBatch(models.Model):
    """An uploaded CSV of paper or other systems' responses, imported by a Celery task."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="import_batches"
    )
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    content = models.TextField(help_text="The uploaded CSV, kept until the import finishes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    rows_duplicate = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class Response(models.Model):
    """One person's answers to one form. Anonymous: no time of day, address or identifier.

    `submission_key` is the one-time key of the form view the answers came from (or, for
    imported rows, a hash of the file and line), so a double submit or a re-uploaded file
    stores one response.
    """

    class Source(models.TextChoices):
        WEB = "web", "Web"
        KIOSK = "kiosk", "Ward tablet"
        PAPER = "paper", "Paper or other system"

    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="+")
    distribution_point = models.ForeignKey(
        DistributionPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    language = models.CharField(max_length=10, default="en")
    responded_on = models.DateField()
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["always_event", "responded_on"])]

    def __str__(self) -> str:
        return f"Response {self.pk} on {self.responded_on}"


class Answer(models.Model):
    """One answer. `always_event`, `responded_on` and `outcome` are copies from the response
    and the option, written once in the same transaction and never changed."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(
        Option, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    text = models.TextField(blank=True, help_text="Free text, scrubbed of identifiers")
    # Indexed by answer_event_date_covering, which leads with it.
    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    responded_on = models.DateField()
    outcome = models.PositiveSmallIntegerField(choices=Outcome.choices, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["always_event", "question", "responded_on"],
                include=["option", "outcome"],
                name="answer_event_date_covering",
            )
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to {self.question_id}"


class OutcomeSummary(models.Model):
    """An outcome measure's figures for one week or month, recomputed by a Celery task.

    Rows are replaced, never incremented: recomputing gives the same rows (DESIGN §4).
    `chart` holds the run-chart / p-chart analysis of the series up to this period.
    """

    # No index of their own: each is the head of an index below (the unique constraint,
    # and the index by Always Event), and every index costs the full recompute's writes.
    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="outcome_summaries", db_index=False
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="summaries", db_index=False
    )
    period = models.CharField(max_length=5, choices=Frequency.choices)
    period_start = models.DateField()
    responses = models.PositiveIntegerField(help_text="Answers that count: success or not")
    excluded = models.PositiveIntegerField(help_text="Answers left out, such as Don't know")
    successes = models.PositiveIntegerField()
    option_counts = models.JSONField(default=dict)
    percent = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    chart = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    answers_through = models.DateField(help_text="The latest answer date the figures include")
    digest = models.BigIntegerField(
        default=0,
        help_text="A hash of what the row is worked out from (its series' counts up to it, "
        "and the code): a recompute that makes it again leaves the row as it is "
        "(outcomes.input_digests)",
    )

    # Tables list these beside periods nobody answered in (dashboards.NoResponses, whose
    # `missing` is True); `outcome_cells` asks each row which it is.
    missing = False

    class Meta:
        ordering = ["measure", "period", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "period_start"], name="one_summary_per_period"
            )
        ]
        indexes = [models.Index(fields=["always_event", "period", "period_start"])]

    def __str__(self) -> str:
        return f"{self.measure}, {self.period} of {self.period_start}"

    @property
    def is_small_number(self) -> bool:
        """Fewer than 5 responses: the percentage is not shown (DESIGN §6)."""
        return self.responses < SMALL_NUMBER


class DashboardLine(models.Model):
    """An outcome measure's line on the executive dashboard for one month: the latest
    month, the last six and the icons, stored by the worker with the summaries so the
    dashboard reads one row an Always Event (see dashboard_lines.py, ADR 013). It holds
    the target and direction it was judged against: after an edit it is not used."""

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="dashboard_line"
    )
    month = models.DateField(help_text="The first day of the month the line is for")
    target_percent = models.PositiveSmallIntegerField(null=True)
    improvement = models.CharField(max_length=10, choices=Measure.Improvement.choices)
    latest = models.JSONField(null=True, help_text="[month, responses, successes, percent]")
    last_six = models.JSONField(default=list, help_text="The same, or null, for each month")
    variation = models.CharField(max_length=20, blank=True)
    assurance = models.CharField(max_length=20, blank=True)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.measure}, {self.month:%B %Y}"


class Alert(models.Model):
    """Something about an outcome measure its leads and sponsor should look at: the latest
    period shows special cause in the concerning direction, or a month passed with no data.

    One row per (measure, kind, period, period start), so checking again raises nothing new;
    `emailed_at` records that the one email went (see alerts.py).
    """

    class Kind(models.TextChoices):
        CONCERN = "concern", "Special cause in the concerning direction"
        NO_DATA = "no_data", "A month with no data"

    always_event = models.ForeignKey(AlwaysEvent, on_delete=models.CASCADE, related_name="alerts")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(max_length=5, choices=Frequency.choices)
    period_start = models.DateField()
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="seen_alerts"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind", "period", "period_start"], name="one_alert_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["always_event", "-created_at"]),
            models.Index(
                fields=["created_at"], condition=models.Q(emailed_at__isnull=True),
                name="alert_not_emailed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.measure}, {self.period_start}"


class SweepMark(models.Model):
    """How far the catch-up sweep has read the responses table (see summaries.py)."""

    name = models.CharField(max_length=50, unique=True)
    last_response_id = models.BigIntegerField(default=0)
    swept_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} up to {self.last_response_id}"


RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "yi", "ckb", "sd", "ug"})


class FormTranslation(models.Model):
    """A form version's questions in another language, written by staff.

    `questions` maps a question's position to its translated text, hint and option labels:
    {"1": {"text": "...", "hint": "...", "options": {"1": "...", "2": "..."}}}. Positions,
    not ids, so a translation is copied as it is when editing makes a new version.
    """

    version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(
        max_length=10, help_text="A language code, for example cy (Welsh), ar (Arabic), ur (Urdu)"
    )
    language_name = models.CharField(
        max_length=50, help_text="The language's name in that language, for example Cymraeg"
    )
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    questions = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords()
    class Meta:
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} in {self.language_name}"

    @property
    def direction(self) -> str:
        return "rtl" if self.language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


class OversightReport(models.Model):
    """An organisation's monthly oversight report (DESIGN §6), built from outcome summaries.

    `figures` are the numbers as they were when it was built; `html` and `pdf` are the
    report as rendered then. A draft may be rebuilt; once the sponsor signs it off it is
    kept as it is, and every download gives the same bytes (checked by their SHA-256).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed off"

    organisation = models.ForeignKey(
        "programmes.Organisation", on_delete=models.CASCADE, related_name="oversight_reports"
    )
    month = models.DateField(help_text="The first day of the month reported on")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="Blank when the monthly task built it",
    )
    figures = models.JSONField(default=dict)
    html = models.TextField()
    html_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    sign_off_comments = models.TextField(blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    emailed_to = models.JSONField(default=list, blank=True)
    # Who built, rebuilt, signed and sent it, and when; the hashes say which content each
    # change had, without copying the report itself into every history row.
    history = HistoricalRecords(excluded_fields=["figures", "html", "pdf"])

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="one_oversight_report_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(signed_by__isnull=False, signed_at__isnull=False),
                name="signed_report_names_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Oversight report for {self.month:%B %Y}, {self.organisation}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


# The programme evaluation (DESIGN §1: what the national evaluation asked) ------------------


class ProgrammeSurvey(models.Model):
    """A round of the programme evaluation survey, opened and closed by programme admins.

    Always Event leads answer once per Always Event (see SurveyResponse); at most one
    round is open at a time.
    """

    title = models.CharField(max_length=200)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SurveyResponse(models.Model):
    """One Always Event's answer to a survey round, given by one of its leads.

    One response per Always Event (not per lead), so figures count Always Events and two
    leads of one Always Event cannot count it twice; a lead may change it while the round
    is open. Multi-select answers are lists of choice values in JSON, which works the
    same on PostgreSQL and SQLite.
    """

    class Improved(models.TextChoices):
        DEFINITELY = "definitely", "Yes, definitely"
        TO_SOME_EXTENT = "to_some_extent", "Yes, to some extent"
        NO = "no", "No"

    class Influence(models.TextChoices):
        A_GREAT_DEAL = "a_great_deal", "A great deal"
        TO_SOME_EXTENT = "to_some_extent", "To some extent"
        NOT_VERY_MUCH = "not_very_much", "Not very much"
        NOT_AT_ALL = "not_at_all", "Not at all"

    class Challenge(models.TextChoices):
        PROTECTED_TIME = "protected_time", "Finding protected staff time"
        STAFF_ENGAGEMENT = "staff_engagement", "Engaging staff"
        PARTNER_RECRUITMENT = "partner_recruitment", "Recruiting patient and carer partners"
        SENIOR_SUPPORT = "senior_support", "Getting senior support"
        DATA_COLLECTION = "data_collection", "Collecting feedback every month"
        SKILLS = "skills", "Skills in co-production and quality improvement tools"
        PRESSURES = "pressures", "Operational pressures and competing priorities"

    class Helper(models.TextChoices):
        PRIOR_ENGAGEMENT = "prior_engagement", "Earlier engagement work"
        PATIENT_VOICE = "patient_voice", "The patient voice in the team"
        COMMUNICATION = "communication", "Communication about the work"
        TRAINING = "training", "Training in co-production and quality improvement"
        SENIOR_SUPPORT = "senior_support", "Senior support and oversight-group reports"
        STAFF_FORUMS = "staff_forums", "Links to staff forums"
        EFFICIENCIES = "efficiencies", "Showing how better experience saves time or money"

    survey = models.ForeignKey(ProgrammeSurvey, on_delete=models.CASCADE, related_name="responses")
    always_event = models.ForeignKey(
        AlwaysEvent, on_delete=models.CASCADE, related_name="survey_responses"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    improved_experience = models.CharField(max_length=20, choices=Improved.choices)
    influenced_coproduction = models.CharField(max_length=20, choices=Influence.choices)
    challenges = models.JSONField(default=list, blank=True)
    challenges_other = models.TextField(blank=True)
    helped = models.JSONField(default=list, blank=True)
    helped_other = models.TextField(blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["survey", "always_event"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "always_event"], name="one_survey_response_per_always_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.always_event} in {self.survey}"


class Interview(models.Model):
    """An in-depth interview recorded by a programme admin: themes, a few quotes, notes."""

    class Theme(models.TextChoices):
        PROTECTED_TIME = "protected_time", "Protected staff time"
        STAFF_ENGAGEMENT = "staff_engagement", "Staff engagement"
        PRIOR_ENGAGEMENT = "prior_engagement", "Earlier engagement work"
        PATIENT_VOICE = "patient_voice", "The patient voice"
        COMMUNICATION = "communication", "Communication"
        TRAINING = "training", "Training in co-production and QI tools"
        SENIOR_SUPPORT = "senior_support", "Senior support and accountability"
        READINESS = "readiness", "Organisational readiness"
        EFFICIENCIES = "efficiencies", "Operational efficiencies"
        STAFF_BENEFITS = "staff_benefits", "Benefits to staff: wellbeing, skills, relationships"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programme_interviews"
    )
    interviewed_on = models.DateField()
    interviewee_role = models.CharField(
        "role of the person interviewed", max_length=200,
        help_text="A role, not a name: for example Always Event lead or patient partner",
    )
    themes = models.JSONField(default=list, blank=True)
    quotes = models.TextField(blank=True, help_text="One quote a line")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-interviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Interview with {self.interviewee_role}, {self.organisation}"

    @property
    def quote_lines(self) -> list[str]:
        return [line.strip() for line in self.quotes.splitlines() if line.strip()]

    def get_themes_display(self) -> list[str]:
        labels = dict(self.Theme.choices)
        return [labels[t] for t in self.themes if t in labels]
