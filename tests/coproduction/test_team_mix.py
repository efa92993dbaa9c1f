import datetime

import pytest

from coproduction import selectors
from coproduction.models import CoDesignMember
from coproduction.selectors import TeamMix

from .factories import AttendanceFactory, PartnerFactory, SessionFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def test_it_says_the_mix_plainly_against_the_aim_of_about_half():
    mix = TeamMix(lived_experience=4, staff=5, other_partners=0)
    assert mix.sentence() == (
        "4 of 9 members are patients, carers or family (44%). The aim is about half."
    )
    assert mix.status == "about half"


@pytest.mark.parametrize(("lived", "staff", "status"), [
    (1, 5, "fewer than half"), (3, 3, "about half"), (7, 2, "more than half"), (0, 0, ""),
])
def test_it_names_the_mix_against_the_aim(lived, staff, status):
    assert TeamMix(lived_experience=lived, staff=staff, other_partners=0).status == status


def test_volunteers_and_advocates_count_in_the_team_but_not_as_patients_carers_or_family(
    always_event, today
):
    PartnerFactory(always_event=always_event, kind=CoDesignMember.Kind.CARER)
    PartnerFactory(always_event=always_event, kind=CoDesignMember.Kind.VOLUNTEER)
    StaffMemberFactory(always_event=always_event)
    mix = selectors.team_mix(always_event, on=today)
    assert (mix.lived_experience, mix.staff, mix.other_partners, mix.total) == (1, 1, 1, 3)


def test_members_who_left_or_have_not_joined_are_not_counted(always_event, today):
    PartnerFactory(always_event=always_event, left_on=datetime.date(2026, 3, 1))
    PartnerFactory(always_event=always_event, joined_on=today + datetime.timedelta(days=1))
    StaffMemberFactory(always_event=always_event)
    assert selectors.team_mix(always_event, on=today).total == 1


def test_the_session_mix_counts_who_took_part(always_event):
    session = SessionFactory(always_event=always_event)
    for _ in range(2):
        AttendanceFactory(session=session, member=PartnerFactory(always_event=always_event))
    AttendanceFactory(session=session, member=StaffMemberFactory(always_event=always_event))
    assert selectors.session_mix(session).sentence(at_session=True) == (
        "2 of 3 people at this session were patients, carers or family (67%). "
        "The aim is about half."
    )
