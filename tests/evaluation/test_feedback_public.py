"""The public feedback form at /f/<token>/: anonymous, robust, one response per submit."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.forms import submission_key_new
from evaluation.models import Answer, DistributionPoint, Outcome, Response

from .factories import AlwaysEventFactory, MeasureFactory, distribution_point, feedback_form

pytestmark = pytest.mark.usefixtures("clear_cache")


@pytest.fixture
def always_event(organisation):
    return AlwaysEventFactory(organisation=organisation)


@pytest.fixture
def form(always_event):
    return feedback_form(always_event, measure=MeasureFactory(always_event=always_event))


@pytest.fixture
def point(form):
    return distribution_point(form)


@pytest.fixture
def recomputes(monkeypatch):
    calls = []
    monkeypatch.setattr("evaluation.summaries.request_recompute", calls.append)
    return calls


def url(point, **query):
    path = reverse("evaluation:feedback_form", args=[point.token])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def key_from(response) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', response.content.decode()).group(1)


def answers_for(form, client, point, *, yes="Yes, definitely", fft="Good", text="", **extra):
    page = client.get(url(point))
    version = services.form_current_version(form)
    q1, q2, _ = version.questions.all()
    data = {
        "submission_key": key_from(page),
        "q1": q1.options.get(label=yes).pk if yes else "",
        "q2": q2.options.get(label=fft).pk if fft else "",
        "q3": text,
        "website": "",
        "lang": "en",
    }
    data.update(extra)
    return data


def test_the_form_shows_every_question_with_nhs_markup_and_no_sign_in(client, point):
    response = client.get(url(point))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<fieldset class="nhsuk-fieldset"') >= 2
    assert "nhsuk-fieldset__legend" in html
    assert "Did you know who to contact if you were worried" in html
    assert 'data-module="nhsuk-character-count"' in html
    assert 'autocomplete="off"' in html
    assert "Leave this blank" in html and 'tabindex="-1"' in html


def test_the_form_and_thank_you_pages_are_never_cached(client, point):
    for page in (url(point), reverse("evaluation:feedback_thanks", args=[point.token])):
        assert "no-store" in client.get(page)["Cache-Control"]


def test_the_public_pages_set_no_session_cookie(client, point, form, recomputes):
    client.get(url(point))
    client.post(url(point), answers_for(form, client, point))
    assert "sessionid" not in client.cookies


def test_a_response_is_saved_with_copies_on_its_answers(
    client, point, form, recomputes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(point), answers_for(form, client, point, text="Very kind staff"))

    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:feedback_thanks", args=[point.token])
    saved = Response.objects.get()
    assert saved.source == Response.Source.WEB
    assert saved.distribution_point == point
    assert saved.responded_on == timezone.localdate()
    answers = {a.question.position: a for a in saved.answers.all()}
    assert answers[1].outcome == Outcome.SUCCESS
    assert answers[2].option.label == "Good"
    assert answers[3].text == "Very kind staff" and answers[3].outcome is None
    for answer in answers.values():
        assert answer.always_event_id == point.always_event_id
        assert answer.responded_on == saved.responded_on
    assert recomputes == [point.always_event_id]


def test_a_double_submit_stores_one_response_and_thanks_both_times(client, point, form, recomputes):
    data = answers_for(form, client, point)
    first = client.post(url(point), data)
    second = client.post(url(point), data)

    assert Response.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert "already=1" in second["Location"]
    thanks = client.get(second["Location"])
    assert "We already have your answers" in thanks.content.decode()


@pytest.mark.parametrize("key", ["", "not-a-key", "0" * 32, "abc:def:ghi"])
def test_a_tampered_submission_key_is_refused_and_the_answers_kept(
    client, point, form, recomputes, key
):
    data = answers_for(form, client, point, text="Please keep this")
    data["submission_key"] = key
    response = client.post(url(point), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert Response.objects.count() == 0
    assert "There is a problem" in html
    assert "Please keep this" in html
    assert key_from(response) != key


def test_a_key_issued_for_another_form_is_refused(client, point, form, always_event, recomputes):
    other = distribution_point(feedback_form(always_event, title="Another form"))
    data = answers_for(form, client, point)
    data["submission_key"] = submission_key_new(other.token)
    client.post(url(point), data)
    assert Response.objects.count() == 0


def test_an_expired_key_asks_to_send_again(client, point, form, recomputes, settings):
    data = answers_for(form, client, point)
    settings.FEEDBACK_SUBMISSION_MAX_AGE = -1
    response = client.post(url(point), data)
    assert "open for a long time" in response.content.decode()
    assert Response.objects.count() == 0


def test_the_key_is_signed_by_the_server(point):
    key = submission_key_new(point.token)
    with pytest.raises(signing.BadSignature):
        signing.TimestampSigner(salt="evaluation.submission:other").unsign(key)


def test_a_missing_required_answer_shows_a_clear_message(client, point, form, recomputes):
    response = client.post(url(point), answers_for(form, client, point, yes=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Select an answer to question 1" in html
    assert Response.objects.count() == 0


def test_an_option_not_on_the_form_is_refused(client, point, form, always_event, recomputes):
    other_form = feedback_form(always_event, title="Other")
    foreign = services.form_current_version(other_form).questions.first().options.first()
    response = client.post(url(point), answers_for(form, client, point, q1=foreign.pk))
    assert "Select one of the answers shown" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_too_long_free_text_is_refused_and_nothing_is_saved(client, point, form, recomputes):
    response = client.post(url(point), answers_for(form, client, point, text="x" * 501))
    assert "500 characters or fewer" in response.content.decode()
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_a_bot_filling_the_honeypot_is_thanked_but_nothing_is_stored(
    client, point, form, recomputes
):
    response = client.post(url(point), answers_for(form, client, point, website="http://spam"))
    assert response.status_code == 302
    assert Response.objects.count() == 0


def test_an_unknown_token_says_the_form_is_closed_with_404(client, db):
    response = client.get("/f/no-such-token/")
    assert response.status_code == 404
    assert "This form is closed" in response.content.decode()


def test_a_retired_point_says_the_form_is_closed_with_410(client, point):
    services.distribution_point_retire(point=point)
    response = client.get(url(point))
    assert response.status_code == 410
    assert "This form is closed" in response.content.decode()


def test_an_ended_point_says_the_form_is_closed_with_410(client, form):
    ended = distribution_point(form, ends_on=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(url(ended)).status_code == 410
    assert client.post(url(ended), {}).status_code == 410


def test_too_many_answers_from_one_client_get_a_429_page(
    client, point, form, recomputes, settings
):
    settings.FEEDBACK_RATE_LIMIT_PER_CLIENT = "2/h"
    statuses = [client.post(url(point), answers_for(form, client, point)).status_code
                for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


def test_too_many_answers_to_one_point_get_a_429_page(client, point, form, recomputes, settings):
    settings.FEEDBACK_RATE_LIMIT_PER_POINT = "1/h"
    client.post(url(point), answers_for(form, client, point))
    response = client.post(url(point), answers_for(form, client, point), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 429
    assert "Too many answers have been sent" in response.content.decode()


def test_the_client_address_is_hashed_not_kept(point):
    from django.test import RequestFactory

    from evaluation.views import hashed_client

    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.44")
    hashed = hashed_client(request)
    assert "192.0.2.44" not in hashed and len(hashed) == 64
    assert not any(f.name in ("ip", "ip_address", "user_agent") for f in Response._meta.fields)


def test_the_thank_you_page_shows_you_said_we_did(client, point):
    response = client.get(reverse("evaluation:feedback_thanks", args=[point.token]))
    html = response.content.decode()
    assert "You said, we did" in html
    assert "We now give everyone a contact card" in html
    assert 'http-equiv="refresh"' not in html


def test_the_kiosk_thank_you_page_returns_to_a_fresh_form(client, form):
    kiosk = distribution_point(form, channel=DistributionPoint.Channel.KIOSK)
    response = client.get(reverse("evaluation:feedback_thanks", args=[kiosk.token]) + "?lang=cy")
    assert f'content="8;url=/f/{kiosk.token}/?lang=cy"' not in response.content.decode()
    services.translation_save(
        form=form, language="cy", language_name="Cymraeg", title="Mynd adref", questions={}
    )
    response = client.get(reverse("evaluation:feedback_thanks", args=[kiosk.token]) + "?lang=cy")
    assert f'content="8;url=/f/{kiosk.token}/?lang=cy"' in response.content.decode()


def test_the_kiosk_form_loads_the_idle_reset_module_and_records_kiosk_answers(
    client, form, recomputes
):
    kiosk = distribution_point(form, channel=DistributionPoint.Channel.KIOSK)
    page = client.get(url(kiosk)).content.decode()
    assert "js/evaluation/kiosk.js" in page
    assert 'data-kiosk-idle-seconds="90"' in page
    client.post(url(kiosk), answers_for(form, client, kiosk))
    assert Response.objects.get().source == Response.Source.KIOSK


def welsh(form):
    version = services.form_current_version(form)
    return services.translation_save(
        form=form, language="cy", language_name="Cymraeg", title="Mynd adref o Ward 7",
        questions={
            "1": {"text": "Oeddech chi'n gwybod pwy i gysylltu â nhw?", "hint": "",
                  "options": {"1": "Oeddwn, yn bendant", "2": "Oeddwn, i ryw raddau",
                              "3": "Nac oeddwn", "4": "Ddim yn gwybod"}},
        } | {str(q.position): {"text": f"Cwestiwn {q.position}", "hint": "", "options": {
            str(o.position): f"Ateb {o.position}" for o in q.options.all()}}
            for q in version.questions.all() if q.position != 1},
    )


def test_the_form_in_welsh_translates_the_questions_and_the_service_words(client, point, form):
    welsh(form)
    html = client.get(url(point, lang="cy")).content.decode()
    assert '<html lang="cy"' in html
    assert "Oeddech chi&#x27;n gwybod pwy i gysylltu â nhw?" in html
    assert "Oeddwn, yn bendant" in html
    assert "Anfon eich atebion" in html
    assert 'name="lang" value="cy"' in html
    assert 'hreflang="en"' in html


def test_a_welsh_response_records_its_language_and_thanks_in_welsh(
    client, point, form, recomputes
):
    welsh(form)
    data = answers_for(form, client, point, lang="cy")
    response = client.post(url(point), data)
    assert Response.objects.get().language == "cy"
    assert response["Location"].endswith("?lang=cy")
    assert "Diolch" in client.get(response["Location"]).content.decode()


def test_welsh_error_messages(client, point, form, recomputes):
    welsh(form)
    response = client.post(url(point), answers_for(form, client, point, yes="", lang="cy"))
    html = response.content.decode()
    assert "Mae problem" in html
    assert "Dewiswch ateb i gwestiwn 1" in html


def test_a_right_to_left_translation_is_laid_out_right_to_left(client, point, form):
    services.translation_save(
        form=form, language="ar", language_name="العربية", title="العودة إلى المنزل",
        questions={},
    )
    html = client.get(url(point, lang="ar")).content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "العودة إلى المنزل" in html


def test_an_easy_read_form_uses_larger_text(client, always_event):
    form = services.form_create(always_event=always_event, title="Going home", format="easy_read")
    services.question_add(form=form, kind="scale", scale="yes_no", text="Did you know who to call?")
    html = client.get(url(distribution_point(form))).content.decode()
    assert "nhsuk-fieldset__legend--l" in html
    assert "app-easy-read" in html


def test_a_post_counts_both_rate_limits_and_reads_the_generation_in_one_round_trip(
    client, point, form, recomputes, monkeypatch
):
    from redis.connection import AbstractConnection

    data = answers_for(form, client, point)  # the form page puts the link in the cache
    sent = []
    send = AbstractConnection.send_packed_command
    monkeypatch.setattr(
        AbstractConnection, "send_packed_command",
        lambda self, command, *args, **kwargs: sent.append(command)
        or send(self, command, *args, **kwargs),
    )

    assert client.post(url(point), data).status_code == 302
    assert len(sent) == 1  # the recompute request is left out by `recomputes`
    assert b"EVAL" in b"".join(sent[0]) and b"generation" in b"".join(sent[0])


def test_a_client_over_its_limit_is_not_counted_against_the_link(
    client, point, form, recomputes, settings
):
    settings.FEEDBACK_RATE_LIMIT_PER_CLIENT = "1/h"
    settings.FEEDBACK_RATE_LIMIT_PER_POINT = "2/h"
    for _ in range(3):
        client.post(url(point), answers_for(form, client, point))

    other = client.post(url(point), answers_for(form, client, point), REMOTE_ADDR="10.1.2.3")

    assert other.status_code == 302
    assert Response.objects.count() == 2


def test_a_post_to_an_unknown_link_is_counted_against_the_client_and_still_closed(
    client, point, form, recomputes, settings
):
    settings.FEEDBACK_RATE_LIMIT_PER_CLIENT = "1/h"
    assert client.post("/f/no-such-token/", {}).status_code == 404

    assert client.post(url(point), answers_for(form, client, point)).status_code == 429


def test_the_rate_limits_fail_open_when_redis_is_unreachable(
    client, point, form, recomputes, settings
):
    from django.test import override_settings

    settings.FEEDBACK_RATE_LIMIT_PER_CLIENT = "1/h"
    unreachable = {"default": {
        "BACKEND": "always_events.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    with override_settings(CACHES=unreachable):
        statuses = [client.post(url(point), answers_for(form, client, point)).status_code
                    for _ in range(2)]

    assert statuses == [302, 302]
    assert Response.objects.count() == 2


def test_a_new_window_starts_the_count_again(
    client, point, form, recomputes, settings, monkeypatch
):
    settings.FEEDBACK_RATE_LIMIT_PER_CLIENT = "1/m"
    monkeypatch.setattr("evaluation.views.time.time", lambda: 1_800_000_000.0)
    statuses = [client.post(url(point), answers_for(form, client, point)).status_code
                for _ in range(2)]
    monkeypatch.setattr("evaluation.views.time.time", lambda: 1_800_000_060.0)
    statuses.append(client.post(url(point), answers_for(form, client, point)).status_code)

    assert statuses == [302, 429, 302]
