import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from evaluation.models import Alert
from programmes.models import Membership, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fewer_weeks_of_feedback(monkeypatch):
    """The command, not two years of answers, is what these tests are about."""
    monkeypatch.setattr("evaluation.demo.WEEKS", 16)


def test_it_creates_the_demo_organisations_and_users(settings, capsys):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-password-for-a-test"

    call_command("seed_demo")

    assert set(Organisation.objects.filter(memberships__user__email__endswith="@demo.test")
               .values_list("ods_code", flat=True)) == {"R9X", "R9Y"}
    assert Organisation.objects.count() > 2, "a cohort of organisations for the programme view"
    lead = get_user_model().objects.get(email="lead@demo.test")
    assert lead.check_password("demo-password-for-a-test")
    assert Membership.objects.get(user__email="lead2@demo.test").organisation.ods_code == "R9Y"
    assert get_user_model().objects.get(email="programme@demo.test").programme_admin.scope == (
        "national"
    )
    assert "demo-password-for-a-test" in capsys.readouterr().out
    # the first Always Event's figures slipped in its last days: its dashboard says so
    assert Alert.objects.filter(kind=Alert.Kind.CONCERN).exists()


def test_it_is_safe_to_run_twice(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert get_user_model().objects.filter(email__endswith="@demo.test").count() == 6


def test_the_programme_admin_sees_realistic_evaluation_figures(settings):
    from evaluation.models import Interview, ProgrammeSurvey
    from evaluation.programme import evaluation_summary

    settings.DEBUG = True
    call_command("seed_demo")
    admin = get_user_model().objects.get(email="programme@demo.test").programme_admin
    survey = ProgrammeSurvey.objects.get()
    summary = evaluation_summary(admin, survey)
    assert summary.responses >= 20 and not summary.suppressed
    assert any(not figure.suppressed for figure in summary.improved)
    assert Interview.objects.count() >= 5
    assert Organisation.objects.get(ods_code="R9X").publishes_you_said_we_did


def test_if_empty_leaves_existing_data_alone(settings, organisation):
    settings.DEBUG = True
    call_command("seed_demo", "--if-empty")
    assert Organisation.objects.count() == 1


def test_it_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo")
    assert not Organisation.objects.exists()
