"""The patient's pages rendered once per process (evaluation/views.py `_public_page`): the
same page as a fresh rendering, its own CSP nonce, CSRF token and submission key on every
request, and never a page older than the form, its translations or its Always Event."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from evaluation import form_cache, selectors, services
from evaluation.forms import submission_key_check
from evaluation.models import DistributionPoint, Option, Response
from evaluation.views import CSRF_PLACEHOLDER, KEY_PLACEHOLDER, NONCE_PLACEHOLDER

from .factories import AlwaysEventFactory, MeasureFactory, distribution_point, feedback_form

pytestmark = pytest.mark.usefixtures("clear_cache")

PER_REQUEST = [
    (r'nonce="[^"]*"', 'nonce="NONCE"'),
    (r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value="CSRF"'),
    (r'name="submission_key" value="[^"]*"', 'name="submission_key" value="KEY"'),
]


@pytest.fixture
def always_event(organisation):
    return AlwaysEventFactory(organisation=organisation)


@pytest.fixture
def form(always_event):
    form = feedback_form(always_event, measure=MeasureFactory(always_event=always_event))
    version = services.form_current_version(form)
    services.translation_save(
        form=form, language="cy", language_name="Cymraeg", title="Mynd adref o Ward 7",
        introduction="Diolch am eich amser",
        questions={
            str(q.position): {
                "text": f"Cwestiwn {q.position}", "hint": "Dewiswch un",
                "options": {str(o.position): f"Ateb {o.position}" for o in q.options.all()},
            }
            for q in version.questions.all()
        },
    )
    services.translation_save(
        form=form, language="ar", language_name="العربية", title="العودة إلى المنزل",
        questions={},
    )
    return form


def form_url(point, language="en"):
    url = reverse("evaluation:feedback_form", args=[point.token])
    return url if language == "en" else f"{url}?lang={language}"


def thanks_url(point, language="en", already=False):
    url = reverse("evaluation:feedback_thanks", args=[point.token])
    query = "&".join(
        ([f"lang={language}"] if language != "en" else []) + (["already=1"] if already else [])
    )
    return f"{url}?{query}" if query else url


def fresh_client():
    """A visitor with a session (a signed-in member of staff, say): their pages are
    rendered for them alone, as every page was before pages were shared."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    return client


def masked(html: str) -> str:
    for pattern, replacement in PER_REQUEST:
        html = re.sub(pattern, replacement, html)
    return html


def value_of(name: str, html: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def nonces(response) -> set[str]:
    return set(re.findall(r'nonce="([^"]+)"', response.content.decode()))


def points(form):
    return {
        "web link": distribution_point(form, channel=DistributionPoint.Channel.LINK),
        "kiosk": distribution_point(form, channel=DistributionPoint.Channel.KIOSK),
    }


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
@pytest.mark.parametrize("channel", ["web link", "kiosk"])
def test_a_shared_form_page_is_the_page_a_fresh_rendering_gives(client, form, language, channel):
    point = points(form)[channel]
    client.get(form_url(point, language))  # renders the shared page
    shared = client.get(form_url(point, language))
    fresh = fresh_client().get(form_url(point, language))

    assert shared.status_code == fresh.status_code == 200
    assert masked(shared.content.decode()) == masked(fresh.content.decode())
    assert len(form_cache._pages) == 1


def test_a_shared_easy_read_page_is_the_page_a_fresh_rendering_gives(client, always_event):
    form = services.form_create(always_event=always_event, title="Going home", format="easy_read")
    services.question_add(form=form, kind="scale", scale="yes_no", text="Did you know who to call?")
    point = distribution_point(form)
    client.get(form_url(point))
    shared = client.get(form_url(point)).content.decode()

    assert "app-easy-read" in shared
    assert masked(shared) == masked(fresh_client().get(form_url(point)).content.decode())


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("channel", ["web link", "kiosk"])
@pytest.mark.parametrize("already", [False, True])
def test_a_shared_thank_you_page_is_the_page_a_fresh_rendering_gives(
    client, form, language, channel, already
):
    point = points(form)[channel]
    client.get(thanks_url(point, language, already))
    shared = client.get(thanks_url(point, language, already)).content.decode()
    fresh = fresh_client().get(thanks_url(point, language, already)).content.decode()

    assert masked(shared) == masked(fresh)
    other = client.get(thanks_url(point, language, not already)).content.decode()
    assert masked(other) != masked(shared)  # "already" is part of what keys the page
    if language == "en":
        assert ("We already have your answers" in shared) is already


def test_each_request_gets_its_own_nonce_csrf_token_and_submission_key(client, form):
    point = distribution_point(form)
    first, second = client.get(form_url(point)), client.get(form_url(point))
    first_html, second_html = first.content.decode(), second.content.decode()

    assert masked(first_html) == masked(second_html)
    for response in (first, second):
        (nonce,) = nonces(response)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert nonces(first) != nonces(second)
    assert value_of("csrfmiddlewaretoken", first_html) != value_of(
        "csrfmiddlewaretoken", second_html
    )
    keys = [value_of("submission_key", html) for html in (first_html, second_html)]
    assert keys[0] != keys[1]
    assert submission_key_check(point.token, keys[0]) != submission_key_check(point.token, keys[1])
    assert "csrftoken" in first.cookies  # the CSRF cookie is set, as {% csrf_token %} does
    for placeholder in (CSRF_PLACEHOLDER, KEY_PLACEHOLDER, NONCE_PLACEHOLDER):
        assert placeholder not in first_html + second_html


def test_a_shared_page_posts_with_csrf_checks_on(form, recomputes):
    client = Client(enforce_csrf_checks=True)
    point = distribution_point(form)
    client.get(form_url(point))
    html = client.get(form_url(point)).content.decode()
    version = services.form_current_version(form)
    q1, q2, _ = version.questions.all()
    data = {
        "csrfmiddlewaretoken": value_of("csrfmiddlewaretoken", html),
        "submission_key": value_of("submission_key", html),
        "lang": "en", "website": "", "q1": q1.options.first().pk, "q2": q2.options.first().pk,
    }

    forged = {**data, "csrfmiddlewaretoken": "x" * 64}
    assert client.post(form_url(point), forged).status_code == 403
    assert client.post(form_url(point), data).status_code == 302
    assert Response.objects.count() == 1


@pytest.fixture
def recomputes(monkeypatch):
    calls = []
    monkeypatch.setattr("evaluation.summaries.request_recompute", calls.append)
    return calls


def test_an_edited_translation_changes_the_shared_page_at_once(
    client, form, django_capture_on_commit_callbacks
):
    point = distribution_point(form)
    assert "Mynd adref o Ward 7" in client.get(form_url(point, "cy")).content.decode()
    Response.objects.create(  # the version has responses: translations still change in place
        always_event_id=form.always_event_id, form_version=services.form_current_version(form),
        source="web", responded_on=point.starts_on, submission_key="page-cache-test",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.translation_save(
            form=form, language="cy", language_name="Cymraeg", title="Mynd adref o Ward 8",
            questions={},
        )

    page = client.get(form_url(point, "cy")).content.decode()
    assert "Mynd adref o Ward 8" in page
    assert "Mynd adref o Ward 7" not in page
    assert "Cwestiwn 1" not in page  # the new translation has no question texts


def test_an_edited_question_changes_the_shared_page_at_once(
    client, form, django_capture_on_commit_callbacks
):
    point = distribution_point(form)
    assert "Yes, definitely" in client.get(form_url(point)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        option = Option.objects.get(question__version__form=form, label="Yes, definitely")
        option.label = "Yes, I knew"
        option.save()

    page = client.get(form_url(point)).content.decode()
    assert "Yes, I knew" in page and "Yes, definitely" not in page


def test_a_renamed_form_and_a_new_you_said_we_did_show_at_once(client, form, always_event):
    """Saving the form or the Always Event changes the generation, and the shared page is
    keyed by what they say as well."""
    point = distribution_point(form)
    client.get(form_url(point))
    client.get(thanks_url(point))

    form.title = "Leaving Ward 7"
    form.save()
    always_event.you_said_we_did = "You said the car park was full. We opened another."
    always_event.save()

    assert "Leaving Ward 7" in client.get(form_url(point)).content.decode()
    assert "We opened another" in client.get(thanks_url(point)).content.decode()


def test_a_retired_point_is_closed_even_when_its_page_is_shared(client, form):
    point = distribution_point(form)
    assert client.get(form_url(point)).status_code == 200

    services.distribution_point_retire(point=point)

    assert client.get(form_url(point)).status_code == 410


def test_a_form_with_errors_is_rendered_for_its_request_and_keeps_the_answers(
    client, form, recomputes
):
    point = distribution_point(form)
    html = client.get(form_url(point)).content.decode()
    version = services.form_current_version(form)
    _, q2, _ = version.questions.all()
    good = q2.options.get(label="Good")
    posted_key = value_of("submission_key", html)

    response = client.post(form_url(point), {
        "submission_key": posted_key, "lang": "en", "website": "",
        "q1": "", "q2": good.pk, "q3": "The nurses were kind",
    })

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Select an answer to question 1" in page
    assert re.search(rf'value="{good.pk}"\s+checked', page)
    assert "The nurses were kind" in page
    assert value_of("submission_key", page) != posted_key
    again = client.get(form_url(point)).content.decode()
    assert "There is a problem" not in again
    assert "checked" not in again and "The nurses were kind" not in again
    assert Response.objects.count() == 0


def test_a_visitor_with_a_session_gets_a_page_of_their_own_with_their_messages(
    client, form, lead, always_event
):
    point = distribution_point(form)
    client.get(form_url(point))  # a patient's visit fills the shared page
    client.force_login(lead)
    client.post(
        reverse("evaluation:measure_create", args=[always_event.pk]),
        {"kind": "process", "name": "Contact cards given", "target_percent": 90,
         "improvement": "increase", "frequency": "month"},
    )

    page = client.get(form_url(point)).content.decode()

    assert "Measure “Contact cards given” added" in page


def test_without_the_shared_cache_pages_are_rendered_for_each_request(client, form, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    monkeypatch.setattr(form_cache, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    point = distribution_point(form)

    first, second = client.get(form_url(point)), client.get(thanks_url(point))

    assert first.status_code == second.status_code == 200
    assert "Did you know who to contact" in first.content.decode()
    assert form_cache._pages == {}


def test_the_public_form_selector_reads_what_the_orm_reads(form, django_assert_num_queries):
    point = distribution_point(form)
    expected = DistributionPoint.objects.select_related("form", "always_event").get(pk=point.pk)
    selectors.public_form(point.token)  # puts the point and the version in the cache

    with django_assert_num_queries(0):
        cached, version, generation = selectors.public_form(point.token)
    with django_assert_num_queries(1):
        read = selectors._public_point(point.token)

    for found in (cached, read):
        assert found.form.title == expected.form.title
        assert found.form.always_event_id == expected.form.always_event_id
        assert found.always_event.you_said_we_did == expected.always_event.you_said_we_did
        for field in DistributionPoint._meta.concrete_fields:
            assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert version == services.form_current_version(form)
    assert generation == form_cache.generation()
    assert read.always_event.title == expected.always_event.title  # the rest loads when read


def test_the_public_form_selector_finds_the_newest_version_and_no_unknown_token(form):
    point = distribution_point(form)
    Response.objects.create(
        always_event_id=form.always_event_id, form_version=services.form_current_version(form),
        source="web", responded_on=point.starts_on, submission_key="new-version-test",
    )
    services.question_add(form=form, kind="scale", scale="frequency", text="Were you listened to?")
    newest = services.form_current_version(form)

    assert newest.number == 2
    assert selectors.public_form(point.token).version == newest
    assert selectors.public_form("no-such-token")[:2] == (None, None)

