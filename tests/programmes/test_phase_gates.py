import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import gates, services
from programmes.models import Phase, PhaseChange

from .factories import PDSACycleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_programmes_gates(monkeypatch):
    """The registry as programmes alone fills it, whatever other apps registered."""
    own = {key: gate for key, gate in gates._registry.items() if key.startswith("programmes.")}
    monkeypatch.setattr(gates, "_registry", own)


@pytest.fixture
def registered_gate():
    gate = gates.register_gate(
        Phase.CO_DESIGN, "A test gate from another app", lambda event: False, key="tests.gate"
    )
    yield gate
    gates.unregister_gate("tests.gate")


def test_moving_on_with_every_gate_met_needs_no_reason(always_event, lead, executive):
    always_event.phase = Phase.UNDERSTAND
    always_event.executive_sponsor = executive
    always_event.save()
    change = services.always_event_change_phase(
        always_event=always_event, to_phase=Phase.CO_DESIGN, changed_by=lead
    )
    always_event.refresh_from_db()
    assert always_event.phase == Phase.CO_DESIGN
    assert change.unmet_gates == [] and change.reason == ""


def test_moving_on_with_a_gate_unmet_needs_a_reason(always_event, lead):
    always_event.phase = Phase.UNDERSTAND
    always_event.save()
    with pytest.raises(ValidationError) as error:
        services.always_event_change_phase(
            always_event=always_event, to_phase=Phase.CO_DESIGN, changed_by=lead
        )
    assert "reason" in error.value.message_dict
    always_event.refresh_from_db()
    assert always_event.phase == Phase.UNDERSTAND
    assert not PhaseChange.objects.exists()


def test_the_reason_and_unmet_gates_are_recorded(always_event, lead):
    always_event.phase = Phase.UNDERSTAND
    always_event.save()
    change = services.always_event_change_phase(
        always_event=always_event, to_phase=Phase.CO_DESIGN, changed_by=lead,
        reason="The sponsor is named at the board next week",
    )
    assert change.unmet_gates == ["An executive sponsor is named"]
    assert change.changed_by == lead
    assert (change.from_phase, change.to_phase) == (Phase.UNDERSTAND, Phase.CO_DESIGN)


def test_it_only_moves_to_the_next_phase(always_event, lead):
    with pytest.raises(ValidationError):
        services.always_event_change_phase(
            always_event=always_event, to_phase=Phase.TEST, changed_by=lead, reason="Hurry"
        )


def test_the_test_gates_check_vision_aim_criteria_and_change_ideas(
    always_event, change_idea, only_programmes_gates
):
    labels = {r.label: r.met for r in gates.check_gates(always_event, Phase.TEST)}
    assert labels == {
        "The vision statement is written": False,
        "The aim has a population, measure, target and deadline": False,
        "All four criteria are met": False,
        "The driver diagram has at least one change idea": True,
    }
    always_event.vision_statement = "I will always know who to contact"
    always_event.aim_population, always_event.aim_measure = "people discharged", "they knew"
    always_event.aim_target_percent, always_event.aim_deadline = 80, datetime.date(2027, 1, 1)
    always_event.save()
    always_event.criteria.update(met=True)
    assert all(r.met for r in gates.check_gates(always_event, Phase.TEST))


def test_the_implement_gate_needs_a_pdsa_cycle_adopted(always_event, change_idea):
    PDSACycleFactory(change_idea=change_idea, act="adapt")
    assert not _adopt_gate(always_event)
    PDSACycleFactory(change_idea=change_idea, act="adopt")
    assert _adopt_gate(always_event)


def test_another_app_can_register_a_gate(always_event, registered_gate):
    labels = [r.label for r in gates.check_gates(always_event, Phase.CO_DESIGN)]
    assert "A test gate from another app" in labels


def test_registering_the_same_key_twice_keeps_one_gate(registered_gate):
    gates.register_gate(Phase.CO_DESIGN, "Renamed", lambda event: True, key="tests.gate")
    assert [g.label for g in gates.gates_for(Phase.CO_DESIGN) if g.key == "tests.gate"] == [
        "Renamed"
    ]


def test_a_gate_nobody_registered_does_not_appear(always_event, only_programmes_gates):
    labels = [r.label for r in gates.check_gates(always_event, Phase.TEST)]
    assert not any("outcome measure" in label for label in labels)


def test_an_unknown_phase_is_refused():
    with pytest.raises(ValueError):
        gates.register_gate("launch", "Nope", lambda event: True)


class TestGatesPage:
    def test_it_shows_the_task_list(self, client, always_event, lead):
        client.force_login(lead)
        response = client.get(reverse("programmes:gates", args=[always_event.pk]))
        assert "nhsuk-task-list" in response.text
        assert "A readiness self-assessment is recorded" in response.text
        assert "Move to Understand what matters" in response.text

    def test_moving_on_with_an_unmet_gate_without_a_reason_shows_an_error(
        self, client, always_event, lead
    ):
        client.force_login(lead)
        response = client.post(
            reverse("programmes:gates", args=[always_event.pk]),
            {"to_phase": "understand", "reason": ""},
        )
        assert response.status_code == 200
        assert "Give a reason for moving on" in response.text
        always_event.refresh_from_db()
        assert always_event.phase == "set_up"

    def test_moving_on_with_a_reason_records_it(self, client, always_event, lead):
        client.force_login(lead)
        response = client.post(
            reverse("programmes:gates", args=[always_event.pk]),
            {"to_phase": "understand", "reason": "Assessment booked for next week"},
        )
        assert response.status_code == 302
        page = client.get(response.url)
        assert "Assessment booked for next week" in page.text
        always_event.refresh_from_db()
        assert always_event.phase == "understand"

    def test_an_executive_cannot_move_it_on(self, client, always_event, executive):
        client.force_login(executive)
        response = client.post(
            reverse("programmes:gates", args=[always_event.pk]),
            {"to_phase": "understand", "reason": "Because"},
        )
        assert response.status_code == 403

    def test_the_last_phase_has_no_next(self, client, always_event, lead):
        always_event.phase = Phase.SUSTAIN
        always_event.save()
        client.force_login(lead)
        response = client.get(reverse("programmes:gates", args=[always_event.pk]))
        assert "This is the last phase" in response.text


def _adopt_gate(always_event) -> bool:
    results = gates.check_gates(always_event, Phase.IMPLEMENT)
    return next(r.met for r in results if r.gate.key == "programmes.pdsa_adopt")
