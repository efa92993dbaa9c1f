import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.outcomes import outcome_summaries_recompute_all
from evaluation.programme import Figure
from programmes.models import AlwaysEvent, Membership, Phase
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeAdminFactory,
    RegionFactory,
)

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db


def _last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=10)


@pytest.fixture
def programme_admin():
    return ProgrammeAdminFactory(user__email="national@programme.test").user


def _event(organisation, *, phase=Phase.TEST, setting=AlwaysEvent.Setting.INPATIENT, title="AE"):
    return AlwaysEvent.objects.create(
        organisation=organisation,
        title=title,
        service_area="Ward 7",
        setting=setting,
        phase=phase,
    )


def test_it_counts_always_events_by_phase_and_setting_for_each_organisation(
    client, programme_admin, organisation, other_organisation
):
    _event(organisation, phase=Phase.TEST)
    _event(organisation, phase=Phase.TEST, setting=AlwaysEvent.Setting.MATERNITY)
    _event(other_organisation, phase=Phase.SUSTAIN)
    client.force_login(programme_admin)

    response = client.get(reverse("programme:overview"))

    assert response.status_code == 200
    rows = {row.organisation: row for row in response.context["rows"]}
    test_column = Phase.values.index(Phase.TEST)
    assert rows[organisation].by_phase[test_column] == 2
    assert rows[other_organisation].by_phase[Phase.values.index(Phase.SUSTAIN)] == 1
    assert dict(response.context["by_setting"]) == {"Inpatient ward": 2, "Maternity": 1}


def test_outcome_figures_show_counts_and_suppress_fewer_than_5_responses(
    client, programme_admin, organisation, other_organisation
):
    answers(outcome_question(organisation), _last_month(), yes=15, no=5)
    answers(outcome_question(other_organisation), _last_month(), yes=2, no=1)
    outcome_summaries_recompute_all()
    client.force_login(programme_admin)

    page = client.get(reverse("programme:overview")).content.decode()

    assert "<strong>75%</strong> (15 of 20)" in page
    assert "Fewer than 5 responses" in page
    assert "67%" not in page and "(2 of 3)" not in page


def test_a_success_count_under_5_is_suppressed_too(client, programme_admin, organisation):
    answers(outcome_question(organisation), _last_month(), yes=3, no=17)
    outcome_summaries_recompute_all()
    client.force_login(programme_admin)

    page = client.get(reverse("programme:overview")).content.decode()

    assert "15%" not in page and "3 of 20" not in page
    assert "Fewer than 5" in page


def test_reporting_compliance_counts_always_events_with_data_last_month(
    client, programme_admin, organisation
):
    answers(outcome_question(organisation), _last_month(), yes=6, no=2)
    _event(organisation, title="No data yet")
    outcome_summaries_recompute_all()
    client.force_login(programme_admin)

    response = client.get(reverse("programme:overview"))

    compliance = response.context["compliance"]
    assert (compliance.reporting, compliance.always_events, compliance.percent) == (1, 2, 50)
    assert "1 of 2 active Always Events" in response.content.decode()


def test_a_regional_admin_sees_only_their_region(client, organisation, other_organisation):
    other_organisation.region = RegionFactory(code="Y63", name="North East and Yorkshire")
    other_organisation.save()
    admin = ProgrammeAdminFactory(region=organisation.region).user
    client.force_login(admin)

    page = client.get(reverse("programme:overview")).content.decode()

    assert organisation.name in page
    assert other_organisation.name not in page


@pytest.mark.parametrize(
    "name",
    [
        "programme:overview",
        "programme:evaluation_summary",
        "programme:evaluation_summary_pdf",
        "programme:survey_rounds",
        "programme:interview_list",
        "programme:interview_create",
    ],
)
@pytest.mark.parametrize("role", list(Membership.Role))
def test_members_who_are_not_programme_admins_get_403(client, organisation, name, role):
    member = MembershipFactory(organisation=organisation, role=role).user
    client.force_login(member)
    assert client.get(reverse(name)).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("programme:overview"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def _organisations_with_data(count: int):
    for _ in range(count):
        organisation = OrganisationFactory()
        answers(outcome_question(organisation), _last_month(), yes=6, no=2)
        _event(organisation, phase=Phase.CO_DESIGN)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("programme:overview")).status_code == 200
    return len(context.captured_queries)


def test_its_query_count_does_not_grow_with_the_number_of_organisations(client, programme_admin):
    _organisations_with_data(1)
    outcome_summaries_recompute_all()
    client.force_login(programme_admin)
    one = _queries(client)

    _organisations_with_data(12)
    outcome_summaries_recompute_all()

    assert _queries(client) == one


def test_the_menu_offers_programme_admins_the_programme_view(client, programme_admin):
    client.force_login(programme_admin)
    page = client.get(reverse("home")).content.decode()
    assert reverse("programme:overview") in page


def test_a_figure_never_shows_a_percentage_without_its_count():
    assert str(Figure("definitely", 17, 29)) == "59% definitely (17 of 29)"
    assert str(Figure("no", 4, 29)) == "no: fewer than 5"
    assert Figure("no", 4, 29).percent is None
    assert Figure("all", 4, 4).percent is None
