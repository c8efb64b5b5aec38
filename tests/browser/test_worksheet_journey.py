"""The resident's worksheet journeys in a real browser, with axe on every page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from worksheets.models import Worksheet

from .support import assert_accessible, sign_in


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()


def test_a_resident_completes_a_worksheet_to_its_print_view(page, live_server, resident, axe):
    page.goto(live_server.url + "/")
    assert_accessible(page, axe)
    sign_in(page, live_server, "riley")
    assert_accessible(page, axe)  # my worksheets, empty

    page.get_by_role("link", name="New worksheet").click()
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("What is the problem?").fill("My ICU evaluation said my presentations were disorganised.")
    save_and_continue(page)

    expect(page.get_by_text("Step 2 of 7")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_label("What would the ideal outcome be?").fill("Clear presentations on my next ICU block.")
    save_and_continue(page)

    assert_accessible(page, axe)
    page.get_by_label("Content expertise: targeted, direct know-how").check()
    save_and_continue(page)

    assert_accessible(page, axe)
    page.get_by_label("Direct answers: tell me what to do").check()
    page.get_by_label("One decision or question").check()
    save_and_continue(page)

    expect(page.get_by_role("heading", name="It looks like you need an advisor")).to_be_visible()
    expect(page.get_by_text("An advisor answers the question asked.")).to_be_visible()
    expect(page.locator('[data-role-choice="advisor"]')).to_be_checked()
    expect(page.locator(".role-card").first).to_contain_text("Best fit")
    assert_accessible(page, axe)
    save_and_continue(page)

    questions = page.get_by_label("Questions to ask a person you consider")
    assert "What have you seen work for this exact kind of problem?" in questions.input_value()
    assert_accessible(page, axe)
    questions.fill("Could you listen to one of my presentations?")
    save_and_continue(page)

    assert_accessible(page, axe)
    page.get_by_label("The next step I will take").fill("Ask Dr. Patel for thirty minutes next week.")
    due = timezone.localdate() + datetime.timedelta(days=5)
    page.get_by_label("By when").fill(due.isoformat())
    page.get_by_role("button", name="Save and finish").click()

    expect(page.get_by_text("Your worksheet is complete.")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("link", name="Print view").click()
    expect(page.locator(".print-brand")).to_be_visible()
    expect(page.locator("#consult-strip").get_by_text("Ask Dr. Patel for thirty minutes next week.")).to_be_visible()
    assert_accessible(page, axe)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    assert Worksheet.objects.get().is_completed


def test_choosing_a_mismatched_role_shows_the_warning(page, live_server, resident, axe):
    w = Worksheet.objects.create(owner=resident, problem="Rotation feedback", ideal_outcome="Better", step="need")
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/{w.pk}/step/need/")
    page.get_by_label("Content expertise: targeted, direct know-how").check()
    save_and_continue(page)
    page.get_by_label("Direct answers: tell me what to do").check()
    save_and_continue(page)

    warning = page.locator(".choice-warning").get_by_text(
        "You want direct answers, but a coach helps you find your own rather than giving them."
    )
    expect(warning).to_be_hidden()
    page.locator('[data-role-choice="coach"]').check()
    expect(warning).to_be_visible()  # shown as soon as the role is picked
    assert_accessible(page, axe)
    save_and_continue(page)
    expect(page.get_by_role("heading", name="You chose a coach, not the recommended advisor")).to_be_visible()
    expect(page.get_by_text("that points to an advisor, not a coach")).to_be_visible()
    assert_accessible(page, axe)


def test_coming_back_to_a_draft_resumes_it(page, live_server, resident, axe):
    sign_in(page, live_server, "riley")
    page.goto(live_server.url + "/worksheets/new/")
    page.get_by_label("What is the problem?").fill("I can't get onto the grand rounds schedule.")
    save_and_continue(page)
    page.get_by_label("What would the ideal outcome be?").fill("A grand rounds talk this year.")
    page.get_by_role("button", name="Save and come back later").click()

    expect(page.get_by_text("Continue whenever you are ready")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("link", name="Continue “I can't get onto the grand").click()
    expect(page.get_by_text("Step 3 of 7")).to_be_visible()
    page.get_by_role("link", name="Back").click()
    assert page.get_by_label("What would the ideal outcome be?").input_value() == "A grand rounds talk this year."


def test_a_bad_date_keeps_what_was_typed(page, live_server, resident, axe):
    w = Worksheet.objects.create(owner=resident, problem="p", ideal_outcome="o", step="next")
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/{w.pk}/step/next/")
    page.get_by_label("The next step I will take").fill("Email the chief.")
    page.get_by_label("By when").fill((timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save and finish").click()
    summary = page.locator("[data-error-summary]")
    summary.get_by_role("link", name="That date has passed; choose today or a later date.").click()
    expect(page.get_by_label("By when")).to_be_focused()
    assert page.get_by_label("The next step I will take").input_value() == "Email the chief."
    assert_accessible(page, axe)


def test_text_typed_but_not_saved_survives_a_reload(page, live_server, resident, axe):
    w = Worksheet.objects.create(owner=resident, problem="p", step="outcome")
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/{w.pk}/step/outcome/")
    page.get_by_label("What would the ideal outcome be?").fill("Typed, then the page was reloaded.")
    page.goto(f"{live_server.url}/worksheets/{w.pk}/step/outcome/")
    assert page.get_by_label("What would the ideal outcome be?").input_value() == "Typed, then the page was reloaded."
    expect(page.get_by_text("We restored what you typed")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Save and continue").click()
    w.refresh_from_db()
    assert w.ideal_outcome == "Typed, then the page was reloaded."
    # once saved, going back shows the saved text without the restore note
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_text("We restored what you typed")).to_be_hidden()
