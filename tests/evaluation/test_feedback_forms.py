"""Building feedback forms: versions, questions, scales, translations (services and pages)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import FormVersion, Outcome, Question, Response

from .factories import AlwaysEventFactory, MeasureFactory, distribution_point, feedback_form


@pytest.fixture
def always_event(organisation):
    return AlwaysEventFactory(organisation=organisation)


@pytest.fixture
def form(always_event):
    return feedback_form(always_event)


def respond(version):
    return services.response_record(
        version=version, source="paper", recompute=False,
        submission_key=f"key-{Response.objects.count()}",
        answers=[
            services.AnswerInput(question=q, option=q.options.first())
            for q in version.questions.exclude(kind="text")
        ],
    )


def test_a_new_form_has_version_1(always_event):
    form = services.form_create(always_event=always_event, title="Going home")
    assert list(form.versions.values_list("number", flat=True)) == [1]


def test_the_preset_scales_say_what_counts_as_success(form):
    q1, q2, q3 = services.form_current_version(form).questions.all()
    assert [(o.label, o.outcome) for o in q1.options.all()] == [
        ("Yes, definitely", Outcome.SUCCESS), ("Yes, to some extent", Outcome.NOT_SUCCESS),
        ("No", Outcome.NOT_SUCCESS), ("Don't know", Outcome.EXCLUDED),
    ]
    assert [o.label for o in q2.options.all()] == [
        "Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know",
    ]
    assert q3.kind == Question.Kind.FREE_TEXT and q3.max_length == 500 and not q3.required


def test_editing_a_form_without_responses_changes_the_same_version(form):
    services.question_update(form=form, position=1, text="Did you know who to call?")
    assert form.versions.count() == 1
    assert services.form_current_version(form).questions.get(position=1).text == (
        "Did you know who to call?"
    )


def test_editing_a_form_with_responses_makes_a_new_version_and_responses_keep_theirs(form):
    old = services.form_current_version(form)
    services.translation_save(form=form, language="cy", language_name="Cymraeg",
                              title="Mynd adref", questions={})
    response = respond(old)

    services.question_update(form=form, position=1, text="Did you know who to call?")

    new = services.form_current_version(form)
    assert new.number == 2
    assert old.questions.get(position=1).text.startswith("Did you know who to contact")
    assert new.questions.get(position=1).text == "Did you know who to call?"
    assert new.questions.get(position=2).options.count() == 6
    assert new.translations.get().language == "cy"
    response.refresh_from_db()
    assert response.form_version == old


def test_a_form_keeps_to_5_questions_with_answers(always_event):
    form = services.form_create(always_event=always_event, title="Long")
    for number in range(5):
        services.question_add(form=form, kind="scale", scale="frequency", text=f"Q{number}")
    with pytest.raises(ValidationError) as error:
        services.question_add(form=form, kind="scale", scale="frequency", text="Sixth")
    assert "up to 5 questions" in str(error.value)


def test_a_form_has_at_most_one_free_text_question(form):
    with pytest.raises(ValidationError):
        services.question_add(form=form, kind="text", text="More?")


def test_custom_answers_say_whether_each_counts_as_success(form):
    services.question_delete(form=form, position=3)
    question = services.question_add(
        form=form, kind="choice", text="Were you given a contact card?",
        custom_options="Yes | success\nNo | not success\nI can't remember | left out",
    )
    assert [(o.label, o.outcome) for o in question.options.all()] == [
        ("Yes", Outcome.SUCCESS), ("No", Outcome.NOT_SUCCESS),
        ("I can't remember", Outcome.EXCLUDED),
    ]


@pytest.mark.parametrize("text,message", [
    ("Yes\nNo | not success", "write the answer, a | and then"),
    ("Yes | maybe\nNo | not success", "after the | write success"),
    ("Yes | success", "at least 2 answers"),
    ("Yes | success\nyes | not success", "must be different"),
])
def test_badly_written_custom_answers_are_explained(text, message):
    with pytest.raises(ValidationError) as error:
        services.parse_custom_options(text)
    assert message in str(error.value)


def test_a_question_feeds_only_an_outcome_measure_of_its_always_event(form, always_event):
    process = MeasureFactory(always_event=always_event, kind="process", name="Cards given")
    with pytest.raises(ValidationError):
        services.question_update(form=form, position=1, text="Q", measure=process)
    other = MeasureFactory(always_event=AlwaysEventFactory(organisation=always_event.organisation))
    with pytest.raises(ValidationError):
        services.question_update(form=form, position=1, text="Q", measure=other)


def test_a_lead_builds_a_form_through_the_pages(client, lead, always_event):
    client.force_login(lead)
    response = client.post(reverse("evaluation:form_create", args=[always_event.pk]), {
        "title": "Going home", "introduction": "", "format": "standard",
    })
    form = always_event.feedback_forms.get()
    assert response["Location"] == reverse("evaluation:form_detail", args=[form.pk])
    response = client.post(reverse("evaluation:question_create", args=[form.pk]), {
        "kind": "scale", "text": "Did you know who to contact?", "scale": "yes_no",
        "required": "on",
    })
    assert response.status_code == 302
    page = client.get(reverse("evaluation:form_detail", args=[form.pk])).content.decode()
    assert "Did you know who to contact?" in page
    assert "Yes, definitely: counts as success" in page


def test_a_question_without_answers_to_choose_shows_a_message(client, lead, form):
    client.force_login(lead)
    response = client.post(reverse("evaluation:question_create", args=[form.pk]), {
        "kind": "scale", "text": "Q", "scale": "",
    })
    assert "Select the answers people choose from" in response.content.decode()
    assert "<title>Error: " in response.content.decode()


def test_a_translation_is_saved_through_its_page(client, lead, form):
    client.force_login(lead)
    version = services.form_current_version(form)
    data = {"language": "cy", "language_name": "Cymraeg", "title": "Mynd adref",
            "introduction": ""}
    for q in version.questions.all():
        data[f"q{q.position}_text"] = f"Cwestiwn {q.position}"
        data[f"q{q.position}_hint"] = ""
        for o in q.options.all():
            data[f"q{q.position}_o{o.position}"] = f"Ateb {o.position}"
    response = client.post(reverse("evaluation:translation_create", args=[form.pk]), data)
    assert response.status_code == 302
    translation = version.translations.get()
    assert translation.questions["2"]["options"]["6"] == "Ateb 6"
    page = client.get(reverse("evaluation:translation_edit", args=[form.pk, "cy"]))
    assert page.status_code == 200 and "Ateb 6" in page.content.decode()


def test_an_easy_read_version_is_a_format_of_the_version(always_event):
    form = services.form_create(always_event=always_event, title="Easy", format="easy_read")
    assert services.form_current_version(form).format == FormVersion.Format.EASY_READ


def test_staff_not_on_the_always_event_cannot_change_its_forms(client, staff, form):
    client.force_login(staff)
    assert client.get(reverse("evaluation:form_detail", args=[form.pk])).status_code == 200
    assert client.get(reverse("evaluation:question_create", args=[form.pk])).status_code == 403


def test_staff_on_the_team_can_change_its_forms(client, staff, form, always_event):
    always_event.team.add(staff)
    client.force_login(staff)
    assert client.get(reverse("evaluation:question_create", args=[form.pk])).status_code == 200


def test_removing_a_question_asks_first(client, lead, form):
    client.force_login(lead)
    url = reverse("evaluation:question_delete", args=[form.pk, 3])
    assert "Remove this question?" in client.get(url).content.decode()
    client.post(url)
    assert services.form_current_version(form).questions.count() == 2


def _texts(version):
    return list(version.questions.order_by("position").values_list("position", "text"))


def _welsh(form):
    return services.translation_save(
        form=form, language="cy", language_name="Cymraeg", title="Mynd adref",
        questions={
            str(q.position): {"text": f"Cwestiwn am {q.text[:10]}"}
            for q in services.form_current_version(form).questions.all()
        },
    )


def test_moving_a_question_up_takes_its_translation_with_it(form):
    version = services.form_current_version(form)
    contact, overall, anything = (text for _, text in _texts(version))
    _welsh(form)

    services.question_move(form=form, position=2, direction="up")

    assert _texts(version) == [(1, overall), (2, contact), (3, anything)]
    welsh = version.translations.get().questions
    assert welsh["1"]["text"] == f"Cwestiwn am {overall[:10]}"
    assert welsh["2"]["text"] == f"Cwestiwn am {contact[:10]}"


def test_moving_numbers_the_questions_again_after_one_was_removed(form):
    version = services.form_current_version(form)
    _welsh(form)
    services.question_delete(form=form, position=2)  # leaves 1 and 3; Welsh keeps "2"

    services.question_move(form=form, position=3, direction="up")

    texts = [text for _, text in _texts(version)]
    assert [position for position, _ in _texts(version)] == [1, 2]
    assert texts[0].startswith("Is there anything else")
    welsh = version.translations.get().questions
    assert sorted(welsh) == ["1", "2"]  # the removed question's entry is not reused
    assert welsh["1"]["text"] == "Cwestiwn am Is there a"


def test_the_first_question_moved_up_stays_first(form):
    version = services.form_current_version(form)
    before = _texts(version)
    services.question_move(form=form, position=1, direction="up")
    services.question_move(form=form, position=3, direction="down")
    assert _texts(version) == before


def test_a_move_that_changes_nothing_makes_no_new_version(form):
    used = services.form_current_version(form)
    respond(used)
    services.question_move(form=form, position=1, direction="up")
    assert services.form_current_version(form) == used


def test_moving_a_question_of_a_version_in_use_makes_a_new_version(form):
    used = services.form_current_version(form)
    respond(used)
    before = _texts(used)

    services.question_move(form=form, position=1, direction="down")

    new = services.form_current_version(form)
    assert new.number == used.number + 1
    assert _texts(used) == before  # the responses keep the order they answered in
    assert [text for _, text in _texts(new)] == [before[1][1], before[0][1], before[2][1]]


def test_questions_are_moved_with_buttons_that_work_without_javascript(client, lead, form):
    client.force_login(lead)
    detail = reverse("evaluation:form_detail", args=[form.pk])
    page = client.get(detail).content.decode()
    move = reverse("evaluation:question_move", args=[form.pk, 3])
    assert f'action="{move}"' in page and 'value="up"' in page
    assert client.get(move).status_code == 405

    response = client.post(move, {"direction": "up"})

    assert response.status_code == 302 and response["Location"] == detail + "#questions"
    version = services.form_current_version(form)
    assert version.questions.get(position=2).kind == "text"
    assert "moved up" in client.get(detail).content.decode()
    assert client.post(move, {"direction": "sideways"}).status_code == 302
    assert "Move a question up or down" in client.get(detail).content.decode()


def test_staff_not_on_the_team_cannot_move_questions(client, staff, form):
    client.force_login(staff)
    before = _texts(services.form_current_version(form))
    url = reverse("evaluation:question_move", args=[form.pk, 2])
    assert client.post(url, {"direction": "up"}).status_code == 403
    assert _texts(services.form_current_version(form)) == before


def test_deleting_a_translation_asks_first_and_takes_it_off_the_public_form(
    client, lead, form
):
    _welsh(form)
    point = distribution_point(form)
    public = reverse("evaluation:feedback_form", args=[point.token])
    assert "Cymraeg" in client.get(public).content.decode()
    client.force_login(lead)
    url = reverse("evaluation:translation_delete", args=[form.pk, "cy"])
    assert url in client.get(reverse("evaluation:form_detail", args=[form.pk])).content.decode()
    assert "Delete this translation?" in client.get(url).content.decode()
    assert services.form_current_version(form).translations.exists()

    assert client.post(url).status_code == 302

    assert not services.form_current_version(form).translations.exists()
    client.logout()
    assert "Cymraeg" not in client.get(public).content.decode()
    assert client.get(url).status_code == 302  # signed out: to sign in
    client.force_login(lead)
    assert client.get(url).status_code == 404  # gone
