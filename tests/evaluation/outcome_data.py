"""Builds an outcome measure with a real question and options, and answers to it."""

import datetime as dt
import uuid

from evaluation.models import (
    Answer,
    FeedbackForm,
    FormVersion,
    Measure,
    Option,
    Outcome,
    Question,
    Response,
)
from programmes.models import AlwaysEvent

YES_DEFINITELY = "Yes, definitely"
TO_SOME_EXTENT = "Yes, to some extent"
NO = "No"
DONT_KNOW = "Don't know"
SCALE = [
    (YES_DEFINITELY, Outcome.SUCCESS),
    (TO_SOME_EXTENT, Outcome.NOT_SUCCESS),
    (NO, Outcome.NOT_SUCCESS),
    (DONT_KNOW, Outcome.EXCLUDED),
]


def outcome_question(organisation) -> Question:
    event = AlwaysEvent.objects.create(
        organisation=organisation,
        title="Knowing who to contact after discharge",
        service_area="Ward 7 (older people)",
        setting=AlwaysEvent.Setting.INPATIENT,
        vision_statement="I will always know who to contact when I get home",
    )
    measure = Measure.objects.create(
        always_event=event, kind=Measure.Kind.OUTCOME, name="Knew who to contact", target_percent=80
    )
    form = FeedbackForm.objects.create(always_event=event, title="Going home from Ward 7")
    version = FormVersion.objects.create(form=form, number=1)
    question = Question.objects.create(
        version=version,
        position=1,
        kind=Question.Kind.SCALE,
        text="Did you know who to contact if you were worried after you got home?",
        measure=measure,
    )
    for position, (label, outcome) in enumerate(SCALE, start=1):
        Option.objects.create(question=question, position=position, label=label, outcome=outcome)
    return question


def answer(question: Question, day: dt.date, label: str) -> Answer:
    option = question.options.get(label=label)
    event_id = question.version.form.always_event_id
    response = Response.objects.create(
        always_event_id=event_id,
        form_version=question.version,
        source=Response.Source.WEB,
        responded_on=day,
        submission_key=uuid.uuid4().hex,
    )
    return Answer.objects.create(
        response=response,
        question=question,
        option=option,
        always_event_id=event_id,
        responded_on=day,
        outcome=option.outcome,
    )


def answers(question: Question, day: dt.date, **counts: int) -> None:
    """answers(q, day, yes=3, some=1, no=1, dont_know=2)"""
    labels = {"yes": YES_DEFINITELY, "some": TO_SOME_EXTENT, "no": NO, "dont_know": DONT_KNOW}
    for key, n in counts.items():
        for _ in range(n):
            answer(question, day, labels[key])
