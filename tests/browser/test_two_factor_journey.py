"""Two-step sign-in in the browser: setting it up from the QR page, signing in with a code and a
backup code, and a director sent to set it up before the program pages. axe-clean at 1280 and 390 px."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from devboard.programs.models import Membership, Program
from tests.factories import make_user

from .support import DESKTOP, assert_accessible, sign_in

PHONE_390 = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 640}


def check_page(page, axe):
    assert_accessible(page, axe, widths=(DESKTOP, PHONE_390))
    page.set_viewport_size(NARROWEST)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    page.set_viewport_size(DESKTOP)


def code_for_key(typed_key: str) -> str:
    """What an authenticator app shows for a key typed into it (base32, grouped by four)."""
    key = typed_key.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{TOTP(base64.b32decode(key)).token():06d}"


def test_a_resident_sets_up_two_step_sign_in_and_signs_in_with_a_code_and_a_backup_code(
    page, live_server, resident, axe
):
    sign_in(page, live_server, "riley")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Riley Chen").click()
    section = page.get_by_role("region", name="Two-step sign-in")
    expect(section.get_by_text("Off: your password alone signs you in.")).to_be_visible()
    section.get_by_role("link", name="Set up two-step sign-in").click()
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    check_page(page, axe)
    key = page.get_by_label("Key to type into the app").inner_text()

    page.get_by_label("Code from the app").fill("000000" if code_for_key(key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("That code did not match")
    check_page(page, axe)

    page.wait_for_timeout(1100)  # django-otp holds back the next try for a second after a wrong code
    page.get_by_label("Code from the app").fill(code_for_key(key))
    page.get_by_label("Code from the app").press("Enter")
    expect(page.get_by_text("Two-step sign-in is on.")).to_be_visible()
    codes = page.get_by_role("list", name="Your backup codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    check_page(page, axe)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("10 unused backup codes")).to_be_visible()
    expect(page.get_by_text("Two-step sign-in is on.")).to_be_visible()
    check_page(page, axe)

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/login/?next=/board/")
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    check_page(page, axe)

    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("That code did not work.")
    check_page(page, axe)

    page.get_by_label("Code").fill(codes[0].upper())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/board/")
    expect(page.get_by_text("You used a backup code; it will not work again. You have 9 left.")).to_be_visible()


@pytest.fixture
def director(transactional_db):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    user = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(user, Membership.Kind.DIRECTOR)
    return user


def test_a_director_without_two_step_sign_in_sets_it_up_before_the_program_pages(page, live_server, director, axe):
    page.goto(f"{live_server.url}/program/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Program directors and administrators need two-step sign-in")).to_be_visible()
    check_page(page, axe)
    key = page.get_by_label("Key to type into the app").inner_text()
    page.get_by_label("Code from the app").fill(code_for_key(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_role("heading", name="Your programs")).to_be_visible()
