import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from coproduction import services, tasks
from coproduction.models import CoDesignMember, InvolvementPayment, PrivateLink

from .factories import AttendanceFactory, PartnerFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def former(always_event):
    member = PartnerFactory(always_event=always_event, chosen_name="Maureen",
                            joined_on=datetime.date(2024, 1, 1), left_on=datetime.date(2025, 5, 1),
                            language="Polish", easy_read=True)
    InvolvementPayment.objects.create(member=member, kind="payment", amount=Decimal(20),
                                      paid_on=datetime.date(2024, 3, 1), description="Workshop")
    AttendanceFactory(member=member, session__always_event=always_event,
                      session__held_on=datetime.date(2024, 3, 1))
    PrivateLink.objects.create(member=member, purpose="team_page", token="t" * 43,
                               expires_on=datetime.date(2030, 1, 1))
    return member


def test_it_removes_personal_details_of_partners_who_left_too_long_ago(former, always_event):
    recent = PartnerFactory(always_event=always_event, left_on=datetime.date(2026, 3, 1))
    staff = StaffMemberFactory(always_event=always_event, left_on=datetime.date(2024, 1, 1),
                               joined_on=datetime.date(2023, 1, 1))
    today = datetime.date(2026, 6, 15)
    assert services.partner_details_purge(today=today, months=12) == 1
    former.refresh_from_db()
    assert (former.chosen_name, former.contact, former.access_needs, former.consent_scope,
            former.language, former.easy_read) == ("", "", "", "", "", False)
    assert former.details_removed_on == today
    assert former.display_name == "Former patient partner"
    # Anonymous counts stay: kind, dates, attendance.
    assert (former.kind, former.joined_on, former.left_on) == (
        "patient", datetime.date(2024, 1, 1), datetime.date(2025, 5, 1))
    assert former.attendances.count() == 1
    assert not InvolvementPayment.objects.exists() and not PrivateLink.objects.exists()
    recent.refresh_from_db()
    staff.refresh_from_db()
    assert recent.chosen_name and recent.contact and staff.user_id
    assert services.partner_details_purge(today=today, months=12) == 0


def test_the_retention_period_is_counted_in_calendar_months(former):
    assert services.partner_details_purge(today=datetime.date(2026, 5, 1), months=12) == 0
    assert services.partner_details_purge(today=datetime.date(2026, 5, 2), months=12) == 1


def test_months_before_handles_short_months():
    assert services.months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert services.months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)


def test_the_command_and_the_task_use_the_setting(former, settings, fixed_today):
    settings.PARTNER_RETENTION_MONTHS = 24
    call_command("purge_partner_details")
    former.refresh_from_db()
    assert former.details_removed_on is None
    settings.PARTNER_RETENTION_MONTHS = 12
    assert tasks.purge_partner_details.apply().get() == 1
    assert CoDesignMember.objects.get(pk=former.pk).details_removed_on == fixed_today


def test_the_retention_setting_must_be_at_least_one_month(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from always_events.env import env_int

    monkeypatch.setenv("PARTNER_RETENTION_MONTHS", "0")
    with pytest.raises(ImproperlyConfigured):
        env_int("PARTNER_RETENTION_MONTHS", 12, minimum=1)


def test_purged_partners_cannot_be_edited(client, lead, former, fixed_today):
    from django.urls import reverse

    services.partner_details_purge(today=fixed_today, months=12)
    client.force_login(lead)
    url = reverse("coproduction:member_edit", args=[former.always_event_id, former.pk])
    assert client.get(url).status_code == 403
    page = client.get(reverse("coproduction:member", args=[former.always_event_id, former.pk]))
    assert "were removed on" in page.content.decode()
