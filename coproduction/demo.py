"""Demo co-design teams for `manage.py seed_demo`. Never run in production.

Seeds whatever Always Events exist in the demo organisations (R9X, R9Y), so it works
whether or not `programmes.demo.seed_always_events` made any. Idempotent: an Always Event
that already has a co-design team is left alone.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from programmes.models import AlwaysEvent, Membership, Organisation, Phase

from . import services
from .models import (
    CoDesignMember,
    LadderRating,
    PersonalDetailsLog,
    PrivateLink,
    Rung,
    TrainingRecord,
)

DEMO_ODS_CODES = ("R9X", "R9Y")
PARTNERS = [
    # chosen name, kind, role, access needs, easy read, large print, language
    ("Maureen", CoDesignMember.Kind.PATIENT, CoDesignMember.Role.PARTNER,
     "Step-free access and a break every hour", False, True, ""),
    ("Dev", CoDesignMember.Kind.CARER, CoDesignMember.Role.PARTNER, "", False, False, ""),
    ("Grace", CoDesignMember.Kind.FAMILY, CoDesignMember.Role.MEMBER, "", True, False, ""),
    ("Stanisław", CoDesignMember.Kind.PATIENT, CoDesignMember.Role.MEMBER,
     "Interpreter for workshops", False, False, "Polish"),
]
QUOTES = [
    ("Knowing who to call", "When I got home nobody told me who to ring if the pain came back."),
    ("Knowing who to call", "A card with one number on it would have saved three visits to A&E."),
    ("Being told why", "I want to be told why my medicines changed, not just handed a bag."),
    ("Being called by my name", "Call me Stan. Everyone here calls me Mr Nowak, 07700 900123."),
    ("Feeling listened to", "The nurse sat down and asked me what mattered to me. That was new."),
]
SESSION_KINDS = ["workshop", "meeting", "interview", "focus_group", "walkabout", "meeting"]
DECISIONS = [
    "We agreed the Always Event should be about knowing who to contact after discharge.",
    "We drafted the vision statement in patients' own words.",
    "We will test a contact card on Ward 7 for two weeks.",
    "The card needs larger print and a line for the named nurse.",
]


def seed_coproduction() -> None:
    """Demo teams, sessions, engagements, training and check-ins for the demo Always Events."""
    today = timezone.localdate()
    always_events = AlwaysEvent.objects.filter(
        organisation__ods_code__in=DEMO_ODS_CODES
    ).select_related("organisation").order_by("organisation__ods_code", "pk")
    for index, always_event in enumerate(always_events):
        if not always_event.codesign_members.exists():
            _seed_team(always_event, today, index)
    for organisation in Organisation.objects.filter(ods_code__in=DEMO_ODS_CODES):
        if not TrainingRecord.objects.filter(organisation=organisation).exists():
            _seed_training(organisation, today)


def _staff_users(organisation, always_event):
    leads = list(always_event.leads.all())
    others = [
        m.user for m in Membership.objects.filter(
            organisation=organisation, role__in=[Membership.Role.LEAD, Membership.Role.STAFF]
        ).select_related("user")
    ]
    users = []
    for user in leads + others:
        if user not in users:
            users.append(user)
    return users[:3]


@transaction.atomic
def _seed_team(always_event: AlwaysEvent, today: datetime.date, index: int) -> None:
    year_ago = today - datetime.timedelta(days=365)
    joined = year_ago - datetime.timedelta(days=7)
    partners_wanted = 4 if index % 2 == 0 else 2  # one team about half, one short of partners
    partners = []
    for name, kind, role, needs, easy_read, large_print, language in PARTNERS[:partners_wanted]:
        partners.append(services.member_add_partner(
            always_event=always_event, today=today,
            details=services.PartnerDetails(
                kind=kind, role=role, chosen_name=name, joined_on=joined,
                consent_given_on=joined, consent_scope="Workshops, meetings and first name in "
                "notes; quotes used anonymously", contact="Via the patient experience team",
                access_needs=needs, easy_read=easy_read, large_print=large_print,
                interpreter=bool(language), language=language,
            ),
        ))
    former = services.member_add_partner(
        always_event=always_event, today=today,
        details=services.PartnerDetails(
            kind=CoDesignMember.Kind.VOLUNTEER, role=CoDesignMember.Role.MEMBER,
            chosen_name="Pat", joined_on=joined, consent_given_on=joined,
            consent_scope="Meetings", left_on=joined + datetime.timedelta(days=60),
        ),
    )
    staff = [
        services.member_add_staff(
            always_event=always_event, user=user, joined_on=joined, today=today,
            role=CoDesignMember.Role.FACILITATOR if n == 0 else CoDesignMember.Role.MEMBER,
        )
        for n, user in enumerate(_staff_users(always_event.organisation, always_event))
    ]
    _seed_sessions(always_event, partners, staff, former, today, year_ago)
    _seed_engagements(always_event, today)
    _seed_ladder(always_event, today, staff)
    _seed_check_ins(always_event, partners + staff, today, index)
    for partner in partners[:2]:
        services.payment_record(
            member=partner, kind="payment", paid_on=today - datetime.timedelta(days=30),
            amount=Decimal("25.00"), description="Workshop (half day)", today=today,
        )
        services.payment_record(
            member=partner, kind="expense", paid_on=today - datetime.timedelta(days=30),
            amount=Decimal("6.40"), description="Bus fares", today=today,
        )
    services.private_link_create(member=partners[0], purpose=PrivateLink.Purpose.TEAM_PAGE,
                                 today=today)
    _seed_details_log(always_event, partners)


def _seed_details_log(always_event, partners) -> None:
    """The lead opened partners' details and answered a subject access request."""
    lead = always_event.leads.first()
    if lead is None:
        return
    for partner in partners[:2]:
        services.details_log_record(member=partner, action=PersonalDetailsLog.Action.VIEWED,
                                    user=lead, view="coproduction:member")
    services.details_log_record(member=partners[0], action=PersonalDetailsLog.Action.EXPORTED,
                                user=lead, view="coproduction:member_export (JSON)")


def _seed_sessions(always_event, partners, staff, former, today, year_ago) -> None:
    for month in range(12):
        held_on = year_ago + datetime.timedelta(days=30 * month + 3)
        session = services.session_create(
            always_event=always_event, held_on=held_on, kind=SESSION_KINDS[month % 6],
            hours=Decimal("2.0"), title="",
            notes=DECISIONS[month % len(DECISIONS)] if month % 3 == 0 else "",
            notes_shareable=month % 3 == 0,
        )
        present = [p for n, p in enumerate(partners) if (n + month) % 4 != 3]
        if former.left_on >= held_on:
            present.append(former)
        entries = [services.AttendanceEntry(member=p, hours=Decimal("2.0")) for p in present]
        entries += [
            services.AttendanceEntry(
                member=s, hours=Decimal("2.0"),
                protected_hours=Decimal("2.0") if (n + month) % 3 else Decimal("0.0"),
            )
            for n, s in enumerate(staff) if (n + month) % 5 != 4
        ]
        services.attendance_record(session=session, entries=entries, today=today)
    services.session_create(
        always_event=always_event, held_on=today + datetime.timedelta(days=14),
        kind="workshop", hours=Decimal("2.0"), title="Reviewing the first month of data",
    )


def _seed_engagements(always_event, today) -> None:
    for n, method in enumerate(["conversations", "interviews", "comment_cards"]):
        picked = QUOTES[n::3] or QUOTES[:1]
        services.engagement_create(
            always_event=always_event, method=method,
            held_on=today - datetime.timedelta(days=330 - 40 * n),
            setting=always_event.service_area or "Ward", participants=[18, 6, 42][n],
            new_theme_names=sorted({theme for theme, _ in picked}),
            quotes=[quote for _, quote in picked], today=today,
        )


def _seed_ladder(always_event, today, staff) -> None:
    rated_by = staff[0].user if staff else None
    ratings = [(Phase.SET_UP, Rung.INFORMING, 330), (Phase.UNDERSTAND, Rung.CONSULTATION, 240),
               (Phase.CO_DESIGN, Rung.CO_DESIGN, 120)]
    LadderRating.objects.bulk_create(
        LadderRating(always_event=always_event, phase=phase, rung=rung, rated_by=rated_by,
                     rated_on=today - datetime.timedelta(days=days),
                     notes="Agreed at the team meeting")
        for phase, rung, days in ratings
    )


def _seed_check_ins(always_event, members, today, index) -> None:
    """Answers through the real links, so they are as anonymous as a partner's would be."""
    comments = ["I feel more confident speaking in meetings.", "",
                "Staff and patients now plan together.", "", "", ""]
    for n, member in enumerate(members):
        link = services.private_link_create(member=member, purpose="check_in", today=today)
        if index % 2 == 1 and n >= 3:
            continue  # a small team: fewer than five answers, so the summary is suppressed
        services.check_in_submit(
            token=link.token, wellbeing=5 - n % 2, skills=4 + (n % 3 == 0),
            relationships=4, listened_to=5 - (n % 4 == 3) * 2,
            comment=comments[n % len(comments)], today=today,
        )


def _seed_training(organisation, today) -> None:
    topics = list(TrainingRecord.Topic)
    memberships = Membership.objects.filter(
        organisation=organisation, role__in=[Membership.Role.LEAD, Membership.Role.STAFF]
    ).select_related("user")
    for n, membership in enumerate(memberships):
        for topic in topics[: 4 - n] or topics[:1]:
            services.training_record_add(
                organisation=organisation, user=membership.user, topic=topic,
                completed_on=today - datetime.timedelta(days=200 - 10 * n),
                provider="Trust QI team" if topic != "co_production" else "NHS England",
                hours=Decimal("3.0"), today=today,
            )
