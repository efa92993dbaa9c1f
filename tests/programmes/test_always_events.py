import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import AlwaysEvent, Criterion, Membership
from tests.factories import MembershipFactory, UserFactory

from .factories import AlwaysEventFactory

pytestmark = pytest.mark.django_db


def test_creating_one_needs_only_a_title_service_area_and_setting(organisation, lead):
    event = services.always_event_create(
        organisation=organisation, title="Knowing who to contact at home",
        service_area="Ward 7", setting="inpatient", created_by=lead,
    )
    assert event.phase == "set_up"
    assert list(event.leads.all()) == [lead]
    assert event.criteria.count() == 4
    assert not event.criteria.filter(met=True).exists()


def test_it_refuses_a_blank_title_and_creates_nothing(organisation, lead):
    with pytest.raises(ValidationError) as error:
        services.always_event_create(
            organisation=organisation, title=" ", service_area="Ward 7", setting="nowhere",
            created_by=lead,
        )
    assert error.value.message_dict == {
        "title": ["Enter a title"], "setting": ["Select the setting"]
    }
    assert not AlwaysEvent.objects.exists()


def _update(event, **changes):
    values = {
        "title": event.title, "service_area": event.service_area, "setting": event.setting,
        "status": "active", "executive_sponsor": None, "leads": [], "team": [],
    }
    values.update(changes)
    return services.always_event_update(always_event=event, **values)


def test_the_sponsor_must_have_the_executive_role(always_event, staff):
    with pytest.raises(ValidationError) as error:
        _update(always_event, executive_sponsor=staff, title="Changed")
    assert "executive role" in error.value.message_dict["executive_sponsor"][0]
    always_event.refresh_from_db()
    assert always_event.title == "Knowing who to contact at home"


def test_the_sponsor_must_be_from_the_same_organisation(always_event, other_organisation):
    outsider = MembershipFactory(
        organisation=other_organisation, role=Membership.Role.EXECUTIVE
    ).user
    with pytest.raises(ValidationError) as error:
        _update(always_event, executive_sponsor=outsider)
    assert "executive_sponsor" in error.value.message_dict


def test_an_executive_of_the_organisation_can_be_the_sponsor(always_event, executive, lead, staff):
    _update(always_event, executive_sponsor=executive, leads=[lead], team=[staff])
    always_event.refresh_from_db()
    assert always_event.executive_sponsor == executive
    assert list(always_event.team.all()) == [staff]


def test_leads_from_another_organisation_are_refused(always_event, other_lead):
    with pytest.raises(ValidationError) as error:
        _update(always_event, leads=[other_lead])
    assert "leads" in error.value.message_dict


class TestTheListPage:
    def test_it_shows_the_current_organisations_always_events(
        self, client, always_event, other_always_event, lead
    ):
        client.force_login(lead)
        response = client.get(reverse("programmes:always_event_list"))
        assert response.status_code == 200
        assert always_event.title in response.text
        assert other_always_event.title not in response.text

    def test_it_filters_by_phase_setting_and_lead(self, client, always_event, lead, organisation):
        AlwaysEventFactory(organisation=organisation, title="Maternity listening",
                           setting="maternity", phase="test")
        client.force_login(lead)
        url = reverse("programmes:always_event_list")
        assert "Maternity listening" in client.get(url, {"phase": "test"}).text
        assert always_event.title not in client.get(url, {"phase": "test"}).text
        assert "Maternity listening" not in client.get(url, {"setting": "inpatient"}).text
        by_lead = client.get(url, {"lead": lead.pk}).text
        assert always_event.title in by_lead and "Maternity listening" not in by_lead

    def test_it_pages_after_25(self, client, organisation, lead):
        for number in range(27):
            AlwaysEventFactory(organisation=organisation, title=f"Event {number:02d}")
        client.force_login(lead)
        first = client.get(reverse("programmes:always_event_list"))
        assert "Event 24" in first.text and "Event 25" not in first.text
        assert 'aria-label="Page 2"' in first.text
        second = client.get(reverse("programmes:always_event_list"), {"page": 2})
        assert "Event 26" in second.text

    def test_it_shows_an_empty_state(self, client, lead):
        client.force_login(lead)
        assert "No Always Events yet" in client.get(reverse("programmes:always_event_list")).text

    def test_switching_organisation_shows_the_other_organisations_list(
        self, client, always_event, other_always_event, other_organisation, lead
    ):
        Membership.objects.create(user=lead, organisation=other_organisation, role="staff")
        client.force_login(lead)
        client.post(reverse("switch_organisation"), {"organisation": other_organisation.pk})
        response = client.get(reverse("programmes:always_event_list"))
        assert other_always_event.title in response.text
        assert always_event.title not in response.text


class TestCreatePage:
    def test_a_lead_creates_one_and_is_taken_to_it(self, client, lead):
        client.force_login(lead)
        response = client.post(reverse("programmes:always_event_create"), {
            "title": "Knowing what happens next", "service_area": "Emergency department",
            "setting": "emergency",
        })
        event = AlwaysEvent.objects.get()
        assert response.url == reverse("programmes:always_event_detail", args=[event.pk])

    def test_errors_are_shown_on_the_fields(self, client, lead):
        client.force_login(lead)
        response = client.post(reverse("programmes:always_event_create"), {"title": ""})
        assert response.status_code == 200
        assert "<title>Error: " in response.text
        assert "Enter a title" in response.text
        assert "Select the setting" in response.text

    def test_staff_cannot_create_one(self, client, staff):
        client.force_login(staff)
        assert client.get(reverse("programmes:always_event_create")).status_code == 403


class TestDetailAndEdit:
    def test_the_detail_page_shows_the_summary(self, client, always_event, lead):
        always_event.vision_statement = "I will always know who to contact when I get home"
        always_event.save()
        client.force_login(lead)
        response = client.get(reverse("programmes:always_event_detail", args=[always_event.pk]))
        assert "I will always know who to contact when I get home" in response.text
        assert "nhsuk-summary-list" in response.text
        assert reverse("programmes:always_event_edit", args=[always_event.pk]) in response.text

    def test_an_executive_reads_but_cannot_edit(self, client, always_event, executive):
        client.force_login(executive)
        detail = client.get(reverse("programmes:always_event_detail", args=[always_event.pk]))
        assert detail.status_code == 200
        assert reverse("programmes:always_event_edit", args=[always_event.pk]) not in detail.text
        edit = client.get(reverse("programmes:always_event_edit", args=[always_event.pk]))
        assert edit.status_code == 403

    def test_staff_on_the_team_can_edit_but_others_cannot(self, client, always_event, staff):
        client.force_login(staff)
        url = reverse("programmes:always_event_edit", args=[always_event.pk])
        assert client.get(url).status_code == 403
        always_event.team.add(staff)
        assert client.get(url).status_code == 200

    def test_the_edit_page_saves_the_sponsor(self, client, always_event, lead, executive):
        client.force_login(lead)
        response = client.post(reverse("programmes:always_event_edit", args=[always_event.pk]), {
            "title": always_event.title, "service_area": "Ward 7", "setting": "inpatient",
            "status": "active", "executive_sponsor": executive.pk, "leads": [lead.pk],
        })
        assert response.status_code == 302
        always_event.refresh_from_db()
        assert always_event.executive_sponsor == executive

    def test_a_sponsor_without_the_executive_role_is_refused_on_the_field(
        self, client, always_event, lead, staff
    ):
        client.force_login(lead)
        response = client.post(reverse("programmes:always_event_edit", args=[always_event.pk]), {
            "title": "Changed title", "service_area": "Ward 7", "setting": "inpatient",
            "status": "active", "executive_sponsor": staff.pk,
        })
        assert response.status_code == 200
        assert 'id="id_executive_sponsor-error"' in response.text
        assert "executive role in this organisation" in response.text
        always_event.refresh_from_db()
        assert always_event.title != "Changed title"

    def test_a_user_of_another_organisation_is_not_a_choice(
        self, client, always_event, lead, other_lead
    ):
        client.force_login(lead)
        response = client.post(reverse("programmes:always_event_edit", args=[always_event.pk]), {
            "title": always_event.title, "service_area": "Ward 7", "setting": "inpatient",
            "status": "active", "team": [other_lead.pk],
        })
        assert "Select staff from your organisation" in response.text
        assert not always_event.team.exists()


def test_a_new_user_is_not_a_member_and_cannot_see_anything(client, always_event):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("programmes:always_event_list")).status_code == 404
    detail = client.get(reverse("programmes:always_event_detail", args=[always_event.pk]))
    assert detail.status_code == 404


def test_criteria_exist_for_each_kind(always_event):
    assert set(always_event.criteria.values_list("kind", flat=True)) == set(Criterion.Kind.values)
