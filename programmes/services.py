"""Business rules of programmes: every write goes through here (docs/style.md).

Each service validates all of its input before writing anything and runs in one
transaction, so bad input leaves nothing half-saved. Problems are raised as Django
``ValidationError``s keyed by field name, with NHS.UK-style messages, so a view can put
them on the form's fields.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from . import gates
from .models import (
    Action,
    AlwaysEvent,
    ChangeIdea,
    Communication,
    Criterion,
    Membership,
    Organisation,
    OversightGroup,
    OversightGroupMember,
    OversightMeeting,
    PDSACycle,
    PhaseChange,
    PrimaryDriver,
    ReadinessAnswer,
    ReadinessAssessment,
    ReadinessItem,
    SecondaryDriver,
    SpreadRecord,
)

User = get_user_model()
Role = Membership.Role


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _is_member(user, organisation_id: int, roles=None) -> bool:
    if user is None:
        return False
    memberships = Membership.objects.filter(user=user, organisation_id=organisation_id)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


# Members of an organisation -------------------------------------------------------------


@transaction.atomic
def membership_add(
    *, organisation: Organisation, email: str, role: str, full_name: str = ""
) -> Membership:
    """Adds an existing user by email, or creates the user when a full name is given."""
    email = email.strip().lower()
    errors = {}
    if role not in Role.values:
        errors["role"] = "Select a role"
    user = User.objects.filter(email__iexact=email).first()
    if user is None and not full_name.strip():
        errors["full_name"] = (
            "Enter the person's full name: nobody has an account with this email address yet"
        )
    if user is not None and Membership.objects.filter(
        user=user, organisation=organisation
    ).exists():
        errors["email"] = f"{email} is already a member of {organisation.name}"
    _raise_if(errors)
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    return Membership.objects.create(user=user, organisation=organisation, role=role)


def _other_org_admins(membership: Membership) -> bool:
    return (
        Membership.objects.filter(organisation=membership.organisation_id, role=Role.ORG_ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def organisation_set_you_said_we_did_page(*, organisation: Organisation, publish: bool) -> None:
    """Opts the organisation in to (or out of) its public "You said, we did" page."""
    organisation.publishes_you_said_we_did = publish
    organisation.save(update_fields=["publishes_you_said_we_did"])


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": "Select a role"})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if (
        membership.role == Role.ORG_ADMIN
        and role != Role.ORG_ADMIN
        and not _other_org_admins(membership)
    ):
        raise ValidationError(
            {"role": "The organisation needs at least one organisation admin: "
             "make someone else an admin first"}
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.ORG_ADMIN and not _other_org_admins(membership):
        raise ValidationError(
            "You cannot remove the last organisation admin: make someone else an admin first"
        )
    membership.delete()


# Always Events ---------------------------------------------------------------------------


@transaction.atomic
def always_event_create(
    *, organisation: Organisation, title: str, service_area: str, setting: str, created_by
) -> AlwaysEvent:
    """Creates an Always Event in Set-up, with its creator as lead and the four criteria."""
    errors = {}
    if not title.strip():
        errors["title"] = "Enter a title"
    if not service_area.strip():
        errors["service_area"] = "Enter the service area"
    if setting not in AlwaysEvent.Setting.values:
        errors["setting"] = "Select the setting"
    _raise_if(errors)
    always_event = AlwaysEvent.objects.create(
        organisation=organisation, title=title.strip(), service_area=service_area.strip(),
        setting=setting,
    )
    if created_by is not None and _is_member(created_by, organisation.pk):
        always_event.leads.add(created_by)
    bulk_create_with_history(
        [Criterion(always_event=always_event, kind=kind) for kind in Criterion.Kind.values],
        Criterion,
    )
    return always_event


@transaction.atomic
def always_event_update(
    *,
    always_event: AlwaysEvent,
    title: str,
    service_area: str,
    setting: str,
    status: str,
    executive_sponsor=None,
    leads=(),
    team=(),
    qi_strategy_objective: str = "",
    you_said_we_did: str = "",
) -> AlwaysEvent:
    """Changes the details; the sponsor must be an executive of the same organisation."""
    organisation_id = always_event.organisation_id
    errors = {}
    if not title.strip():
        errors["title"] = "Enter a title"
    if not service_area.strip():
        errors["service_area"] = "Enter the service area"
    if setting not in AlwaysEvent.Setting.values:
        errors["setting"] = "Select the setting"
    if status not in AlwaysEvent.Status.values:
        errors["status"] = "Select the status"
    if executive_sponsor is not None and not _is_member(
        executive_sponsor, organisation_id, roles=[Role.EXECUTIVE]
    ):
        errors["executive_sponsor"] = (
            "Select an executive sponsor who has the executive role in this organisation"
        )
    if any(not _is_member(user, organisation_id) for user in leads):
        errors["leads"] = "Select leads who are members of this organisation"
    if any(not _is_member(user, organisation_id) for user in team):
        errors["team"] = "Select staff who are members of this organisation"
    _raise_if(errors)
    always_event.title = title.strip()
    always_event.service_area = service_area.strip()
    always_event.setting = setting
    always_event.status = status
    always_event.executive_sponsor = executive_sponsor
    always_event.qi_strategy_objective = qi_strategy_objective.strip()
    always_event.you_said_we_did = you_said_we_did.strip()
    always_event.save()
    always_event.leads.set(leads)
    always_event.team.set(team)
    return always_event


@transaction.atomic
def always_event_update_vision_and_aim(
    *,
    always_event: AlwaysEvent,
    vision_statement: str,
    aim_population: str,
    aim_measure: str,
    aim_target_percent: int | None,
    aim_deadline: datetime.date | None,
    aim_review_interval: str,
    today: datetime.date,
) -> AlwaysEvent:
    """A new or changed deadline must not be in the past; an unchanged one may have passed."""
    errors = {}
    if aim_target_percent is not None and not 0 <= aim_target_percent <= 100:
        errors["aim_target_percent"] = "Target must be between 0 and 100"
    deadline_is_new = aim_deadline != always_event.aim_deadline
    if aim_deadline is not None and deadline_is_new and aim_deadline < today:
        errors["aim_deadline"] = "Deadline must be today or in the future"
    if aim_review_interval and aim_review_interval not in AlwaysEvent.ReviewInterval.values:
        errors["aim_review_interval"] = "Select how often the aim is reviewed"
    _raise_if(errors)
    always_event.vision_statement = vision_statement.strip()
    always_event.aim_population = aim_population.strip()
    always_event.aim_measure = aim_measure.strip()
    always_event.aim_target_percent = aim_target_percent
    always_event.aim_deadline = aim_deadline
    always_event.aim_review_interval = aim_review_interval
    always_event.save()
    return always_event


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    met: bool,
    evidence: str,
    agreed_by: str,
    agreed_on: datetime.date | None,
    today: datetime.date,
) -> Criterion:
    """A criterion is only met with its evidence, who agreed it and when."""
    errors = {}
    if met:
        if not evidence.strip():
            errors["evidence"] = "Enter the evidence that this criterion is met"
        if not agreed_by.strip():
            errors["agreed_by"] = "Enter who agreed that this criterion is met"
        if agreed_on is None:
            errors["agreed_on"] = "Enter the date it was agreed"
    if agreed_on is not None and agreed_on > today:
        errors["agreed_on"] = "Date agreed must be today or in the past"
    _raise_if(errors)
    criterion.met = met
    criterion.evidence = evidence.strip()
    criterion.agreed_by = agreed_by.strip()
    criterion.agreed_on = agreed_on
    criterion.save()
    return criterion


@transaction.atomic
def always_event_change_phase(
    *, always_event: AlwaysEvent, to_phase: str, changed_by, reason: str = ""
) -> PhaseChange:
    """Moves to the next phase. With any gate unmet, a reason is required and recorded."""
    always_event = AlwaysEvent.objects.select_for_update().get(pk=always_event.pk)
    expected = gates.next_phase(always_event.phase)
    if to_phase != expected:
        raise ValidationError(
            {"to_phase": "This Always Event can only move on to the next phase"}
        )
    unmet = [result.label for result in gates.check_gates(always_event, to_phase) if not result.met]
    if unmet and not reason.strip():
        raise ValidationError(
            {"reason": "Give a reason for moving on while some of what must be true is not"}
        )
    change = PhaseChange.objects.create(
        always_event=always_event, from_phase=always_event.phase, to_phase=to_phase,
        changed_by=changed_by, unmet_gates=unmet, reason=reason.strip(),
    )
    always_event.phase = to_phase
    always_event.save(update_fields=["phase", "updated_at"])
    return change


# Driver diagram --------------------------------------------------------------------------


def _node_text(text: str) -> str:
    if not text.strip():
        raise ValidationError({"text": "Enter the text"})
    return text.strip()


@transaction.atomic
def primary_driver_save(
    *, always_event: AlwaysEvent, text: str, driver: PrimaryDriver | None = None
) -> PrimaryDriver:
    driver = driver or PrimaryDriver(always_event=always_event)
    if driver.always_event_id != always_event.pk:
        raise ValidationError("This driver belongs to another Always Event")
    driver.text = _node_text(text)
    driver.save()
    return driver


@transaction.atomic
def secondary_driver_save(
    *, primary_driver: PrimaryDriver, text: str, driver: SecondaryDriver | None = None
) -> SecondaryDriver:
    driver = driver or SecondaryDriver()
    driver.primary_driver = primary_driver
    driver.text = _node_text(text)
    driver.save()
    return driver


@transaction.atomic
def change_idea_save(
    *, secondary_driver: SecondaryDriver, text: str, change_idea: ChangeIdea | None = None
) -> ChangeIdea:
    change_idea = change_idea or ChangeIdea()
    change_idea.secondary_driver = secondary_driver
    change_idea.text = _node_text(text)
    change_idea.save()
    return change_idea


@transaction.atomic
def driver_node_delete(*, node) -> None:
    """Deletes a driver or change idea and what hangs from it, unless PDSA cycles test it."""
    if isinstance(node, ChangeIdea):
        ideas = ChangeIdea.objects.filter(pk=node.pk)
    elif isinstance(node, SecondaryDriver):
        ideas = ChangeIdea.objects.filter(secondary_driver=node)
    else:
        ideas = ChangeIdea.objects.filter(secondary_driver__primary_driver=node)
    if PDSACycle.objects.filter(change_idea__in=ideas).exists():
        raise ValidationError(
            "You cannot delete this because PDSA cycles test one of its change ideas"
        )
    node.delete()


# PDSA cycles -----------------------------------------------------------------------------

PDSA_FIELDS = (
    "objective", "prediction", "plan_who", "plan_what", "plan_when", "plan_where",
    "do_notes", "study_notes", "act", "started_on", "ended_on",
)


def _validate_pdsa(always_event: AlwaysEvent, change_idea: ChangeIdea, fields: dict) -> None:
    errors = {}
    if change_idea is None or not ChangeIdea.objects.filter(
        pk=change_idea.pk, secondary_driver__primary_driver__always_event=always_event
    ).exists():
        errors["change_idea"] = "Select a change idea from this Always Event's driver diagram"
    if not (fields.get("objective") or "").strip():
        errors["objective"] = "Enter the objective of the cycle"
    if fields.get("act") and fields["act"] not in PDSACycle.Act.values:
        errors["act"] = "Select adopt, adapt or abandon"
    started, ended = fields.get("started_on"), fields.get("ended_on")
    if started and ended and ended < started:
        errors["ended_on"] = "End date must be the same as or after the start date"
    _raise_if(errors)


@transaction.atomic
def pdsa_cycle_create(
    *, always_event: AlwaysEvent, change_idea: ChangeIdea, **fields
) -> PDSACycle:
    """Numbers the cycle after the Always Event's last one (locked, so two saves can't clash)."""
    _validate_pdsa(always_event, change_idea, fields)
    AlwaysEvent.objects.select_for_update().filter(pk=always_event.pk).first()
    last = always_event.pdsa_cycles.aggregate(last=Max("number"))["last"] or 0
    values = {name: fields.get(name) for name in PDSA_FIELDS if name in fields}
    for name in PDSA_FIELDS:
        if values.get(name) is None and name not in ("started_on", "ended_on"):
            values[name] = ""
    return PDSACycle.objects.create(
        always_event=always_event, change_idea=change_idea, number=last + 1, **values
    )


@transaction.atomic
def pdsa_cycle_update(*, cycle: PDSACycle, change_idea: ChangeIdea, **fields) -> PDSACycle:
    _validate_pdsa(cycle.always_event, change_idea, fields)
    cycle.change_idea = change_idea
    for name in PDSA_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name not in ("started_on", "ended_on"):
                value = ""
            setattr(cycle, name, value)
    cycle.save()
    return cycle


# Actions ---------------------------------------------------------------------------------


@transaction.atomic
def action_save(
    *,
    always_event: AlwaysEvent,
    title: str,
    owner,
    due_on: datetime.date | None,
    status: str = Action.Status.OPEN,
    action: Action | None = None,
) -> Action:
    errors = {}
    if not title.strip():
        errors["title"] = "Enter what needs to be done"
    if owner is None or not _is_member(owner, always_event.organisation_id):
        errors["owner"] = "Select an owner who is a member of this organisation"
    if due_on is None:
        errors["due_on"] = "Enter the due date"
    if status not in Action.Status.values:
        errors["status"] = "Select the status"
    _raise_if(errors)
    action = action or Action(always_event=always_event)
    action.title = title.strip()
    action.owner = owner
    action.due_on = due_on
    action.status = status
    action.save()
    return action


# Communication and spread ----------------------------------------------------------------


@transaction.atomic
def communication_record(
    *,
    always_event: AlwaysEvent,
    channel: str,
    presented_on: datetime.date | None,
    audience: str,
    notes: str = "",
    communication: Communication | None = None,
) -> Communication:
    """Records where the Always Event was presented, or changes `communication`."""
    errors = {}
    if channel not in Communication.Channel.values:
        errors["channel"] = "Select where it was presented"
    if presented_on is None:
        errors["presented_on"] = "Enter the date it was presented"
    if not audience.strip():
        errors["audience"] = "Enter who it was presented to"
    _raise_if(errors)
    communication = communication or Communication(always_event=always_event)
    communication.channel = channel
    communication.presented_on = presented_on
    communication.audience = audience.strip()
    communication.notes = notes.strip()
    communication.save()
    return communication


@transaction.atomic
def communication_delete(*, communication: Communication) -> None:
    communication.delete()


@transaction.atomic
def spread_record_add(
    *,
    always_event: AlwaysEvent,
    name: str,
    kind: str,
    adopted_on: datetime.date | None,
    adopting_always_event: AlwaysEvent | None,
    user,
    record: SpreadRecord | None = None,
) -> SpreadRecord:
    """Records an adoption, or changes `record`; a linked Always Event gets `spread_from`
    set to this one, and one no longer linked loses it (see `_unlink_adopter`).

    A newly linked Always Event must belong to an organisation the user is a member of;
    a link already there is kept whoever changes the record.
    """
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the ward, site or organisation that adopted it"
    if kind not in SpreadRecord.Kind.values:
        errors["kind"] = "Select whether it is a ward, site or organisation"
    if adopted_on is None:
        errors["adopted_on"] = "Enter the date it was adopted"
    linked_before = record.adopting_always_event if record else None
    if adopting_always_event is not None and adopting_always_event != linked_before:
        if not _is_member(user, adopting_always_event.organisation_id):
            errors["adopting_always_event"] = "Select an Always Event of your organisations"
        elif adopting_always_event.pk == always_event.pk:
            errors["adopting_always_event"] = "An Always Event cannot adopt itself"
    _raise_if(errors)
    record = record or SpreadRecord(always_event=always_event)
    record.name = name.strip()
    record.kind = kind
    record.adopted_on = adopted_on
    record.adopting_always_event = adopting_always_event
    record.save()
    if linked_before is not None and linked_before != adopting_always_event:
        _unlink_adopter(always_event, linked_before)
    adopter = adopting_always_event
    if adopter is not None and adopter.spread_from_id != always_event.pk:
        adopter.spread_from = always_event
        adopter.save(update_fields=["spread_from", "updated_at"])
    return record


@transaction.atomic
def spread_record_delete(*, record: SpreadRecord) -> None:
    adopter = record.adopting_always_event
    record.delete()
    if adopter is not None:
        _unlink_adopter(record.always_event, adopter)


def _unlink_adopter(always_event: AlwaysEvent, adopter: AlwaysEvent) -> None:
    """`adopter` no longer says it was adopted from `always_event` once no adoption of
    `always_event` links it (another record may still do)."""
    adopter.refresh_from_db(fields=["spread_from"])
    if adopter.spread_from_id != always_event.pk:
        return  # adopted from elsewhere since
    links = SpreadRecord.objects.filter(always_event=always_event, adopting_always_event=adopter)
    if links.exists():
        return
    adopter.spread_from = None
    adopter.save(update_fields=["spread_from", "updated_at"])


# Readiness and oversight -----------------------------------------------------------------


@transaction.atomic
def readiness_assessment_record(
    *,
    organisation: Organisation,
    assessed_by,
    assessed_on: datetime.date,
    answers: dict[str, tuple[str, str]],
) -> ReadinessAssessment:
    """Records one assessment: `answers` maps every readiness item to (status, note)."""
    errors = {}
    for item in ReadinessItem.values:
        status, _note = answers.get(item, ("", ""))
        if status not in ReadinessAnswer.Status.values:
            errors[item] = "Select met, partly met or not yet"
    _raise_if(errors)
    assessment = ReadinessAssessment.objects.create(
        organisation=organisation, assessed_by=assessed_by, assessed_on=assessed_on
    )
    ReadinessAnswer.objects.bulk_create(
        ReadinessAnswer(
            assessment=assessment, item=item, status=answers[item][0],
            note=(answers[item][1] or "").strip(),
        )
        for item in ReadinessItem.values
    )
    return assessment


@transaction.atomic
def oversight_group_save(
    *, organisation: Organisation, name: str, reports_to: str
) -> OversightGroup:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the name of the group"
    if reports_to not in OversightGroup.ReportsTo.values:
        errors["reports_to"] = "Select who the group reports to"
    _raise_if(errors)
    group, _ = OversightGroup.objects.update_or_create(
        organisation=organisation, defaults={"name": name.strip(), "reports_to": reports_to}
    )
    return group


@transaction.atomic
def oversight_member_add(
    *, group: OversightGroup, name: str, role: str, email: str = ""
) -> OversightGroupMember:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the member's name"
    if not role.strip():
        errors["role"] = "Enter the member's role"
    _raise_if(errors)
    return OversightGroupMember.objects.create(
        group=group, name=name.strip(), role=role.strip(), email=email.strip()
    )


@transaction.atomic
def oversight_meeting_record(
    *,
    group: OversightGroup,
    met_on: datetime.date | None,
    decisions: str,
    meeting: OversightMeeting | None = None,
) -> OversightMeeting:
    """Records a meeting of the oversight group, or changes `meeting`."""
    if met_on is None:
        raise ValidationError({"met_on": "Enter the date of the meeting"})
    meeting = meeting or OversightMeeting(group=group)
    meeting.met_on = met_on
    meeting.decisions = decisions.strip()
    meeting.save()
    return meeting


@transaction.atomic
def oversight_meeting_delete(*, meeting: OversightMeeting) -> None:
    meeting.delete()

