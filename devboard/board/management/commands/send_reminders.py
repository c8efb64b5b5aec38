"""Email each person what is due on their board. Safe to run every hour, and twice at once:
every reminder goes out once (devboard/board/reminders.py)."""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from devboard.board import reminders
from devboard.board.tasks import send_reminders_to

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Email reminders for check-ins and goal revisits that are due. Each reminder is sent once. "
        "Exits non-zero when any email failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one background task per person instead of sending here (what the scheduler does).",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        due = reminders.due_reminders(timezone.localdate())
        if enqueue:
            for owner in due:
                send_reminders_to.enqueue(owner.pk)
            self.stdout.write(f"Queued reminders for {len(due)} people.")
            return
        sent = people = failed = 0
        for owner, owed in due.items():
            try:
                count = reminders.send_to_owner(owner, owed)
            except Exception:
                logger.exception("Could not send board reminders to user %s", owner.pk)
                failed += 1
                if not connection.in_atomic_block:
                    connection.close_if_unusable_or_obsolete()  # after a database blip, reconnect for the rest
            else:
                sent += count
                people += 1 if count else 0
        self.stdout.write(f"Sent {sent} reminder(s) to {people} people; {failed} email(s) failed.")
        if failed:
            raise CommandError(f"{failed} reminder email(s) failed; they will be retried on the next run.")
