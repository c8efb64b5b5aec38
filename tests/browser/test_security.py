"""In a real browser: drafts are forgotten on sign-out, no page trips the Content-Security-Policy,
and the account and lockout pages are accessible."""

import pytest
from playwright.sync_api import expect

from devboard.board.models import BoardMember
from devboard.programs.models import Membership, Program
from roles.models import Role
from tests.factories import make_user, make_worksheet

from .support import NARROW, assert_accessible, sign_in


def draft_keys(page) -> list[str]:
    return page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('devboard-draft:'))")


def test_signing_out_forgets_unsaved_drafts_in_the_tab(page, live_server, resident):
    member = BoardMember.add(owner=resident, roles=[Role.objects.get(slug="coach")], status="active", name="Jo Lee")
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/board/{member.pk}/agreement/")
    page.get_by_label("Our goals").fill("Something private about my career.")
    page.goto(f"{live_server.url}/worksheets/new/")
    page.get_by_label("What is the problem?").fill("A private problem")
    assert len(draft_keys(page)) == 2

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert draft_keys(page) == []
    # The next person signing in at this workstation, in this tab, finds nothing typed.
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/board/{member.pk}/agreement/")
    expect(page.get_by_label("Our goals")).to_have_value("")


@pytest.fixture
def csp_violations(page):
    seen = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def test_no_page_trips_the_content_security_policy(page, live_server, resident, csp_violations):
    worksheet = make_worksheet(resident, completed=True)
    draft = make_worksheet(resident)
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    program.add_member(resident, Membership.Kind.DIRECTOR)
    sign_in(page, live_server, "riley")
    for path in (
        "/worksheets/",
        f"/worksheets/{draft.pk}/step/problem/",
        f"/worksheets/{worksheet.pk}/",
        f"/worksheets/{worksheet.pk}/print/",
        "/board/",
        "/board/add/",
        "/board/calendar/",
        "/roles/",
        "/program/im/",
        "/account/",
    ):
        page.goto(live_server.url + path)
    assert csp_violations == []


def test_the_worksheet_progress_is_drawn_without_inline_style(page, live_server, resident):
    draft = make_worksheet(resident)
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/{draft.pk}/step/problem/")
    segments = page.locator(".step-segment")
    expect(segments).to_have_count(7)
    widths = segments.evaluate_all("(els) => els.map((el) => el.getBoundingClientRect().width)")
    assert all(width > 0 for width in widths)  # sized by the stylesheet, which the CSP lets through
    expect(page.locator(".step-segment.current")).to_have_count(1)


def test_the_account_page_is_accessible_and_works_from_the_keyboard(page, live_server, resident, axe):
    sign_in(page, live_server, "riley")
    page.get_by_role("link", name="Riley Chen").click()
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("link", name="Delete my account…").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Delete my account", level=1)).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("Your password").fill("password")
    page.get_by_role("button", name="Delete my account").press("Enter")
    expect(page.get_by_text("Your account and everything in it are deleted.")).to_be_visible()


def test_the_lockout_page_is_accessible(page, live_server, axe, transactional_db):
    make_user("lee")
    for _ in range(6):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("lee")
        page.get_by_label("Password").fill("not-it")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in paused for 15 minutes")).to_be_visible()
    expect(page.get_by_role("link", name="reset your password by email")).to_be_visible()
    assert_accessible(page, axe)
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
