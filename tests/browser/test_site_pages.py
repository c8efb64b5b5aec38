"""Pages around the journeys: sign-in, password reset and change, the role guide, examples and print."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.factories import make_worksheet

from .support import PHONE, assert_accessible, sign_in


def test_sign_in_and_password_pages_are_accessible(page, live_server, resident, axe):
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page, axe)
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    assert page.get_by_label("Username").input_value() == "riley"
    assert_accessible(page, axe)

    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible(page, axe)
    page.get_by_label("Email").fill("riley@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page, axe)
    page.goto(live_server.url + re.search(r"/accounts/reset/\S+", mail.outbox[0].body).group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page, axe)
    page.locator("#id_new_password1").fill("a-brand-new-pass-42")
    page.locator("#id_new_password2").fill("a-brand-new-pass-42")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Your new password is saved")).to_be_visible()

    sign_in(page, live_server, "riley", "a-brand-new-pass-42")
    page.goto(live_server.url + "/accounts/password_change/")
    assert_accessible(page, axe)


def test_the_navigation_works_from_the_keyboard_on_a_phone(page, live_server, resident):
    sign_in(page, live_server, "riley")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/worksheets/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    toggler = page.get_by_role("button", name="Show navigation")
    toggler.focus()
    page.keyboard.press("Enter")
    guide = page.get_by_role("link", name="Role guide")
    guide.wait_for(state="visible")
    guide.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/roles/")
    expect(page.get_by_role("heading", name="Role guide")).to_be_visible()


def test_the_print_view_fits_on_one_sheet_of_paper(page, live_server, resident):
    worksheet = make_worksheet(resident, completed=True)
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/print/")
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, paper
