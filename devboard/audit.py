"""The audit log's one entry point: `record("export", request, what="members")`.

Pass ids and short codes only (`program=7, member=12`), never what someone wrote: the log outlives
the content and is read by superusers. Kinds are `AuditEvent.Kind` values.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. Behind our own proxy (BEHIND_PROXY), the address that proxy
    saw, which it appends last to X-Forwarded-For; anything before it was sent by the client and is not trusted.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(kind: str, request: HttpRequest | None = None, user=None, **ids):
    """Write one audit event. `user` defaults to the request's signed-in user; `ids` become its details."""
    from devboard.accounts.models import AuditEvent

    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        kind=AuditEvent.Kind(kind),
        user=user,
        user_ref=user.pk if user is not None else None,
        ip=client_ip(request) if request is not None else None,
        path=request.path[:200] if request is not None else "",
        details={key: value for key, value in ids.items() if value is not None},
    )
