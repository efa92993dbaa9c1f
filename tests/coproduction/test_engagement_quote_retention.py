""""What matters to you?" quotes are deleted ENGAGEMENT_QUOTE_RETENTION_MONTHS after the
engagement; the engagements and their themes stay, so what the team learned is kept."""

import datetime

import pytest
from django.urls import reverse

from coproduction import selectors, services, tasks
from coproduction.models import Engagement, EngagementQuote, PersonalDetailsLog

from .factories import EngagementFactory, ThemeFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def engagements(always_event, other_always_event):
    """Engagements of two organisations: three held more than 24 months before TODAY, one
    exactly 24 months before, three since; each with quotes."""
    held_and_quotes = [
        (always_event, datetime.date(2023, 11, 2), ["Tell me who to ring", "I felt rushed"]),
        (always_event, datetime.date(2024, 6, 14), ["Nobody said when I could go home"]),
        (always_event, datetime.date(2024, 6, 15), ["Call me Bob, not Robert"]),
        (always_event, datetime.date(2025, 9, 1), ["Knowing the plan helps me sleep"]),
        (always_event, datetime.date(2026, 6, 1), ["A card with the number would help"]),
        (other_always_event, datetime.date(2024, 1, 10), ["I want to feel safe at night"]),
        (other_always_event, datetime.date(2026, 2, 3), ["Explain the alarms to me"]),
    ]
    rows = []
    for always_event_, held_on, quotes in held_and_quotes:
        theme = ThemeFactory(organisation=always_event_.organisation, name="Knowing who to call")
        engagement = EngagementFactory(always_event=always_event_, held_on=held_on)
        engagement.themes.add(theme)
        for text in quotes:
            EngagementQuote.objects.create(engagement=engagement, text=text, theme=theme)
        rows.append(engagement)
    return rows


def _quotes():
    return sorted(EngagementQuote.objects.values_list("engagement__held_on", "text"))


def _engagements():
    return [
        (e.pk, e.always_event_id, e.method, e.held_on, e.setting, e.participants,
         sorted(e.themes.values_list("pk", flat=True)))
        for e in Engagement.objects.order_by("pk")
    ]


def test_old_quotes_are_deleted_and_recent_ones_kept(engagements):
    engagements_before = _engagements()

    assert services.engagement_quote_purge(today=TODAY, months=24, batch_size=1) == 4

    assert _quotes() == [
        (datetime.date(2024, 6, 15), "Call me Bob, not Robert"),  # exactly 24 months: kept
        (datetime.date(2025, 9, 1), "Knowing the plan helps me sleep"),
        (datetime.date(2026, 2, 3), "Explain the alarms to me"),
        (datetime.date(2026, 6, 1), "A card with the number would help"),
    ]
    assert _engagements() == engagements_before  # every engagement stays, with its themes


def test_a_second_run_deletes_nothing(engagements):
    services.engagement_quote_purge(today=TODAY, months=24)
    quotes = _quotes()

    assert services.engagement_quote_purge(today=TODAY, months=24) == 0
    assert _quotes() == quotes


def test_it_deletes_more_quotes_than_one_batch_holds(engagements):
    assert services.engagement_quote_purge(today=TODAY, months=3, batch_size=2) == 7
    assert _quotes() == [(datetime.date(2026, 6, 1), "A card with the number would help")]


def test_other_organisations_quotes_go_at_the_same_age(engagements, other_always_event):
    services.engagement_quote_purge(today=TODAY, months=24)

    assert list(
        EngagementQuote.objects.filter(engagement__always_event=other_always_event)
        .values_list("text", flat=True)
    ) == ["Explain the alarms to me"]


def test_themes_keep_their_engagements_and_lose_only_quotes(engagements, organisation):
    before = selectors.themes_with_counts(organisation).get()
    assert (before.engagement_count, before.quote_count) == (5, 6)

    services.engagement_quote_purge(today=TODAY, months=24)

    theme = selectors.themes_with_counts(organisation).get()
    assert (theme.engagement_count, theme.quote_count) == (5, 3)


def test_the_purge_writes_no_log_and_leaves_no_copy_in_history(engagements):
    engagement_history = Engagement.history.count()

    services.engagement_quote_purge(today=TODAY, months=24)

    # As for check-in comments: quotes are anonymous, so there is no personal details log
    # line; they have no history table, which would keep the deleted words.
    assert not PersonalDetailsLog.objects.exists()
    assert Engagement.history.count() == engagement_history
    assert not hasattr(EngagementQuote, "history")


def test_the_daily_task_uses_the_setting(engagements, settings, fixed_today):
    settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS = 36
    assert tasks.purge_engagement_quotes() == 0
    settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS = 6
    assert tasks.purge_engagement_quotes() == 6
    assert [text for _, text in _quotes()] == [
        "Explain the alarms to me", "A card with the number would help",
    ]


def test_the_privacy_notice_gives_the_quote_period(client, settings):
    settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS = 18
    page = client.get(reverse("privacy")).content.decode()
    assert "If you tell us what matters to you" in page
    assert "deleted 18 months after the conversation" in page


def test_an_engagement_whose_quotes_were_deleted_says_why(client, lead, engagements,
                                                         always_event, fixed_today):
    services.engagement_quote_purge(today=TODAY, months=24)
    client.force_login(lead)

    def page(engagement):
        return client.get(
            reverse("coproduction:engagement", args=[always_event.pk, engagement.pk])
        ).content.decode()

    old = page(engagements[0])
    assert "Quotes are deleted 24 months after the engagement" in old
    assert "No quotes yet" not in old and "Tell me who to ring" not in old
    assert "Knowing who to call" in old  # the theme stays
    recent = page(EngagementFactory(always_event=always_event, held_on=TODAY))
    assert "No quotes yet" in recent and "Quotes are deleted" not in recent


def test_no_quote_can_be_added_to_an_engagement_older_than_the_period(
    client, lead, always_event, fixed_today
):
    old = EngagementFactory(always_event=always_event, held_on=datetime.date(2024, 6, 14))
    kept = EngagementFactory(always_event=always_event, held_on=datetime.date(2024, 6, 15))
    client.force_login(lead)

    def detail(engagement):
        return client.get(
            reverse("coproduction:engagement", args=[always_event.pk, engagement.pk])
        ).content.decode()

    add = reverse("coproduction:quote_add", args=[always_event.pk, old.pk])
    assert add not in detail(old)
    response = client.post(add, {"text": "I did not know who to ring"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "nhsuk-error-summary" in page
    assert "Quotes are kept for 24 months after the engagement" in page
    assert not old.quotes.exists()
    assert reverse("coproduction:quote_add", args=[always_event.pk, kept.pk]) in detail(kept)
    services.quote_add(engagement=kept, text="I did not know who to ring")
    assert kept.quotes.count() == 1
