"""Headers: a strict Content-Security-Policy everywhere, no camera & co., and nothing private cached."""

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from devboard.board.models import CalendarFeed

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_pages_carry_a_strict_content_security_policy(client):
    policy = csp(client.get(reverse("landing")))
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval" not in str(policy)


def test_pages_deny_camera_microphone_and_location(client):
    policy = client.get(reverse("landing"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_the_calendar_feed_is_never_stored(client, alice):
    # every signed-in page and export is checked for no-store and CSP in tests/test_access.py
    feed = CalendarFeed.for_user(alice)
    response = Client().get(reverse("board:feed", args=[feed.token]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize("report_only", ["true", "false"])
def test_the_policy_can_be_tried_in_report_only_mode(report_only):
    script = (
        "import devboard.settings as s; "
        "print(hasattr(s, 'CONTENT_SECURITY_POLICY'), hasattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY'))"
    )
    env = {**os.environ, "SECRET_KEY": "a-real-and-long-secret-key-for-this-test", "CSP_REPORT_ONLY": report_only}
    env["EMAIL_BACKEND"] = "console"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    enforced, reported = result.stdout.split()
    assert (enforced, reported) == (("False", "True") if report_only == "true" else ("True", "False"))


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on… event attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    """The policy refuses them, so they would silently not work: put code in static/js, styles in static/css."""
    found = []
    for template in TEMPLATES.rglob("*.html"):
        if template.name == "500.html":
            continue  # self-contained on purpose; its <style> is allowed by hash (next test)
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(TEMPLATES)}: {what}")
    assert found == []


def test_the_self_contained_500_page_keeps_its_styles_under_the_policy():
    client = Client(raise_request_exception=False)
    with mock.patch("devboard.views.render", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    style = re.search(r"<style>(.*?)</style>", response.text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert csp(response)["style-src"] == f"style-src 'self' 'sha256-{digest}'"
    assert csp(response)["script-src"] == "script-src 'self'"
