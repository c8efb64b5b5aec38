"""The account page (password, signed-in browsers, my data, security events, deletion), the
sign-in lockout page, and the password views wrapped to throttle and audit them.
"""

import hashlib
from importlib import import_module

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devboard import throttle
from devboard.audit import record

from .forms import DeleteAccountForm
from .models import AuditEvent, SignIn
from .sections import add_section, sections_for


def _end_sessions(sign_ins) -> int:
    """Sign out the browsers behind these SignIn rows: their sessions are deleted from the session store."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    count = 0
    for sign_in in list(sign_ins):
        store(session_key=sign_in.session_key).delete()
        sign_in.delete()
        count += 1
    return count


def _sessions_context(request: HttpRequest) -> dict:
    sign_ins = list(SignIn.objects.filter(user=request.user).alive())
    current = request.session.session_key
    return {
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "this_sign_in": next((s for s in sign_ins if s.session_key == current), None),
        "other_sign_ins": [s for s in sign_ins if s.session_key != current],
    }


def _events_context(request: HttpRequest) -> dict:
    events = AuditEvent.objects.filter(user=request.user, kind__in=AuditEvent.SECURITY_KINDS)[:20]
    return {"security_events": events}


add_section("accounts/_password.html", order=10)
add_section("accounts/_sessions.html", order=20, context=_sessions_context)
add_section("accounts/_data.html", order=60)
add_section("accounts/_events.html", order=80, context=_events_context)
add_section("accounts/_delete.html", order=90)


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    sections, ctx = sections_for(request)
    return render(request, "accounts/account.html", {"sections": sections, **ctx})


@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    sign_in = get_object_or_404(
        SignIn.objects.filter(user=request.user).exclude(session_key=request.session.session_key), pk=pk
    )
    _end_sessions([sign_in])
    record("session_ended", request, sign_in=pk)
    messages.success(request, f"{sign_in.browser()} is signed out.")
    return redirect("account")


@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    others = SignIn.objects.filter(user=request.user).exclude(session_key=request.session.session_key)
    count = _end_sessions(others)
    if count:
        record("session_ended", request, count=count)
    messages.success(request, "Every other browser is signed out." if count else "No other browser was signed in.")
    return redirect("account")


@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record("account_deleted", request, user=user)
            AccessAttempt.objects.filter(username=user.username).delete()
            AccessLog.objects.filter(username=user.username).delete()
            _end_sessions(SignIn.objects.filter(user=user).exclude(session_key=request.session.session_key))
            request.signing_out_quietly = True
            logout(request)
            user.delete()
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("landing")
    return render(request, "accounts/delete.html", {"form": form})


@login_not_required
def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """What AxesMiddleware answers after too many failed sign-ins for one username from one address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # keeps this browser signed in under a new session key
        SignIn.objects.filter(session_key=old_key).update(session_key=self.request.session.session_key)
        # The new password signs out every other browser; forget them too.
        SignIn.objects.filter(user=self.request.user).exclude(session_key=self.request.session.session_key).delete()
        record("password_changed", self.request)
        messages.success(self.request, "Your password is changed. Any other browser signed in as you is signed out.")
        return response


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


class PasswordResetView(auth_views.PasswordResetView):
    """At most PASSWORD_RESET_LIMIT emails per address and per account per hour. The page reads the
    same either way, so it tells nobody whether an address has an account or was throttled."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        users = list(form.get_users(email))
        allowed = throttle.allow(f"password-reset:address:{_digest(email)}", settings.PASSWORD_RESET_LIMIT, 3600)
        for user in users:
            allowed = (
                throttle.allow(f"password-reset:account:{user.pk}", settings.PASSWORD_RESET_LIMIT, 3600) and allowed
            )
        for user in users:
            record("password_reset_requested" if allowed else "password_reset_throttled", self.request, user=user)
        if not allowed:
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        _end_sessions(SignIn.objects.filter(user=form.user))
        record("password_reset", self.request, user=form.user)
        return response
