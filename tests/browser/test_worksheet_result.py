"""The recommendation step, the progress and the consult note in a real browser: at 1280 and 390 px
with axe, the role choice within a screen and a half on a phone, and a worksheet done with the keyboard."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from roles.models import Need
from worksheets.models import Worksheet

from .keyboard import PHONE_390, press_on, scrolls_sideways, tab_to, top_of, type_into
from .support import DESKTOP, assert_accessible, sign_in

WIDTHS = (DESKTOP, PHONE_390)


def completed(owner, need="access", answers=None):
    return Worksheet.create_completed(
        owner=owner,
        problem="I need a seat on the residency's curriculum committee to do the project I care about.",
        ideal_outcome="A seat on the committee by July.",
        primary_need=Need.objects.get(slug=need),
        answers=answers if answers is not None else {"doors": "yes"},
        next_step="Ask my program director who nominates residents.",
        next_step_due=timezone.localdate() + datetime.timedelta(days=7),
    )


def test_the_role_choice_is_within_a_screen_and_a_half_on_a_phone(page, live_server, resident, axe):
    worksheet = completed(resident)
    sign_in(page, live_server, "riley")
    page.set_viewport_size(PHONE_390)
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/step/recommendation/")
    expect(page.get_by_role("heading", name="It looks like you need a sponsor")).to_be_visible()
    choice = page.locator("#role-choice")
    assert top_of(page, choice) <= 1.5 * PHONE_390["height"], top_of(page, choice)
    assert page.locator("[data-role-choice]").first.get_attribute("data-role-choice") == "sponsor"
    assert not page.locator("#worked-out table").first.is_visible()  # folded until asked
    page.get_by_text("How this was worked out").click()
    expect(page.locator("#worked-out").get_by_text("Sponsor: 9 points")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 640})
    assert not scrolls_sideways(page)
    assert_accessible(page, axe, WIDTHS)

    # another role shows its mismatch warning before saving
    page.get_by_label("Advisor").check()
    expect(page.get_by_role("heading", name="An advisor may not fit what you said")).to_be_visible()
    assert_accessible(page, axe, WIDTHS)


def test_a_tie_on_the_page(page, live_server, resident, axe):
    worksheet = completed(resident, need="clarity", answers={"answers": "direct"})
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/step/recommendation/")
    expect(page.locator("#tie-note")).to_contain_text("A tie: coach, mentor and advisor have 3 points each.")
    assert_accessible(page, axe, WIDTHS)


def test_the_progress_on_a_phone_reaches_earlier_steps(page, live_server, resident, axe):
    worksheet = completed(resident)
    sign_in(page, live_server, "riley")
    page.set_viewport_size(PHONE_390)
    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/step/questions/")
    summary = page.locator(".step-progress-box summary")
    expect(summary).to_contain_text("Completed worksheet · editing “Questions to ask”")
    summary.click()
    page.get_by_role("link", name="3. What I need").click()
    expect(page.get_by_role("heading", name="What do I need?")).to_be_visible()
    assert not scrolls_sideways(page)


def test_a_pasted_long_problem_is_kept_counted_and_refused_with_its_limit(page, live_server, resident, axe):
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/new/")
    expect(page.get_by_text("Up to 2,000 characters.")).to_be_visible()
    problem = page.get_by_label("What is the problem?")
    text = "A long story about the rotation. " * 152  # 5,016 characters, the last a space the server drops
    problem.fill(text)
    assert len(problem.input_value()) == len(text)  # not cut at 2,000
    counter = page.locator("#id_problem-count")
    expect(counter).to_have_text("You have 3,015 characters too many (the limit is 2,000)")
    page.get_by_role("button", name="Save and continue").click()
    # the server counts as the counter did, and names the limit
    named = re.compile(r"“What is the problem\?” can be up to 2,000 characters and has 5,015 now")
    refused = page.get_by_role("link", name=named)
    expect(refused).to_be_visible()
    assert problem.input_value().strip() == text.strip()
    expect(counter).to_have_text("You have 3,015 characters too many (the limit is 2,000)")
    assert page.title().startswith("Error: ") and page.title().count("Error:") == 1, page.title()
    assert_accessible(page, axe, WIDTHS)  # the error state


def test_a_worksheet_completed_with_the_keyboard_only(page, live_server, resident, axe):
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/new/")
    type_into(page, page.get_by_label("What is the problem?"), "Rounds presentations keep getting cut short.")
    press_on(page, page.get_by_role("button", name="Save and continue"))
    page.wait_for_url("**/step/outcome/")
    type_into(page, page.get_by_label("What would the ideal outcome be?"), "Clear, complete presentations.")
    press_on(page, page.get_by_role("button", name="Save and continue"))
    page.wait_for_url("**/step/need/")
    press_on(page, page.get_by_label("Access: opportunities, introductions, someone to vouch"), " ")
    # arrow keys move within the radio group: choose content expertise
    content = page.locator("#need-content")
    for _ in range(5):
        if content.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert content.is_checked()
    press_on(page, page.get_by_role("button", name="Save and continue"))
    page.wait_for_url("**/step/refine/")
    press_on(page, page.get_by_role("button", name="Save and continue"))
    page.wait_for_url("**/step/recommendation/")

    # from the top of the page, the role choice is a few Tabs after the skip link
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert page.evaluate("(el) => el === document.activeElement", skip.element_handle())
    page.keyboard.press("Enter")
    presses = tab_to(page, page.locator("[data-role-choice]:checked"))
    assert presses <= 4, presses
    press_on(page, page.get_by_role("button", name="Save and continue"))
    page.wait_for_url("**/step/questions/")
    press_on(page, page.get_by_role("button", name="Save and continue"))
    page.wait_for_url("**/step/next/")
    type_into(page, page.get_by_label("The next step I will take"), "Ask the chief resident for a template.")
    by_when = page.get_by_label("By when")
    tab_to(page, by_when)
    due = timezone.localdate() + datetime.timedelta(days=3)
    # a browser date picker takes the digits; a text box takes the date as written
    page.keyboard.type(due.strftime("%m%d%Y") if by_when.get_attribute("type") == "date" else due.isoformat())
    press_on(page, page.get_by_role("button", name="Save and finish"))
    expect(page.locator("#consult-strip")).to_contain_text("Advisor")
    worksheet = Worksheet.objects.get(owner=resident)
    assert worksheet.is_completed and worksheet.chosen_role.slug == "advisor"
    assert_accessible(page, axe, WIDTHS)

    page.goto(f"{live_server.url}/worksheets/{worksheet.pk}/print/")
    assert_accessible(page, axe, WIDTHS)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 816, "height": 1056})  # US Letter at 96 dpi
    sheet = page.locator(".print-sheet").bounding_box()
    assert sheet["height"] <= 1056 - 2 * 45, sheet  # fits one page inside 12 mm margins
    page.emulate_media(media="screen")
