"""The programme view and the programme evaluation: reads and writes for programme admins.

Programme admins read across organisations through aggregates only (DESIGN §3): every
figure here is a count or a sum, never a partner or a patient, and any count under 5 is
suppressed (`Figure`). Each read is a fixed number of queries whatever the number of
organisations. A regional admin sees the organisations of their region; a national
admin sees all.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from always_events.scrubbing import scrub
from coproduction.models import CheckIn
from coproduction.services import team_member_names
from programmes.models import AlwaysEvent, Organisation, Phase, ProgrammeAdmin

from .models import (
    SMALL_NUMBER,
    Frequency,
    Interview,
    Measure,
    OutcomeSummary,
    ProgrammeSurvey,
    SurveyResponse,
)

# Who may see it ------------------------------------------------------------------------


def programme_admin_for(user) -> ProgrammeAdmin:
    """The user's programme admin record, or 403: these pages are for programme admins."""
    if not user.is_authenticated:
        raise PermissionDenied
    admin = ProgrammeAdmin.objects.filter(user=user).select_related("region").first()
    if admin is None:
        raise PermissionDenied("Only programme admins can see this page")
    return admin


def organisations_for_admin(admin: ProgrammeAdmin):
    organisations = Organisation.objects.all()
    if admin.region_id:
        organisations = organisations.filter(region_id=admin.region_id)
    return organisations


def always_events_for_admin(admin: ProgrammeAdmin):
    events = AlwaysEvent.objects.all()
    if admin.region_id:
        events = events.filter(organisation__region_id=admin.region_id)
    return events


# Figures with small numbers suppressed ----------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A count out of a total. Under 5 (either of them) it is suppressed: no count and no
    percentage are shown. A percentage is never shown without its count."""

    label: str
    count: int
    total: int

    @property
    def suppressed(self) -> bool:
        return self.count < SMALL_NUMBER or self.total < SMALL_NUMBER

    @property
    def percent(self) -> int | None:
        if self.suppressed or not self.total:
            return None
        return round(100 * self.count / self.total)

    def __str__(self) -> str:
        if self.suppressed:
            return f"{self.label}: fewer than 5"
        return f"{self.percent}% {self.label} ({self.count} of {self.total})"


# The programme view ----------------------------------------------------------------------


def last_complete_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class OrganisationRow:
    organisation: Organisation
    by_phase: list[int]
    total: int
    latest_month: dt.date | None = None
    responses: int = 0
    successes: int = 0

    @property
    def outcome(self) -> Figure:
        return Figure("said the Always Event happened", self.successes, self.responses)

    @property
    def small_number(self) -> bool:
        return self.responses < SMALL_NUMBER


@dataclass
class Compliance:
    month: dt.date
    reporting: int
    always_events: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.reporting / self.always_events) if self.always_events else None


def organisation_rows(admin: ProgrammeAdmin, organisations) -> list[OrganisationRow]:
    """For the given organisations (a page of them): Always Events per phase and the latest
    month's outcome figures, summed over their Always Events' outcome measures. Three
    queries, whatever the number of organisations."""
    organisations = list(organisations)
    ids = [o.pk for o in organisations]
    phases = defaultdict(Counter)
    for row in (
        AlwaysEvent.objects.active()
        .filter(organisation_id__in=ids)
        .values("organisation_id", "phase")
        .annotate(n=Count("pk"))
    ):
        phases[row["organisation_id"]][row["phase"]] = row["n"]
    monthly = {}
    for row in (
        OutcomeSummary.objects.filter(
            always_event__organisation_id__in=ids,
            period=Frequency.MONTHLY,
            measure__kind=Measure.Kind.OUTCOME,
            responses__gt=0,
        )
        .values("always_event__organisation_id", "period_start")
        .annotate(responses=Sum("responses"), successes=Sum("successes"))
        .order_by("always_event__organisation_id", "period_start")
    ):
        monthly[row["always_event__organisation_id"]] = row  # the last one is the latest
    rows = []
    for organisation in organisations:
        counts = phases[organisation.pk]
        latest = monthly.get(organisation.pk)
        rows.append(
            OrganisationRow(
                organisation=organisation,
                by_phase=[counts.get(phase, 0) for phase in Phase.values],
                total=sum(counts.values()),
                latest_month=latest["period_start"] if latest else None,
                responses=latest["responses"] if latest else 0,
                successes=latest["successes"] if latest else 0,
            )
        )
    return rows


def always_events_by_setting(admin: ProgrammeAdmin) -> list[tuple[str, int]]:
    counts = dict(
        always_events_for_admin(admin)
        .active()
        .values("setting")
        .annotate(n=Count("pk"))
        .values_list("setting", "n")
    )
    return [
        (label, counts[value]) for value, label in AlwaysEvent.Setting.choices if counts.get(value)
    ]


def always_events_by_phase(admin: ProgrammeAdmin) -> list[tuple[str, int]]:
    counts = dict(
        always_events_for_admin(admin)
        .active()
        .values("phase")
        .annotate(n=Count("pk"))
        .values_list("phase", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in Phase.choices]


def reporting_compliance(admin: ProgrammeAdmin, *, today: dt.date) -> Compliance:
    """Active Always Events with outcome data (any responses) in the last complete month."""
    month = last_complete_month(today)
    events = always_events_for_admin(admin).active()
    reporting = (
        events.filter(
            outcome_summaries__period=Frequency.MONTHLY,
            outcome_summaries__period_start=month,
            outcome_summaries__responses__gt=0,
            outcome_summaries__measure__kind=Measure.Kind.OUTCOME,
        )
        .distinct()
        .count()
    )
    return Compliance(month=month, reporting=reporting, always_events=events.count())


# The survey ------------------------------------------------------------------------------


def open_survey() -> ProgrammeSurvey | None:
    return ProgrammeSurvey.objects.filter(closed_at__isnull=True).first()


@transaction.atomic
def survey_open(*, title: str, opened_by) -> ProgrammeSurvey:
    if ProgrammeSurvey.objects.select_for_update().filter(closed_at__isnull=True).exists():
        raise ValidationError("A survey is already open. Close it before you open another.")
    return ProgrammeSurvey.objects.create(
        title=title.strip(), opened_at=timezone.now(), opened_by=opened_by
    )


@transaction.atomic
def survey_close(*, survey: ProgrammeSurvey) -> None:
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at"])


@transaction.atomic
def survey_response_save(
    *,
    survey: ProgrammeSurvey,
    always_event: AlwaysEvent,
    answered_by,
    improved_experience: str,
    influenced_coproduction: str,
    challenges: list[str],
    challenges_other: str = "",
    helped: list[str],
    helped_other: str = "",
) -> SurveyResponse:
    """Saves (or replaces) the Always Event's answer; free text is scrubbed first."""
    if not survey.is_open:
        raise ValidationError("This survey has closed")
    names = team_member_names(always_event) + ([answered_by.full_name] if answered_by else [])
    response, _ = SurveyResponse.objects.update_or_create(
        survey=survey,
        always_event=always_event,
        defaults={
            "answered_by": answered_by,
            "improved_experience": improved_experience,
            "influenced_coproduction": influenced_coproduction,
            "challenges": sorted(set(challenges)),
            "challenges_other": scrub(challenges_other.strip(), names=names),
            "helped": sorted(set(helped)),
            "helped_other": scrub(helped_other.strip(), names=names),
            "answered_at": timezone.now(),
        },
    )
    return response


# Interviews ------------------------------------------------------------------------------


@transaction.atomic
def interview_save(
    *,
    interview: Interview | None = None,
    organisation: Organisation,
    interviewed_on: dt.date,
    interviewee_role: str,
    themes: list[str],
    quotes: str = "",
    notes: str = "",
    recorded_by,
) -> Interview:
    """Creates or updates an interview; quotes and notes are scrubbed before saving."""
    interview = interview or Interview(recorded_by=recorded_by)
    interview.organisation = organisation
    interview.interviewed_on = interviewed_on
    interview.interviewee_role = interviewee_role.strip()
    interview.themes = [t for t in Interview.Theme.values if t in set(themes)]
    interview.quotes = "\n".join(
        scrub(line.strip()) for line in quotes.splitlines() if line.strip()
    )
    interview.notes = scrub(notes.strip())
    interview.save()
    return interview


def interviews_for_admin(admin: ProgrammeAdmin):
    interviews = Interview.objects.select_related("organisation")
    if admin.region_id:
        interviews = interviews.filter(organisation__region_id=admin.region_id)
    return interviews


# The evaluation summary ------------------------------------------------------------------


@dataclass
class RankedItem:
    label: str
    count: int

    @property
    def suppressed(self) -> bool:
        return self.count < SMALL_NUMBER


@dataclass
class CheckInBenefit:
    question: str
    staff: Figure
    partners: Figure


@dataclass
class EvaluationSummary:
    survey: ProgrammeSurvey | None
    responses: int = 0
    organisations: int = 0
    improved: list[Figure] = field(default_factory=list)
    influenced: list[Figure] = field(default_factory=list)
    influenced_at_least_some: Figure | None = None
    challenges: list[RankedItem] = field(default_factory=list)
    challenges_other: list[str] = field(default_factory=list)
    helped: list[RankedItem] = field(default_factory=list)
    helped_other: list[str] = field(default_factory=list)
    check_in_staff: int = 0
    check_in_partners: int = 0
    benefits: list[CheckInBenefit] = field(default_factory=list)
    interviews: int = 0
    themes: list[RankedItem] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (quote, role)

    @property
    def suppressed(self) -> bool:
        return self.responses < SMALL_NUMBER


def _ranked(lists, choices) -> list[RankedItem]:
    counts = Counter(value for values in lists for value in values)
    labels = dict(choices)
    items = [RankedItem(labels[v], counts.get(v, 0)) for v in labels]
    return sorted(items, key=lambda item: (-item.count, item.label))


def evaluation_summary(admin: ProgrammeAdmin, survey: ProgrammeSurvey | None) -> EvaluationSummary:
    summary = EvaluationSummary(survey=survey)
    if survey is not None:
        _survey_figures(summary, admin, survey)
    _check_in_figures(summary, admin)
    _interview_figures(summary, admin)
    return summary


def _survey_figures(summary, admin, survey) -> None:
    responses = list(
        SurveyResponse.objects.filter(
            survey=survey, always_event__in=always_events_for_admin(admin)
        ).values(
            "always_event__organisation_id",
            "improved_experience",
            "influenced_coproduction",
            "challenges",
            "challenges_other",
            "helped",
            "helped_other",
        )
    )
    total = summary.responses = len(responses)
    summary.organisations = len({r["always_event__organisation_id"] for r in responses})
    improved = Counter(r["improved_experience"] for r in responses)
    influenced = Counter(r["influenced_coproduction"] for r in responses)
    summary.improved = [
        Figure(label.lower().removeprefix("yes, "), improved.get(value, 0), total)
        for value, label in SurveyResponse.Improved.choices
    ]
    summary.influenced = [
        Figure(label.lower(), influenced.get(value, 0), total)
        for value, label in SurveyResponse.Influence.choices
    ]
    Influence = SurveyResponse.Influence
    summary.influenced_at_least_some = Figure(
        "a great deal or to some extent",
        influenced.get(Influence.A_GREAT_DEAL, 0) + influenced.get(Influence.TO_SOME_EXTENT, 0),
        total,
    )
    summary.challenges = _ranked(
        [r["challenges"] for r in responses], SurveyResponse.Challenge.choices
    )
    summary.helped = _ranked([r["helped"] for r in responses], SurveyResponse.Helper.choices)
    if not summary.suppressed:
        summary.challenges_other = [
            r["challenges_other"] for r in responses if r["challenges_other"]
        ][:20]
        summary.helped_other = [r["helped_other"] for r in responses if r["helped_other"]][:20]


CHECK_IN_AGREE = 4  # Agree or Strongly agree (coproduction.models.Scale)


def _check_in_figures(summary, admin) -> None:
    """Staff and partner benefits from co-production check-ins: how many agree with each
    statement, per group, in one query."""
    check_ins = CheckIn.objects.all()
    if admin.region_id:
        check_ins = check_ins.filter(always_event__organisation__region_id=admin.region_id)
    aggregates = {
        name: Count("pk", filter=Q(**{f"{name}__gte": CHECK_IN_AGREE}))
        for name in CheckIn.QUESTIONS
    }
    groups = {
        row["group"]: row
        for row in check_ins.values("group").annotate(total=Count("pk"), **aggregates)
    }
    empty = {"total": 0, **dict.fromkeys(CheckIn.QUESTIONS, 0)}
    staff = groups.get(CheckIn.Group.STAFF, empty)
    partners = groups.get(CheckIn.Group.PARTNER, empty)
    summary.check_in_staff, summary.check_in_partners = staff["total"], partners["total"]
    summary.benefits = [
        CheckInBenefit(
            question=question,
            staff=Figure("of staff agree", staff[name], staff["total"]),
            partners=Figure("of partners agree", partners[name], partners["total"]),
        )
        for name, question in CheckIn.QUESTIONS.items()
    ]


def _interview_figures(summary, admin) -> None:
    interviews = list(interviews_for_admin(admin).values("themes", "quotes", "interviewee_role"))
    summary.interviews = len(interviews)
    summary.themes = _ranked([i["themes"] for i in interviews], Interview.Theme.choices)
    summary.quotes = [
        (line.strip(), i["interviewee_role"])
        for i in interviews
        for line in i["quotes"].splitlines()
        if line.strip()
    ][:12]
