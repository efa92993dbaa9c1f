"""Reads for the programmes pages. Every one starts from an organisation or user already
checked by the view (DESIGN §3)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.http import Http404

from . import gates
from .models import (
    Action,
    AlwaysEvent,
    Communication,
    Criterion,
    Membership,
    Organisation,
    PDSACycle,
    PrimaryDriver,
    ReadinessAssessment,
    SecondaryDriver,
    SpreadRecord,
)

User = get_user_model()


def always_events_for_list(*, organisation, phase="", setting="", lead=None):
    """The organisation's Always Events, filtered as the list page asks."""
    always_events = (
        AlwaysEvent.objects.in_organisation(organisation)
        .prefetch_related("leads")
        .order_by("title", "pk")
    )
    if phase:
        always_events = always_events.filter(phase=phase)
    if setting:
        always_events = always_events.filter(setting=setting)
    if lead is not None:
        always_events = always_events.filter(leads=lead)
    return always_events


def organisation_members(organisation, roles=None):
    """Users who are members of the organisation (optionally with one of `roles`)."""
    memberships = Membership.objects.filter(organisation=organisation)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(memberships__in=memberships).distinct().order_by("full_name")


def overdue_actions(*, always_event, today: datetime.date):
    return (
        always_event.actions.exclude(status=Action.Status.DONE)
        .filter(due_on__lt=today)
        .select_related("owner")
    )


def overdue_actions_for_user(*, user, today: datetime.date):
    """Overdue actions the user owns, leads or sponsors, in their organisations only."""
    return (
        Action.objects.filter(always_event__organisation__memberships__user=user)
        .filter(
            Q(owner=user) | Q(always_event__leads=user) | Q(always_event__executive_sponsor=user)
        )
        .exclude(status=Action.Status.DONE)
        .filter(due_on__lt=today)
        .select_related("always_event", "always_event__organisation", "owner")
        .distinct()
        .order_by("due_on", "pk")
    )


def sees_overdue_actions(user, always_event) -> bool:
    """Leads and the sponsor are told about overdue actions on the Always Event page."""
    return always_event.executive_sponsor_id == user.pk or always_event.leads.filter(
        pk=user.pk
    ).exists()


def driver_diagram(always_event):
    """Primary drivers with their secondary drivers and change ideas, in one query each."""
    return always_event.primary_drivers.prefetch_related(
        Prefetch(
            "secondary_drivers",
            queryset=SecondaryDriver.objects.prefetch_related("change_ideas"),
        )
    )


def pdsa_timeline(always_event):
    return always_event.pdsa_cycles.select_related("change_idea").order_by("number")


def criteria_of(always_event):
    order = {kind: index for index, kind in enumerate(Criterion.Kind.values)}
    return sorted(always_event.criteria.all(), key=lambda c: order[c.kind])


@dataclass
class GatePage:
    next_phase: str | None
    next_phase_label: str
    results: list = field(default_factory=list)

    @property
    def unmet(self):
        return [result for result in self.results if not result.met]


def gate_page(always_event) -> GatePage:
    from .models import Phase

    phase = gates.next_phase(always_event.phase)
    if phase is None:
        return GatePage(next_phase=None, next_phase_label="")
    return GatePage(
        next_phase=phase,
        next_phase_label=Phase(phase).label,
        results=gates.check_gates(always_event, phase),
    )


def latest_readiness(organisation):
    return (
        ReadinessAssessment.objects.filter(organisation=organisation)
        .prefetch_related("answers")
        .first()
    )


@dataclass
class ReadinessSummary:
    score: int
    out_of: int
    next_steps: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.out_of) if self.out_of else 0


def readiness_summary(assessment) -> ReadinessSummary:
    """Met scores 2, partly 1, not yet 0; one next step per item that is not met."""
    from .models import ReadinessAnswer, ReadinessItem

    answers = {answer.item: answer for answer in assessment.answers.all()}
    ordered = [answers[item] for item in ReadinessItem.values if item in answers]
    return ReadinessSummary(
        score=sum(ReadinessAnswer.SCORES[answer.status] for answer in ordered),
        out_of=2 * len(ordered),
        next_steps=[answer.next_step for answer in ordered if answer.next_step],
    )


# History ---------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    kind: str
    changes: list[tuple[str, str, str]]


def _display(model, field_name, value) -> str:
    if isinstance(value, list):  # a many-to-many field: rows of its through table
        return _people(model, field_name, value)
    if value in (None, ""):
        return "(blank)"
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field history knows but the model no longer has
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"(deleted #{value})"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def _people(model, field_name, rows) -> str:
    related = model._meta.get_field(field_name).related_model
    key = related._meta.model_name
    ids = [row[key] for row in rows if key in row]
    names = sorted(str(obj) for obj in related.objects.filter(pk__in=ids))
    return ", ".join(names) or "(nobody)"


def _label(model, field_name) -> str:
    try:
        label = str(model._meta.get_field(field_name).verbose_name)
        return label[:1].upper() + label[1:]
    except Exception:  # noqa: BLE001
        return field_name


def _entries(records, model, describe) -> list[HistoryEntry]:
    entries = []
    records = list(records)
    previous_of = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        previous = previous_of.get(record.id)
        changes = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            changes = [
                (
                    _label(model, change.field),
                    _display(model, change.field, change.old),
                    _display(model, change.field, change.new),
                )
                for change in delta.changes
            ]
            if not changes:
                previous_of[record.id] = record
                continue
        previous_of[record.id] = record
        verb = {"+": "Added", "~": "Changed", "-": "Deleted"}[record.history_type]
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.full_name or user.email) if user else "The system",
                what=f"{verb} {describe(record)}",
                kind=record.history_type,
                changes=changes,
            )
        )
    return entries


def always_event_history(always_event) -> list[HistoryEntry]:
    """Every change to the Always Event, its criteria, phase changes, PDSA cycles,
    actions, presentations and adoptions, newest first, each with the fields that changed
    (old → new)."""
    from .models import PhaseChange

    pk = always_event.pk
    entries = _entries(
        AlwaysEvent.history.filter(id=pk).select_related("history_user"),
        AlwaysEvent, lambda r: "the Always Event",
    )
    for model, describe in [
        (Criterion, lambda r: f"the criterion “{r.get_kind_display()}”"),
        (PhaseChange,
         lambda r: f"the phase: {r.get_from_phase_display()} to {r.get_to_phase_display()}"),
        (PDSACycle, lambda r: f"PDSA cycle {r.number}"),
        (Action, lambda r: f"the action “{r.title}”"),
        (Communication, lambda r: f"the presentation to {r.audience}"),
        (SpreadRecord, lambda r: f"the adoption by {r.name}"),
    ]:
        records = model.history.filter(always_event_id=pk).select_related("history_user")
        entries += _entries(records, model, describe)
    return sorted(entries, key=lambda e: e.when, reverse=True)


def primary_drivers_of(always_event):
    return PrimaryDriver.objects.filter(always_event=always_event)


def you_said_we_did_page(ods_code: str):
    """The public page's organisation and Always Events, or 404 unless it opted in.

    Only the title, service area, vision and "You said, we did" text are read: nothing
    internal to the trust."""
    organisation = Organisation.objects.filter(
        ods_code=ods_code.upper(), publishes_you_said_we_did=True
    ).first()
    if organisation is None:
        raise Http404("No such page")
    events = (
        AlwaysEvent.objects.in_organisation(organisation).active().exclude(you_said_we_did="")
        .only("title", "service_area", "vision_statement", "you_said_we_did").order_by("title")
    )
    return organisation, list(events)
