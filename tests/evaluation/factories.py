"""Factories for the feedback forms tests: realistic Always Events, forms and scales."""

import datetime as dt

import factory

from evaluation import services
from evaluation.models import DistributionPoint, Measure
from programmes.models import AlwaysEvent
from tests.factories import OrganisationFactory


class AlwaysEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlwaysEvent

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Knowing who to contact after discharge"
    service_area = "Ward 7 (older people)"
    setting = AlwaysEvent.Setting.INPATIENT
    vision_statement = "I will always know who to contact when I get home"
    you_said_we_did = (
        "You said you did not know who to ring at home. We now give everyone a contact card."
    )


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    always_event = factory.SubFactory(AlwaysEventFactory)
    kind = Measure.Kind.OUTCOME
    name = "Knew who to contact after discharge"
    target_percent = 80


def feedback_form(always_event, *, with_text: bool = True, measure=None, title=None):
    """A form with the "Yes, definitely" scale question, an FFT question and free text."""
    form = services.form_create(always_event=always_event, title=title or "Going home from Ward 7")
    services.question_add(
        form=form, kind="scale", scale="yes_no", measure=measure,
        text="Did you know who to contact if you were worried after you got home?",
    )
    services.question_add(
        form=form, kind="scale", scale="fft",
        text="Overall, how was your experience of our service?",
    )
    if with_text:
        services.question_add(
            form=form, kind="text", text="Is there anything else you would like to tell us?",
            max_length=500,
        )
    return form


def distribution_point(form, *, channel=DistributionPoint.Channel.QR_CODE, **kwargs):
    kwargs.setdefault("starts_on", dt.date(2026, 1, 1))
    return services.distribution_point_create(
        form=form, location="Ward 7 discharge lounge", channel=channel, **kwargs
    )
