"""Demo organisations and users for `manage.py seed_demo`. Never run in production."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import gates, services
from .models import (
    PHASE_ORDER,
    AlwaysEvent,
    Membership,
    Organisation,
    OversightGroup,
    Phase,
    ProgrammeAdmin,
    ReadinessAssessment,
    ReadinessItem,
    Region,
)

DEMO_USERS = [
    # email, full name, organisation ODS code, role
    ("lead@demo.test", "Priya Shah", "R9X", Membership.Role.LEAD),
    ("staff@demo.test", "Tom Okafor", "R9X", Membership.Role.STAFF),
    ("executive@demo.test", "Dr Helen Marsh", "R9X", Membership.Role.EXECUTIVE),
    ("orgadmin@demo.test", "Gareth Lewis", "R9X", Membership.Role.ORG_ADMIN),
    ("lead2@demo.test", "Aisha Rahman", "R9Y", Membership.Role.LEAD),
]
PROGRAMME_ADMIN_EMAIL = "programme@demo.test"


def seed_organisations(*, password: str) -> list[str]:
    """Creates the demo regions, organisations and users. Returns the demo emails."""
    london, _ = Region.objects.get_or_create(code="Y56", defaults={"name": "London"})
    north, _ = Region.objects.get_or_create(
        code="Y63", defaults={"name": "North East and Yorkshire"}
    )
    Organisation.objects.get_or_create(
        ods_code="R9X",
        defaults={
            "name": "Riverside University Hospitals NHS Foundation Trust",
            "type": Organisation.Type.ACUTE,
            "region": london,
        },
    )
    Organisation.objects.get_or_create(
        ods_code="R9Y",
        defaults={
            "name": "Northfield Community and Mental Health NHS Trust",
            "type": Organisation.Type.MENTAL_HEALTH,
            "region": north,
        },
    )
    emails = []
    for email, full_name, ods_code, role in DEMO_USERS:
        user = _demo_user(email, full_name, password)
        Membership.objects.update_or_create(
            user=user, organisation=Organisation.objects.get(ods_code=ods_code),
            defaults={"role": role},
        )
        emails.append(email)
    admin = _demo_user(PROGRAMME_ADMIN_EMAIL, "Sam Whitfield", password)
    ProgrammeAdmin.objects.get_or_create(user=admin)
    emails.append(PROGRAMME_ADMIN_EMAIL)
    return emails


def _demo_user(email: str, full_name: str, password: str):
    user, _ = get_user_model().objects.get_or_create(email=email, defaults={"full_name": full_name})
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


DEMO_ALWAYS_EVENTS = {
    # ODS code: [(title, service area, setting, phase, vision, population, measure, target)]
    "R9X": [
        ("Knowing who to contact at home", "Ward 7 (older people), discharge lounge",
         AlwaysEvent.Setting.INPATIENT, Phase.IMPLEMENT,
         "I will always know who to contact when I get home",
         "people discharged from Ward 7", "they knew who to contact when they got home", 80),
        ("How I would like to be addressed", "Acute medical unit",
         AlwaysEvent.Setting.INPATIENT, Phase.TEST,
         "I will always be asked how I would like to be addressed",
         "people admitted to the acute medical unit",
         "staff asked them how they would like to be addressed", 90),
        ("Involved in planning my birth", "Maternity unit, Riverside site",
         AlwaysEvent.Setting.MATERNITY, Phase.CO_DESIGN,
         "I will always feel listened to when my birth plan changes",
         "women and birthing people giving birth at Riverside",
         "they felt listened to when their plan changed", 85),
        ("Knowing what happens next in ED", "Emergency department",
         AlwaysEvent.Setting.EMERGENCY, Phase.UNDERSTAND, "", "", "", None),
        ("Supported moving on in care", "Children's outpatient clinics",
         AlwaysEvent.Setting.OUTPATIENT, Phase.SET_UP, "", "", "", None),
    ],
    "R9Y": [
        ("Feeling safe on the ward", "Willow ward (adult acute mental health)",
         AlwaysEvent.Setting.MENTAL_HEALTH, Phase.TEST,
         "I will always feel safe and know who is looking after me today",
         "people staying on Willow ward", "they knew who was looking after them that day", 85),
        ("My family involved in my care", "Community mental health team, North locality",
         AlwaysEvent.Setting.COMMUNITY, Phase.UNDERSTAND, "", "", "", None),
    ],
}


def seed_always_events() -> None:
    """Demo Always Events for both organisations: idempotent (skips ones that exist)."""
    today = timezone.localdate()
    users = {email: get_user_model().objects.get(email=email) for email, *_ in DEMO_USERS}
    for ods_code, events in DEMO_ALWAYS_EVENTS.items():
        organisation = Organisation.objects.get(ods_code=ods_code)
        lead = users["lead@demo.test" if ods_code == "R9X" else "lead2@demo.test"]
        for index, (title, area, setting, phase, vision, population, measure, target) in (
            enumerate(events)
        ):
            if AlwaysEvent.objects.filter(organisation=organisation, title=title).exists():
                continue
            event = services.always_event_create(
                organisation=organisation, title=title, service_area=area, setting=setting,
                created_by=lead,
            )
            _demo_details(event, ods_code, users, index)
            if vision:
                deadline = datetime.date(today.year + 1, 3 + index, 28)
                services.always_event_update_vision_and_aim(
                    always_event=event, vision_statement=vision, aim_population=population,
                    aim_measure=measure, aim_target_percent=target, aim_deadline=deadline,
                    aim_review_interval=AlwaysEvent.ReviewInterval.MONTHLY, today=today,
                )
            if PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.CO_DESIGN):
                _demo_criteria(event, today, all_met=phase != Phase.CO_DESIGN)
                _demo_driver_diagram(event, today, cycles=phase in (Phase.TEST, Phase.IMPLEMENT))
            _demo_actions(event, lead, today)
            _demo_phase(event, phase, lead)
        _demo_readiness(organisation, lead, today)
        _demo_oversight_group(organisation, today)
    _demo_spread()


def _demo_oversight_group(organisation, today) -> None:
    if OversightGroup.objects.filter(organisation=organisation).exists():
        return
    group = services.oversight_group_save(
        organisation=organisation,
        name="Patient experience and Always Events oversight group",
        reports_to=OversightGroup.ReportsTo.EXECUTIVE_COMMITTEE,
    )
    for name, role, email in [
        ("Dr Helen Marsh", "Chief Nurse (chair, executive sponsor)", "executive@demo.test"),
        ("Priya Shah", "Always Events lead", "lead@demo.test"),
        ("Margaret Okoye", "Patient partner", "margaret.okoye@example.org"),
        ("Head of Patient Experience", "Patient experience team", ""),
    ]:
        if organisation.ods_code != "R9X":  # the demo users' addresses belong to R9X
            email = email and f"oversight.{organisation.ods_code.lower()}@example.org"
        services.oversight_member_add(group=group, name=name, role=role, email=email)
    for months_ago, decisions in [
        (2, "Agreed to spread the discharge Always Event to Ward 9 after three months at target."),
        (1, "Asked for protected time for two healthcare assistants on the co-design team."),
    ]:
        services.oversight_meeting_record(
            group=group, met_on=today - datetime.timedelta(days=30 * months_ago),
            decisions=decisions,
        )


def _demo_details(event, ods_code, users, index) -> None:
    if ods_code != "R9X":
        return
    event.executive_sponsor = users["executive@demo.test"]
    event.qi_strategy_objective = "Patients and families tell us we listen and act"
    event.save()
    if index == 0:
        event.team.add(users["staff@demo.test"])


def _demo_criteria(event, today, *, all_met: bool) -> None:
    evidence = {
        "important": "Raised by patients and carers in 18 “What matters to you?” conversations",
        "evidence_based": "Linked to fewer avoidable readmissions and complaints in the "
        "trust's patient experience report",
        "measurable": "One question on the feedback card, asked every time",
        "affordable_sustainable": "Uses existing staff and a printed card; no new technology",
    }
    for criterion in event.criteria.all():
        met = all_met or criterion.kind in ("important", "measurable")
        services.criterion_update(
            criterion=criterion, met=met, evidence=evidence[criterion.kind],
            agreed_by="Co-design team (4 patients and carers, 3 staff)",
            agreed_on=today - datetime.timedelta(days=60), today=today,
        )


DEMO_DRIVERS = {
    # title: (primary driver, secondary driver, change idea tested, prediction, PDSA cycles)
    "Knowing who to contact at home": (
        "Patients and families have the information they need at discharge",
        "Conversations at the bedside before discharge",
        "Give every patient a contact card with named people and numbers",
        "At least 7 in 10 patients will know who to contact",
        [
            ("Test the contact card with one nurse for one week", "adapt",
             "Six of ten patients kept the card; the wording confused two"),
            ("Test the reworded card with all nurses on the early shift", "adapt",
             "Nineteen of twenty-two patients knew who to contact"),
            ("Use the card for every discharge for a month", "adopt",
             "84% said they knew who to contact, above the 80% target"),
        ],
    ),
    "How I would like to be addressed": (
        "Staff ask every patient on arrival",
        "Admission paperwork prompts the question",
        "Add “How would you like to be addressed?” to the admission checklist",
        "Nine in ten new admissions will be asked on the first day",
        [
            ("Try the checklist question on night admissions for a week", "adapt",
             "Asked for 14 of 20; agency staff missed the new line"),
            ("Add the name to the bedside board as well", "adopt",
             "Asked for 27 of 29, and patients noticed the board"),
            ("Ask during the safety huddle instead of on admission", "abandon",
             "Too late in the day: most patients had been called the wrong name already"),
        ],
    ),
    "Feeling safe on the ward": (
        "People know who is looking after them each shift",
        "Introductions at the start of every shift",
        "A named-nurse board in every bedroom corridor, updated at handover",
        "Eight in ten people will name the nurse looking after them",
        [
            ("Trial the board in one corridor for two weeks", "adapt",
             "Named correctly by 11 of 16; the night update was often missed"),
            ("Make updating the board part of the handover checklist", "adopt",
             "Named correctly by 21 of 24 people"),
            ("Add photos of the nurses to the board", "adapt",
             "People liked the photos; printing them took too long"),
        ],
    ),
}
GENERIC_DRIVERS = (
    "Patients and families are listened to when plans change",
    "Time to talk at each appointment",
    "Ask “What matters to you?” at every review",
    "",
    [],
)


def _demo_driver_diagram(event, today, *, cycles: bool) -> None:
    primary_text, secondary_text, idea_text, prediction, plans = DEMO_DRIVERS.get(
        event.title, GENERIC_DRIVERS
    )
    primary = services.primary_driver_save(always_event=event, text=primary_text)
    secondary = services.secondary_driver_save(primary_driver=primary, text=secondary_text)
    idea = services.change_idea_save(secondary_driver=secondary, text=idea_text)
    services.change_idea_save(secondary_driver=secondary, text="Ask at every safety huddle")
    other = services.secondary_driver_save(
        primary_driver=services.primary_driver_save(
            always_event=event, text="Staff have time and confidence to ask"
        ),
        text="Training and role modelling",
    )
    services.change_idea_save(secondary_driver=other, text="Ten-minute teaching at handover")
    if not cycles:
        return
    start = today - datetime.timedelta(days=70)
    for number, (objective, act, study) in enumerate(plans):
        services.pdsa_cycle_create(
            always_event=event, change_idea=idea, objective=objective, prediction=prediction,
            plan_who=f"Nurses on {event.service_area}, led by the ward manager",
            plan_what=objective, plan_when="Weekdays", plan_where=event.service_area,
            do_notes="Done as planned", study_notes=study, act=act,
            started_on=start + datetime.timedelta(days=21 * number),
            ended_on=start + datetime.timedelta(days=21 * number + 14),
        )


def _demo_actions(event, lead, today) -> None:
    services.action_save(
        always_event=event, title="Book the co-design workshop room", owner=lead,
        due_on=today + datetime.timedelta(days=14),
    )
    if event.title == "Knowing who to contact at home":
        services.action_save(
            always_event=event, title="Send the monthly results to the oversight group",
            owner=lead, due_on=today - datetime.timedelta(days=5),
        )
        services.communication_record(
            always_event=event, channel="staff_forum",
            presented_on=today - datetime.timedelta(days=20),
            audience="Nursing and midwifery council",
            notes="Well received; two wards asked to join",
        )


def _demo_phase(event, phase, lead) -> None:
    while event.phase != phase:
        services.always_event_change_phase(
            always_event=event, to_phase=gates.next_phase(event.phase), changed_by=lead,
            reason="Demo data: agreed at the oversight group to move on",
        )
        event.refresh_from_db()


def _demo_readiness(organisation, lead, today) -> None:
    if ReadinessAssessment.objects.filter(organisation=organisation).exists():
        return
    statuses = ["met", "met", "partly", "met", "partly", "not_yet", "met", "not_yet"]
    services.readiness_assessment_record(
        organisation=organisation, assessed_by=lead, assessed_on=today,
        answers={
            item: (status, "Agreed at the oversight group")
            for item, status in zip(ReadinessItem.values, statuses, strict=True)
        },
    )


def _demo_spread() -> None:
    source = AlwaysEvent.objects.filter(
        organisation__ods_code="R9X", title="Knowing who to contact at home"
    ).first()
    if source is None or source.spread_records.exists():
        return
    lead = get_user_model().objects.get(email="lead@demo.test")
    services.spread_record_add(
        always_event=source, name="Ward 9 (stroke)", kind="ward",
        adopted_on=timezone.localdate() - datetime.timedelta(days=10),
        adopting_always_event=None, user=lead,
    )
