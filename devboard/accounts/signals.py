"""Sign-ins, sign-outs and failures go to the audit log; each sign-in gets a SignIn row."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from devboard.audit import client_ip, record

from .models import SignIn


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session.save()  # a session key exists from here on, also for a brand-new session
    now = timezone.now()
    SignIn.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            "created_at": now,
            "last_seen_at": now,
        },
    )
    request.session["last_seen"] = now.timestamp()
    record("sign_in", request, user=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if request is None:
        return
    if getattr(request, "session", None) is not None and request.session.session_key:
        SignIn.objects.filter(session_key=request.session.session_key).delete()
    if user is not None and not getattr(request, "signing_out_quietly", False):
        record("sign_out", request, user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    from devboard.models import User

    username = (credentials or {}).get("username", "")
    user = User.objects.filter(username=username).first() if username else None
    # The id of the account tried, never the text typed: a mistyped password can land in the username box.
    record("sign_in_failed", request, user=user, account_exists=user is not None)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    from devboard.models import User

    user = User.objects.filter(username=username).first() if username else None
    record("locked_out", request, user=user, account_exists=user is not None)
