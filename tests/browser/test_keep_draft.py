"""Typing is kept in the tab until it is saved, on the worksheet and on the board's long forms."""

from playwright.sync_api import expect

from devboard.board.models import Agreement, BoardMember
from roles.models import Role

from .support import assert_accessible, sign_in


def test_an_agreement_being_typed_survives_a_reload_and_cancel_discards_it(page, live_server, resident, axe):
    member = BoardMember.add(owner=resident, roles=[Role.objects.get(slug="coach")], status="active", name="Jo Lee")
    sign_in(page, live_server, "riley")
    url = f"{live_server.url}/board/{member.pk}/agreement/"
    page.goto(url)
    page.get_by_label("Our goals").fill("Decide on one area to build this year.")
    page.reload()
    assert page.get_by_label("Our goals").input_value() == "Decide on one area to build this year."
    expect(page.get_by_text("We restored what you typed")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("link", name="Cancel").click()
    page.goto(url)
    assert page.get_by_label("Our goals").input_value() == ""
    expect(page.get_by_text("We restored what you typed")).to_be_hidden()

    page.get_by_label("Our goals").fill("Saved for real.")
    page.get_by_role("button", name="Save the agreement").click()
    page.goto(url)  # the saved text shows; the old draft no longer matches the new version
    assert page.get_by_label("Our goals").input_value() == "Saved for real."
    expect(page.get_by_text("We restored what you typed")).to_be_hidden()
    assert Agreement.objects.get(member=member).goals == "Saved for real."


def test_a_new_worksheet_draft_is_forgotten_once_it_is_saved(page, live_server, resident):
    sign_in(page, live_server, "riley")
    page.goto(live_server.url + "/worksheets/new/")
    page.get_by_label("What is the problem?").fill("First problem")
    page.get_by_role("button", name="Save and continue").click()
    page.goto(live_server.url + "/worksheets/new/")
    assert page.get_by_label("What is the problem?").input_value() == ""
