import datetime

import pytest
from playwright.sync_api import expect

from devboard.programs.models import Membership, Program
from roles.models import Need, Role
from tests.factories import authenticator_for, make_user
from worksheets.models import Worksheet

from .support import assert_accessible, sign_in

NEW_PITFALL = "A coach asks questions even when you only needed a quick answer; say so early."


@pytest.fixture
def program(resident):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    program.add_member(resident, Membership.Kind.LEARNER)
    director = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(director, Membership.Kind.DIRECTOR)
    authenticator_for(director)  # directors sign in with a password and a code
    access, sponsor = Need.objects.get(slug="access"), Role.objects.get(slug="sponsor")
    today = datetime.datetime.now(datetime.UTC)
    for i in range(6):
        learner = make_user(f"learner{i}")
        program.add_member(learner, Membership.Kind.LEARNER)
        Worksheet.objects.create(
            owner=learner,
            primary_need=access,
            recommended_role=sponsor,
            chosen_role=sponsor,
            status="completed",
            completed_at=today,
        )
    return program


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_director_edits_a_pitfall_and_the_resident_reads_it_in_the_guide(page, live_server, program):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/admin/roles/role/")
    page.get_by_role("link", name="Coach", exact=True).click()
    page.get_by_label("Pitfall").fill(NEW_PITFALL)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    page.goto(f"{live_server.url}/roles/")
    sign_out(page)
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/roles/")
    expect(page.get_by_text(NEW_PITFALL).first).to_be_visible()
    page.goto(f"{live_server.url}/roles/coach/")
    expect(page.get_by_text(NEW_PITFALL)).to_be_visible()


def test_the_period_is_chosen_from_the_keyboard(page, live_server, program, axe):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/im/")
    page.get_by_role("combobox", name="Period").select_option("last-12-months")
    page.get_by_role("combobox", name="Period").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show figures")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/program/im/?period=last-12-months")
    expect(page.get_by_text("The last 12 whole months:")).to_be_visible()

    page.goto(f"{live_server.url}/program/im/?start=9999-12-01&end=9999-12-31")
    expect(page.locator("[data-error-summary]")).to_contain_text("Figures cover whole periods only")
    assert_accessible(page, axe)


def test_a_bad_invitation_form_explains_itself_accessibly(page, live_server, program, axe):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/im/members/")
    page.get_by_text("Invite people", exact=True).click()
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Choose a CSV file or type at least one email address.").first).to_be_visible()
    assert_accessible(page, axe)


def test_the_program_link_is_in_the_director_navigation_only(page, live_server, program):
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/roles/")
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Program").count() == 0
    sign_out(page)
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/roles/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Program").click()
    expect(page.get_by_role("heading", name="Your programs")).to_be_visible()


def test_an_invited_person_sets_a_password_from_the_email_link(page, live_server, program, mailoutbox, axe):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/im/members/")
    page.get_by_text("Invite people", exact=True).click()
    page.get_by_label("Or type email addresses").fill("Jo Park <jo@example.org>")
    page.get_by_label("Learner").check()
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Invitation sent to 1 address.")).to_be_visible()
    assert_accessible(page, axe)
    link = next(line for line in mailoutbox[0].body.splitlines() if "/program/invitation/" in line).strip()
    sign_out(page)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_role("heading", name="Join Internal Medicine Residency on devboard")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("New password").first.fill("a-long-and-unusual-passphrase-42")
    page.get_by_label("New password confirmation").fill("a-long-and-unusual-passphrase-42")
    page.get_by_role("button", name="Set my password and join").click()
    expect(page.get_by_text("You have joined Internal Medicine Residency.")).to_be_visible()
