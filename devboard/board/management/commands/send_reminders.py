"""Email each person what is due on their board. Safe to run every hour: every reminder goes out once."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from devboard.board.models import BoardMember, Reminder

logger = logging.getLogger(__name__)


def due_reminders(today: datetime.date) -> dict:
    """{owner: [Reminder (unsaved), ...]} for check-ins and revisits due by `today` that were never reminded."""
    members = (
        BoardMember.objects.open()
        .filter(owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner", "agreement")
        .order_by("owner_id", "name")
    )
    candidates = []
    for member in members.check_in_due(today):
        candidates.append(Reminder(member=member, kind=Reminder.Kind.CHECK_IN, due_on=member.next_check_in_on))
    for member in members.revisit_due(today):
        candidates.append(Reminder(member=member, kind=Reminder.Kind.REVISIT, due_on=member.agreement.revisit_on))
    sent = set(
        Reminder.objects.filter(member__in=[r.member for r in candidates]).values_list("member_id", "kind", "due_on")
    )
    by_owner: dict = {}
    for reminder in candidates:
        if (reminder.member_id, reminder.kind, reminder.due_on) not in sent:
            by_owner.setdefault(reminder.member.owner, []).append(reminder)
    return by_owner


def _text(reminder: Reminder) -> str:
    if reminder.kind == Reminder.Kind.CHECK_IN:
        return f"Check in with {reminder.member.name}"
    return f"Revisit your goals with {reminder.member.name}"


def send_one(owner, reminders: list[Reminder]) -> None:
    items = [
        {"text": _text(r), "due_on": r.due_on, "url": settings.SITE_URL + r.member.get_absolute_url()}
        for r in reminders
    ]
    ctx = {"user": owner, "items": items, "board_url": settings.SITE_URL + reverse("board:board")}
    subject = render_to_string("board/email/reminder_subject.txt", ctx).strip()
    body = render_to_string("board/email/reminder.txt", ctx)
    # Recorded first inside the transaction: if the mail fails the records roll back and the next run retries;
    # if another run got there first, the unique constraint stops this one before anything is sent.
    with transaction.atomic():
        Reminder.objects.bulk_create(reminders)
        send_mail(subject, body, None, [owner.email])


class Command(BaseCommand):
    help = "Email reminders for check-ins and goal revisits that are due. Each reminder is sent once."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = failed = 0
        for owner, reminders in due_reminders(today).items():
            try:
                send_one(owner, reminders)
            except Exception:
                logger.exception("Could not send board reminders to user %s", owner.pk)
                failed += 1
            else:
                sent += len(reminders)
        self.stdout.write(f"Sent {sent} reminder(s){f'; {failed} email(s) failed' if failed else ''}.")
