"""The 500 page: plain HTML read once at start-up and sent without the template engine, the
database or a session, since any of them may be what just failed."""

import base64
import hashlib
import re
from html import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError

_PAGE = (settings.BASE_DIR / "templates" / "500.html").read_text()
# The page carries its own styles (a stylesheet may be what failed); the Content-Security-Policy
# allows exactly that <style> block, by its hash, on this response only.
_STYLE = re.search(r"<style>(.*?)</style>", _PAGE, re.S).group(1)
_STYLE_SOURCE = f"'sha256-{base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()}'"


def server_error(request: HttpRequest) -> HttpResponseServerError:
    reference = escape(getattr(request, "id", "") or "none")
    response = HttpResponseServerError(_PAGE.replace("__REQUEST_ID__", reference))
    response._csp_update = response._csp_update_ro = {"style-src": [_STYLE_SOURCE]}
    return response
