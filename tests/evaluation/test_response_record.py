"""Saving a response (`services.response_record`): the response and its answers in one
statement, all or nothing, and stored once per submission key, whether a patient's
answers (outside a transaction) or an import's rows (inside one)."""

import pytest
from django.db import IntegrityError, connections, transaction

from evaluation import selectors, services
from evaluation.models import Answer, Option, Outcome, Response

from .factories import AlwaysEventFactory, distribution_point, feedback_form


@pytest.fixture
def point(organisation):
    return distribution_point(feedback_form(AlwaysEventFactory(organisation=organisation)))


@pytest.fixture
def version(point):
    """The version as a patient's POST has it: questions and options prefetched."""
    return selectors.public_form(point.token).version


def answers(version, text=""):
    q1, q2, q3 = version.questions.all()
    return [
        services.AnswerInput(question=q1, option=q1.options.all()[0]),
        services.AnswerInput(question=q2, option=q2.options.all()[1]),
        services.AnswerInput(question=q3, text=text),
    ]


def record(version, point, key, given):
    return services.response_record(
        version=version, answers=given, source=Response.Source.WEB, submission_key=key,
        distribution_point=point, recompute=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_patients_answers_are_saved_in_one_statement_and_no_transaction_around_it(
    point, version, django_assert_num_queries
):
    with django_assert_num_queries(1) as captured:
        saved = record(version, point, "a" * 32, answers(version))

    assert "INSERT" in captured.captured_queries[0]["sql"]
    stored = Response.objects.get()
    assert saved.pk == stored.pk and stored.distribution_point == point
    rows = list(stored.answers.order_by("question__position"))
    assert [(a.option_id, a.text) for a in rows] == [
        (answers(version)[0].option.pk, ""), (answers(version)[1].option.pk, ""),
    ]
    assert all(
        a.always_event_id == point.always_event_id and a.responded_on == stored.responded_on
        for a in rows
    )
    assert rows[0].outcome == Outcome.SUCCESS


@pytest.mark.django_db(transaction=True)
def test_free_text_is_saved_scrubbed_with_no_option_or_outcome(point, version):
    record(version, point, "b" * 32, answers(version, text="Ring me on 07700 900123"))

    text = Answer.objects.get(question__position=3)
    assert text.option_id is None and text.outcome is None
    assert "07700" not in text.text and text.text.startswith("Ring me on")


@pytest.mark.django_db(transaction=True)
def test_free_text_is_saved_character_for_character(point, version):
    said = 'Diolch – “gwych” staff, a\\b {x} \'quoted\' 😀\nnew line, ŵ ŷ مرحبا'
    record(version, point, "9" * 32, answers(version, text=said))

    assert Answer.objects.get(question__position=3).text == said


@pytest.mark.django_db(transaction=True)
def test_a_response_without_answers_is_still_saved(organisation):
    form = feedback_form(AlwaysEventFactory(organisation=organisation))
    version = services.form_current_version(form)
    for position in (2, 1):  # leave only the optional free-text question
        services.question_delete(form=form, position=position)
    point = distribution_point(form)
    version = selectors.public_form(point.token).version

    assert record(version, point, "c" * 32, []) is not None
    assert Response.objects.count() == 1 and Answer.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_same_key_twice_outside_a_transaction_stores_one_response(point, version):
    assert record(version, point, "d" * 32, answers(version)) is not None
    assert record(version, point, "d" * 32, answers(version)) is None

    assert Response.objects.count() == 1 and Answer.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_failing_answer_saves_nothing_not_even_the_response(point, version):
    q1, q2, _ = version.questions.all()
    gone = Option(pk=10**12, question=q2, position=9, label="Gone", outcome=Outcome.EXCLUDED)
    given = [
        services.AnswerInput(question=q1, option=q1.options.all()[0]),
        services.AnswerInput(question=q2, option=gone),
    ]

    with pytest.raises(IntegrityError):
        record(version, point, "e" * 32, given)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_inside_a_transaction_a_repeated_key_fails_alone(point, version):
    with transaction.atomic():
        assert record(version, point, "f" * 32, answers(version)) is not None
        assert record(version, point, "f" * 32, answers(version)) is None
        # The transaction is still usable: the duplicate was rolled back to a savepoint.
        assert record(version, point, "0" * 32, answers(version)) is not None

    assert Response.objects.count() == 2 and Answer.objects.count() == 4


def test_elsewhere_than_postgresql_the_orm_saves_it_the_same(point, version, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")

    saved = record(version, point, "1" * 32, answers(version, text="Kind staff"))
    again = record(version, point, "1" * 32, answers(version))

    assert saved.pk == Response.objects.get().pk and again is None
    assert sorted(saved.answers.values_list("text", flat=True)) == ["", "", "Kind staff"]
