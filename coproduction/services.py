"""Business rules of co-production: every write goes through here (docs/style.md).

Each service checks all of its input before writing anything and runs in one transaction,
so bad input leaves nothing half-saved. Problems are raised as Django ``ValidationError``s
keyed by form field name, with NHS.UK-style messages.
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from always_events.scrubbing import scrub
from programmes.models import AlwaysEvent, Membership, Organisation, Phase

from .models import (
    CheckIn,
    CoDesignMember,
    CoDesignSession,
    Engagement,
    EngagementQuote,
    InvolvementPayment,
    LadderRating,
    PersonalDetailsLog,
    PrivateLink,
    Rung,
    Scale,
    SessionAttendance,
    Theme,
    TrainingRecord,
)

CHECK_IN_LINK_DAYS = 30
TEAM_PAGE_LINK_DAYS = 90
MAX_SESSION_HOURS = Decimal(24)
TOKEN_BYTES = 32  # 256 bits


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _date(value: datetime.date) -> str:
    return f"{value:%-d %B %Y}"


def _hours_error(value, label: str, *, allow_zero: bool = True) -> str:
    """A message about hours (`label` like "hours" or "protected time for Sam"), or ""."""
    upper = label[0].upper() + label[1:]
    if value is None:
        return f"Enter {label}"
    if allow_zero and value < 0:
        return f"{upper} must be 0 or more"
    if not allow_zero and value <= 0:
        return f"{upper} must be more than 0"
    if value > MAX_SESSION_HOURS:
        return f"{upper} must be 24 or fewer"
    return ""


def team_member_names(always_event: AlwaysEvent) -> list[str]:
    """Names of everyone who is or was on the team: `scrub` removes them from free text."""
    names = []
    for member in always_event.codesign_members.select_related("user"):
        if member.user is not None:
            names.append(member.user.full_name)
        if member.chosen_name:
            names.append(member.chosen_name)
    return names


# The personal details log ----------------------------------------------------------------

# Fields of a member compared to log which changed (names only, never the values).
LOGGED_FIELDS = (
    "kind", "role", "chosen_name", "contact", "consent_given_on", "consent_scope",
    "access_needs", "easy_read", "large_print", "interpreter", "language", "joined_on",
    "left_on",
)


def _acting_user():
    """The signed-in user of the request being served, as simple_history records it."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _acting_view() -> str:
    request = getattr(HistoricalRecords.context, "request", None)
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match else "") or "a task or command"


def details_log_record(
    *, member: CoDesignMember, action: str, user=None, view: str = "", fields=()
) -> PersonalDetailsLog:
    """Writes one line of the personal details log: who, when, which member, which page."""
    return PersonalDetailsLog.objects.create(
        organisation_id=member.always_event.organisation_id, member=member,
        user=user if user is not None else _acting_user(), action=action,
        view=view or _acting_view(), fields=", ".join(fields),
    )


def _values(member: CoDesignMember) -> dict:
    return {name: getattr(member, name) for name in LOGGED_FIELDS}


def _changed(before: dict, member: CoDesignMember) -> list[str]:
    return [name for name, value in _values(member).items() if before[name] != value]


# Members -------------------------------------------------------------------------------


@transaction.atomic
def member_add_staff(
    *, always_event: AlwaysEvent, user, role: str, joined_on: datetime.date, today: datetime.date
) -> CoDesignMember:
    errors = {}
    if user is None or not Membership.objects.filter(
        user=user, organisation_id=always_event.organisation_id
    ).exists():
        errors["user"] = "Select a member of staff from your organisation"
    elif always_event.codesign_members.filter(user=user, left_on__isnull=True).exists():
        errors["user"] = f"{user.full_name or user.email} is already on the team"
    if role not in CoDesignMember.Role.values:
        errors["role"] = "Select their role on the team"
    if joined_on is None:
        errors["joined_on"] = "Enter the date they joined"
    elif joined_on > today:
        errors["joined_on"] = "Date joined must be today or in the past"
    _raise_if(errors)
    member = CoDesignMember.objects.create(
        always_event=always_event, kind=CoDesignMember.Kind.STAFF, user=user, role=role,
        joined_on=joined_on,
    )
    details_log_record(member=member, action=PersonalDetailsLog.Action.ADDED)
    return member


@dataclass(frozen=True)
class PartnerDetails:
    """What we keep about a partner (no more: DESIGN §2 and the retention rule)."""

    kind: str
    role: str
    chosen_name: str
    joined_on: datetime.date | None
    consent_given_on: datetime.date | None
    consent_scope: str
    contact: str = ""
    access_needs: str = ""
    easy_read: bool = False
    large_print: bool = False
    interpreter: bool = False
    language: str = ""
    left_on: datetime.date | None = None


def _partner_errors(details: PartnerDetails, today: datetime.date) -> dict:
    errors = {}
    if details.kind not in CoDesignMember.Kind.values or details.kind == CoDesignMember.Kind.STAFF:
        errors["kind"] = (
            "Select whether they are a patient, carer, family member, volunteer or advocate"
        )
    if details.role not in CoDesignMember.Role.values:
        errors["role"] = "Select their role on the team"
    if not details.chosen_name.strip():
        errors["chosen_name"] = "Enter the name they want the team to use"
    if details.consent_given_on is None:
        errors["consent_given_on"] = "Enter the date they gave consent"
    elif details.consent_given_on > today:
        errors["consent_given_on"] = "Date consent given must be today or in the past"
    if not details.consent_scope.strip():
        errors["consent_scope"] = "Enter what they agreed to"
    if details.joined_on is None:
        errors["joined_on"] = "Enter the date they joined"
    elif details.joined_on > today:
        errors["joined_on"] = "Date joined must be today or in the past"
    errors.update(_left_on_errors(details.joined_on, details.left_on, today))
    return errors


def _left_on_errors(joined_on, left_on, today) -> dict:
    if left_on is None:
        return {}
    if left_on > today:
        return {"left_on": "Date left must be today or in the past"}
    if joined_on is not None and left_on < joined_on:
        return {
            "left_on": f"Date left must be on or after the date they joined, {_date(joined_on)}"
        }
    return {}


def _apply_partner_details(member: CoDesignMember, details: PartnerDetails) -> None:
    member.kind = details.kind
    member.role = details.role
    member.chosen_name = details.chosen_name.strip()
    member.contact = details.contact.strip()
    member.consent_given_on = details.consent_given_on
    member.consent_scope = details.consent_scope.strip()
    member.access_needs = details.access_needs.strip()
    member.easy_read = details.easy_read
    member.large_print = details.large_print
    member.interpreter = details.interpreter
    member.language = details.language.strip()
    member.joined_on = details.joined_on
    member.left_on = details.left_on


@transaction.atomic
def member_add_partner(
    *, always_event: AlwaysEvent, details: PartnerDetails, today: datetime.date
) -> CoDesignMember:
    """Adds a patient, carer, family member, volunteer or advocate who never signs in."""
    _raise_if(_partner_errors(details, today))
    member = CoDesignMember(always_event=always_event)
    _apply_partner_details(member, details)
    member.save()
    details_log_record(member=member, action=PersonalDetailsLog.Action.ADDED)
    return member


@transaction.atomic
def member_update_partner(
    *, member: CoDesignMember, details: PartnerDetails, today: datetime.date
) -> CoDesignMember:
    if member.is_staff:
        raise ValidationError("This member is staff, not a partner")
    if member.details_removed_on is not None:
        raise ValidationError(
            "This partner's details were removed under the retention rule and cannot be changed"
        )
    errors = _partner_errors(details, today)
    errors.update(_attendance_outside_membership(member, details.joined_on, details.left_on))
    _raise_if(errors)
    before = _values(member)
    _apply_partner_details(member, details)
    member.save()
    if changed := _changed(before, member):
        details_log_record(member=member, action=PersonalDetailsLog.Action.CHANGED,
                           fields=changed)
    return member


@transaction.atomic
def member_update_staff(
    *, member: CoDesignMember, role: str, joined_on, left_on, today: datetime.date
) -> CoDesignMember:
    if not member.is_staff:
        raise ValidationError("This member is a partner, not staff")
    errors = {}
    if role not in CoDesignMember.Role.values:
        errors["role"] = "Select their role on the team"
    if joined_on is None:
        errors["joined_on"] = "Enter the date they joined"
    elif joined_on > today:
        errors["joined_on"] = "Date joined must be today or in the past"
    errors.update(_left_on_errors(joined_on, left_on, today))
    errors.update(_attendance_outside_membership(member, joined_on, left_on))
    _raise_if(errors)
    before = _values(member)
    member.role, member.joined_on, member.left_on = role, joined_on, left_on
    member.save(update_fields=["role", "joined_on", "left_on"])
    if changed := _changed(before, member):
        details_log_record(member=member, action=PersonalDetailsLog.Action.CHANGED,
                           fields=changed)
    return member


def _attendance_outside_membership(member, joined_on, left_on) -> dict:
    """Moving the dates must not leave recorded attendance outside the membership."""
    if joined_on is not None:
        earlier = member.attendances.filter(session__held_on__lt=joined_on).order_by(
            "session__held_on"
        ).select_related("session").first()
        if earlier:
            return {"joined_on": f"They attended a session on {_date(earlier.session.held_on)}: "
                    "the date joined must be on or before it"}
    if left_on is not None:
        later = member.attendances.filter(session__held_on__gt=left_on).order_by(
            "-session__held_on"
        ).select_related("session").first()
        if later:
            return {"left_on": f"They attended a session on {_date(later.session.held_on)}: "
                    "the date left must be on or after it"}
    return {}


@transaction.atomic
def payment_record(
    *, member: CoDesignMember, kind: str, paid_on, amount, description: str,
    today: datetime.date,
) -> InvolvementPayment:
    errors = {}
    if member.is_staff:
        errors["kind"] = "Payments are recorded for partners only"
    elif kind not in InvolvementPayment.Kind.values:
        errors["kind"] = "Select a payment or expenses"
    if paid_on is None:
        errors["paid_on"] = "Enter the date paid"
    elif paid_on > today:
        errors["paid_on"] = "Date paid must be today or in the past"
    if amount is None:
        errors["amount"] = "Enter the amount"
    elif amount <= 0:
        errors["amount"] = "Amount must be more than £0"
    if not description.strip():
        errors["description"] = "Enter what the payment was for"
    _raise_if(errors)
    payment = InvolvementPayment.objects.create(
        member=member, kind=kind, paid_on=paid_on, amount=amount,
        description=description.strip(),
    )
    details_log_record(member=member, action=PersonalDetailsLog.Action.PAYMENT)
    return payment


# Sessions and attendance -----------------------------------------------------------------


@transaction.atomic
def session_create(
    *, always_event: AlwaysEvent, held_on, kind: str, hours, title: str = "", notes: str = "",
    notes_shareable: bool = False,
) -> CoDesignSession:
    """A session may be planned ahead; attendance is recorded once it has happened."""
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the session"
    if kind not in CoDesignSession.Kind.values:
        errors["kind"] = "Select the kind of session"
    if message := _hours_error(hours, "hours", allow_zero=False):
        errors["hours"] = message
    _raise_if(errors)
    return CoDesignSession.objects.create(
        always_event=always_event, held_on=held_on, kind=kind, hours=hours, title=title.strip(),
        notes=notes.strip(), notes_shareable=notes_shareable,
    )


@transaction.atomic
def session_update_notes(
    *, session: CoDesignSession, notes: str, notes_shareable: bool
) -> CoDesignSession:
    session.notes = notes.strip()
    session.notes_shareable = notes_shareable
    session.save(update_fields=["notes", "notes_shareable"])
    return session


@dataclass(frozen=True)
class AttendanceEntry:
    member: CoDesignMember
    hours: Decimal | None
    protected_hours: Decimal | None = None


@transaction.atomic
def attendance_record(
    *, session: CoDesignSession, entries: list[AttendanceEntry], today: datetime.date
) -> list[SessionAttendance]:
    """Replaces the session's attendance with `entries` (the people who took part).

    Errors are keyed `hours_<member id>`, `protected_hours_<member id>` or
    `attended_<member id>`, the fields of the attendance form.
    """
    errors = {}
    if session.held_on > today:
        raise ValidationError(
            {"__all__": f"The session is on {_date(session.held_on)}: record who took part "
             "once it has happened"}
        )
    for entry in entries:
        member, key = entry.member, entry.member.pk
        if member.always_event_id != session.always_event_id:
            errors[f"attended_{key}"] = f"{member.display_name} is not on this team"
            continue
        if member.joined_on > session.held_on:
            errors[f"attended_{key}"] = (
                f"{member.display_name} joined the team on {_date(member.joined_on)}, after "
                f"this session on {_date(session.held_on)}"
            )
        elif member.left_on is not None and member.left_on < session.held_on:
            errors[f"attended_{key}"] = (
                f"{member.display_name} left the team on {_date(member.left_on)}, before "
                f"this session on {_date(session.held_on)}"
            )
        if message := _hours_error(entry.hours, f"hours for {member.display_name}"):
            errors[f"hours_{key}"] = message
        protected = entry.protected_hours or Decimal(0)
        if protected and not member.is_staff:
            errors[f"protected_hours_{key}"] = "Protected time is recorded for staff only"
        elif message := _hours_error(protected, f"protected time for {member.display_name}"):
            errors[f"protected_hours_{key}"] = message
    _raise_if(errors)
    session.attendances.all().delete()
    return bulk_create_with_history(
        [
            SessionAttendance(
                session=session, member=entry.member, hours=entry.hours,
                protected_hours=entry.protected_hours or Decimal(0),
            )
            for entry in entries
        ],
        SessionAttendance, default_user=_acting_user(),
    )


# "What matters to you?" ------------------------------------------------------------------


def _themes_from_names(organisation: Organisation, names: list[str]) -> list[Theme]:
    themes = []
    for name in names:
        name = " ".join(name.split())
        if name:
            theme = Theme.objects.filter(organisation=organisation, name__iexact=name).first()
            themes.append(theme or Theme.objects.create(organisation=organisation, name=name))
    return themes


@transaction.atomic
def engagement_create(
    *, always_event: AlwaysEvent, method: str, held_on, setting: str, participants,
    themes=(), new_theme_names: list[str] = (), quotes: list[str] = (), today: datetime.date,
) -> Engagement:
    """Records "What matters to you?" work. Quotes are scrubbed of identifiers first."""
    errors = {}
    if method not in Engagement.Method.values:
        errors["method"] = "Select how you asked people"
    if held_on is None:
        errors["held_on"] = "Enter the date"
    elif held_on > today:
        errors["held_on"] = "Date must be today or in the past"
    if not setting.strip():
        errors["setting"] = "Enter where it took place"
    if participants is None:
        errors["participants"] = "Enter how many people took part"
    elif participants < 1:
        errors["participants"] = "Number of people must be 1 or more"
    if any(theme.organisation_id != always_event.organisation_id for theme in themes):
        errors["themes"] = "Select themes from your organisation"
    _raise_if(errors)
    engagement = Engagement.objects.create(
        always_event=always_event, method=method, held_on=held_on, setting=setting.strip(),
        participants=participants,
    )
    all_themes = list(themes) + _themes_from_names(always_event.organisation, list(new_theme_names))
    engagement.themes.set(all_themes)
    names = team_member_names(always_event)
    EngagementQuote.objects.bulk_create(
        EngagementQuote(engagement=engagement, text=scrub(text.strip(), names=names))
        for text in quotes
        if text.strip()
    )
    return engagement


def quotes_expired(engagement: Engagement, *, today: datetime.date | None = None) -> bool:
    """The engagement was held longer ago than quotes are kept: its quotes have been (or
    tonight will be) deleted by the retention purge."""
    months = settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS
    return engagement.held_on < months_before(today or timezone.localdate(), months)


@transaction.atomic
def quote_add(*, engagement: Engagement, text: str, theme: Theme | None = None) -> EngagementQuote:
    if quotes_expired(engagement):
        raise ValidationError(
            f"Quotes are kept for {settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS} months after "
            "the engagement, and this engagement was held longer ago than that. Record what "
            "people said as a theme instead"
        )
    if not text.strip():
        raise ValidationError({"text": "Enter the quote"})
    if theme is not None and theme.organisation_id != engagement.always_event.organisation_id:
        raise ValidationError({"theme": "Select a theme from your organisation"})
    names = team_member_names(engagement.always_event)
    return EngagementQuote.objects.create(
        engagement=engagement, text=scrub(text.strip(), names=names), theme=theme
    )


@transaction.atomic
def theme_link(*, theme: Theme, always_event: AlwaysEvent | None) -> Theme:
    """Records which Always Event a "What matters to you?" theme led to."""
    if always_event is not None and always_event.organisation_id != theme.organisation_id:
        raise ValidationError({"led_to": "Select an Always Event of your organisation"})
    theme.led_to = always_event
    theme.save(update_fields=["led_to"])
    return theme


# Ladder of co-production -------------------------------------------------------------------


@transaction.atomic
def ladder_rate(
    *, always_event: AlwaysEvent, phase: str, rung, rated_on, notes: str, rated_by,
    today: datetime.date,
) -> LadderRating:
    errors = {}
    if phase not in Phase.values:
        errors["phase"] = "Select the phase"
    if rung not in Rung.values:
        errors["rung"] = "Select where the team's work sits on the ladder"
    if rated_on is None:
        errors["rated_on"] = "Enter the date of the rating"
    elif rated_on > today:
        errors["rated_on"] = "Date must be today or in the past"
    _raise_if(errors)
    return LadderRating.objects.create(
        always_event=always_event, phase=phase, rung=rung, rated_on=rated_on,
        notes=notes.strip(), rated_by=rated_by,
    )


# Training ----------------------------------------------------------------------------------


@transaction.atomic
def training_record_add(
    *, organisation: Organisation, user, topic: str, completed_on, provider: str, hours,
    today: datetime.date,
) -> TrainingRecord:
    errors = {}
    if user is None or not Membership.objects.filter(user=user, organisation=organisation).exists():
        errors["user"] = "Select a member of staff from your organisation"
    if topic not in TrainingRecord.Topic.values:
        errors["topic"] = "Select the topic"
    if completed_on is None:
        errors["completed_on"] = "Enter the date of the training"
    elif completed_on > today:
        errors["completed_on"] = "Date must be today or in the past"
    if not provider.strip():
        errors["provider"] = "Enter who provided the training"
    if hours is None:
        errors["hours"] = "Enter the hours of training"
    elif hours <= 0:
        errors["hours"] = "Hours must be more than 0"
    _raise_if(errors)
    return TrainingRecord.objects.create(
        organisation=organisation, user=user, topic=topic, completed_on=completed_on,
        provider=provider.strip(), hours=hours,
    )


# Private links and check-ins -------------------------------------------------------------


class LinkNotFound(Exception):
    """No link has this token (or it was for another purpose)."""


class LinkExpired(Exception):
    """The link existed but can no longer be used: expired, already used, or the member left."""


def new_token() -> str:
    """256 random bits, URL-safe (`secrets`, not `random`)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


@transaction.atomic
def private_link_create(
    *, member: CoDesignMember, purpose: str, today: datetime.date, days: int | None = None
) -> PrivateLink:
    if member.left_on is not None and member.left_on <= today:
        raise ValidationError(f"{member.display_name} has left the team: no link was made")
    if purpose == PrivateLink.Purpose.TEAM_PAGE and member.is_staff:
        raise ValidationError("Staff see the team page when they sign in: no link was made")
    if days is None:
        is_check_in = purpose == PrivateLink.Purpose.CHECK_IN
        days = CHECK_IN_LINK_DAYS if is_check_in else TEAM_PAGE_LINK_DAYS
    return PrivateLink.objects.create(
        member=member, purpose=purpose, token=new_token(),
        expires_on=today + datetime.timedelta(days=days),
    )


@transaction.atomic
def check_in_links_create(*, always_event: AlwaysEvent, today: datetime.date) -> list[PrivateLink]:
    """A new check-in link for every current member of the team, staff and partners."""
    members = always_event.codesign_members.current(today)
    return [
        private_link_create(member=member, purpose=PrivateLink.Purpose.CHECK_IN, today=today)
        for member in members
    ]


def private_link_resolve(*, token: str, purpose: str, today: datetime.date) -> PrivateLink:
    """The usable link with this token; LinkNotFound or LinkExpired otherwise."""
    link = (
        PrivateLink.objects.filter(token=token, purpose=purpose)
        .select_related("member", "member__always_event")
        .first()
        if token
        else None
    )
    if link is None:
        raise LinkNotFound
    member = link.member
    if (
        link.expires_on < today
        or (purpose == PrivateLink.Purpose.CHECK_IN and link.used_at is not None)
        or (member.left_on is not None and member.left_on < today)
        or member.details_removed_on is not None
    ):
        raise LinkExpired
    return link


@transaction.atomic
def check_in_submit(
    *, token: str, wellbeing, skills, relationships, listened_to, comment: str,
    today: datetime.date,
) -> CheckIn:
    """Saves an anonymous check-in and uses up the link. Only the group is kept, not who."""
    link = private_link_resolve(token=token, purpose=PrivateLink.Purpose.CHECK_IN, today=today)
    link = PrivateLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:
        raise LinkExpired
    errors = {}
    answers = {
        "wellbeing": wellbeing, "skills": skills, "relationships": relationships,
        "listened_to": listened_to,
    }
    for field, value in answers.items():
        if value not in Scale.values:
            errors[field] = "Select how much you agree"
    _raise_if(errors)
    member = link.member
    always_event = member.always_event
    check_in = CheckIn.objects.create(
        always_event=always_event,
        group=CheckIn.Group.STAFF if member.is_staff else CheckIn.Group.PARTNER,
        answered_on=today,
        comment=scrub(comment.strip(), names=team_member_names(always_event)),
        **answers,
    )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return check_in


# Retention -----------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in range(day.day, 0, -1):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def blank_in_batches(queryset, *fields: str, batch_size: int) -> int:
    """Sets the text `fields` of every row of `queryset` to "" in batches of `batch_size`
    rows, each its own transaction, so a national purge never holds a long lock.
    Returns how many rows were blanked (a row counts once, however many fields it had)."""
    blank = dict.fromkeys(fields, "")
    blanked = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.exclude(**blank).values_list("pk", flat=True)[:batch_size])
            if not ids:
                return blanked
            blanked += queryset.model.objects.filter(pk__in=ids).update(**blank)


def delete_in_batches(queryset, *, batch_size: int) -> int:
    """Deletes every row of `queryset` in batches of `batch_size` rows, each its own
    transaction, as `blank_in_batches` does. Returns how many rows were deleted."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True)[:batch_size])
            if not ids:
                return deleted
            deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]


@transaction.atomic
def partner_details_purge(*, today: datetime.date, months: int) -> int:
    """Removes personal details of partners who left more than `months` months ago.

    Kept: kind, role, dates joined and left, attendance — enough for anonymous counts.
    Removed: name, contact, consent wording, access needs, formats, payments, links.
    Returns how many partners were purged. Idempotent.
    """
    cutoff = months_before(today, months)
    members = CoDesignMember.objects.partners().filter(
        left_on__lt=cutoff, details_removed_on__isnull=True
    )
    ids = list(members.values_list("pk", flat=True))
    PersonalDetailsLog.objects.bulk_create(
        PersonalDetailsLog(
            organisation_id=organisation_id, member_id=member_id, user=None,
            action=PersonalDetailsLog.Action.REMOVED, view="purge_partner_details",
            fields="chosen_name, contact, consent_scope, access_needs, formats, payments",
        )
        for member_id, organisation_id in members.values_list(
            "pk", "always_event__organisation_id"
        )
    )
    InvolvementPayment.objects.filter(member_id__in=ids).delete()
    PrivateLink.objects.filter(member_id__in=ids).delete()
    CoDesignMember.objects.filter(pk__in=ids).update(
        chosen_name="", contact="", consent_scope="", access_needs="", easy_read=False,
        large_print=False, interpreter=False, language="", details_removed_on=today,
    )
    return len(ids)


def check_in_comment_purge(*, today: datetime.date, months: int, batch_size: int = 10_000) -> int:
    """Blanks the comments of check-ins answered more than `months` months before `today`.

    The check-ins stay, with their group, date and four answers, so every count and share
    drawn from them (the team's check-in summary, the programme evaluation's benefits) is
    unchanged. Runs in batches, each its own transaction, as `free_text_purge` does for
    feedback. Idempotent. Returns how many comments were blanked.
    """
    cutoff = months_before(today, months)
    return blank_in_batches(
        CheckIn.objects.filter(answered_on__lt=cutoff), "comment", batch_size=batch_size
    )


def engagement_quote_purge(*, today: datetime.date, months: int, batch_size: int = 10_000) -> int:
    """Deletes the quotes of "What matters to you?" engagements held more than `months`
    months before `today` (a blank quote would mean nothing, so the row goes).

    The engagement stays, with its method, date, setting, number of people and themes, so
    the themes and how many engagements raised each are unchanged; only the number of
    quotes falls. Global: every organisation's quotes go at the same age. Runs in batches,
    each its own transaction. Idempotent. Returns how many quotes were deleted.
    """
    cutoff = months_before(today, months)
    return delete_in_batches(
        EngagementQuote.objects.filter(engagement__held_on__lt=cutoff), batch_size=batch_size
    )
