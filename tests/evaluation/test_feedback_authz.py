"""Another organisation's users get 404 on every staff page of the evaluation app."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.urls import urlpatterns
from tests.authz import assert_not_found_for

from .factories import AlwaysEventFactory, MeasureFactory, distribution_point, feedback_form

PUBLIC = {"feedback_form", "feedback_thanks"}
POST_ONLY = {"distribution_point_retire", "question_move"}  # buttons, not pages


@pytest.fixture
def objects(organisation, monkeypatch):
    monkeypatch.setattr("evaluation.services._enqueue_import", lambda _id: None)
    event = AlwaysEventFactory(organisation=organisation)
    form = feedback_form(event)
    services.translation_save(form=form, language="cy", language_name="Cymraeg",
                              title="Mynd adref", questions={})
    batch = services.import_batch_create(
        form=form, file_name="paper.csv",
        content=services.import_template_csv(services.form_current_version(form)).encode(),
    )
    measure = MeasureFactory(always_event=event, kind="process")
    services.data_point_record(
        measure=measure, period_start=dt.date(2026, 11, 2), numerator=18, denominator=20
    )
    return {
        "always_event": event, "measure": measure,
        "form": form, "point": distribution_point(form), "batch": batch,
    }


def every_staff_url(objects, *, pages_only: bool = False) -> list[str]:
    """Every staff URL of the app, filled with `objects`; `pages_only`: not those that
    only act on POST (GET answers 405)."""
    urls = []
    for pattern in urlpatterns:
        if pattern.name in PUBLIC or (pages_only and pattern.name in POST_ONLY):
            continue
        route = str(pattern.pattern)
        kwargs = {}
        if route.startswith("always-events/"):
            kwargs["pk"] = objects["always_event"].pk
        elif route.startswith("measures/"):
            kwargs["pk"] = objects["measure"].pk
        elif route.startswith("forms/"):
            kwargs["pk"] = objects["form"].pk
        elif route.startswith("distribution-points/"):
            kwargs["pk"] = objects["point"].pk
        elif route.startswith("imports/"):
            kwargs["pk"] = objects["batch"].pk
        else:
            raise AssertionError(f"No object for {route}")
        if "<int:point_pk>" in route:
            kwargs["point_pk"] = objects["measure"].data_points.get().pk
        if "<int:position>" in route:
            kwargs["position"] = 1
        if "<str:language>" in route:
            kwargs["language"] = "cy"
        if "<str:image_format>" in route:
            kwargs["image_format"] = "png"
        urls.append(reverse(f"evaluation:{pattern.name}", kwargs=kwargs))
    return urls


def test_every_staff_url_is_covered(objects):
    assert len(every_staff_url(objects)) == len(urlpatterns) - len(PUBLIC)


def test_another_organisations_lead_gets_404_on_every_page(client, objects, other_lead):
    assert_not_found_for(client, other_lead, every_staff_url(objects))


def test_another_organisations_lead_gets_404_on_every_post(client, objects, other_lead):
    assert_not_found_for(client, other_lead, every_staff_url(objects), method="post")


def test_a_member_can_open_every_page(client, objects, lead):
    client.force_login(lead)
    for url in every_staff_url(objects, pages_only=True):
        response = client.get(url)
        assert response.status_code == 200, f"{url} gave {response.status_code}"


def test_signed_out_people_are_sent_to_sign_in(client, objects):
    for url in every_staff_url(objects):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
