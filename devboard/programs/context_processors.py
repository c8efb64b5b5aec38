from django.http import HttpRequest

from .models import Program


def programs(request: HttpRequest) -> dict:
    """`directs_a_program` for the navigation; a callable, so pages that never ask run no query."""

    def directs_a_program() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not hasattr(request, "_directs_a_program"):
            request._directs_a_program = Program.objects.directed_by(user).exists()
        return request._directs_a_program

    return {"directs_a_program": directs_a_program}
