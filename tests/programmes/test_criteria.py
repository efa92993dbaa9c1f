import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def test_a_met_criterion_records_evidence_who_and_when(always_event):
    criterion = always_event.criteria.get(kind="important")
    services.criterion_update(
        criterion=criterion, met=True, evidence="18 conversations named it",
        agreed_by="Co-design team", agreed_on=TODAY, today=TODAY,
    )
    criterion.refresh_from_db()
    assert criterion.met and criterion.agreed_by == "Co-design team"


def test_met_needs_evidence_who_and_when(always_event):
    criterion = always_event.criteria.get(kind="measurable")
    with pytest.raises(ValidationError) as error:
        services.criterion_update(
            criterion=criterion, met=True, evidence="", agreed_by="", agreed_on=None, today=TODAY
        )
    assert set(error.value.message_dict) == {"evidence", "agreed_by", "agreed_on"}
    criterion.refresh_from_db()
    assert not criterion.met


def test_the_agreement_cannot_be_in_the_future(always_event):
    criterion = always_event.criteria.get(kind="measurable")
    with pytest.raises(ValidationError) as error:
        services.criterion_update(
            criterion=criterion, met=True, evidence="e", agreed_by="Team",
            agreed_on=TODAY + datetime.timedelta(days=1), today=TODAY,
        )
    assert "agreed_on" in error.value.message_dict


def test_the_criteria_page_lists_all_four(client, always_event, lead):
    client.force_login(lead)
    response = client.get(reverse("programmes:criteria", args=[always_event.pk]))
    for name in ["Important", "Evidence-based", "Measurable", "Affordable and sustainable"]:
        assert name in response.text


def test_the_edit_page_agrees_a_criterion(client, always_event, lead):
    client.force_login(lead)
    today = datetime.date.today()
    response = client.post(
        reverse("programmes:criterion_edit", args=[always_event.pk, "affordable_sustainable"]),
        {"met": "yes", "evidence": "A printed card", "agreed_by": "Patient partners",
         "agreed_on_day": today.day, "agreed_on_month": today.month, "agreed_on_year": today.year},
    )
    assert response.status_code == 302
    assert always_event.criteria.get(kind="affordable_sustainable").met


def test_the_edit_page_shows_missing_evidence(client, always_event, lead):
    client.force_login(lead)
    response = client.post(
        reverse("programmes:criterion_edit", args=[always_event.pk, "important"]), {"met": "yes"}
    )
    assert "Enter the evidence that this criterion is met" in response.text
    assert "<title>Error: " in response.text


def test_an_unknown_kind_is_404(client, always_event, lead):
    client.force_login(lead)
    url = reverse("programmes:criterion_edit", args=[always_event.pk, "cheap"])
    assert client.get(url).status_code == 404
