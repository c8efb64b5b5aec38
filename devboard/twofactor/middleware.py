from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import devices

# The admin and the program directors' pages; everything else a director uses like anyone else.
GUARDED_NAMESPACES = {"admin", "programs"}


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
