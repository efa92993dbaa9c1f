import datetime

import pytest
from django.urls import reverse

from programmes import selectors, services

pytestmark = pytest.mark.django_db


def test_changes_are_kept_with_who_and_old_and_new_values(client, always_event, lead):
    client.force_login(lead)
    client.post(reverse("programmes:vision_and_aim", args=[always_event.pk]), {
        "vision_statement": "I will always know who to contact", "aim_target_percent": "80",
    })
    client.post(reverse("programmes:vision_and_aim", args=[always_event.pk]), {
        "vision_statement": "I will always know who to contact", "aim_target_percent": "85",
    })
    response = client.get(reverse("programmes:history", args=[always_event.pk]))
    assert "Target (%): 80" in response.text
    assert "85" in response.text
    assert lead.full_name in response.text


def test_criteria_phase_changes_pdsa_cycles_and_actions_are_in_the_history(
    always_event, change_idea, lead
):
    today = datetime.date.today()
    services.criterion_update(
        criterion=always_event.criteria.get(kind="important"), met=True, evidence="Interviews",
        agreed_by="Co-design team", agreed_on=today, today=today,
    )
    services.always_event_change_phase(
        always_event=always_event, to_phase="understand", changed_by=lead, reason="Booked"
    )
    services.pdsa_cycle_create(always_event=always_event, change_idea=change_idea, objective="x")
    services.action_save(always_event=always_event, title="Print cards", owner=lead, due_on=today)
    described = [entry.what for entry in selectors.always_event_history(always_event)]
    assert "Changed the criterion “Important”" in described
    assert "Added the phase: Set-up and oversight to Understand what matters" in described
    assert "Added PDSA cycle 1" in described
    assert "Added the action “Print cards”" in described
    criterion_change = next(
        e for e in selectors.always_event_history(always_event) if "criterion" in e.what
    )
    assert ("Met", "No", "Yes") in criterion_change.changes


def test_the_history_page_has_an_empty_state_only_when_nothing_happened(client, lead, always_event):
    client.force_login(lead)
    response = client.get(reverse("programmes:history", args=[always_event.pk]))
    assert response.status_code == 200
    assert "No changes recorded yet" not in response.text  # the factory created it


def test_changes_to_leads_and_team_are_kept(always_event, staff):
    always_event.team.add(staff)
    entry = selectors.always_event_history(always_event)[0]
    assert entry.changes == [("Staff team", "(nobody)", str(staff))]
