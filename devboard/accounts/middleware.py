"""Per-request account housekeeping: the inactivity timeout, the signed-in browsers list, private
caching and browser permissions on every response, and a trace of denied attempts at owned pages.
"""

import time

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone

from devboard.audit import record

from .models import SignIn

# How often a sign-in's "last seen" is written: often enough for the idle timeout, rarely enough to stay cheap.
TOUCH_SECONDS = 60

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# URL namespace (or namespace:name) → the owned model its `pk` argument names.
OWNED_URLS = {
    "worksheets": "worksheets.Worksheet",
    "board": "board.BoardMember",
    "board:link_worksheet": "worksheets.Worksheet",
}


def session_activity_middleware(get_response):
    """Sign out a browser left alone longer than SESSION_IDLE_MINUTES, and keep its SignIn row current."""

    def middleware(request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get("last_seen")
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                user = request.user
                request.signing_out_quietly = True
                logout(request)
                record("session_expired", request, user=user)
                messages.info(
                    request,
                    f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity. "
                    "Sign in again to continue.",
                )
            elif last_seen is None or now - last_seen > TOUCH_SECONDS:
                request.session["last_seen"] = now
                SignIn.objects.filter(session_key=request.session.session_key).update(last_seen_at=timezone.now())
        return get_response(request)

    return middleware


def private_responses_middleware(get_response):
    """Nothing a signed-in person sees is kept by a browser or proxy cache; no page may use the camera & co."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            if response.status_code == 404:
                _record_denied(request, user)
        return response

    return middleware


def _record_denied(request, user) -> None:
    """A 404 on someone else's existing worksheet or board member is an attempt worth recording."""
    match = request.resolver_match
    if match is None or "pk" not in match.kwargs:
        return
    label = OWNED_URLS.get(f"{match.namespace}:{match.url_name}") or OWNED_URLS.get(match.namespace)
    if label is None:
        return
    model = apps.get_model(label)
    pk = match.kwargs["pk"]
    if model.objects.filter(pk=pk).exclude(owner=user).exists():
        record("access_denied", request, user=user, model=model._meta.label_lower, object=pk)
