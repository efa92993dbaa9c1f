"""Measures of an Always Event, and process and balancing figures entered or uploaded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services
from evaluation.models import Measure, MeasureDataPoint

from .factories import AlwaysEventFactory, MeasureFactory


@pytest.fixture
def always_event(organisation):
    return AlwaysEventFactory(organisation=organisation)


@pytest.fixture
def process(always_event):
    return MeasureFactory(
        always_event=always_event, kind="process", name="Contact cards given",
        numerator="Discharges with a card", denominator="Discharges",
    )


def test_a_lead_adds_an_outcome_measure(client, lead, always_event):
    client.force_login(lead)
    response = client.post(reverse("evaluation:measure_create", args=[always_event.pk]), {
        "kind": "outcome", "name": "Knew who to contact", "target_percent": "85",
        "improvement": "increase", "frequency": "week",
    })
    measure = Measure.objects.get()
    assert response["Location"] == reverse("evaluation:measure_detail", args=[measure.pk])
    assert measure.target_percent == 85
    page = client.get(reverse("evaluation:measure_list", args=[always_event.pk]))
    assert "Knew who to contact" in page.content.decode()


def test_a_target_over_100_is_refused(client, lead, always_event):
    client.force_login(lead)
    response = client.post(reverse("evaluation:measure_create", args=[always_event.pk]), {
        "kind": "outcome", "name": "X", "target_percent": "120", "improvement": "increase",
        "frequency": "week",
    })
    assert "The target must be a whole number from 0 to 100" in response.content.decode()
    assert not Measure.objects.exists()


def test_the_measure_list_has_an_empty_state(client, lead, always_event):
    client.force_login(lead)
    page = client.get(reverse("evaluation:measure_list", args=[always_event.pk]))
    assert "No measures yet" in page.content.decode()


def test_figures_are_recorded_for_the_week_that_holds_the_date(process, lead):
    point = services.data_point_record(
        measure=process, period_start=dt.date(2026, 11, 26), numerator=18, denominator=20,
        user=lead,
    )
    assert point.period_start == dt.date(2026, 11, 23)
    services.data_point_record(
        measure=process, period_start=dt.date(2026, 11, 23), numerator=19, denominator=20
    )
    assert MeasureDataPoint.objects.get().numerator == 19


def test_a_numerator_over_the_denominator_is_refused(process):
    with pytest.raises(ValidationError) as error:
        services.data_point_record(
            measure=process, period_start=dt.date(2026, 11, 2), numerator=21, denominator=20
        )
    assert "same as or less than the denominator" in str(error.value)


def test_outcome_measures_take_no_entered_figures(always_event):
    outcome = MeasureFactory(always_event=always_event)
    with pytest.raises(ValidationError):
        services.data_point_record(
            measure=outcome, period_start=dt.date(2026, 11, 2), numerator=1, denominator=2
        )


def test_figures_entered_through_the_page(client, lead, process):
    client.force_login(lead)
    url = reverse("evaluation:data_point_create", args=[process.pk])
    bad = client.post(url, {"period_start_day": "2", "period_start_month": "11",
                            "period_start_year": "2026", "numerator": "5", "denominator": "4"})
    assert "same as or less than the denominator" in bad.content.decode()
    good = client.post(url, {"period_start_day": "2", "period_start_month": "11",
                             "period_start_year": "2026", "numerator": "4", "denominator": "5"})
    assert good.status_code == 302
    page = client.get(reverse("evaluation:measure_detail", args=[process.pk])).content.decode()
    assert "2 November 2026" in page and "80%" in page


def test_figures_entered_for_the_wrong_period_are_deleted_after_asking(
    client, lead, staff, process
):
    wrong = services.data_point_record(
        measure=process, period_start=dt.date(2026, 11, 2), numerator=4, denominator=5
    )
    kept = services.data_point_record(
        measure=process, period_start=dt.date(2026, 11, 9), numerator=3, denominator=5
    )
    url = reverse("evaluation:data_point_delete", args=[process.pk, wrong.pk])
    detail = reverse("evaluation:measure_detail", args=[process.pk])
    client.force_login(staff)  # not on the Always Event's team
    assert url not in client.get(detail).content.decode()
    assert client.post(url).status_code == 403

    client.force_login(lead)
    assert url in client.get(detail).content.decode()
    confirm = client.get(url).content.decode()
    assert "Delete these figures?" in confirm and "4 of 5" in confirm
    assert client.post(url).status_code == 302

    assert list(process.data_points.all()) == [kept]
    other = reverse("evaluation:data_point_delete", args=[process.pk, kept.pk + 1000])
    assert client.get(other).status_code == 404


def test_a_csv_of_figures_saves_valid_rows_and_lists_the_others(process):
    content = (
        b"period_start,numerator,denominator\n"
        b"2026-11-02,18,20\n"
        b"09/11/2026,30,20\n"
        b"not a date,1,2\n"
        b"2026-11-16,x,2\n"
        b"2026-11-23,5\n"
        b"\n"
        b"2026-11-30,0,0\n"
    )
    result = services.data_points_import(measure=process, content=content)
    assert result.saved == 2
    assert [(e.line, e.reason.split(" (")[0]) for e in result.errors] == [
        (3, "The numerator must be the same as or less than the denominator"),
        (4, "The date must be a real date written like 2026-11-27 or 27/11/2026"),
        (5, "The numerator must be a whole number, 0 or more"),
        (6, "The row needs a date, a numerator and a denominator"),
    ]


def test_a_csv_with_the_wrong_columns_is_refused(process):
    with pytest.raises(ValidationError) as error:
        services.data_points_import(measure=process, content=b"week,yes,total\n")
    assert "period_start,numerator,denominator" in str(error.value)


def test_a_csv_is_uploaded_through_the_page(client, lead, process):
    client.force_login(lead)
    upload = SimpleUploadedFile(
        "figures.csv", b"period_start,numerator,denominator\n2026-11-02,18,20\n2026-11-09,9,8\n",
        content_type="text/csv",
    )
    response = client.post(reverse("evaluation:data_point_upload", args=[process.pk]),
                           {"file": upload})
    html = response.content.decode()
    assert "1 row saved" in html and "1 row not saved" in html
    assert MeasureDataPoint.objects.count() == 1


def test_an_upload_that_is_not_a_csv_is_refused(client, lead, process):
    client.force_login(lead)
    upload = SimpleUploadedFile("figures.xlsx", b"PK\x03\x04", content_type="application/zip")
    response = client.post(reverse("evaluation:data_point_upload", args=[process.pk]),
                           {"file": upload})
    assert "The selected file must be a CSV" in response.content.decode()


def test_the_outcome_measure_gate_is_registered():
    from programmes.gates import gates_for
    from programmes.models import Phase

    assert "evaluation.outcome_measure" in [g.key for g in gates_for(Phase.TEST)]


def test_the_gate_is_met_once_an_outcome_measure_exists(always_event):
    from programmes.gates import check_gates

    def met():
        return next(r.met for r in check_gates(always_event, "test")
                    if r.gate.key == "evaluation.outcome_measure")

    assert met() is False
    MeasureFactory(always_event=always_event)
    assert met() is True
