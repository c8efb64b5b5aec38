"""A faculty member keeps their board in a real browser, with axe at desktop and phone widths on every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devboard.board.models import BoardMember
from roles.models import Role
from tests.factories import make_user
from worksheets.models import Worksheet

from .support import assert_accessible, sign_in


@pytest.fixture
def farah(transactional_db):
    return make_user("farah", first_name="Farah", last_name="Okafor")


def coverage_card(page, role: str):
    return page.locator(f'[data-role="{role}"]')


STARTS = {"active": "Yes, they already help me", "prospective": "Not yet: I am thinking of asking them"}


def add_person(page, name: str, roles: list[str], status: str):
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name").fill(name)
    for role in roles:
        page.get_by_label(role, exact=True).check()
    page.get_by_label(STARTS[status]).check()
    page.get_by_role("button", name="Add to my board").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My board").click()


def test_a_faculty_member_builds_reviews_and_closes_part_of_their_board(page, live_server, farah, axe):
    sign_in(page, live_server, "farah")
    page.get_by_role("link", name="My board").click()
    expect(page.get_by_role("heading", name="My board")).to_be_visible()
    assert "find a mentor" in coverage_card(page, "mentor").inner_text()
    assert "find a coach" in coverage_card(page, "coach").inner_text()
    assert_accessible(page, axe)

    page.get_by_role("link", name="Add a person").click()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Add to my board").click()
    expect(page.get_by_text("Enter their name, as you would address them.").first).to_be_visible()
    assert_accessible(page, axe)  # the form with its errors
    page.get_by_role("link", name="My board", exact=True).first.click()

    add_person(page, "Dr. Miriam Alvarez", ["Mentor", "Sponsor"], "active")
    add_person(page, "Jordan Lee", ["Coach"], "prospective")
    add_person(page, "Dr. Samuel Park", ["Advisor"], "active")
    assert "Covered" in coverage_card(page, "mentor").inner_text()
    assert "Covered" in coverage_card(page, "sponsor").inner_text()
    coach = coverage_card(page, "coach").inner_text()
    assert "No one active yet" in coach and "Jordan Lee" in coach  # prospective people do not cover a role
    assert_accessible(page, axe)

    # Jordan agrees to coach: the coverage changes.
    page.get_by_role("link", name="Jordan Lee").first.click()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Mark as active").click()
    assert page.locator("#member-status").inner_text() == "Active"

    page.get_by_role("link", name="Record the agreement").first.click()
    assert_accessible(page, axe)
    page.get_by_label("Our goals").fill("Decide which two projects to drop by spring.")
    page.get_by_label("What I bring").fill("A short note after each session.")
    page.get_by_label("What I need from them").fill("Questions, not answers.")
    page.get_by_label("How often we meet").select_option("fortnightly")
    page.get_by_label("How we will know it is done").fill("I have said no twice and feel settled.")
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.get_by_text("Decide which two projects to drop by spring.")).to_be_visible()
    expect(page.get_by_text("Every two weeks", exact=True)).to_be_visible()

    page.get_by_role("link", name="Log a check-in").click()
    assert_accessible(page, axe)
    page.get_by_label("How we met").select_option("video")
    page.get_by_label("What we discussed").fill("Mapped every project against what I want to be known for.")
    page.get_by_label("What I will do next").fill("Talk to my chief about the quality committee.")
    page.get_by_role("button", name="Log the check-in").click()
    expect(page.get_by_text("Mapped every project against what I want to be known for.")).to_be_visible()
    assert "Follows the cadence" in page.locator("#next-check-in").inner_text()
    assert_accessible(page, axe)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My board").click()
    assert "Covered" in coverage_card(page, "coach").inner_text()
    assert "Jordan Lee" in coverage_card(page, "coach").inner_text()

    # The advisor's question was answered: review and conclude.
    page.get_by_role("link", name="Dr. Samuel Park").first.click()
    page.get_by_role("link", name="Review or close").click()
    expect(page.get_by_role("heading", name="The closing conversation")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("The questions I brought to them have been answered").check()
    page.get_by_label("A former colleague").check()
    page.get_by_label("A note for yourself (optional)").fill("Thanked him for the power calculation.")
    page.get_by_role("button", name="Conclude the relationship").click()
    assert page.locator("#member-status").inner_text() == "Concluded"
    expect(page.get_by_text("Now a former colleague")).to_be_visible()
    expect(page.locator("#history")).to_contain_text(re.compile("concluded", re.IGNORECASE))
    assert_accessible(page, axe)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My board").click()
    assert "find an advisor" in coverage_card(page, "advisor").inner_text()
    expect(page.get_by_role("heading", name="Concluded: peers and former colleagues")).to_be_visible()
    assert_accessible(page, axe)

    member = BoardMember.objects.get(name="Dr. Samuel Park")
    assert member.status == "concluded" and member.concluded_on == timezone.localdate()


def test_from_a_worksheet_a_new_prospective_member_gets_the_chosen_role(page, live_server, farah, axe):
    coach = Role.objects.get(slug="coach")
    worksheet = Worksheet.objects.create(
        owner=farah, problem="Too many projects", recommended_role=coach, chosen_role=coach, status="completed"
    )
    sign_in(page, live_server, "farah")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/")
    expect(page.get_by_text("Nobody on your board holds the coach role yet.")).to_be_visible()
    page.get_by_role("link", name="Add a new prospective coach").click()
    expect(page.get_by_label("Coach", exact=True)).to_be_checked()
    assert_accessible(page, axe)
    page.get_by_label("Name").fill("Jordan Lee")
    page.get_by_role("button", name="Add to my board").click()
    expect(page.get_by_role("link", name="Too many projects")).to_be_visible()
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/")
    expect(page.get_by_text("Already on your board as a coach")).to_be_visible()
    assert_accessible(page, axe)


def test_two_tabs_on_one_agreement_never_overwrite_silently(page, live_server, farah, axe):
    from devboard.board.models import Agreement

    member = BoardMember.add(owner=farah, roles=[Role.objects.get(slug="mentor")], status="active", name="Dr. Two Tabs")
    Agreement.objects.create(member=member, goals="As first agreed")
    sign_in(page, live_server, "farah")
    url = f"{live_server.url}/board/{member.pk}/agreement/"
    other = page.context.new_page()
    page.goto(url)
    other.goto(url)

    page.get_by_label("Our goals").fill("Saved in the first tab")
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.get_by_text("Saved in the first tab")).to_be_visible()

    other.get_by_label("Our goals").fill("Typed in the second tab")
    other.get_by_role("button", name="Save the agreement").click()
    expect(other.get_by_text("changed in another tab or window")).to_be_visible()
    assert other.get_by_label("Our goals").input_value() == "Typed in the second tab"
    expect(other.get_by_role("heading", name="What is saved now")).to_be_visible()
    assert_accessible(other, axe)
    assert Agreement.objects.get(member=member).goals == "Saved in the first tab"

    other.get_by_role("button", name="Save the agreement").click()  # now on purpose, having seen both
    expect(other.get_by_text("Typed in the second tab")).to_be_visible()
    assert Agreement.objects.get(member=member).goals == "Typed in the second tab"
