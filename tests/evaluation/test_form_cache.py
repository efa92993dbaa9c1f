"""The public form's version cache (evaluation/form_cache.py): fewer queries per patient,
and never a stale question, option or translation after an edit."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from evaluation import form_cache, selectors, services
from evaluation.models import DistributionPoint, Option, Response
from programmes.models import AlwaysEvent

from .factories import AlwaysEventFactory, distribution_point, feedback_form

pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture
def point(organisation):
    return distribution_point(feedback_form(AlwaysEventFactory(organisation=organisation)))


def _page(client, point, **query):
    return client.get(reverse("evaluation:feedback_form", args=[point.token]), query)


def test_a_cached_form_page_reads_nothing_from_the_database(
    client, point, django_assert_num_queries
):
    assert _page(client, point).status_code == 200

    with django_assert_num_queries(0):
        assert _page(client, point).status_code == 200


def test_a_translation_edited_in_place_shows_at_once(
    client, point, django_capture_on_commit_callbacks
):
    form = point.form
    version = services.form_current_version(form)
    Response.objects.create(  # the version has responses: translations still change in place
        always_event_id=form.always_event_id,
        form_version=version,
        source="web",
        responded_on=version.published_at.date(),
        submission_key="cache-test",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_save(
            form=form, language="cy", language_name="Cymraeg", title="Mynd adref", questions={}
        )
    assert "Mynd adref" in _page(client, point, lang="cy").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.translation_save(
            form=form,
            language="cy",
            language_name="Cymraeg",
            title="Mynd adref o Ward 7",
            questions={},
        )

    assert "Mynd adref o Ward 7" in _page(client, point, lang="cy").content.decode()


def test_an_option_changed_directly_shows_at_once(
    client, point, django_capture_on_commit_callbacks
):
    assert "Yes, definitely" in _page(client, point).content.decode()
    option = Option.objects.get(question__version__form=point.form, label="Yes, definitely")

    with django_capture_on_commit_callbacks(execute=True):
        option.label = "Yes, I knew"
        option.save()

    page = _page(client, point).content.decode()
    assert "Yes, I knew" in page
    assert "Yes, definitely" not in page


def test_a_version_loaded_under_an_old_generation_is_not_used(point):
    _, version, _ = selectors.public_form(point.token)
    token = form_cache.generation()
    assert form_cache.get(version.pk, token) is version

    form_cache.put(version.pk, "an-older-generation", version)

    assert form_cache.get(version.pk, token) is None


def test_without_the_shared_cache_the_form_still_loads(point, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    monkeypatch.setattr(form_cache, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    assert form_cache.generation() is None

    _, version, _ = selectors.public_form(point.token)

    assert [q.position for q in version.questions.all()] == [1, 2, 3]
    assert form_cache.get(version.pk, None) is None


def _thanks(client, point):
    return client.get(reverse("evaluation:feedback_thanks", args=[point.token]))


@pytest.mark.parametrize("change", [
    lambda point: point.save(),
    lambda point: point.form.save(),
    lambda point: AlwaysEvent.objects.get(pk=point.always_event_id).save(),
    lambda point: point.delete(),
], ids=["link saved", "form saved", "always event saved", "link deleted"])
def test_a_change_to_a_link_its_form_or_its_always_event_changes_the_generation(
    point, change, django_capture_on_commit_callbacks
):
    before = form_cache.generation()

    with django_capture_on_commit_callbacks(execute=True):
        change(point)

    assert form_cache.generation() != before


def test_a_link_retired_by_another_process_closes_here_once_the_generation_changes(
    client, point
):
    assert _page(client, point).status_code == 200
    # Another process retires it: this process sees only the row and, on commit, the token.
    DistributionPoint.objects.filter(pk=point.pk).update(retired_at=timezone.now())
    assert _page(client, point).status_code == 200  # still the cached point

    cache.set(form_cache.GENERATION_KEY, "after-the-retirement", timeout=None)

    assert _page(client, point).status_code == 410


def test_a_new_you_said_we_did_shows_once_the_generation_changes(client, point):
    assert "contact card" in _thanks(client, point).content.decode()
    AlwaysEvent.objects.filter(pk=point.always_event_id).update(
        you_said_we_did="You said the car park was full. We opened another."
    )

    cache.set(form_cache.GENERATION_KEY, "after-the-edit", timeout=None)

    html = _thanks(client, point).content.decode()
    assert "We opened another" in html and "contact card" not in html


def test_nothing_is_kept_longer_than_its_maximum_age(point, monkeypatch):
    found, version, _ = selectors.public_form(point.token)
    token = form_cache.generation()
    assert form_cache.point_get(point.token, token) is found
    now = time.monotonic()

    monkeypatch.setattr(form_cache.time, "monotonic", lambda: now + form_cache.MAX_AGE_SECONDS + 1)

    assert form_cache.point_get(point.token, token) is None
    assert form_cache.get(version.pk, token) is None


def _welsh(point):
    services.translation_save(
        form=point.form, language="cy", language_name="Cymraeg", title="Mynd adref",
        questions={"1": {"text": "Cwestiwn un"}},
    )


def test_each_form_copies_the_question_fields_built_once_per_version_and_language(point):
    from django.utils import translation

    from evaluation.forms import FeedbackResponseForm

    _welsh(point)
    services.translation_save(
        form=point.form, language="ar", language_name="العربية", title="العودة",
        questions={"1": {"text": "السؤال الأول"}},
    )
    _, version, _ = selectors.public_form(point.token)
    welsh = selectors.translation_for(version, "cy")
    first, second = (FeedbackResponseForm(version=version) for _ in range(2))
    with translation.override("cy"):
        in_welsh = FeedbackResponseForm(version=version, translation=welsh)
    # Arabic questions with the service's words in English: the same language active.
    in_arabic = FeedbackResponseForm(
        version=version, translation=selectors.translation_for(version, "ar")
    )

    assert first.fields["q1"] is not second.fields["q1"]
    assert first.fields["q1"].widget is not second.fields["q1"].widget
    assert first.questions is second.questions  # built once, read only
    assert in_welsh.fields["q1"].label == "Cwestiwn un"
    assert in_arabic.fields["q1"].label == "السؤال الأول"
    assert first.fields["q1"].label.startswith("Did you know")
    assert "Dewiswch" in in_welsh.fields["q1"].error_messages["required"]


def test_a_page_with_errors_shows_an_option_edited_since_the_last_post(
    client, point, django_capture_on_commit_callbacks
):
    url = reverse("evaluation:feedback_form", args=[point.token])
    client.post(url, {"q1": ""})  # builds the fields of this version
    with django_capture_on_commit_callbacks(execute=True):
        option = Option.objects.get(question__version__form=point.form, label="Yes, definitely")
        option.label = "Yes, I knew"
        option.save()

    html = client.post(url, {"q1": ""}).content.decode()

    assert "There is a problem" in html
    assert "Yes, I knew" in html and "Yes, definitely" not in html
