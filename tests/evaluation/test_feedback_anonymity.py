"""Nothing identifying is kept: free text sent through the public form is scrubbed."""

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.forms import submission_key_new
from evaluation.models import Answer
from tests.factories import UserFactory
from tests.test_scrubbing import CORPUS

from .factories import AlwaysEventFactory, distribution_point, feedback_form

pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture
def setup(organisation, settings, monkeypatch):
    settings.FEEDBACK_RATE_LIMIT_PER_CLIENT = "10000/h"
    settings.FEEDBACK_RATE_LIMIT_PER_POINT = "10000/h"
    monkeypatch.setattr("evaluation.summaries.request_recompute", lambda _id: None)
    event = AlwaysEventFactory(organisation=organisation)
    event.team.add(UserFactory(full_name="Gareth Lewis"))
    form = feedback_form(event)
    point = distribution_point(form)
    version = services.form_current_version(form)
    q1, q2, _ = version.questions.all()
    return point, q1.options.first().pk, q2.options.first().pk


def send(client, setup, text):
    point, yes, good = setup
    response = client.post(reverse("evaluation:feedback_form", args=[point.token]), {
        "submission_key": submission_key_new(point.token), "q1": yes, "q2": good,
        "q3": text, "website": "", "lang": "en",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    return Answer.objects.filter(question__position=3).latest("pk").text


def test_the_corpus_has_at_least_100_planted_identifiers():
    assert len(CORPUS) >= 100


def test_every_planted_identifier_is_removed_before_the_answer_is_stored(client, setup):
    leaks = []
    for identifier in CORPUS:
        stored = send(client, setup, f"The nurse said to ring {identifier} if I was worried.")
        squashed = stored.replace(" ", "")
        if identifier in stored or identifier.replace(" ", "") in squashed:
            leaks.append((identifier, stored))
    assert leaks == []
    assert Answer.objects.filter(question__position=3).count() == len(CORPUS)


def test_the_names_of_the_always_event_team_are_removed(client, setup):
    stored = send(client, setup, "Gareth Lewis on the ward was lovely, thank Gareth for me")
    assert "Gareth" not in stored and "Lewis" not in stored
    assert "[name removed]" in stored


def test_kind_words_without_identifiers_are_kept(client, setup):
    text = "The staff explained everything and gave me a card with the ward's number on it."
    assert send(client, setup, text) == text

