"""The 500 page: plain HTML read once at start-up and sent without the template engine, the
database or a session, since any of them may be what just failed."""

from html import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError

_PAGE = (settings.BASE_DIR / "templates" / "500.html").read_text()


def server_error(request: HttpRequest) -> HttpResponseServerError:
    reference = escape(getattr(request, "id", "") or "none")
    return HttpResponseServerError(_PAGE.replace("__REQUEST_ID__", reference))
