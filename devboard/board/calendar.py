"""The private iCalendar feed: check-ins and goal revisits, for a calendar app to poll.

The feed covers a window (90 days back, a year ahead) so it stays small however old the board
is, streams one event at a time, and carries a version (ETag, Last-Modified) so that a
calendar app polling every few minutes gets a 304 until a date in it changes.
"""

import datetime
import hashlib
from collections.abc import Iterator

import icalendar
from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from .models import BoardMember, BoardRole, CalendarFeed

DAYS_BACK = 90
DAYS_AHEAD = 365
CHUNK = 200
FLUSH_AT = 64 * 1024


def window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DAYS_BACK), today + datetime.timedelta(days=DAYS_AHEAD)


def _in_window(start: datetime.date, end: datetime.date) -> Q:
    return Q(next_check_in_on__range=(start, end)) | Q(agreement__revisit_on__range=(start, end))


def _open_members(user, start: datetime.date, end: datetime.date):
    return (
        BoardMember.objects.for_owner(user)
        .open()
        .filter(_in_window(start, end))
        .select_related("agreement")
        .prefetch_related(
            Prefetch("board_roles", queryset=BoardRole.objects.select_related("role"), to_attr="all_roles")
        )
        .order_by("name", "pk")
    )


def feed_version(feed: CalendarFeed) -> tuple[str, datetime.datetime]:
    """(ETag, Last-Modified) of the feed as it would be served now, in one query.

    Whatever changes an event touches a member's or an agreement's updated_at; removing someone
    changes the count; the window moves each day; resetting the address changes the token.
    """
    start, end = window()
    seen = BoardMember.objects.for_owner(feed.owner).aggregate(
        members=Max("updated_at"), agreements=Max("agreement__updated_at"), count=Count("pk")
    )
    last = max(filter(None, [seen["members"], seen["agreements"], feed.created_at]))
    tag = hashlib.sha256(f"{feed.token}|{last.isoformat()}|{seen['count']}|{start}".encode()).hexdigest()[:32]
    return f'"{tag}"', last


def calendar_ics(user) -> Iterator[bytes]:
    """The open relationships' check-ins and goal revisits in the window, as all-day events."""
    start, end = window()
    head = icalendar.Calendar()
    head.add("prodid", "-//devboard//board calendar//EN")
    head.add("version", "2.0")
    head.add("x-wr-calname", "devboard check-ins")
    opening, closing = head.to_ical().split(b"END:VCALENDAR")
    yield opening
    pending, size = [], 0
    for member in _open_members(user, start, end).iterator(chunk_size=CHUNK):
        url = settings.SITE_URL + member.get_absolute_url()
        roles = "; ".join(role.name for role in member.current_roles())
        agreement = member.agreement_or_none()
        dates = []
        if member.next_check_in_on and start <= member.next_check_in_on <= end:
            dates.append(("check-in", member.next_check_in_on, f"Check in with {member.name}", member.updated_at))
        if agreement and agreement.revisit_on and start <= agreement.revisit_on <= end:
            dates.append(("revisit", agreement.revisit_on, f"Revisit goals with {member.name}", agreement.updated_at))
        for kind, day, summary, changed in dates:
            event = icalendar.Event()
            event.add("uid", f"{kind}-{member.pk}@devboard")
            event.add("dtstamp", changed)  # when the event last changed, so an unchanged feed is byte for byte the same
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
            event.add("summary", summary)
            event.add("description", f"{roles or 'On your board'}. {url}")
            event.add("url", url)
            event.add("transp", "TRANSPARENT")
            pending.append(event.to_ical())
            size += len(pending[-1])
        if size >= FLUSH_AT:
            yield b"".join(pending)
            pending, size = [], 0
    yield b"".join(pending) + b"END:VCALENDAR" + closing
