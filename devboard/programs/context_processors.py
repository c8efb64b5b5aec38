from django.db.models import Exists
from django.http import HttpRequest

from devboard import pagecache
from devboard.models import User

from .models import Invitation, Program


def _flags(user) -> tuple[bool, bool]:
    # An invitation stops being usable after some days without any row changing: a day at most.
    return User.objects.filter(pk=user.pk).values_list(
        Exists(Program.objects.directed_by(user)),
        Exists(Invitation.objects.usable().filter(user=user)),
    ).first() or (False, False)


def programs(request: HttpRequest) -> dict:
    """`directs_a_program` and `invitations_waiting` for the navigation.

    Callables, so pages that never ask run no query; the first to ask reads both in one query.
    """

    def flags() -> tuple[bool, bool]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False, False
        if not hasattr(request, "_program_nav"):
            request._program_nav = pagecache.remember(("nav", user.pk), [("user", user.pk)], lambda: _flags(user))
        return request._program_nav

    return {"directs_a_program": lambda: flags()[0], "invitations_waiting": lambda: flags()[1]}
