from django.http import HttpRequest

from .models import Invitation, Program


def programs(request: HttpRequest) -> dict:
    """`directs_a_program` and `invitations_waiting` for the navigation.

    Callables, so pages that never ask run no query.
    """

    def signed_in():
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def directs_a_program() -> bool:
        user = signed_in()
        if user is None:
            return False
        if not hasattr(request, "_directs_a_program"):
            request._directs_a_program = Program.objects.directed_by(user).exists()
        return request._directs_a_program

    def invitations_waiting() -> bool:
        user = signed_in()
        if user is None:
            return False
        if not hasattr(request, "_invitations_waiting"):
            request._invitations_waiting = Invitation.objects.usable().filter(user=user).exists()
        return request._invitations_waiting

    return {"directs_a_program": directs_a_program, "invitations_waiting": invitations_waiting}
