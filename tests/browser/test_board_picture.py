"""The board you can see, the member page's one action per state, and sharing a worksheet: in a real
browser at 1280 and 390 px, with axe on every state and the journeys done with the keyboard alone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devboard.board.models import BoardMember, CheckIn, Share, WorksheetLink
from roles.models import Role
from tests.factories import days_ago, make_agreement, make_member, make_user, make_worksheet

from .keyboard import PHONE_390, press_on, scrolls_sideways, tab_to, top_of, type_into
from .support import DESKTOP, assert_accessible, sign_in

WIDTHS = (DESKTOP, PHONE_390)


@pytest.fixture
def farah(transactional_db):
    return make_user("farah", first_name="Farah", last_name="Okafor")


@pytest.fixture
def full_board(farah):
    both = make_member(farah, name="Dr. Miriam Alvarez", roles=("mentor", "sponsor"))
    make_member(farah, name="Jordan Lee", roles=("coach",), status="prospective")
    paused = make_member(farah, name="Sam Park", roles=("advisor",))
    paused.set_status("paused", on=days_ago(10))
    late = make_member(farah, name="Dr. Late Lopez", roles=("coach",))
    late.set_next_check_in(days_ago(2))
    return both


def test_an_empty_board_invites_and_a_full_one_draws_each_person_once(page, live_server, farah, axe):
    sign_in(page, live_server, "farah")
    page.goto(f"{live_server.url}/board/")
    for slug, words in (("mentor", "find a mentor"), ("advisor", "find an advisor")):
        seat = page.locator(f'[data-role="{slug}"]')
        assert words in seat.inner_text()
        assert seat.get_by_role("link", name="or start a worksheet").is_visible()
    assert page.get_by_text("Empty", exact=True).count() == 0
    assert_accessible(page, axe, WIDTHS)  # the empty state
    for size in ({"width": 320, "height": 640}, PHONE_390):
        page.set_viewport_size(size)
        assert not scrolls_sideways(page)


def test_the_board_picture_at_both_widths(page, live_server, farah, full_board, axe):
    sign_in(page, live_server, "farah")
    page.goto(f"{live_server.url}/board/")
    picture = page.locator("#board-map")
    # Miriam holds two seats and is drawn once, in the corner between them.
    assert picture.get_by_role("link", name="Dr. Miriam Alvarez").count() == 1
    corner = picture.locator(".corner-top-right")
    assert "Mentor and Sponsor" in corner.inner_text() and corner.locator(".person-initials").inner_text() == "MA"
    assert "Covered" in page.locator('[data-role="mentor"]').inner_text()
    # prospective dotted, paused grey
    jordan = picture.locator(".person-prospective .person-initials").first
    assert jordan.evaluate("el => getComputedStyle(el).borderTopStyle") == "dotted"
    sam = picture.locator(".person-paused .person-initials").first
    assert sam.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(226, 232, 240)"
    assert_accessible(page, axe, WIDTHS)

    page.set_viewport_size(PHONE_390)
    page.reload()
    up_next = page.locator("#up-next")
    assert "Check in with Dr. Late Lopez" in up_next.inner_text()
    box = up_next.bounding_box()
    assert top_of(page, up_next) + box["height"] <= PHONE_390["height"], "Up next is above the fold on a phone"
    # on a phone the seats show initials; the names stay for screen readers
    assert picture.locator(".seat .person-name").first.bounding_box()["width"] <= 1
    page.set_viewport_size({"width": 320, "height": 640})
    assert not scrolls_sideways(page)


def test_adding_a_person_and_logging_a_check_in_with_the_keyboard_only(page, live_server, farah, axe):
    sign_in(page, live_server, "farah")
    page.goto(f"{live_server.url}/board/")
    press_on(page, page.get_by_role("link", name="Add a person"))
    page.wait_for_url("**/board/add/")
    assert (
        page.locator("form input:not([type=hidden]), form select, form textarea").count() == 8
    )  # name, email, 4 roles, 2 starts

    press_on(page, page.get_by_role("button", name="Add to my board"))  # nothing filled in
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("link", name="Enter their name, as you would address them.")).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Choose at least one role"))).to_be_visible()
    expect(page.locator("#error_1_id_name")).to_have_text("Enter their name, as you would address them.")
    assert_accessible(page, axe, WIDTHS)  # the error state

    type_into(page, page.get_by_label("Name"), "Dr. Kim Ito")
    type_into(page, page.get_by_label("Email"), "kim@example.org")
    press_on(page, page.get_by_label("Coach", exact=True), " ")
    tab_to(page, page.get_by_label("Not yet: I am thinking of asking them"))
    page.keyboard.press("ArrowDown")  # radios move with the arrows
    assert page.get_by_label("Yes, they already help me").is_checked()
    press_on(page, page.get_by_role("button", name="Add to my board"))
    expect(page.locator("#member-status")).to_have_text("Active")
    assert_accessible(page, axe, WIDTHS)

    press_on(page, page.get_by_role("link", name="Log a check-in").first)
    page.wait_for_url("**/check-ins/new/")
    assert_accessible(page, axe, WIDTHS)
    type_into(page, page.get_by_label("What we discussed"), "Which two projects to drop.")
    press_on(page, page.get_by_role("button", name="Log the check-in"))
    expect(page.locator("#check-ins").get_by_text("Which two projects to drop.")).to_be_visible()
    member = BoardMember.objects.get(name="Dr. Kim Ito")
    assert member.check_ins.count() == 1 and [r.slug for r in member.current_roles()] == ["coach"]


def test_the_member_page_offers_one_action_per_state(page, live_server, farah, axe):
    advisor = Role.objects.get(slug="advisor")
    worksheet = make_worksheet(farah, completed=True, title="Presentations on rounds")
    prospective = make_member(
        farah, name="Dr. Ada Ames", roles=("advisor",), status="prospective", email="ada@example.org"
    )
    WorksheetLink.objects.create(worksheet=worksheet, member=prospective, role=advisor)
    active = make_member(farah, name="Dr. Ben Bell", roles=("mentor",))
    make_agreement(active, goals="Promotion file by June")
    for n in (60, 30):
        active.log_check_in(CheckIn(held_on=days_ago(n), discussed=f"Talked {n} days ago"))
    paused = make_member(farah, name="Cy Chen", roles=("coach",))
    paused.set_status("paused", on=days_ago(5))
    sign_in(page, live_server, "farah")

    page.goto(f"{live_server.url}{prospective.get_absolute_url()}")
    reach = page.locator("#reach-out")
    assert reach.get_by_role("heading", name="Reach out").is_visible()
    assert "What do strong interns do?" in page.locator("#reach-out-questions").inner_text()
    assert (
        reach.get_by_role("link", name="Reach out by email").get_attribute("href").startswith("mailto:ada@example.org?")
    )
    assert "Dear Dr. Ada Ames," in page.get_by_label("A first message you can change").input_value()
    press_on(page, reach.get_by_role("button", name="Copy the message"))
    expect(reach.locator("[data-copy-status]")).not_to_be_empty()
    assert page.locator(".btn-primary").count() == 1
    assert_accessible(page, axe, WIDTHS)

    page.goto(f"{live_server.url}{active.get_absolute_url()}")
    assert page.locator(".btn-primary").all_inner_texts() == ["Log a check-in"]
    page.set_viewport_size(PHONE_390)
    assert top_of(page, page.locator("#next-check-in")) < top_of(page, page.locator("#check-ins"))
    assert top_of(page, page.get_by_role("link", name="Remove from my board")) > top_of(
        page, page.locator("#check-ins")
    )
    assert not scrolls_sideways(page)
    assert_accessible(page, axe, WIDTHS)

    page.goto(f"{live_server.url}{paused.get_absolute_url()}")
    assert page.get_by_role("heading", name="Resume or review").is_visible()
    assert page.locator(".btn-primary").all_inner_texts() == ["Resume"]
    assert_accessible(page, axe, WIDTHS)
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("#member-status")).to_have_text("Active")


def test_sharing_a_worksheet_with_the_keyboard_only_and_the_shared_page(page, live_server, farah, axe):
    worksheet = make_worksheet(farah, completed=True, title="Presentations on rounds")
    make_worksheet(farah, title="A private draft about leaving")
    member = make_member(farah, name="Dr. Ada Ames", roles=("advisor",))
    make_agreement(member, goals="Clear presentations by spring")
    make_member(farah, name="Dr. Nobody Else", roles=("sponsor",))
    sign_in(page, live_server, "farah")
    page.goto(f"{live_server.url}{worksheet.get_absolute_url()}")
    assert "Private: only you can see it." in page.locator(f"#share-heading-{worksheet.pk}").locator("..").inner_text()

    press_on(page, page.get_by_role("link", name="Share with someone on my board"))
    page.wait_for_url("**/share/")
    assert_accessible(page, axe, WIDTHS)
    press_on(page, page.get_by_role("button", name="Make the link"))  # nobody chosen
    expect(page.get_by_text("Choose the person on your board this link is for.").first).to_be_visible()
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page, axe, WIDTHS)  # the error state

    tab_to(page, page.get_by_label("Who is it for?"))
    page.keyboard.press("ArrowDown")  # Choose a person → Dr. Ada Ames
    assert page.get_by_label("Who is it for?").input_value() == str(member.pk)
    tab_to(page, page.get_by_label("30 days"))
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("90 days").is_checked()
    press_on(page, page.get_by_label("Include what we agreed (our agreement), if there is one"), " ")
    press_on(page, page.get_by_role("button", name="Make the link"))
    page.wait_for_selector("#share-links")
    share = Share.objects.get()
    assert share.with_agreement and share.expires_at.date() >= (timezone.now() + datetime.timedelta(days=89)).date()
    link = page.get_by_label("Private link for Dr. Ada Ames").input_value()
    assert link.endswith(share.private_path())
    assert_accessible(page, axe, WIDTHS)

    page.goto(f"{live_server.url}{worksheet.get_absolute_url()}")
    assert (
        f"With Dr. Ada Ames (and our agreement), until {share.expires_at:%-d %b %Y}"
        in page.locator("#worksheet-shares").inner_text()
    )

    # The person with the link, not signed in
    other = page.context.browser.new_context()
    visitor = other.new_page()
    visitor.goto(f"{live_server.url}{share.private_path()}")
    assert visitor.get_by_role("heading", name="Presentations on rounds").is_visible()
    assert visitor.get_by_text("Clear presentations by spring").is_visible()
    text = visitor.locator("body").inner_text()
    assert "A private draft about leaving" not in text and "Dr. Nobody Else" not in text
    assert visitor.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    assert_accessible(visitor, axe, WIDTHS)
    visitor.set_viewport_size({"width": 320, "height": 640})
    assert not scrolls_sideways(visitor)

    page.goto(f"{live_server.url}/board/worksheet/{worksheet.pk}/share/")
    press_on(page, page.get_by_role("button", name="Stop this link for Dr. Ada Ames"))
    page.wait_for_selector("#ended-links")
    response = visitor.goto(f"{live_server.url}{share.private_path()}")
    assert response.status == 404
    other.close()


def test_a_crowded_board_stays_readable_and_finds_people_by_name(page, live_server, farah, axe):
    for i in range(52):
        make_member(farah, name=f"Dr. Colleague {i:02}", roles=("mentor",) if i % 2 else ("coach",))
    make_member(farah, name="Dr. Lena Quist", roles=("advisor",), status="prospective")
    sign_in(page, live_server, "farah")
    page.goto(f"{live_server.url}/board/")
    assert page.locator('[data-role="mentor"] .seat-more').inner_text() == "+18 more"
    assert page.locator('[data-role="mentor"] .person-chip').count() == 8
    assert_accessible(page, axe, WIDTHS)
    page.set_viewport_size({"width": 320, "height": 640})
    assert not scrolls_sideways(page)

    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Show all 52 active people").click()
    page.wait_for_url("**/board/?status=active*")
    assert "51–52 of 52" not in page.locator("#people").inner_text()
    page.get_by_role("link", name="Next page of active people").click()
    expect(page.locator("#people")).to_contain_text("51–52 of 52")
    assert_accessible(page, axe, WIDTHS)

    page.goto(f"{live_server.url}/board/")
    type_into(page, page.get_by_label("Find someone by name"), "quist")
    page.keyboard.press("Enter")
    expect(page.locator("#people-found")).to_have_text("1 person matches “quist”.")
    assert page.locator("#people").get_by_role("link", name="Dr. Lena Quist").is_visible()
    assert page.locator("#people").get_by_role("link", name="Dr. Colleague 00").count() == 0
    assert_accessible(page, axe, WIDTHS)


def test_a_long_timeline_of_check_ins_pages_back_with_the_keyboard(page, live_server, farah, axe):
    member = make_member(farah, name="Dr. Ben Bell", roles=("mentor",), on=days_ago(400))
    for day in range(1, 24):
        member.log_check_in(CheckIn(held_on=days_ago(day * 7), discussed=f"Week {day}"))
    sign_in(page, live_server, "farah")
    page.goto(f"{live_server.url}{member.get_absolute_url()}")
    timeline = page.locator("#check-ins > li")
    assert timeline.count() == 20 and "Week 1" in timeline.first.inner_text()
    assert_accessible(page, axe, WIDTHS)
    press_on(page, page.get_by_role("link", name="Older check-ins"))
    page.wait_for_url("**/?page=2")
    assert timeline.count() == 3 and "Week 21" in timeline.first.inner_text()
    assert "21–23 of 23" in page.locator("#check-ins-pages").inner_text()
    assert_accessible(page, axe, WIDTHS)
    page.set_viewport_size({"width": 320, "height": 640})
    assert not scrolls_sideways(page)
