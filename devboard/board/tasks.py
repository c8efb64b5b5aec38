"""Background tasks of the board (run by `manage.py db_worker`, or at once with the immediate backend)."""

from django.utils import timezone
from django_tasks import task

from devboard.models import User

from . import reminders


@task()
def send_reminders_to(owner_id: int) -> int:
    """One person's due reminders, in one email. Fails (and is recorded as failed) if the email did."""
    owner = User.objects.get(pk=owner_id)
    due = reminders.due_reminders(timezone.localdate(), owner_id=owner_id).get(owner, [])
    return reminders.send_to_owner(owner, due)
