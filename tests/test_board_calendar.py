import datetime

import icalendar
from django.urls import reverse

from devboard.board.models import CalendarFeed

from .board_factory import make_agreement, make_member


def _events(content: bytes) -> dict:
    cal = icalendar.Calendar.from_ical(content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_the_calendar_page_shows_the_secret_address(alice_client, alice):
    response = alice_client.get(reverse("board:calendar"))
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(owner=alice)
    assert feed.token.encode() in response.content
    assert b"webcal://" in response.content


def test_the_feed_parses_as_icalendar_with_check_ins_and_revisits(client, alice):
    member = make_member(alice, name="Dr. Cal")
    make_agreement(member, revisit_on=datetime.date(2031, 3, 1))
    member.set_next_check_in(datetime.date(2031, 2, 1))
    feed = CalendarFeed.for_user(alice)
    response = client.get(reverse("board:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    check_in = events[f"check-in-{member.pk}@devboard"]
    assert str(check_in["summary"]) == "Check in with Dr. Cal"
    assert check_in.decoded("dtstart") == datetime.date(2031, 2, 1)
    assert member.get_absolute_url() in str(check_in["url"])
    revisit = events[f"revisit-{member.pk}@devboard"]
    assert revisit.decoded("dtstart") == datetime.date(2031, 3, 1)


def test_the_feed_leaves_out_paused_and_concluded_relationships(client, alice):
    for name, status in [("Paused", "paused"), ("Done", "concluded")]:
        member = make_member(alice, name=name, status=status)
        make_agreement(member, revisit_on=datetime.date(2031, 3, 1))
        member.next_check_in_on = datetime.date(2031, 2, 1)
        member.save()
    feed = CalendarFeed.for_user(alice)
    assert _events(client.get(reverse("board:feed", args=[feed.token])).content) == {}


def test_the_feed_holds_only_its_owners_dates(client, alice, charlie):
    make_member(charlie, name="Charlie's person").set_next_check_in(datetime.date(2031, 1, 1))
    feed = CalendarFeed.for_user(alice)
    assert b"Charlie" not in client.get(reverse("board:feed", args=[feed.token])).content


def test_resetting_the_secret_kills_the_old_address(alice_client, alice, client):
    old = CalendarFeed.for_user(alice).token
    response = alice_client.post(reverse("board:calendar_reset"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(owner=alice).token
    assert new != old
    alice_client.logout()
    assert client.get(reverse("board:feed", args=[old])).status_code == 404
    assert client.get(reverse("board:feed", args=[new])).status_code == 200


def test_a_deactivated_users_feed_stops(client, alice):
    feed = CalendarFeed.for_user(alice)
    alice.is_active = False
    alice.save()
    assert client.get(reverse("board:feed", args=[feed.token])).status_code == 404
