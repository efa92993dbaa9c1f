"""Distribution points: where people reach a form, with QR codes and an A4 poster."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import DistributionPoint

from .factories import AlwaysEventFactory, distribution_point, feedback_form


@pytest.fixture
def form(organisation):
    return feedback_form(AlwaysEventFactory(organisation=organisation))


@pytest.fixture
def point(form):
    return distribution_point(form)


def test_a_point_has_an_unguessable_token(point):
    assert len(point.token) >= 43


def test_an_end_before_the_start_is_refused(form):
    with pytest.raises(ValidationError):
        distribution_point(form, starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 1, 1))


def test_a_lead_adds_a_point_through_the_page(client, lead, form):
    client.force_login(lead)
    response = client.post(reverse("evaluation:distribution_point_create", args=[form.pk]), {
        "location": "Ward 7 day room", "channel": "kiosk", "starts_on_day": "1",
        "starts_on_month": "12", "starts_on_year": "2026",
    })
    point = DistributionPoint.objects.get()
    assert response["Location"] == reverse("evaluation:distribution_point_detail", args=[point.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"/f/{point.token}/" in page
    assert "<svg" in page


def test_a_point_can_be_retired(client, lead, point):
    client.force_login(lead)
    client.post(reverse("evaluation:distribution_point_retire", args=[point.pk]))
    point.refresh_from_db()
    assert point.retired_at is not None
    assert not services.distribution_point_is_open(point)


def test_the_qr_code_downloads_as_svg_and_png(client, lead, point):
    client.force_login(lead)
    svg = client.get(reverse("evaluation:distribution_point_qr", args=[point.pk, "svg"]))
    png = client.get(reverse("evaluation:distribution_point_qr", args=[point.pk, "png"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_the_poster_is_an_a4_pdf_with_the_vision_statement(client, lead, point):
    client.force_login(lead)
    response = client.get(reverse("evaluation:distribution_point_poster", args=[point.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_poster_html_holds_the_vision_statement_and_the_qr_code(point):
    from django.template.loader import render_to_string

    from evaluation.posters import qr_svg

    html = render_to_string("evaluation/poster.html", {
        "point": point, "always_event": point.always_event, "url": "https://x.test/f/abc/",
        "qr_svg": qr_svg("https://x.test/f/abc/"),
    })
    assert "I will always know who to contact when I get home" in html
    assert "<svg" in html and "size: A4" in html


def test_the_list_shows_every_point(client, lead, point):
    client.force_login(lead)
    page = client.get(reverse("evaluation:distribution_point_list", args=[point.always_event_id]))
    assert "Ward 7 discharge lounge" in page.content.decode()
