from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import middleware as otp_middleware
from django_otp.models import Device

from devboard import pagecache

from . import devices

# The admin and the program directors' pages; everything else a director uses like anyone else.
GUARDED_NAMESPACES = {"admin", "programs"}


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's, without reading the session's device from the database on every request.

    What the middleware checks (whose device it is, and that it is confirmed) is kept between
    requests (devboard/pagecache.py); saving or deleting the device (a code used, the app reset or
    turned off) moves its stamp, so the next request reads it afresh. Only those two facts are
    kept, never the device's secret; anything else asked of the device reads it from the database.
    """

    def _verify_user_sync(self, request, user):
        persistent_id = request.session.get(otp_middleware.DEVICE_ID_SESSION_KEY)
        if persistent_id:  # its stamp is read with the person's
            pagecache.expect(("device", self._normalize_persistent_id(persistent_id)))
        return super()._verify_user_sync(request, user)

    def _device_from_persistent_id(self, persistent_id: str):
        persistent_id = self._normalize_persistent_id(persistent_id)
        facts = pagecache.remember(
            ("device", persistent_id), [("device", persistent_id)], lambda: _facts(persistent_id)
        )
        return _KeptDevice(persistent_id, *facts) if facts else None


def _facts(persistent_id: str) -> tuple[int, bool] | None:
    device = Device.from_persistent_id(persistent_id)
    return (device.user_id, device.confirmed) if device else None


class _KeptDevice:
    def __init__(self, persistent_id: str, user_id: int, confirmed: bool):
        self.persistent_id, self.user_id, self.confirmed = persistent_id, user_id, confirmed

    def __getattr__(self, name: str):  # anything but the kept facts: the real device
        if "_device" not in self.__dict__:
            self.__dict__["_device"] = Device.from_persistent_id(self.persistent_id)
        return getattr(self.__dict__["_device"], name)


class StaffSecondFactorMiddleware:
    """Staff who signed in locally pass two-step sign-in before the admin or the program pages.

    Goes after OTPMiddleware (which tells whether the session passed a code) and
    LoginRequiredMiddleware. Pages open to anyone (the admin's sign-in, an invitation link) stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not match or not set(match.namespaces) & GUARDED_NAMESPACES:
            return None
        if getattr(view_func, "login_not_required", False) or match.view_name == "admin:logout":
            return None
        if not devices.needs_second_factor(request):
            return None
        target = "login_code" if devices.is_on(request.user) else "twofactor:set_up"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
