import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone

from devboard.board.models import CalendarFeed
from tests.factories import make_agreement, make_member


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


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
    make_agreement(member, revisit_on=in_days(60))
    member.set_next_check_in(in_days(30))
    feed = CalendarFeed.for_user(alice)
    response = client.get(reverse("board:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(_body(response))
    check_in = events[f"check-in-{member.pk}@devboard"]
    assert str(check_in["summary"]) == "Check in with Dr. Cal"
    assert check_in.decoded("dtstart") == in_days(30)
    assert member.get_absolute_url() in str(check_in["url"])
    revisit = events[f"revisit-{member.pk}@devboard"]
    assert revisit.decoded("dtstart") == in_days(60)


def test_the_feed_leaves_out_paused_and_concluded_relationships(client, alice):
    for name, status in [("Paused", "paused"), ("Done", "concluded")]:
        member = make_member(alice, name=name, status=status)
        make_agreement(member, revisit_on=in_days(60))
        member.next_check_in_on = in_days(30)
        member.save()
    feed = CalendarFeed.for_user(alice)
    assert _events(_body(client.get(reverse("board:feed", args=[feed.token])))) == {}


def test_the_feed_holds_only_its_owners_dates(client, alice, charlie):
    make_member(charlie, name="Charlie's person").set_next_check_in(in_days(10))
    feed = CalendarFeed.for_user(alice)
    assert b"Charlie" not in _body(client.get(reverse("board:feed", args=[feed.token])))


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


def _feed(client, feed, **headers):
    return client.get(reverse("board:feed", args=[feed.token]), headers=headers)


def test_the_feed_covers_ninety_days_back_to_a_year_ahead(client, alice):
    for name, days in [("Long ago", -91), ("Recent", -90), ("Next year", 365), ("Too far", 366)]:
        make_member(alice, name=name).set_next_check_in(in_days(days))
    summaries = {str(e["summary"]) for e in _events(_body(_feed(client, CalendarFeed.for_user(alice)))).values()}
    assert summaries == {"Check in with Recent", "Check in with Next year"}


def test_polling_an_unchanged_feed_gets_304(client, alice):
    make_member(alice, name="Dr. Cal").set_next_check_in(in_days(30))
    feed = CalendarFeed.for_user(alice)
    first = _feed(client, feed)
    assert first["ETag"] and first["Last-Modified"]
    again = _feed(client, feed, if_none_match=first["ETag"])
    assert again.status_code == 304
    since = _feed(client, feed, if_modified_since=first["Last-Modified"])
    assert since.status_code == 304


def test_a_changed_date_changes_the_feeds_version(client, alice):
    member = make_member(alice, name="Dr. Cal")
    member.set_next_check_in(in_days(30))
    feed = CalendarFeed.for_user(alice)
    etag = _feed(client, feed)["ETag"]
    member.set_next_check_in(in_days(31))
    changed = _feed(client, feed, if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert in_days(31) in {e.decoded("dtstart") for e in _events(_body(changed)).values()}


def test_removing_someone_changes_the_feeds_version(client, alice):
    make_member(alice, name="Stays").set_next_check_in(in_days(30))
    leaving = make_member(alice, name="Leaves")
    leaving.set_next_check_in(in_days(30))
    feed = CalendarFeed.for_user(alice)
    etag = _feed(client, feed)["ETag"]
    leaving.delete()
    assert _feed(client, feed, if_none_match=etag).status_code == 200


def test_a_reset_address_does_not_answer_304_for_the_old_one(client, alice):
    feed = CalendarFeed.for_user(alice)
    etag = _feed(client, feed)["ETag"]
    old = feed.token
    feed.reset()
    assert client.get(reverse("board:feed", args=[old]), headers={"if-none-match": etag}).status_code == 404
