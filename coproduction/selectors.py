"""Reads for the co-production pages, and the public reads other apps (dashboards) may call.

Public for other apps: `team_mix`, `session_mix`, `protected_hours_by_month`,
`protected_hours_between`, `session_totals`, `organisation_overview`, `training_coverage`,
`check_in_summary`, `ladder_ratings`, `themes_with_counts`. Every one starts from an
Always Event or organisation the caller has already checked (DESIGN §3).
"""

import csv
import datetime
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from always_events.permissions import can_edit_always_event
from programmes.models import AlwaysEvent, Membership

from .models import (
    CheckIn,
    CoDesignMember,
    CoDesignSession,
    LadderRating,
    Scale,
    SessionAttendance,
    Theme,
    TrainingRecord,
)

# Fewer answers than this are not shown, so nobody can be picked out (DESIGN §3).
SUPPRESS_BELOW = 5
# "About half" patients, carers and family: this band counts as meeting the aim.
MIX_AIM_LOW, MIX_AIM_HIGH = 40, 60
ZERO = Decimal(0)


# Who may see what -------------------------------------------------------------------------


def sees_partner_details(membership: Membership | None, always_event: AlwaysEvent) -> bool:
    """Partners' contact, access needs and payments: the team's lead and org admins only.

    The team's lead is a lead of the organisation or a lead of that Always Event.
    """
    if membership is None or membership.organisation_id != always_event.organisation_id:
        return False
    if membership.role in (Membership.Role.LEAD, Membership.Role.ORG_ADMIN):
        return True
    return always_event.leads.filter(pk=membership.user_id).exists()


def can_run_team(membership: Membership | None, always_event: AlwaysEvent) -> bool:
    """Sessions, attendance, engagements and ladder ratings: whoever may edit the Always Event."""
    return membership is not None and can_edit_always_event(membership, always_event)


# Team mix ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMix:
    """Patients, carers and family against staff; the aim is about half and half."""

    lived_experience: int
    staff: int
    other_partners: int

    @property
    def total(self) -> int:
        return self.lived_experience + self.staff + self.other_partners

    @property
    def percent(self) -> int | None:
        return round(100 * self.lived_experience / self.total) if self.total else None

    @property
    def status(self) -> str:
        """"about half", "fewer than half", "more than half" or "" when there is nobody."""
        if self.percent is None:
            return ""
        if self.percent < MIX_AIM_LOW:
            return "fewer than half"
        if self.percent > MIX_AIM_HIGH:
            return "more than half"
        return "about half"

    def sentence(self, *, at_session: bool = False) -> str:
        """Plain words, e.g. "4 of 9 members are patients, carers or family (44%). The aim is
        about half." """
        if not self.total:
            return ("Nobody was recorded at this session yet." if at_session
                    else "The team has no members yet.")
        noun = "people at this session were" if at_session else (
            "member is" if self.total == 1 else "members are"
        )
        return (
            f"{self.lived_experience} of {self.total} {noun} patients, carers or family "
            f"({self.percent}%). The aim is about half."
        )

    @property
    def session_sentence(self) -> str:
        """The sentence for the people at one session (for templates)."""
        return self.sentence(at_session=True)


def _mix(kinds) -> TeamMix:
    counts = Counter(kinds)
    lived = sum(counts[kind] for kind in CoDesignMember.LIVED_EXPERIENCE)
    staff = counts[CoDesignMember.Kind.STAFF]
    others = sum(counts.values()) - lived - staff
    return TeamMix(lived_experience=lived, staff=staff, other_partners=others)


def team_mix(always_event: AlwaysEvent, *, on: datetime.date) -> TeamMix:
    """The mix of the team's current members on a day."""
    return _mix(always_event.codesign_members.current(on).values_list("kind", flat=True))


def session_mix(session: CoDesignSession) -> TeamMix:
    """The mix of the people who took part in one session."""
    return _mix(session.attendances.values_list("member__kind", flat=True))


# Members and sessions ---------------------------------------------------------------------


def team_members(always_event: AlwaysEvent, *, today: datetime.date):
    """(current, former) members, with their users, for the team page."""
    members = list(always_event.codesign_members.select_related("user"))
    current = [
        m for m in members if m.joined_on <= today and (m.left_on is None or m.left_on > today)
    ]
    former = [m for m in members if m.left_on is not None and m.left_on <= today]
    return current, former


def sessions_with_totals(always_event: AlwaysEvent):
    """The team's sessions, newest first, each with people, hours and protected hours."""
    return always_event.codesign_sessions.annotate(
        people=Count("attendances"),
        lived_people=Count(
            "attendances",
            filter=Q(attendances__member__kind__in=CoDesignMember.LIVED_EXPERIENCE),
        ),
        people_hours=Sum("attendances__hours"),
        protected=Sum("attendances__protected_hours"),
    ).order_by("-held_on", "-pk")


@dataclass(frozen=True)
class SessionTotals:
    sessions: int
    people_hours: Decimal
    protected_hours: Decimal


def session_totals(
    always_event: AlwaysEvent, *, until: datetime.date | None = None
) -> SessionTotals:
    """All sessions held so far: how many, hours people gave, protected staff hours."""
    sessions = always_event.codesign_sessions.all()
    if until is not None:
        sessions = sessions.filter(held_on__lte=until)
    totals = SessionAttendance.objects.filter(session__in=sessions).aggregate(
        hours=Sum("hours"), protected=Sum("protected_hours")
    )
    return SessionTotals(
        sessions=sessions.count(), people_hours=totals["hours"] or ZERO,
        protected_hours=totals["protected"] or ZERO,
    )


@dataclass(frozen=True)
class MonthTotal:
    month: datetime.date
    sessions: int
    people_hours: Decimal
    protected_hours: Decimal


def protected_hours_by_month(
    *, always_event: AlwaysEvent | None = None, organisation=None,
    start: datetime.date | None = None, end: datetime.date | None = None,
) -> list[MonthTotal]:
    """Sessions, people's hours and protected staff hours per calendar month, oldest first.

    Give an Always Event or an organisation (all its Always Events). Months without
    sessions are left out.
    """
    sessions = CoDesignSession.objects.all()
    if always_event is not None:
        sessions = sessions.filter(always_event=always_event)
    if organisation is not None:
        sessions = sessions.filter(always_event__organisation=organisation)
    if start is not None:
        sessions = sessions.filter(held_on__gte=start)
    if end is not None:
        sessions = sessions.filter(held_on__lte=end)
    session_counts = dict(
        sessions.annotate(month=TruncMonth("held_on")).values("month")
        .annotate(n=Count("pk")).values_list("month", "n")
    )
    hours = {
        row["month"]: row
        for row in SessionAttendance.objects.filter(session__in=sessions)
        .annotate(month=TruncMonth("session__held_on")).values("month")
        .annotate(hours=Sum("hours"), protected=Sum("protected_hours"))
    }
    result = []
    for month in sorted(session_counts):
        row = hours.get(month, {})
        result.append(MonthTotal(
            month=_as_date(month), sessions=session_counts[month],
            people_hours=row.get("hours") or ZERO, protected_hours=row.get("protected") or ZERO,
        ))
    return result


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def protected_hours_between(
    always_event: AlwaysEvent, *, start: datetime.date, end: datetime.date
) -> Decimal:
    return SessionAttendance.objects.filter(
        session__always_event=always_event, session__held_on__range=(start, end)
    ).aggregate(total=Sum("protected_hours"))["total"] or ZERO


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class OverviewRow:
    always_event: AlwaysEvent
    mix: TeamMix
    protected_this_quarter: Decimal
    sessions_this_quarter: int


def organisation_overview(organisation, *, today: datetime.date) -> list[OverviewRow]:
    """Each Always Event of the organisation with its team mix and protected time this quarter."""
    start = quarter_start(today)
    always_events = list(AlwaysEvent.objects.in_organisation(organisation).order_by("title", "pk"))
    kinds: dict[int, list[str]] = {ae.pk: [] for ae in always_events}
    for ae_id, kind in (
        CoDesignMember.objects.filter(always_event__in=always_events).current(today)
        .values_list("always_event_id", "kind")
    ):
        kinds[ae_id].append(kind)
    protected = dict(
        SessionAttendance.objects.filter(
            session__always_event__in=always_events, session__held_on__range=(start, today)
        ).values("session__always_event").annotate(total=Sum("protected_hours"))
        .values_list("session__always_event", "total")
    )
    sessions = dict(
        CoDesignSession.objects.filter(
            always_event__in=always_events, held_on__range=(start, today)
        ).values("always_event").annotate(n=Count("pk")).values_list("always_event", "n")
    )
    return [
        OverviewRow(
            always_event=ae, mix=_mix(kinds[ae.pk]),
            protected_this_quarter=protected.get(ae.pk) or ZERO,
            sessions_this_quarter=sessions.get(ae.pk, 0),
        )
        for ae in always_events
    ]


def upcoming_sessions(always_event: AlwaysEvent, *, today: datetime.date, limit: int = 5):
    return always_event.codesign_sessions.filter(held_on__gte=today).order_by("held_on", "pk")[
        :limit
    ]


def shared_decisions(always_event: AlwaysEvent, *, today: datetime.date, limit: int = 10):
    """Notes of past sessions the team marked as shareable with partners."""
    return (
        always_event.codesign_sessions.filter(held_on__lte=today, notes_shareable=True)
        .exclude(notes="").order_by("-held_on", "-pk")[:limit]
    )


# "What matters to you?" ------------------------------------------------------------------


def themes_with_counts(organisation):
    """The organisation's themes with how many engagements and quotes mention each."""
    return (
        Theme.objects.filter(organisation=organisation)
        .select_related("led_to")
        .annotate(
            engagement_count=Count("engagements", distinct=True),
            quote_count=Count("quotes", distinct=True),
        )
        .order_by("name")
    )


def engagements_for(always_event: AlwaysEvent):
    return always_event.engagements.prefetch_related("themes").annotate(
        quote_count=Count("quotes")
    ).order_by("-held_on", "-pk")


# Ladder of co-production -----------------------------------------------------------------


def ladder_ratings(always_event: AlwaysEvent):
    """The team's ratings over time, oldest first."""
    return LadderRating.objects.filter(always_event=always_event).select_related("rated_by")


# Training --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicCoverage:
    topic: str
    label: str
    trained: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.trained / self.total) if self.total else None


def always_event_team_users(organisation):
    """Staff on the organisation's Always Event teams: leads, staff team and co-design staff."""
    from django.contrib.auth import get_user_model

    always_events = AlwaysEvent.objects.in_organisation(organisation).active()
    return get_user_model().objects.filter(
        Q(led_always_events__in=always_events)
        | Q(always_event_teams__in=always_events)
        | Q(codesign_memberships__always_event__in=always_events,
            codesign_memberships__left_on__isnull=True)
    ).filter(memberships__organisation=organisation).distinct()


def training_coverage(organisation) -> list[TopicCoverage]:
    """For each topic: how many of the people on Always Event teams are trained in it."""
    people = list(always_event_team_users(organisation).values_list("pk", flat=True))
    trained = dict(
        TrainingRecord.objects.filter(organisation=organisation, user_id__in=people)
        .values("topic").annotate(n=Count("user", distinct=True)).values_list("topic", "n")
    )
    return [
        TopicCoverage(topic=topic, label=label, trained=trained.get(topic, 0), total=len(people))
        for topic, label in TrainingRecord.Topic.choices
    ]


def training_records(organisation):
    return TrainingRecord.objects.filter(organisation=organisation).select_related("user")


# Check-ins -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSummary:
    field: str
    question: str
    counts: list[tuple[str, int]]  # (scale label, count), "Strongly agree" first

    @property
    def agree(self) -> int:
        return sum(count for label, count in self.counts[:2])


@dataclass(frozen=True)
class CheckInSummary:
    answers: int
    staff_answers: int
    partner_answers: int
    questions: list[QuestionSummary] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        """True when there are too few answers to show without identifying people."""
        return self.answers < SUPPRESS_BELOW


def check_in_summary(
    *, always_event: AlwaysEvent | None = None, organisation=None,
    since: datetime.date | None = None,
) -> CheckInSummary:
    """Counts per scale point for each question; empty (suppressed) under 5 answers.

    Never per person: check-ins record only whether a member of staff or a partner answered.
    """
    check_ins = CheckIn.objects.all()
    if always_event is not None:
        check_ins = check_ins.filter(always_event=always_event)
    if organisation is not None:
        check_ins = check_ins.filter(always_event__organisation=organisation)
    if since is not None:
        check_ins = check_ins.filter(answered_on__gte=since)
    groups = dict(check_ins.values("group").annotate(n=Count("pk")).values_list("group", "n"))
    staff = groups.get(CheckIn.Group.STAFF, 0)
    partners = groups.get(CheckIn.Group.PARTNER, 0)
    total = staff + partners
    if total < SUPPRESS_BELOW:
        return CheckInSummary(answers=total, staff_answers=staff, partner_answers=partners)
    questions = []
    for field_name, question in CheckIn.QUESTIONS.items():
        counts = dict(
            check_ins.values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
        )
        questions.append(QuestionSummary(
            field=field_name, question=question,
            counts=[(scale.label, counts.get(scale.value, 0)) for scale in Scale],
        ))
    comments = list(
        check_ins.exclude(comment="").order_by("?").values_list("comment", flat=True)[:20]
    )
    return CheckInSummary(
        answers=total, staff_answers=staff, partner_answers=partners, questions=questions,
        comments=comments,
    )


# Subject access ----------------------------------------------------------------------------


@dataclass
class SubjectAccessExport:
    """Everything held about one co-design member, in sections of labelled rows."""

    member_id: int
    sections: list[tuple[str, list[dict]]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"member_id": self.member_id, **dict(self.sections)}

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, default=str, ensure_ascii=False)

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "row", "field", "value"])
        for title, rows in self.sections:
            for number, row in enumerate(rows, start=1):
                for key, value in row.items():
                    writer.writerow([title, number, key, "" if value is None else value])
        return out.getvalue()


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def subject_access_export(member: CoDesignMember) -> SubjectAccessExport:
    """What the service holds about `member`: their team record, payments, attendance,
    private links and the log of who read or changed their details. Check-ins are
    anonymous (not linked to anyone), so they are not part of it."""
    event = member.always_event
    record = {
        "Always Event": event.title,
        "Organisation": event.organisation.name,
        "Who they are": member.get_kind_display(),
        "Role": member.get_role_display(),
        "Name": member.display_name,
        "Joined": member.joined_on,
        "Left": member.left_on,
    }
    if member.is_staff:
        record["Email"] = member.user.email
    else:
        record.update({
            "Contact": member.contact,
            "Date consent given": member.consent_given_on,
            "What they agreed to": member.consent_scope,
            "Access needs": member.access_needs,
            "Easy read": _yes_no(member.easy_read),
            "Large print": _yes_no(member.large_print),
            "Interpreter": _yes_no(member.interpreter),
            "Preferred language": member.language,
            "Personal details removed on": member.details_removed_on,
        })
    export = SubjectAccessExport(member_id=member.pk)
    export.sections.append(("Team record", [record]))
    export.sections.append(("Payments and expenses", [
        {"Date": p.paid_on, "Type": p.get_kind_display(), "What for": p.description,
         "Amount (£)": p.amount}
        for p in member.payments.all()
    ]))
    export.sections.append(("Sessions attended", [
        {"Date": a.session.held_on, "Session": str(a.session), "Hours": a.hours,
         "Protected staff hours": a.protected_hours}
        for a in member.attendances.select_related("session").order_by("session__held_on")
    ]))
    export.sections.append(("Private links", [
        {"Purpose": link.get_purpose_display(), "Made": link.created_at,
         "Expires": link.expires_on, "Used": link.used_at}
        for link in member.private_links.all()
    ]))
    export.sections.append(("Who read or changed these details", [
        {"When": entry.at, "What": entry.get_action_display(),
         "Who": (entry.user.full_name or entry.user.email) if entry.user else "The system",
         "Where": entry.view, "Fields": entry.fields}
        for entry in member.details_log.select_related("user").order_by("at", "pk")
    ]))
    return export
