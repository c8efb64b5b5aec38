"""One-time tokens for create forms, so a double submit creates one object.

A create form carries `{% once_field %}` (a fresh random token); its view wraps the creation:

    url, created = once.create(request, lambda: make_the_thing().get_absolute_url())
    if created:
        messages.success(request, "…")
    return redirect(url)

The first request with a token claims it in the same transaction as the creation; a second one
with the same token waits for that transaction (the unique constraint), then lands on what it made.
A form posted without a token (an older page) is simply created.
"""

import re
import secrets
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest

FIELD = "once"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def posted_token(request: HttpRequest) -> str | None:
    token = request.POST.get(FIELD, "")
    return token if _SHAPE.fullmatch(token) else None


def create(request: HttpRequest, make: Callable[[], str]) -> tuple[str, bool]:
    """Run `make` (which creates something and returns its URL) at most once per posted token.

    Returns the URL and whether this request created it.
    """
    from devboard.accounts.models import SubmittedForm

    token = posted_token(request)
    if token is None:
        with transaction.atomic():
            return make(), True
    try:
        with transaction.atomic():
            claim = SubmittedForm.objects.create(user=request.user, token=token)
            claim.url = make()
            claim.save(update_fields=["url"])
            return claim.url, True
    except IntegrityError:
        earlier = SubmittedForm.objects.filter(user=request.user, token=token).first()
        if earlier is None:  # the IntegrityError came from `make` itself
            raise
        return earlier.url, False
