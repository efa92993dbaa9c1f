import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coproduction import selectors, services
from coproduction.models import Engagement, EngagementQuote, Theme

from .factories import (
    AlwaysEventFactory,
    EngagementFactory,
    PartnerFactory,
    StaffMemberFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def nhs_number(first_nine: str) -> str | None:
    """A valid NHS number from nine digits (modulus 11), or None when no check digit fits."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else first_nine + str(check)


def valid_nhs_numbers(count: int) -> list[str]:
    numbers, seed = [], 400000000
    while len(numbers) < count:
        seed += 7919
        number = nhs_number(str(seed))
        if number:
            numbers.append(number)
    return numbers


NAMES = ["Maureen Patel", "Dev Sharma", "Grace Ofori", "Stanislaw Nowak", "Beatrix Hale"]
STAFF_NAMES = ["Tom Okafor", "Priya Shah"]
PHONES = ["07700 900123", "07700900456", "+44 7700 900789", "020 7946 0018", "(0113) 496 0000",
          "0161-496-0123", "+44 (0)20 7946 0999", "01632 960001", "0300 123 4567",
          "07700-900-321"]
EMAILS = ["maureen@example.com", "dev.sharma@nhs.net", "g.ofori+ward7@example.org.uk",
          "stan (at) example (dot) com", "b_hale@mail.example.co.uk", "carer99@example.net",
          "TOM.OKAFOR@NHS.NET", "someone@trust.nhs.uk", "x@y.io", "family.member@example.com"]
POSTCODES = ["LS1 4AP", "SW1A 1AA", "m1 1ae", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A1BB",
             "W1A 0AX", "NE1 7RU", "BS1 4ST"]


def planted_corpus():
    """(quote, identifier) pairs: at least 50 identifiers of every kind we must remove."""
    numbers = valid_nhs_numbers(10)
    corpus = []
    for i, number in enumerate(numbers):
        written = number if i % 2 else f"{number[:3]} {number[3:6]} {number[6:]}"
        corpus.append((f"My NHS number is {written} and nobody asked", written))
    corpus += [(f"Ring me on {p} when I get home", p) for p in PHONES]
    corpus += [(f"Email {e} about the appointment", e) for e in EMAILS]
    corpus += [(f"I live at {p}, near the bus stop", p) for p in POSTCODES]
    for name in NAMES + STAFF_NAMES:
        corpus.append((f"{name} was the only one who explained what would happen", name))
        first = name.split()[0]
        corpus.append((f"I told {first.lower()} that the leaflet made no sense", first))
    return corpus


@pytest.fixture
def team(always_event, staff):
    for name in NAMES:
        PartnerFactory(always_event=always_event, chosen_name=name)
    for name in STAFF_NAMES:
        StaffMemberFactory(always_event=always_event, user__full_name=name)
    return always_event


def test_the_corpus_plants_at_least_50_identifiers_of_every_kind():
    corpus = planted_corpus()
    assert len(corpus) >= 50
    assert sum(" " in number for _, number in corpus[:10]) == 5


def test_quotes_are_scrubbed_of_every_planted_identifier_before_they_are_saved(team, today):
    corpus = planted_corpus()
    engagement = services.engagement_create(
        always_event=team, method="conversations", held_on=today, setting="Ward 7",
        participants=20, quotes=[quote for quote, _ in corpus], today=today,
    )
    saved = list(engagement.quotes.values_list("text", flat=True))
    assert len(saved) == len(corpus)
    leaks = [
        (identifier, text) for (_, identifier), text in zip(corpus, saved, strict=True)
        if identifier.lower() in text.lower()
    ]
    assert leaks == []
    assert all("removed]" in text for text in saved)
    stored = " ".join(EngagementQuote.objects.values_list("text", flat=True)).lower()
    for _, identifier in corpus:
        assert identifier.lower() not in stored


def test_a_single_quote_is_scrubbed_too(team):
    engagement = EngagementFactory(always_event=team)
    quote = services.quote_add(engagement=engagement,
                               text="Grace Ofori said call 07700 900123, NHS 943 476 5919")
    assert quote.text == (
        "[name removed] said call [phone number removed], NHS [NHS number removed]"
    )


def test_themes_are_reused_across_the_organisation_by_name(always_event, today):
    first = services.engagement_create(
        always_event=always_event, method="interviews", held_on=today, setting="Clinic",
        participants=6, new_theme_names=["Knowing who to call", " being told why "], today=today,
    )
    second_event = AlwaysEventFactory(organisation=always_event.organisation)
    second = services.engagement_create(
        always_event=second_event, method="survey", held_on=today, setting="Online",
        participants=40, new_theme_names=["knowing WHO to call"], today=today,
    )
    assert Theme.objects.count() == 2
    assert list(second.themes.all()) == list(first.themes.filter(name="Knowing who to call"))


def test_it_refuses_bad_engagements_and_saves_nothing(always_event, other_organisation, today):
    other_theme = ThemeFactory(organisation=other_organisation)
    with pytest.raises(ValidationError) as error:
        services.engagement_create(
            always_event=always_event, method="gossip", held_on=today + datetime.timedelta(1),
            setting="", participants=0, themes=[other_theme], quotes=["x"], today=today,
        )
    assert set(error.value.message_dict) == {
        "method", "held_on", "setting", "participants", "themes"
    }
    assert not Engagement.objects.exists() and not EngagementQuote.objects.exists()


def test_a_theme_is_linked_to_the_always_event_it_led_to(always_event, other_always_event):
    theme = ThemeFactory(organisation=always_event.organisation)
    services.theme_link(theme=theme, always_event=always_event)
    assert Theme.objects.get().led_to == always_event
    with pytest.raises(ValidationError):
        services.theme_link(theme=theme, always_event=other_always_event)


def test_theme_counts(always_event):
    theme = ThemeFactory(organisation=always_event.organisation)
    engagement = EngagementFactory(always_event=always_event)
    engagement.themes.add(theme)
    EngagementQuote.objects.create(engagement=engagement, text="Tell me why", theme=theme)
    row = selectors.themes_with_counts(always_event.organisation).get()
    assert (row.engagement_count, row.quote_count) == (1, 1)


# Views -----------------------------------------------------------------------------------------


def test_a_lead_records_an_engagement_with_themes_and_scrubbed_quotes(
    client, lead, team, fixed_today
):
    existing = ThemeFactory(organisation=team.organisation, name="Being told why")
    client.force_login(lead)
    response = client.post(reverse("coproduction:engagement_add", args=[team.pk]), {
        "method": "conversations", "held_on_day": "1", "held_on_month": "6",
        "held_on_year": "2026", "setting": "Ward 7 day room", "participants": "12",
        "themes": [existing.pk], "new_themes": "Knowing who to call, Going home safely",
        "quotes": "Dev Sharma was brilliant\nCall me on 07700 900456",
    })
    engagement = Engagement.objects.get()
    assert response["Location"] == reverse("coproduction:engagement", args=[team.pk, engagement.pk])
    assert sorted(engagement.themes.values_list("name", flat=True)) == [
        "Being told why", "Going home safely", "Knowing who to call"
    ]
    content = client.get(response["Location"]).content.decode()
    assert "[name removed] was brilliant" in content and "07700" not in content


def test_an_engagement_in_the_future_shows_an_error(client, lead, always_event, fixed_today):
    client.force_login(lead)
    response = client.post(reverse("coproduction:engagement_add", args=[always_event.pk]), {
        "method": "survey", "held_on_day": "1", "held_on_month": "7", "held_on_year": "2026",
        "setting": "Online", "participants": "3",
    })
    assert "Date must be today or in the past" in response.content.decode()
    assert not Engagement.objects.exists()


def test_a_quote_is_added_through_the_form(client, lead, team):
    engagement = EngagementFactory(always_event=team)
    client.force_login(lead)
    response = client.post(reverse("coproduction:quote_add", args=[team.pk, engagement.pk]),
                           {"text": "Email maureen@example.com please"})
    assert response.status_code == 302
    assert engagement.quotes.get().text == "Email [email address removed] please"


def test_the_engagements_page_has_an_empty_state(client, staff, always_event):
    client.force_login(staff)
    content = client.get(
        reverse("coproduction:engagements", args=[always_event.pk])
    ).content.decode()
    assert "No “What matters to you?” work recorded yet" in content


def test_a_lead_links_a_theme_and_staff_cannot(client, lead, staff, always_event):
    theme = ThemeFactory(organisation=always_event.organisation)
    client.force_login(staff)
    assert client.get(reverse("coproduction:theme_edit", args=[theme.pk])).status_code == 403
    client.force_login(lead)
    response = client.post(reverse("coproduction:theme_edit", args=[theme.pk]),
                           {"led_to": always_event.pk})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.led_to == always_event
    content = client.get(reverse("coproduction:themes")).content.decode()
    assert always_event.title in content
