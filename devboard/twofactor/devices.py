"""Two-step sign-in on top of django-otp: an authenticator app (TOTP) plus single-use backup codes.

A person has at most one authenticator and one set of backup codes. Everything the views
need about them goes through these functions, so no view touches django-otp's models directly.
"""

import datetime
import re
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


class TooManyAttempts(Exception):
    """Several wrong codes in a row: django-otp makes the person wait before the next try."""

    def __init__(self, until: datetime.datetime):
        super().__init__(until)
        self.until = until

    @property
    def seconds(self) -> int:
        return max(1, int((self.until - timezone.now()).total_seconds()) + 1)


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_on(user) -> bool:
    """Two-step sign-in is on once an authenticator app has been confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def start_set_up(user) -> TOTPDevice:
    """The authenticator being set up: a new secret, kept until a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (nothing is sent anywhere)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, svgclass="qr-code")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in the base32 form authenticator apps accept when typed, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str) -> str:
    """People type codes with spaces or dashes, and backup codes in capitals."""
    return re.sub(r"[\s-]", "", code or "").lower()


def _check(device: Device, code: str) -> bool:
    allowed, why = device.verify_is_allowed()
    if not allowed:
        raise TooManyAttempts(why["locked_until"])
    return device.verify_token(code)


def verify(user, code: str) -> Device | None:
    """The device that accepts `code` (six digits from the app, or an unused backup code), or None.

    A backup code is deleted as it is used, so it works once. Raises TooManyAttempts while
    django-otp's back-off after wrong codes is running.
    """
    code = normalise(code)
    if not code:
        return None
    kind = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
    with transaction.atomic():
        for device in kind.objects.devices_for_user(user, confirmed=True).select_for_update():
            if _check(device, code):
                return device
    return None


def confirm_set_up(device: TOTPDevice, code: str) -> list[str] | None:
    """Turn two-step sign-in on if `code` comes from the new authenticator; returns fresh backup codes."""
    code = normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not code.isdigit() or not _check(device, code):
            return None
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_backup_codes(device.user)


def new_backup_codes(user) -> list[str]:
    """Replace any backup codes with a fresh set; the old ones stop working."""
    backup, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    backup.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if not code.isdigit():  # digits alone are read as an app's code (see verify())
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def turn_off(user) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def signed_in_locally(request) -> bool:
    """A username-and-password sign-in, rather than one through the institution's identity provider.

    Sign-ins through a backend listed in SSO_AUTHENTICATION_BACKENDS had their second factor at the
    institution; any other backend counts as local, so a backend added later cannot skip two-step sign-in.
    """
    return request.session.get(BACKEND_SESSION_KEY) not in getattr(settings, "SSO_AUTHENTICATION_BACKENDS", ())


def needs_second_factor(request) -> bool:
    """Staff (directors and superusers) signed in locally must have passed two-step sign-in."""
    user = request.user
    return user.is_authenticated and user.is_staff and not user.is_verified() and signed_in_locally(request)
