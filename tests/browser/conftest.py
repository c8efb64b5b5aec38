"""Playwright journeys in Debian's headless Chromium, against Django's live server.

Run them alone with `make browser-test` or `.venv/bin/pytest tests/browser`.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import code_from, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def shipped_content(transactional_db):
    """Journeys use the live server's real tables, which are flushed after each one; put back
    what the data migrations ship. (serialized_rollback cannot do this reliably here: Playwright's
    greenlets can see a different database connection object than the one that was serialized.)"""
    from django.apps import apps

    from roles import guidance
    from worksheets import content

    guidance.load(apps)
    content.load(apps)


@pytest.fixture
def axe():
    return Axe()


def assert_accessible(page, axe, widths=(DESKTOP, PHONE)):
    """axe reports no violations on the current page at each width."""
    for size in widths:
        page.set_viewport_size(size)
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url} at {size['width']}px:\n{results.generate_report()}"
    page.set_viewport_size(DESKTOP)


def sign_in(page, live_server, username: str, password: str = "password"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device:  # two-step sign-in is on: the code the person's app shows now
        page.wait_for_url("**/accounts/login/code/")
        page.get_by_label("Code").fill(code_from(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def resident(transactional_db):
    return make_user("riley", first_name="Riley", last_name="Chen")
