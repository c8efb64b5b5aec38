import datetime

from django.urls import reverse

from devboard.board.models import CheckIn
from tests.factories import days_ago, make_agreement, make_member


def test_the_check_in_form_works(alice_client, alice):
    member = make_member(alice)
    response = alice_client.get(reverse("board:check_in_new", args=[member.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["held_on"] == days_ago(0)


def test_logging_a_check_in_works_and_follows_the_cadence(alice_client, alice):
    member = make_member(alice)
    make_agreement(member, cadence="fortnightly")
    response = alice_client.post(
        reverse("board:check_in_new", args=[member.pk]),
        {"held_on": "2026-02-01", "format": "video", "discussed": "The grant", "my_next_step": "Send aims"},
    )
    assert response.status_code == 302 and response.url == member.get_absolute_url()
    check_in = CheckIn.objects.get(member=member)
    assert check_in.get_format_display() == "Video call" and check_in.discussed == "The grant"
    member.refresh_from_db()
    assert member.next_check_in_on == datetime.date(2026, 2, 15)


def test_a_next_date_given_with_the_check_in_is_set_by_hand(alice_client, alice):
    member = make_member(alice)
    make_agreement(member, cadence="fortnightly")
    alice_client.post(
        reverse("board:check_in_new", args=[member.pk]),
        {"held_on": "2026-02-01", "format": "phone", "next_check_in_on": "2026-04-01"},
    )
    member.refresh_from_db()
    assert member.next_check_in_on == datetime.date(2026, 4, 1) and member.next_check_in_by_hand


def test_a_check_in_in_the_future_is_refused_beside_the_date(alice_client, alice):
    member = make_member(alice)
    tomorrow = days_ago(-1).isoformat()
    response = alice_client.post(
        reverse("board:check_in_new", args=[member.pk]),
        {"held_on": tomorrow, "format": "phone", "discussed": "Kept text"},
    )
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert b"Kept text" in response.content
    assert not CheckIn.objects.exists()


def test_check_ins_are_listed_newest_first(alice_client, alice):
    member = make_member(alice)
    for day, text in [(days_ago(30), "Oldest"), (days_ago(1), "Newest"), (days_ago(10), "Middle")]:
        member.log_check_in(CheckIn(held_on=day, discussed=text))
    response = alice_client.get(member.get_absolute_url())
    content = response.content.decode()
    assert content.index("Newest") < content.index("Middle") < content.index("Oldest")


def test_deleting_a_check_in_needs_a_confirmation(alice_client, alice):
    member = make_member(alice)
    check_in = member.log_check_in(CheckIn(held_on=days_ago(1), discussed="To delete"))
    url = reverse("board:check_in_delete", args=[member.pk, check_in.pk])
    assert alice_client.get(url).status_code == 200
    assert CheckIn.objects.exists()
    assert alice_client.post(url).status_code == 302
    assert not CheckIn.objects.exists()


def test_a_check_in_is_reached_only_through_its_own_member(alice_client, alice):
    one, other = make_member(alice, name="One"), make_member(alice, name="Other")
    check_in = one.log_check_in(CheckIn(held_on=days_ago(1)))
    assert alice_client.post(reverse("board:check_in_delete", args=[other.pk, check_in.pk])).status_code == 404
    assert CheckIn.objects.exists()


def test_the_member_page_shows_the_latest_20_check_ins_and_the_older_ones_a_page_further(alice_client, alice):
    member = make_member(alice, on=days_ago(400))
    for day in range(1, 26):
        member.log_check_in(CheckIn(held_on=days_ago(day), discussed=f"Talked {day} days ago"))
    first = alice_client.get(member.get_absolute_url()).content.decode()
    assert "Talked 1 days ago" in first and "Talked 20 days ago<" in first and "Talked 21 days ago" not in first
    assert 'href="?page=2" rel="next">Older check-ins</a>' in first and "1–20 of 25" in first
    older = alice_client.get(member.get_absolute_url(), {"page": 2}).content.decode()
    assert "Talked 21 days ago" in older and "Talked 25 days ago" in older and "Talked 20 days ago<" not in older
    assert "Newer check-ins</a>" in older and "Older check-ins</a>" not in older and "21–25 of 25" in older


def test_a_page_of_check_ins_past_the_last_shows_the_last(alice_client, alice):
    member = make_member(alice)
    member.log_check_in(CheckIn(held_on=days_ago(1), discussed="The only one"))
    for page in ("9", "nonsense", "-1"):
        assert b"The only one" in alice_client.get(member.get_absolute_url(), {"page": page}).content
