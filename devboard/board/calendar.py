"""The private iCalendar feed: upcoming check-ins and goal revisits, for a calendar app to poll."""

import datetime

import icalendar
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .models import BoardMember, BoardRole


def _open_members(user):
    return (
        BoardMember.objects.for_owner(user)
        .filter(status__in=BoardMember.OPEN_STATUSES)
        .select_related("agreement")
        .prefetch_related(
            Prefetch("board_roles", queryset=BoardRole.objects.select_related("role"), to_attr="all_roles")
        )
        .order_by("name", "pk")
    )


def calendar_ics(user) -> bytes:
    """Upcoming check-ins and goal revisits of the user's open relationships, as all-day events."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//devboard//board calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "devboard check-ins")
    now = timezone.now()
    for member in _open_members(user):
        url = settings.SITE_URL + member.get_absolute_url()
        roles = "; ".join(role.name for role in member.current_roles())
        agreement = member.agreement_or_none()
        dates = []
        if member.next_check_in_on:
            dates.append(("check-in", member.next_check_in_on, f"Check in with {member.name}"))
        if agreement and agreement.revisit_on:
            dates.append(("revisit", agreement.revisit_on, f"Revisit goals with {member.name}"))
        for kind, day, summary in dates:
            event = icalendar.Event()
            event.add("uid", f"{kind}-{member.pk}@devboard")
            event.add("dtstamp", now)
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
            event.add("summary", summary)
            event.add("description", f"{roles or 'On your board'}. {url}")
            event.add("url", url)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical()
