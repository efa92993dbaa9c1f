import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from programmes.models import Membership
from tests.factories import MembershipFactory, ProgrammeAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def executive(organisation):
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.EXECUTIVE, user__email="exec@riverside.test"
    ).user


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def _code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def test_an_executive_must_set_up_two_factor_before_anything_else(client, executive, password):
    _sign_in(client, executive.email, password)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor"))
    page = client.get(response.url).content.decode()
    assert "Set up two-factor sign-in" in page
    assert 'src="data:image/svg+xml' in page


def test_the_right_code_confirms_the_app_and_lets_them_in(client, executive, password):
    _sign_in(client, executive.email, password)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=executive)

    response = client.post(
        reverse("two_factor") + "?next=/accounts/", {"code": _code(device)}
    )

    assert response.status_code == 302 and response.url == "/accounts/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client, executive, password):
    _sign_in(client, executive.email, password)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=executive)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"

    page = client.post(reverse("two_factor"), {"code": wrong}).content.decode()

    assert "The security code is not right" in page
    assert not TOTPDevice.objects.get(user=executive).confirmed
    assert client.get(reverse("home")).status_code == 302


def test_letters_are_refused_as_a_code(client, executive, password):
    _sign_in(client, executive.email, password)
    page = client.post(reverse("two_factor"), {"code": "abcdef"}).content.decode()
    assert "Enter the security code as 6 numbers" in page


def test_next_time_they_enter_a_code_without_setting_up_again(client, executive, password):
    device = TOTPDevice.objects.create(user=executive, name="app", confirmed=True)
    _sign_in(client, executive.email, password)

    page = client.get(reverse("two_factor")).content.decode()
    assert "Enter your security code" in page and "QR code" not in page

    client.post(reverse("two_factor"), {"code": _code(device)})
    assert client.get(reverse("home")).status_code == 200


def test_staff_and_leads_sign_in_with_a_password_alone(client, lead, password):
    _sign_in(client, lead.email, password)
    assert client.get(reverse("home")).status_code == 200


def test_programme_admins_need_two_factor(client, password):
    admin = ProgrammeAdminFactory(user__email="national@programme.test").user
    _sign_in(client, admin.email, password)
    assert client.get(reverse("home")).status_code == 302


def test_it_can_be_switched_off(client, executive, password, settings):
    settings.TWO_FACTOR_REQUIRED = False
    _sign_in(client, executive.email, password)
    assert client.get(reverse("home")).status_code == 200


def test_an_outside_next_address_is_not_followed(client, executive, password):
    device = TOTPDevice.objects.create(user=executive, name="app", confirmed=True)
    _sign_in(client, executive.email, password)
    response = client.post(
        reverse("two_factor") + "?next=https://evil.example/", {"code": _code(device)}
    )
    assert response.url == "/"
