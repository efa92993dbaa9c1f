import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import ChangeIdea, PrimaryDriver, SecondaryDriver

from .factories import ChangeIdeaFactory, PDSACycleFactory

pytestmark = pytest.mark.django_db


def test_it_builds_a_tree(always_event):
    primary = services.primary_driver_save(always_event=always_event, text="Information")
    secondary = services.secondary_driver_save(primary_driver=primary, text="Bedside talks")
    services.change_idea_save(secondary_driver=secondary, text="Contact card")
    assert always_event.primary_drivers.get().secondary_drivers.get().change_ideas.get().text == (
        "Contact card"
    )


def test_blank_text_is_refused(always_event):
    with pytest.raises(ValidationError) as error:
        services.primary_driver_save(always_event=always_event, text="  ")
    assert error.value.message_dict == {"text": ["Enter the text"]}
    assert not PrimaryDriver.objects.exists()


def test_deleting_a_primary_driver_deletes_what_hangs_from_it(change_idea):
    primary = change_idea.secondary_driver.primary_driver
    services.driver_node_delete(node=primary)
    assert not SecondaryDriver.objects.exists() and not ChangeIdea.objects.exists()


def test_a_change_idea_with_pdsa_cycles_cannot_be_deleted(change_idea):
    PDSACycleFactory(change_idea=change_idea)
    with pytest.raises(ValidationError):
        services.driver_node_delete(node=change_idea.secondary_driver)
    assert ChangeIdea.objects.filter(pk=change_idea.pk).exists()


class TestPages:
    def test_the_diagram_is_a_nested_list(self, client, change_idea, lead, always_event):
        client.force_login(lead)
        response = client.get(reverse("programmes:driver_diagram", args=[always_event.pk]))
        assert "Primary driver: Patients have the information" in response.text
        assert "Secondary driver: Conversations at the bedside" in response.text
        assert "Change idea: Give every patient a contact card" in response.text

    def test_an_empty_diagram_says_how_to_start(self, client, always_event, lead):
        client.force_login(lead)
        response = client.get(reverse("programmes:driver_diagram", args=[always_event.pk]))
        assert "No drivers yet" in response.text

    def test_add_edit_and_delete_each_node(self, client, always_event, lead):
        client.force_login(lead)
        pk = always_event.pk
        client.post(reverse("programmes:primary_driver_create", args=[pk]), {"text": "Info"})
        primary = PrimaryDriver.objects.get()
        client.post(reverse("programmes:primary_driver_edit", args=[pk, primary.pk]),
                    {"text": "Information"})
        client.post(reverse("programmes:secondary_driver_create", args=[pk, primary.pk]),
                    {"text": "Talks"})
        secondary = SecondaryDriver.objects.get()
        client.post(reverse("programmes:secondary_driver_edit", args=[pk, secondary.pk]),
                    {"text": "Bedside talks"})
        client.post(reverse("programmes:change_idea_create", args=[pk, secondary.pk]),
                    {"text": "Card"})
        idea = ChangeIdea.objects.get()
        client.post(reverse("programmes:change_idea_edit", args=[pk, idea.pk]),
                    {"text": "Contact card"})
        primary.refresh_from_db(), secondary.refresh_from_db(), idea.refresh_from_db()
        assert (primary.text, secondary.text, idea.text) == (
            "Information", "Bedside talks", "Contact card"
        )
        response = client.post(reverse("programmes:driver_node_delete", args=[pk, "idea", idea.pk]))
        assert response.status_code == 302
        assert not ChangeIdea.objects.exists()

    def test_a_blank_node_shows_an_error(self, client, always_event, lead):
        client.force_login(lead)
        response = client.post(
            reverse("programmes:primary_driver_create", args=[always_event.pk]), {"text": ""}
        )
        assert "Enter the primary driver" in response.text

    def test_deleting_a_tested_idea_explains_why_not(self, client, change_idea, lead, always_event):
        PDSACycleFactory(change_idea=change_idea)
        client.force_login(lead)
        response = client.post(
            reverse("programmes:driver_node_delete", args=[always_event.pk, "idea", change_idea.pk])
        )
        assert "PDSA cycles test" in response.text
        assert ChangeIdea.objects.exists()

    def test_a_node_of_another_always_event_is_404(self, client, always_event, lead, organisation):
        elsewhere = ChangeIdeaFactory(secondary_driver__primary_driver__always_event__organisation=(
            organisation
        ))
        client.force_login(lead)
        url = reverse("programmes:change_idea_edit", args=[always_event.pk, elsewhere.pk])
        assert client.get(url).status_code == 404

    def test_an_unknown_kind_is_404(self, client, change_idea, lead, always_event):
        client.force_login(lead)
        url = reverse("programmes:driver_node_delete", args=[always_event.pk, "leaf", 1])
        assert client.get(url).status_code == 404
