import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coproduction import selectors, services
from coproduction.models import CoDesignSession, SessionAttendance
from coproduction.services import AttendanceEntry

from .factories import AttendanceFactory, PartnerFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_attendance_before_the_member_joined(always_event, today):
    session = SessionFactory(always_event=always_event, held_on=datetime.date(2026, 2, 1))
    late = PartnerFactory(always_event=always_event, chosen_name="Stan",
                          joined_on=datetime.date(2026, 3, 1))
    on_time = PartnerFactory(always_event=always_event, joined_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.attendance_record(session=session, today=today, entries=[
            AttendanceEntry(member=on_time, hours=Decimal(2)),
            AttendanceEntry(member=late, hours=Decimal(2)),
        ])
    assert error.value.message_dict[f"attended_{late.pk}"] == [
        "Stan joined the team on 1 March 2026, after this session on 1 February 2026"
    ]
    assert not SessionAttendance.objects.exists()


def test_it_refuses_negative_hours_and_protected_time_for_partners(always_event, partner, today):
    session = SessionFactory(always_event=always_event)
    with pytest.raises(ValidationError) as error:
        services.attendance_record(session=session, today=today, entries=[
            AttendanceEntry(member=partner, hours=Decimal(-1), protected_hours=Decimal(1)),
        ])
    messages = error.value.message_dict
    assert messages[f"hours_{partner.pk}"] == ["Hours for Maureen must be 0 or more"]
    assert messages[f"protected_hours_{partner.pk}"] == [
        "Protected time is recorded for staff only"
    ]
    assert not SessionAttendance.objects.exists()


def test_it_refuses_negative_protected_time_for_staff(always_event, staff_member, today):
    session = SessionFactory(always_event=always_event)
    with pytest.raises(ValidationError) as error:
        services.attendance_record(session=session, today=today, entries=[
            AttendanceEntry(member=staff_member, hours=Decimal(2), protected_hours=Decimal(-2)),
        ])
    assert "must be 0 or more" in error.value.message_dict[f"protected_hours_{staff_member.pk}"][0]


def test_it_refuses_attendance_for_a_session_that_has_not_happened(always_event, partner, today):
    session = SessionFactory(always_event=always_event, held_on=today + datetime.timedelta(days=7))
    with pytest.raises(ValidationError):
        services.attendance_record(session=session, today=today, entries=[
            AttendanceEntry(member=partner, hours=Decimal(2)),
        ])


def test_recording_attendance_again_replaces_it(always_event, partner, staff_member, today):
    session = SessionFactory(always_event=always_event)
    services.attendance_record(session=session, today=today, entries=[
        AttendanceEntry(member=partner, hours=Decimal(2)),
        AttendanceEntry(member=staff_member, hours=Decimal(2), protected_hours=Decimal(2)),
    ])
    services.attendance_record(session=session, today=today, entries=[
        AttendanceEntry(member=staff_member, hours=Decimal("1.5"), protected_hours=Decimal(1)),
    ])
    assert list(session.attendances.values_list("member_id", "protected_hours")) == [
        (staff_member.pk, Decimal("1.0"))
    ]


def test_a_session_needs_positive_hours(always_event):
    with pytest.raises(ValidationError) as error:
        services.session_create(always_event=always_event, held_on=datetime.date(2026, 1, 1),
                                kind="workshop", hours=Decimal("-2"))
    assert error.value.message_dict["hours"] == ["Hours must be more than 0"]
    assert not CoDesignSession.objects.exists()


def test_totals_per_month_and_per_always_event(always_event, partner, staff_member):
    for held_on, protected in [(datetime.date(2026, 2, 3), 2), (datetime.date(2026, 2, 20), 1),
                               (datetime.date(2026, 4, 1), 3)]:
        session = SessionFactory(always_event=always_event, held_on=held_on)
        AttendanceFactory(session=session, member=partner)
        AttendanceFactory(session=session, member=staff_member, protected_hours=protected)
    months = selectors.protected_hours_by_month(always_event=always_event)
    assert [(m.month, m.sessions, m.people_hours, m.protected_hours) for m in months] == [
        (datetime.date(2026, 2, 1), 2, Decimal(8), Decimal(3)),
        (datetime.date(2026, 4, 1), 1, Decimal(4), Decimal(3)),
    ]
    totals = selectors.session_totals(always_event)
    assert (totals.sessions, totals.people_hours, totals.protected_hours) == (3, 12, 6)
    by_org = selectors.protected_hours_by_month(organisation=always_event.organisation)
    assert sum(m.protected_hours for m in by_org) == 6


# Views --------------------------------------------------------------------------------------------


def test_a_lead_logs_a_session_then_attendance_with_protected_time(
    client, lead, always_event, partner, staff_member, fixed_today
):
    client.force_login(lead)
    response = client.post(reverse("coproduction:session_add", args=[always_event.pk]), {
        "held_on_day": "10", "held_on_month": "6", "held_on_year": "2026", "kind": "workshop",
        "title": "Discharge journey", "hours": "2", "notes": "We agreed a contact card",
        "notes_shareable": "on",
    })
    session = CoDesignSession.objects.get()
    assert response["Location"] == reverse("coproduction:attendance",
                                           args=[always_event.pk, session.pk])
    page = client.get(response["Location"])
    assert "Maureen took part" in page.content.decode()
    response = client.post(response["Location"], {
        f"attended_{partner.pk}": "on", f"hours_{partner.pk}": "2",
        f"attended_{staff_member.pk}": "on", f"hours_{staff_member.pk}": "2",
        f"protected_hours_{staff_member.pk}": "1.5",
    })
    assert response.status_code == 302
    assert selectors.session_totals(always_event).protected_hours == Decimal("1.5")
    detail = client.get(reverse("coproduction:session", args=[always_event.pk, session.pk]))
    assert "1 of 2 people at this session were patients, carers or family (50%)" in (
        detail.content.decode()
    )


def test_attendance_before_joining_shows_the_error_and_saves_nothing(
    client, lead, always_event, fixed_today
):
    session = SessionFactory(always_event=always_event, held_on=datetime.date(2026, 2, 1))
    late = PartnerFactory(always_event=always_event, chosen_name="Stan",
                          joined_on=datetime.date(2026, 3, 1))
    client.force_login(lead)
    response = client.post(reverse("coproduction:attendance", args=[always_event.pk, session.pk]),
                           {f"attended_{late.pk}": "on", f"hours_{late.pk}": "2"})
    assert response.status_code == 200
    assert "Stan joined the team on 1 March 2026" in response.content.decode()
    assert not SessionAttendance.objects.exists()


def test_negative_hours_in_the_form_show_an_error(client, lead, always_event, fixed_today):
    client.force_login(lead)
    response = client.post(reverse("coproduction:session_add", args=[always_event.pk]), {
        "held_on_day": "10", "held_on_month": "6", "held_on_year": "2026", "kind": "meeting",
        "hours": "-1",
    })
    assert "Hours must be more than 0" in response.content.decode()
    assert not CoDesignSession.objects.exists()


def test_the_sessions_page_shows_totals_and_an_empty_state(client, staff, always_event):
    client.force_login(staff)
    content = client.get(reverse("coproduction:sessions", args=[always_event.pk])).content.decode()
    assert "No sessions yet" in content


def test_staff_not_on_the_always_event_cannot_add_sessions(client, staff, always_event):
    client.force_login(staff)
    assert client.get(
        reverse("coproduction:session_add", args=[always_event.pk])
    ).status_code == 403


def test_staff_on_the_team_can_add_sessions_and_edit_notes(client, staff, always_event):
    always_event.team.add(staff)
    session = SessionFactory(always_event=always_event)
    client.force_login(staff)
    assert client.get(
        reverse("coproduction:session_add", args=[always_event.pk])
    ).status_code == 200
    response = client.post(
        reverse("coproduction:session_notes", args=[always_event.pk, session.pk]),
        {"notes": "Try the card on Ward 7", "notes_shareable": "on"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes_shareable and session.notes == "Try the card on Ward 7"


def test_the_overview_shows_mix_and_protected_time_this_quarter(
    client, lead, always_event, partner, staff_member, fixed_today
):
    session = SessionFactory(always_event=always_event, held_on=datetime.date(2026, 5, 1))
    AttendanceFactory(session=session, member=staff_member, protected_hours=Decimal("2.5"))
    old = SessionFactory(always_event=always_event, held_on=datetime.date(2026, 2, 1))
    AttendanceFactory(session=old, member=staff_member, protected_hours=Decimal(4))
    rows = selectors.organisation_overview(always_event.organisation, today=fixed_today)
    assert rows[0].protected_this_quarter == Decimal("2.5")
    client.force_login(lead)
    content = client.get(reverse("coproduction:overview")).content.decode()
    assert "1 of 2 members are patients, carers or family (50%)" in content
    assert "2.5" in content
