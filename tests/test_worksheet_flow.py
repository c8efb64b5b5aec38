"""The guided worksheet, step by step, through Django's test client."""

import datetime
import re

import pytest
from django.utils import timezone

from roles.models import Need, Role
from tests.factories import make_worksheet
from worksheets.models import Worksheet

pytestmark = pytest.mark.django_db


def need(slug):
    return Need.objects.get(slug=slug)


def role(slug):
    return Role.objects.get(slug=slug)


def step_url(w, step):
    return f"/worksheets/{w.pk}/step/{step}/"


def post_step(client, w, step, data):
    """Save a step as its page would: with the version the worksheet is at now."""
    version = Worksheet.objects.filter(pk=w.pk).values_list("version", flat=True).first()
    return client.post(step_url(w, step), {**data, "version": version})


def test_new_shows_the_first_step_without_creating_anything(alice_client):
    r = alice_client.get("/worksheets/new/")
    assert r.status_code == 200
    assert b"Step 1 of 7" in r.content
    assert Worksheet.objects.count() == 0


def test_the_first_step_creates_the_worksheet_and_moves_on(alice_client, alice):
    r = alice_client.post("/worksheets/new/", {"problem": "I feel overwhelmed.", "title": ""})
    w = Worksheet.objects.get()
    assert w.owner == alice and w.problem == "I feel overwhelmed." and w.step == "outcome"
    assert r.status_code == 302 and r.url == step_url(w, "outcome")


def test_an_empty_problem_is_refused_with_a_message(alice_client):
    r = alice_client.post("/worksheets/new/", {"problem": "", "title": "My title"})
    assert r.status_code == 200
    assert "Write down the problem first" in r.content.decode()
    assert 'value="My title"' in r.content.decode()
    assert Worksheet.objects.count() == 0


def test_text_over_the_limit_is_refused_and_kept(alice_client):
    long = "x" * 2001
    r = alice_client.post("/worksheets/new/", {"problem": long})
    assert "“What is the problem?” can be up to 2,000 characters and has 2,001 now." in r.content.decode()
    assert long in r.content.decode()
    assert Worksheet.objects.count() == 0


def test_line_breaks_count_once_as_the_page_counter_counts_them(alice_client):
    problem = "\r\n".join(["x" * 99] * 20)  # 1,999 characters on the page; the browser sends 2,018
    r = alice_client.post("/worksheets/new/", {"problem": problem})
    assert r.status_code == 302
    assert Worksheet.objects.get().problem.replace("\r\n", "\n") == problem.replace("\r\n", "\n")


def test_the_whole_journey_ends_completed(alice_client):
    alice_client.post("/worksheets/new/", {"problem": "Bad feedback on the ICU rotation."})
    w = Worksheet.objects.get()
    post_step(alice_client, w, "outcome", {"ideal_outcome": "Strong evaluations."})
    post_step(alice_client, w, "need", {"primary_need": need("content").pk})
    post_step(alice_client, w, "refine", {"answers": "direct", "horizon": "one"})
    w.refresh_from_db()
    assert w.recommended_role == role("advisor")
    r = alice_client.get(step_url(w, "recommendation"))
    assert "It looks like you need an advisor" in r.content.decode()
    assert role("advisor").pitfall in r.content.decode()
    post_step(alice_client, w, "recommendation", {"chosen_role": role("advisor").pk})
    r = alice_client.get(step_url(w, "questions"))
    assert role("advisor").question_list()[0] in r.content.decode()
    post_step(alice_client, w, "questions", {"questions_to_ask": "What would you change?"})
    due = timezone.localdate() + datetime.timedelta(days=3)
    r = post_step(alice_client, w, "next", {"next_step": "Email Dr. Patel.", "next_step_due": due.isoformat()})
    w.refresh_from_db()
    assert r.status_code == 302 and r.url == f"/worksheets/{w.pk}/"
    assert w.is_completed and w.completed_at is not None
    assert w.next_step_due == due and w.questions_to_ask == "What would you change?"
    assert w.choice_warnings == []


def test_no_main_need_is_refused_with_a_message(alice_client, alice):
    w = make_worksheet(alice, ideal_outcome="x", step="need")
    r = post_step(alice_client, w, "need", {"other_needs": [need("wisdom").pk]})
    assert "Choose the need that matters most." in r.content.decode()
    # the other need the user ticked stays ticked
    assert f'id="other-wisdom" value="{need("wisdom").pk}" checked' in r.content.decode()
    w.refresh_from_db()
    assert w.primary_need is None and w.step == "need"


def test_the_need_steps_error_summary_leads_to_the_first_choice(alice_client, alice):
    w = make_worksheet(alice, ideal_outcome="x", step="need")
    html = post_step(alice_client, w, "need", {"other_needs": ["99999"]}).content.decode()
    summary = html[html.index("data-error-summary") :]
    anchors = re.findall(r'<a href="#([^"]+)">', summary[: summary.index("</div>")])
    assert len(anchors) == 2  # no main need, and another need not on the list
    for anchor in anchors:
        assert f'id="{anchor}"' in html and f'for="{anchor}"' in html  # a radio or checkbox with its label


def test_a_tampered_need_is_refused(alice_client, alice):
    w = make_worksheet(alice, ideal_outcome="x", step="need")
    r = post_step(alice_client, w, "need", {"primary_need": "99999"})
    assert "not one of the choices" in r.content.decode()


def test_a_tampered_answer_is_refused_and_the_others_kept(alice_client, alice):
    w = make_worksheet(alice, ideal_outcome="x", primary_need=need("clarity"), step="refine")
    r = post_step(alice_client, w, "refine", {"answers": "always", "horizon": "long"})
    html = r.content.decode()
    assert "That answer is not one of the choices" in html
    assert 'value="long" checked' in html
    w.refresh_from_db()
    assert w.answers == {}


def test_a_next_step_date_in_the_past_is_refused(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    r = post_step(alice_client, w, "next", {"next_step": "Call her.", "next_step_due": yesterday.isoformat()})
    html = r.content.decode()
    assert "That date has passed" in html
    assert "Call her." in html
    w.refresh_from_db()
    assert w.next_step == "Ask a senior resident."


def test_choosing_another_role_is_allowed_with_a_warning(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    post_step(alice_client, w, "recommendation", {"chosen_role": role("coach").pk})
    w.refresh_from_db()
    assert w.chosen_role == role("coach")
    r = alice_client.get(f"/worksheets/{w.pk}/")
    html = r.content.decode()
    assert "You chose a coach, not the recommended advisor" in html
    assert "You want direct answers, but a coach helps you find your own rather than giving them." in html


def test_the_recommendation_is_a_snapshot_that_guidance_edits_do_not_rewrite(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    advisor = role("advisor")
    old_pitfall = advisor.pitfall
    advisor.pitfall = "A brand new pitfall."
    advisor.name = "Consultant"
    advisor.save()
    html = alice_client.get(f"/worksheets/{w.pk}/").content.decode()
    assert old_pitfall in html
    assert "A brand new pitfall." not in html


def test_steps_ahead_of_the_draft_redirect_to_where_it_stopped(alice_client, alice):
    w = make_worksheet(alice, step="outcome")
    r = alice_client.get(step_url(w, "questions"))
    assert r.status_code == 302 and r.url == step_url(w, "outcome")


def test_continue_resumes_a_draft_where_it_stopped(alice_client, alice):
    w = make_worksheet(alice, ideal_outcome="x", step="need")
    r = alice_client.get(f"/worksheets/{w.pk}/continue/")
    assert r.url == step_url(w, "need")


def test_save_and_come_back_later_keeps_the_step_and_goes_to_the_list(alice_client, alice):
    w = make_worksheet(alice, step="outcome")
    r = post_step(alice_client, w, "outcome", {"ideal_outcome": "A plan.", "exit": "1"})
    assert r.url == "/worksheets/"
    w.refresh_from_db()
    assert w.ideal_outcome == "A plan." and w.step == "need"


def test_an_unknown_step_is_404(alice_client, alice):
    w = make_worksheet(alice)
    assert alice_client.get(step_url(w, "nonsense")).status_code == 404


def test_the_questions_step_is_prefilled_from_the_chosen_role(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    w.questions_to_ask = ""
    w.save()
    html = alice_client.get(step_url(w, "questions")).content.decode()
    for question in role("advisor").question_list():
        assert question in html


def test_a_tampered_role_choice_is_refused(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    r = post_step(alice_client, w, "recommendation", {"chosen_role": "not-a-role"})
    assert "That role is not one of the choices" in r.content.decode()
    w.refresh_from_db()
    assert w.chosen_role == role("advisor")


def test_changing_the_need_recomputes_the_recommendation_and_warnings(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    post_step(alice_client, w, "need", {"primary_need": need("access").pk})
    w.refresh_from_db()
    assert w.recommended_role == role("sponsor")
    # the choice had followed the recommendation, so it follows the new one, and the page says so
    assert w.chosen_role == role("sponsor") and w.choice_warnings == []


def test_a_choice_made_against_the_recommendation_keeps_its_warnings_up_to_date(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    post_step(alice_client, w, "recommendation", {"chosen_role": role("coach").pk})
    version = Worksheet.objects.get(pk=w.pk).version
    response = alice_client.post(
        step_url(w, "need"), {"primary_need": need("access").pk, "version": version}, follow=True
    )
    w.refresh_from_db()
    assert w.recommended_role == role("sponsor") and w.chosen_role == role("coach")
    assert w.choice_warnings[0] == "You named access as your main need, and that points to a sponsor, not a coach."
    assert "moved with it" not in response.content.decode()


def test_a_draft_from_elsewhere_cannot_jump_to_the_recommendation_without_a_need(alice_client, alice):
    w = make_worksheet(alice, step="recommendation")
    r = alice_client.get(step_url(w, "recommendation"))
    assert r.status_code == 302 and r.url == step_url(w, "need")


def test_changing_role_replaces_untouched_suggested_questions_but_keeps_edited_ones(alice_client, alice):
    w = make_worksheet(alice, completed=True)
    w.questions_to_ask = "\n".join(role("advisor").question_list())
    w.save()
    post_step(alice_client, w, "recommendation", {"chosen_role": role("mentor").pk})
    html = alice_client.get(step_url(w, "questions")).content.decode()
    assert role("mentor").question_list()[0] in html

    w.refresh_from_db()
    w.questions_to_ask = "My own question?"
    w.save()
    post_step(alice_client, w, "recommendation", {"chosen_role": role("coach").pk})
    w.refresh_from_db()
    assert w.questions_to_ask == "My own question?"


def test_a_need_unpublished_since_it_was_chosen_asks_for_a_new_choice(alice_client, alice):
    w = make_worksheet(alice, ideal_outcome="x", primary_need=need("wisdom"), step="refine")
    Need.objects.filter(slug="wisdom").update(published=False)
    r = post_step(alice_client, w, "refine", {"answers": "think"})
    assert r.status_code == 302
    r = alice_client.get(step_url(w, "recommendation"))
    assert r.status_code == 302 and r.url == step_url(w, "need")
    html = alice_client.get(step_url(w, "need")).content.decode()
    assert "Wisdom:" not in html and "Name your main need first" in html
