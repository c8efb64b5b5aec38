"""Reminder emails for due check-ins and goal revisits: found, claimed, sent, recorded.

Each reminder is claimed before its email goes out: the claim is a committed Reminder row,
and the unique constraint on (member, kind, due_on) lets only one run or worker hold it.
The row is marked sent after the email left. A failed email releases the claim so the next
run retries it; if the database goes away after the email left, the claim stays and the
reminder is not sent twice. At most once, never twice, is the promise.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import BoardMember, Reminder

logger = logging.getLogger(__name__)


def due_reminders(today: datetime.date, owner_id: int | None = None) -> dict:
    """{owner: [Reminder (unsaved), ...]} for check-ins and revisits due by `today` that were never claimed."""
    members = (
        BoardMember.objects.open()
        .filter(owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner", "agreement")
        .order_by("owner_id", "name")
    )
    if owner_id is not None:
        members = members.filter(owner_id=owner_id)
    candidates = []
    for member in members.check_in_due(today):
        candidates.append(Reminder(member=member, kind=Reminder.Kind.CHECK_IN, due_on=member.next_check_in_on))
    for member in members.revisit_due(today):
        candidates.append(Reminder(member=member, kind=Reminder.Kind.REVISIT, due_on=member.agreement.revisit_on))
    claimed = set(
        Reminder.objects.filter(member__in=[r.member for r in candidates]).values_list("member_id", "kind", "due_on")
    )
    by_owner: dict = {}
    for reminder in candidates:
        if (reminder.member_id, reminder.kind, reminder.due_on) not in claimed:
            by_owner.setdefault(reminder.member.owner, []).append(reminder)
    return by_owner


def claim(owner, reminders: list[Reminder]) -> list[Reminder]:
    """The reminders this run now holds. Claims for one person are taken under a lock on their
    account, so two runs never split one person's reminders into two emails; whatever another
    run claimed first is left out quietly."""
    try:
        with transaction.atomic():
            list(type(owner).objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))
            taken = set(Reminder.objects.filter(member__owner=owner).values_list("member_id", "kind", "due_on"))
            free = [r for r in reminders if (r.member_id, r.kind, r.due_on) not in taken]
            return Reminder.objects.bulk_create(free)
    except IntegrityError:  # claimed between our look-up and our insert by a run that did not lock
        return []


def _text(reminder: Reminder) -> str:
    if reminder.kind == Reminder.Kind.CHECK_IN:
        return f"Check in with {reminder.member.name}"
    return f"Revisit your goals with {reminder.member.name}"


def send_to_owner(owner, reminders: list[Reminder]) -> int:
    """Claim, email, record. Returns how many reminders went out; raises if the email failed."""
    claimed = claim(owner, reminders)
    if not claimed:
        return 0
    items = [
        {"text": _text(r), "due_on": r.due_on, "url": settings.SITE_URL + r.member.get_absolute_url()} for r in claimed
    ]
    ctx = {"user": owner, "items": items, "board_url": settings.SITE_URL + reverse("board:board")}
    subject = render_to_string("board/email/reminder_subject.txt", ctx).strip()
    body = render_to_string("board/email/reminder.txt", ctx)
    ids = [r.pk for r in claimed]
    try:
        send_mail(subject, body, None, [owner.email])
    except Exception:
        Reminder.objects.filter(pk__in=ids).delete()  # released: the next run tries again
        raise
    Reminder.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    return len(claimed)
