"""Two-step sign-in: the code step after the password, and the person's own settings page."""

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from devboard.audit import record

from . import devices
from .forms import CodeForm, SetUpForm

# Between the password and the code the person is not signed in: the session only remembers
# who passed the password step, through which backend, and for how long that counts.
PENDING = "twofactor_pending"
PENDING_SECONDS = 300
NEW_CODES = "twofactor_new_codes"


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _safe_next(request: HttpRequest, url: str | None, default: str = "") -> str:
    ok = url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if ok else default


class SignInView(LoginView):
    """Django's sign-in, plus the second step for people who turned two-step sign-in on."""

    def form_valid(self, form):
        user = form.get_user()
        if devices.is_on(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": self.get_success_url(),
            }
            return redirect("login_code")
        response = super().form_valid(form)
        if user.is_staff and devices.signed_in_locally(self.request):
            return redirect(_with_next(reverse("twofactor:set_up"), self.get_success_url()))
        return response


sign_in = SignInView.as_view()


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The code step: after the password, or for a signed-in person the admin asks to confirm."""
    if request.user.is_authenticated:
        user, pending = request.user, None
        next_url = _safe_next(request, request.GET.get("next"), reverse("worksheets:list"))
        if request.user.is_verified():
            return redirect(next_url)
        if not devices.is_on(user):
            return redirect(_with_next(reverse("twofactor:set_up"), next_url))
    else:
        user, pending = _pending_user(request)
        if user is None:
            request.session.pop(PENDING, None)
            messages.info(request, "Your sign-in took too long or was not started. Please enter your password again.")
            return redirect("login")
        next_url = pending["next"]

    form = CodeForm(user, request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        record("code_refused", request, user=user, step="sign_in")
    if form.is_valid():
        if pending:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            record("backup_code_used", request, user=user)
            left = devices.backup_codes_left(user)
            messages.warning(
                request,
                f"You used a backup code; it will not work again. You have {left} left."
                + (" Make new ones from Two-step sign-in when you can." if left < 4 else ""),
            )
        return redirect(next_url)
    return render(request, "twofactor/code.html", {"form": form, "signed_in": pending is None})


@require_GET
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "twofactor/two_factor.html",
        {"on": devices.is_on(user), "codes_left": devices.backup_codes_left(user), "required": user.is_staff},
    )


@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next"))
    if devices.is_on(request.user):
        return redirect(next_url or "twofactor:two_factor")
    device = devices.start_set_up(request.user)
    form = SetUpForm(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        otp_login(request, device)
        record("two_factor_on", request)
        request.session[NEW_CODES] = form.backup_codes
        messages.success(request, "Two-step sign-in is on.")
        return redirect(_with_next(reverse("twofactor:backup_codes"), next_url))
    return render(
        request,
        "twofactor/set_up.html",
        {
            "form": form,
            "qr": devices.qr_svg(device),
            "secret": devices.secret_for_typing(device),
            "required": request.user.is_staff,
            "next": next_url,
        },
    )


@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes are shown once, right after they are made; afterwards only how many are left."""
    if not devices.is_on(request.user):
        return redirect("twofactor:two_factor")
    form = CodeForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        request.session[NEW_CODES] = devices.new_backup_codes(request.user)
        record("backup_codes_made", request)
        return redirect("twofactor:backup_codes")
    return render(
        request,
        "twofactor/backup_codes.html",
        {
            "form": form,
            "codes": request.session.pop(NEW_CODES, None) if request.method == "GET" else None,
            "codes_left": devices.backup_codes_left(request.user),
            "done": _safe_next(request, request.GET.get("next"), reverse("twofactor:two_factor")),
        },
    )


@require_http_methods(["GET", "POST"])
def turn_off(request: HttpRequest) -> HttpResponse:
    if not devices.is_on(request.user):
        return redirect("twofactor:two_factor")
    form = CodeForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        devices.turn_off(request.user)
        record("two_factor_off", request)
        messages.success(request, "Two-step sign-in is off. Your password alone now signs you in.")
        return redirect("twofactor:two_factor")
    return render(request, "twofactor/turn_off.html", {"form": form, "required": request.user.is_staff})
