import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sign_in(client, password):
    return client.post(reverse("login"), {"username": "lead@riverside.test", "password": password})


def test_five_wrong_passwords_lock_the_account_from_that_address(client, lead, password, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        assert _sign_in(client, "wrong-password").status_code == 200

    locked = _sign_in(client, "wrong-password")

    assert locked.status_code == 429
    assert "Sign-in locked for now" in locked.content.decode()
    # even the right password is refused while locked
    assert _sign_in(client, password).status_code == 429


def test_a_right_password_before_the_limit_resets_the_count(client, lead, password):
    for _ in range(3):
        _sign_in(client, "wrong-password")
    assert _sign_in(client, password).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert _sign_in(client, "wrong-password").status_code == 200
