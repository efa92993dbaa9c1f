"""The public form's version cache (evaluation/form_cache.py): fewer queries per patient,
and never a stale question, option or translation after an edit."""

import pytest
from django.urls import reverse

from evaluation import form_cache, selectors, services
from evaluation.models import Option, Response

from .factories import AlwaysEventFactory, distribution_point, feedback_form

pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture
def point(organisation):
    return distribution_point(feedback_form(AlwaysEventFactory(organisation=organisation)))


def _page(client, point, **query):
    return client.get(reverse("evaluation:feedback_form", args=[point.token]), query)


def test_a_cached_form_page_reads_only_the_distribution_point(
    client, point, django_assert_num_queries
):
    assert _page(client, point).status_code == 200

    with django_assert_num_queries(1):
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
