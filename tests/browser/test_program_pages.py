"""The program dashboard and members page in Chromium: 1280 and 390 px, axe in normal, error and
empty states, the keyboard, and no sideways scrolling at 320 px."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devboard.board.models import BoardMember, CheckIn
from devboard.programs.models import Membership, Program, month_start
from roles.models import Need, Role
from tests.factories import authenticator_for, make_user
from worksheets.models import Worksheet

from .support import sign_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 700}
LONG_AGO = timezone.now() - datetime.timedelta(days=730)


def assert_accessible(page, axe, widths=(DESKTOP, PHONE)):
    for size in widths:
        page.set_viewport_size(size)
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url} at {size['width']}px:\n{results.generate_report()}"
    page.set_viewport_size(DESKTOP)


def assert_no_sideways_scroll(page):
    page.set_viewport_size(NARROW)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def director(transactional_db):
    dana = make_user("dana", first_name="Dana", last_name="Morales")
    authenticator_for(dana)
    return dana


@pytest.fixture
def program(director):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    program.add_member(director, Membership.Kind.DIRECTOR, since=LONG_AGO)
    last_month = month_start(timezone.localdate(), -1)
    when = datetime.datetime.combine(last_month, datetime.time(12), tzinfo=datetime.UTC)
    access, sponsor = Need.objects.get(slug="access"), Role.objects.get(slug="sponsor")
    for i in range(1, 61):
        person = make_user(f"p{i}", first_name="Participant", last_name=str(i), email=f"participant.{i}@example.org")
        program.add_member(person, Membership.Kind.FACULTY if i % 4 == 0 else Membership.Kind.LEARNER, since=LONG_AGO)
        if i <= 40:
            ws = Worksheet.objects.create(
                owner=person,
                primary_need=access,
                recommended_role=sponsor,
                chosen_role=sponsor,
                status="completed",
                completed_at=when,
            )
            Worksheet.objects.filter(pk=ws.pk).update(created_at=when)
            member = BoardMember.add(
                owner=person, roles=[sponsor], status="active", name="Dr. S", on=month_start(last_month, -2)
            )
            CheckIn.objects.create(member=member, held_on=last_month + datetime.timedelta(days=3))
    return program


@pytest.fixture
def empty_program(director):
    program = Program.objects.create(name="Surgery Residency", slug="surgery")
    program.add_member(director, Membership.Kind.DIRECTOR, since=LONG_AGO)
    return program


def test_the_dashboard_is_glanceable_accessible_and_fits_a_phone(page, live_server, program, axe):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/im/?period=last-3-months")
    tiles = page.get_by_role("region", name="At a glance")
    expect(tiles.get_by_text("60", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="From joining to a finished worksheet")).to_be_visible()
    assert_accessible(page, axe)
    assert_no_sideways_scroll(page)

    # The table is folded visually but stays in the page for screen readers; the keyboard unfolds it.
    table = page.get_by_role("table", name="Participation, as a table")
    expect(table).to_be_attached()
    toggle = page.get_by_role("button", name=re.compile(r"Show table\W+Participation"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    toggle = page.get_by_role("button", name=re.compile(r"Hide table\W+Participation"))
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Members"))).to_contain_text("60")
    assert_accessible(page, axe, widths=(DESKTOP,))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_charts_share_one_axis_use_the_width_and_show_months_as_columns(page, live_server, program, size):
    sign_in(page, live_server, "dana")
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/program/im/?period=last-3-months")
    roles = page.get_by_role("region", name="Roles recommended and chosen")
    widths = (
        roles.locator(".bar-row")
        .first.locator("svg rect")
        .evaluate_all("rects => rects.map(r => r.getBoundingClientRect().width)")
    )
    assert len(widths) == 2 and widths[0] > 0
    coverage = page.get_by_role("region", name="Board coverage at the end of the period")
    expect(coverage.locator(".tick").last).to_have_text("100%")
    # the charts take the page's width (they were capped at 48rem, leaving 40% of a desktop empty)
    main = page.locator("main").evaluate("(el) => el.clientWidth")
    span = page.locator("section.figure").evaluate_all(
        "(figures) => Math.max(...figures.map((f) => f.getBoundingClientRect().right))"
        " - Math.min(...figures.map((f) => f.getBoundingClientRect().left))"
    )
    assert span >= 0.9 * main - 48, (span, main)  # less the container's padding
    # check-ins per month: columns over time, the months along the bottom in the table's order
    checkins = page.get_by_role("region", name="Check-ins logged per month")
    months = checkins.locator("table tbody th").all_text_contents()
    assert checkins.locator(".column-labels span").all_text_contents() == [m.strip()[:3] for m in months]
    assert checkins.locator(".column-svg rect").count() == len(months) == 3


def test_the_dashboard_error_state_is_accessible(page, live_server, program, axe):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/im/?period=9999-12")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^There are no figures for that period."))).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page, axe)
    assert_no_sideways_scroll(page)


def test_the_dashboard_empty_state_is_accessible(page, live_server, empty_program, axe):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/surgery/")
    expect(page.get_by_role("region", name="At a glance").get_by_text("fewer than 5").first).to_be_visible()
    assert_accessible(page, axe)
    assert_no_sideways_scroll(page)


def test_the_members_page_searches_filters_and_pages_2000_people_style(page, live_server, program, axe):
    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/im/members/")
    expect(page.get_by_role("status").filter(has_text="Showing 1–50 of 61")).to_be_visible()
    names = page.locator(".member-name").all_inner_texts()
    # Natural order: Participant 2 comes before Participant 10.
    assert names.index("Participant 2") < names.index("Participant 10")
    assert_accessible(page, axe)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()

    page.get_by_label("Search by name or email").fill("participant.4")
    page.get_by_label("Kind").select_option("faculty")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".member-name")).to_have_text(
        ["Participant 4", "Participant 40", "Participant 44", "Participant 48"]
    )

    page.get_by_label("Search by name or email").fill("nobody-like-this")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Nobody matches")).to_be_visible()
    assert_accessible(page, axe)  # the empty state


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_inviting_from_the_side_panel_and_removing_from_the_row_menu(page, live_server, program, axe, size):
    sign_in(page, live_server, "dana")
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/program/im/members/")
    invite = page.get_by_text("Invite people", exact=True)
    # the panel sits beside the list, and before it on a phone (not after 50 rows)
    top = "(el) => el.getBoundingClientRect().top + window.scrollY"
    assert invite.evaluate(top) < page.locator(".member-list").evaluate(top)
    invite.click()
    page.get_by_role("button", name="Send invitations").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose a CSV file or type at least one email address.")
    assert page.title().startswith("Error:")
    if size is DESKTOP:  # both widths, once
        assert_accessible(page, axe)  # the error state
        assert_no_sideways_scroll(page)
        page.set_viewport_size(size)

    page.get_by_label("Or type email addresses").fill("Jo Park <jo@example.org>")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_role("status").filter(has_text="Invitation sent to 1 address.")).to_be_visible()
    page.get_by_role("link", name="Back to members").click()

    page.get_by_label("State").select_option("pending")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".member-name")).to_have_text(["Jo Park"])
    page.get_by_label("State").select_option("")
    page.get_by_label("Search by name or email").fill("Participant 7")
    page.get_by_role("button", name="Show", exact=True).click()
    page.get_by_text("Actions", exact=False).first.click()
    page.get_by_role("button", name="Remove from the program").click()
    expect(page.get_by_role("status").filter(has_text="is no longer a member")).to_be_visible()
    assert not program.memberships.filter(user__username="p7", left_at__isnull=True).exists()


def test_a_person_with_an_account_accepts_an_invitation(page, live_server, program, director, axe):
    alice = make_user("alice", first_name="Alice", last_name="Ames")
    Membership.objects.create(program=program, user=alice, kind="learner", state="pending")
    from devboard.programs.models import Invitation

    Invitation.objects.create(
        program=program, user=alice, membership=alice.memberships.get(), email=alice.email, kind="learner"
    )
    sign_in(page, live_server, "alice")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invitations").click()
    expect(page.get_by_role("heading", name="Internal Medicine Residency")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Accept the invitation to Internal Medicine Residency").click()
    expect(page.get_by_text("You have joined Internal Medicine Residency.")).to_be_visible()
    expect(page.get_by_text("No invitations are waiting for you.")).to_be_visible()
