"""The recommendation step as the moment of truth, the findings W1, W2 and B2a, the progress, and the
completed worksheet as a consult note."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from devboard.board.models import BoardMember
from roles.models import Need, Role
from tests.factories import make_member
from worksheets import result
from worksheets.models import Worksheet

pytestmark = pytest.mark.django_db


def need(slug):
    return Need.objects.get(slug=slug)


def role(slug):
    return Role.objects.get(slug=slug)


def step_url(w, step):
    return f"/worksheets/{w.pk}/step/{step}/"


def post_step(client, w, step, data, **kwargs):
    """Save a step as its page would: with the version the worksheet is at now."""
    version = Worksheet.objects.filter(pk=w.pk).values_list("version", flat=True).first()
    return client.post(step_url(w, step), {**data, "version": version}, **kwargs)


def completed(owner, need_slug="wisdom", answers=None, chosen=None, **fields) -> Worksheet:
    return Worksheet.create_completed(
        owner=owner,
        problem="I want to know whether to take the chief resident year.",
        ideal_outcome="A decision I can stand behind by March.",
        primary_need=need(need_slug),
        answers=answers or {},
        role=role(chosen) if chosen else None,
        next_step="Email Dr. Osei to ask for twenty minutes next week.",
        next_step_due=timezone.localdate() + datetime.timedelta(days=7),
        **fields,
    )


def main_text(response) -> str:
    html = response.content.decode()
    return re.sub(r"<[^>]+>", " ", html.split('id="main"', 1)[1])


# -- W1 ---------------------------------------------------------------------------


def test_w1_saving_the_recommendation_unchanged_keeps_suggested_questions(alice_client, alice):
    worksheet = completed(alice)
    suggested = worksheet.questions_to_ask
    assert suggested  # left exactly as suggested
    alice_client.get(step_url(worksheet, "recommendation"))
    response = post_step(
        alice_client, worksheet, "recommendation", {"chosen_role": worksheet.chosen_role_id, "exit": "1"}
    )
    assert response.status_code == 302
    worksheet.refresh_from_db()
    assert worksheet.questions_to_ask == suggested


# -- W2 ---------------------------------------------------------------------------


def test_w2_changing_the_need_moves_a_followed_choice_to_the_new_recommendation(alice_client, alice):
    worksheet = completed(alice, need_slug="wisdom")
    assert worksheet.chosen_role == role("mentor")
    response = post_step(alice_client, worksheet, "need", {"primary_need": need("access").pk}, follow=True)
    assert "so it moved with it from a mentor" in response.content.decode()
    worksheet.refresh_from_db()
    assert worksheet.recommended_role == role("sponsor")
    assert worksheet.chosen_role == role("sponsor")
    assert worksheet.question_list() == role("sponsor").question_list()  # the old ones were only suggestions

    page = alice_client.get(step_url(worksheet, "recommendation")).content.decode()
    sponsor_radio = re.search(r'<input[^>]*data-role-choice="sponsor"[^>]*>', page).group(0)
    mentor_radio = re.search(r'<input[^>]*data-role-choice="mentor"[^>]*>', page).group(0)
    assert "checked" in sponsor_radio and "checked" not in mentor_radio
    assert "The recommended role is selected" not in page
    assert "Nobody on your board holds the sponsor role yet." in page
    assert "Add a new prospective sponsor" in page and "prospective mentor" not in page


def test_w2_a_role_chosen_against_the_recommendation_stays_chosen(alice_client, alice):
    worksheet = completed(alice, need_slug="wisdom", chosen="coach", questions="My own question?")
    post_step(alice_client, worksheet, "need", {"primary_need": need("access").pk})
    worksheet.refresh_from_db()
    assert worksheet.recommended_role == role("sponsor") and worksheet.chosen_role == role("coach")
    assert worksheet.questions_to_ask == "My own question?"
    page = alice_client.get(step_url(worksheet, "recommendation")).content.decode()
    assert "Nobody on your board holds the coach role yet." in page and "Add a new prospective coach" in page


# -- B2a --------------------------------------------------------------------------


def test_b2a_the_problem_states_its_limit_and_is_never_cut_silently(alice_client):
    page = alice_client.get("/worksheets/new/").content.decode()
    assert "Up to 2,000 characters." in page
    long = "word " * 999 + "words"  # 5,000 characters
    response = alice_client.post("/worksheets/new/", {"problem": long})
    assert response.status_code == 200 and not Worksheet.objects.exists()
    content = response.content.decode()
    assert "“What is the problem?” can be up to 2,000 characters and has 5,000 now." in content
    assert long in content  # everything typed is still in the form
    assert content.count("<title>Error: ") == 1 and "Error: Error:" not in content


def test_every_limited_worksheet_text_field_states_its_limit(alice_client, alice):
    worksheet = completed(alice)
    for step, limit in (("outcome", "2,000"), ("questions", "3,000"), ("next", "1,000")):
        assert f"Up to {limit} characters." in alice_client.get(step_url(worksheet, step)).content.decode(), step


# -- the result -------------------------------------------------------------------


def test_the_result_names_the_role_with_a_fit_in_words_and_no_raw_scores(alice_client, alice):
    worksheet = completed(alice, need_slug="access", answers={"doors": "yes"})
    response = alice_client.get(step_url(worksheet, "recommendation"))
    page = response.content.decode()
    panel = page.split('id="result"')[1].split("</section>")[0]
    assert "It looks like you need a sponsor" in panel and "Best fit" in panel
    assert "score" not in panel.lower() and "−" not in panel and "+6" not in panel
    reasons = re.findall(r"<li>(.*?)</li>", panel.split('id="top-reasons"')[1].split("</ul>")[0])
    assert 1 <= len(reasons) <= 3
    assert sum("You need doors opened" in r for r in reasons) == 1  # near-duplicates said once
    assert escape(role("sponsor").pitfall) in panel and escape(role("sponsor").saying_list()[0]) in panel


def test_the_role_choice_comes_right_under_the_result_in_ranked_order(alice_client, alice):
    worksheet = completed(alice, need_slug="access", answers={"doors": "yes"})
    page = alice_client.get(step_url(worksheet, "recommendation")).content.decode()
    order = re.findall(r'data-role-choice="(\w+)"', page)
    assert order == [entry["role"] for entry in worksheet.ranking()]
    assert order[0] == "sponsor"
    first_card = page.split('class="role-cards"')[1].split("</li>")[0]
    assert "Best fit" in first_card
    assert page.index('id="result"') < page.index('id="role-choice"') < page.index('id="worked-out"')
    assert page.index('id="role-choice"') < page.index("Your board</h2>")


def test_the_arithmetic_is_folded_under_how_this_was_worked_out(alice_client, alice):
    worksheet = completed(alice, need_slug="access", answers={"doors": "yes"})
    page = alice_client.get(step_url(worksheet, "recommendation")).content.decode()
    worked = page.split('<details class="worked-out" id="worked-out">')[1].split("</details>")[0]
    assert "<summary>How this was worked out</summary>" in worked
    assert "Sponsor: 9 points" in worked and "+6" in worked and "+3" in worked


def test_a_tie_is_said_as_a_tie_with_why_the_first_won(alice_client, alice):
    # clarity with "tell me what to do": coach, mentor and advisor tie at 3
    worksheet = completed(alice, need_slug="clarity", answers={"answers": "direct"})
    page = alice_client.get(step_url(worksheet, "recommendation")).content.decode()
    note = page.split('id="tie-note">')[1].split("</p>")[0]
    assert note.startswith("A tie: coach, mentor and advisor have 3 points each.")
    assert "Coach is shown first because your main need, clarity, points to a coach most." in note
    assert "Tied for best fit" in page


def test_tie_notes_say_when_the_guide_order_decides():
    ranking = [
        {"name": "Coach", "score": 2, "main_need_points": 1},
        {"name": "Advisor", "score": 2, "main_need_points": 1},
        {"name": "Mentor", "score": 0, "main_need_points": 0},
    ]
    assert "comes first in the guide's order" in result.tie_note(ranking, "Clarity")
    assert result.tie_note(ranking[1:], "Clarity") == ""
    old = [
        {"name": "Coach", "score": 2},
        {"name": "Advisor", "score": 2},
    ]  # a snapshot from before the tie-break was kept
    assert "ties go to the role your main need points to" in result.tie_note(old)


def test_fit_words():
    assert result.fit(9, 9) == (4, "Best fit")
    assert result.fit(6, 9) == (3, "Good fit")
    assert result.fit(1, 9) == (2, "Some fit")
    assert result.fit(-2, 9) == (1, "Little fit for what you said")
    assert result.fit(0, 0)[1] == "Little fit for what you said"


def test_strongest_reasons_drop_near_repeats_and_negative_points():
    reasons = [
        {"points": 6, "text": "You need doors opened, and opening doors is what a sponsor does."},
        {"points": 3, "text": "You need doors opened, and a sponsor puts your name forward."},
        {"points": 2, "text": "You want a long path."},
        {"points": 1, "text": "Wisdom is among your needs."},
        {"points": 1, "text": "Something else entirely."},
        {"points": -2, "text": "You want answers."},
    ]
    assert result.strongest_reasons(reasons) == [
        "You need doors opened, and opening doors is what a sponsor does.",
        "You want a long path.",
        "Wisdom is among your needs.",
    ]


@pytest.mark.parametrize("chosen", ["mentor", "sponsor", "coach", "advisor"])
def test_every_generated_sentence_uses_the_right_article(alice_client, alice, chosen):
    # Access recommends a sponsor; choosing another role brings its warnings, the board panel and the detail page.
    worksheet = completed(alice, need_slug="access", chosen=chosen)
    make_member(alice, name="Dr. Someone", roles=(chosen,), status="prospective")
    pages = [
        alice_client.get(step_url(worksheet, "recommendation")),
        alice_client.get(worksheet.get_absolute_url()),
        alice_client.get(f"/board/add/?worksheet={worksheet.pk}"),
        alice_client.get(BoardMember.objects.get(name="Dr. Someone").get_absolute_url()),
    ]
    wrong = re.compile(r"\b(a (advisor)|an (mentor|sponsor|coach))\b", re.IGNORECASE)
    for response in pages:
        assert response.status_code == 200
        text = main_text(response)
        assert not wrong.search(text), wrong.search(text).group(0)
    if chosen == "advisor":
        assert "An advisor may not fit what you said" in pages[0].content.decode()


# -- progress, messages and addresses ------------------------------------------------


def test_a_completed_worksheet_says_so_in_its_progress(alice_client, alice):
    worksheet = completed(alice)
    page = alice_client.get(step_url(worksheet, "need")).content.decode()
    assert "Step 3 of 7" not in page and "Completed worksheet · editing “What I need”" in page
    assert page.count('class="step-segment done"') == 6 and page.count('class="step-segment current"') == 1
    for slug in ("problem", "outcome", "refine", "recommendation", "questions", "next"):
        assert f'href="{step_url(worksheet, slug)}"' in page  # every other step is reachable


def test_the_steps_list_is_one_tab_stop_folded_in_a_disclosure(alice_client, alice):
    worksheet = completed(alice)
    page = alice_client.get(step_url(worksheet, "recommendation")).content.decode()
    nav = page.split('aria-label="Worksheet progress"')[1].split("</nav>")[0]
    assert '<details class="step-progress-box">' in nav and "<summary" in nav


def test_resaving_a_completed_worksheet_says_saved_and_returns_to_it(alice_client, alice):
    worksheet = completed(alice)
    response = post_step(alice_client, worksheet, "outcome", {"ideal_outcome": "Sooner.", "exit": "1"}, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == worksheet.get_absolute_url()
    assert "Continue whenever you are ready" not in content
    assert "Saved your changes to" in content


def test_a_draft_saved_a_moment_ago_says_just_now(alice_client, alice):
    Worksheet.objects.create(owner=alice, problem="Fresh")
    content = alice_client.get("/worksheets/").content.decode()
    assert "saved just now" in content and "0 minutes" not in content


def test_opening_a_later_step_by_its_address_says_why_it_went_elsewhere(alice_client, alice):
    worksheet = Worksheet.objects.create(owner=alice, problem="Only the first step")
    worksheet.save_step("problem")
    response = alice_client.get(step_url(worksheet, "questions"), follow=True)
    assert response.redirect_chain[-1][0] == step_url(worksheet, "outcome")
    assert "“Questions to ask” opens once the steps before it are saved." in response.content.decode()


# -- the consult note -------------------------------------------------------------------


def test_a_completed_worksheet_opens_with_problem_need_role_and_next_step(alice_client, alice):
    worksheet = completed(alice)
    page = alice_client.get(worksheet.get_absolute_url()).content.decode()
    strip = page.split('id="consult-strip"')[1].split("</ol>")[0]
    labels = re.findall(r'<p class="consult-step">(.*?)</p>', strip)
    assert labels == ["Problem", "Need", "Role", "Next step"]
    assert "Wisdom" in strip and "Mentor" in strip and "Email Dr. Osei" in strip
    assert page.index('id="consult-strip"') < page.index('class="worksheet-summary"')


def test_the_print_view_is_the_same_note_branded_without_inline_script(alice_client, alice):
    worksheet = completed(alice)
    page = alice_client.get(f"/worksheets/{worksheet.pk}/print/").content.decode()
    assert 'class="print-brand"' in page and 'id="consult-strip"' in page
    assert "onclick" not in page and "data-print" in page
