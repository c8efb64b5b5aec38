from django.urls import reverse

from devboard.board.models import BoardMember
from tests.factories import days_ago, make_agreement, make_member


def test_the_review_page_shows_the_signs_and_the_closing_guide(alice_client, alice):
    member = make_member(alice)
    make_agreement(member, goals="Finish the dossier", done_when="Dossier submitted")
    response = alice_client.get(reverse("board:review", args=[member.pk]))
    assert response.status_code == 200
    for sign in BoardMember.Sign:
        assert sign.label.encode() in response.content
    assert b"The closing conversation" in response.content
    assert b"Dossier submitted" in response.content


def test_concluding_works(alice_client, alice):
    member = make_member(alice, roles=("mentor",), on=days_ago(300))
    response = alice_client.post(
        reverse("board:conclude", args=[member.pk]),
        {
            "signs": ["answered", "goal_met"],
            "afterwards": "peer",
            "concluded_on": days_ago(2).isoformat(),
            "note": "Thanked her.",
        },
    )
    assert response.status_code == 302 and response.url == member.get_absolute_url()
    member.refresh_from_db()
    assert member.status == "concluded" and member.afterwards == "peer"
    assert member.concluded_on == days_ago(2) and member.closing_signs == ["answered", "goal_met"]
    page = alice_client.get(member.get_absolute_url())
    assert b"Now a valued peer" in page.content
    assert b"Mentor: " in page.content


def test_concluding_needs_what_they_become(alice_client, alice):
    member = make_member(alice)
    response = alice_client.post(
        reverse("board:conclude", args=[member.pk]), {"signs": ["damaged"], "note": "Kept note"}
    )
    assert response.status_code == 200
    assert "afterwards" in response.context["form"].errors
    assert b"Kept note" in response.content
    member.refresh_from_db()
    assert member.status == "active"


def test_a_concluded_relationship_has_no_review_page(alice_client, alice):
    member = make_member(alice, status="concluded")
    response = alice_client.get(reverse("board:review", args=[member.pk]))
    assert response.status_code == 302


def test_keeping_it_going_quiets_the_review_prompt(alice_client, alice):
    member = make_member(alice, on=days_ago(400))
    member.set_status("paused", on=days_ago(120))
    reviews = [i for i in alice_client.get(reverse("board:board")).context["up_next"] if i["kind"] == "review"]
    assert [i["member"] for i in reviews] == [member]
    alice_client.post(reverse("board:keep", args=[member.pk]))
    member.refresh_from_db()
    assert member.last_reviewed_on == days_ago(0)
    assert [i for i in alice_client.get(reverse("board:board")).context["up_next"] if i["kind"] == "review"] == []
