from django.conf import settings

from .providers import buttons


def sign_in(request):
    """The sign-in buttons, wherever a page offers sign-in (the sign-in page, the invitation page)."""
    user = getattr(request, "user", None)  # error pages can be drawn before authentication ran
    if user is not None and user.is_authenticated and not request.path.startswith("/accounts/"):
        return {}
    return {"sso_buttons": buttons(), "local_login": settings.LOCAL_LOGIN}
