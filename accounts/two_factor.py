"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238, via django-otp)."""

import base64

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

# Roles that read or manage a whole organisation, or several (issue: Reliability).
TWO_FACTOR_ROLES = {"executive", "org_admin"}


def needs_two_factor(user) -> bool:
    return (
        user.is_staff
        or user.is_superuser
        or hasattr(user, "programme_admin")
        or user.memberships.filter(role__in=TWO_FACTOR_ROLES).exists()
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def setup_device(user) -> TOTPDevice:
    """The user's unconfirmed device, made on first visit, kept until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for people who type it rather than scan it."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


def verify(request, device: TOTPDevice, code: str) -> bool:
    """Checks the code; on success confirms the device and marks the session verified."""
    if not device.verify_token(code.replace(" ", "")):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True
