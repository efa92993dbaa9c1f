import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def _save(event, **changes):
    values = {
        "vision_statement": "I will always know who to contact when I get home",
        "aim_population": "people discharged from Ward 7",
        "aim_measure": "they knew who to contact when they got home", "aim_target_percent": 80,
        "aim_deadline": datetime.date(2027, 12, 31), "aim_review_interval": "monthly",
    }
    values.update(changes)
    return services.always_event_update_vision_and_aim(always_event=event, today=TODAY, **values)


def test_it_builds_the_aim_sentence(always_event):
    _save(always_event)
    always_event.refresh_from_db()
    assert always_event.aim_statement == (
        "By December 2027, 80% of people discharged from Ward 7 will report they knew who to "
        "contact when they got home. Reviewed monthly."
    )


@pytest.mark.parametrize("target", [101, -1])
def test_it_refuses_a_target_outside_0_to_100(always_event, target):
    with pytest.raises(ValidationError) as error:
        _save(always_event, aim_target_percent=target)
    assert error.value.message_dict == {"aim_target_percent": ["Target must be between 0 and 100"]}
    always_event.refresh_from_db()
    assert always_event.vision_statement == ""


def test_it_refuses_a_new_deadline_in_the_past(always_event):
    with pytest.raises(ValidationError) as error:
        _save(always_event, aim_deadline=datetime.date(2026, 1, 1))
    assert error.value.message_dict["aim_deadline"] == ["Deadline must be today or in the future"]


def test_an_unchanged_deadline_that_has_passed_can_stay(always_event):
    always_event.aim_deadline = datetime.date(2026, 1, 1)
    always_event.save()
    _save(always_event, aim_deadline=datetime.date(2026, 1, 1), aim_target_percent=85)
    always_event.refresh_from_db()
    assert always_event.aim_target_percent == 85


def _post(client, event, **data):
    values = {
        "vision_statement": "I will always be asked how I would like to be addressed",
        "aim_population": "people on the acute medical unit", "aim_measure": "they were asked",
        "aim_target_percent": "90", "aim_deadline_day": "31", "aim_deadline_month": "12",
        "aim_deadline_year": str(datetime.date.today().year + 1), "aim_review_interval": "weekly",
    }
    values.update(data)
    return client.post(reverse("programmes:vision_and_aim", args=[event.pk]), values)


def test_the_page_saves_the_vision_and_aim(client, always_event, lead):
    client.force_login(lead)
    response = _post(client, always_event)
    assert response.status_code == 302
    always_event.refresh_from_db()
    assert always_event.aim_target_percent == 90


def test_the_page_shows_a_target_over_100_on_the_field(client, always_event, lead):
    client.force_login(lead)
    response = _post(client, always_event, aim_target_percent="120")
    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert "Target must be between 0 and 100" in response.text
    always_event.refresh_from_db()
    assert always_event.vision_statement == ""


def test_the_page_shows_a_past_deadline_on_the_field(client, always_event, lead):
    client.force_login(lead)
    response = _post(client, always_event, aim_deadline_year="2020")
    assert "Deadline must be today or in the future" in response.text
    always_event.refresh_from_db()
    assert always_event.aim_deadline is None


def test_staff_not_on_the_team_get_403(client, always_event, staff):
    client.force_login(staff)
    assert _post(client, always_event).status_code == 403
