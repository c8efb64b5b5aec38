"""Playwright journeys in Debian's headless Chromium, against Django's live server.

Run them alone with `make browser-test` or `.venv/bin/pytest tests/browser`.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import make_user

from .support import CHROMIUM_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


@pytest.fixture
def resident(transactional_db):
    return make_user("riley", first_name="Riley", last_name="Chen")
