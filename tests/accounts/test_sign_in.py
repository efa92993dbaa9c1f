import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_a_member_signs_in_with_their_email(client, lead, password):
    response = _sign_in(client, "LEAD@riverside.test", password)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_password_and_an_unknown_email_get_the_same_error(client, lead):
    wrong_password = _sign_in(client, "lead@riverside.test", "wrong-password").content.decode()
    unknown_email = _sign_in(client, "nobody@riverside.test", "wrong-password").content.decode()

    message = "Enter a correct email address and password"
    assert message in wrong_password
    assert message in unknown_email
    assert "nhsuk-error-summary" in wrong_password
    assert wrong_password.replace("nobody", "lead").count(message) == unknown_email.count(message)


def test_empty_fields_get_nhsuk_error_messages(client):
    page = _sign_in(client, "", "").content.decode()
    assert "Enter your email address" in page
    assert "Enter your password" in page
    assert "<title>Error: Sign in" in page


def test_pages_need_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signing_out_needs_a_post(client, lead):
    client.force_login(lead)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_password_reset_email_is_sent_only_to_known_accounts(client, lead):
    client.post(reverse("password_reset"), {"email": "lead@riverside.test"})
    client.post(reverse("password_reset"), {"email": "nobody@riverside.test"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lead@riverside.test"]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_the_reset_link_sets_a_new_password(client, lead):
    client.post(reverse("password_reset"), {"email": "lead@riverside.test"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]

    form_page = client.get(path, follow=True)
    new_password = "a-brand-new-long-password"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.check_password(new_password)


def test_a_short_new_password_is_refused(client, lead, password):
    client.force_login(lead)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    lead.refresh_from_db()
    assert lead.check_password(password)
