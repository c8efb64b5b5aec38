"""Background tasks of programs (run by `manage.py db_worker`, or at once with the immediate backend)."""

import logging
from smtplib import SMTPException

from django.utils import timezone
from django_tasks import task

from devboard.audit import record

from . import figures, invitations
from .models import InvitationBatch, Program

logger = logging.getLogger(__name__)

SAVE_EVERY = 10  # rows between progress saves; a row done twice after a crash is skipped, not re-invited


@task()
def invite_batch(batch_id: int) -> dict:
    """Invite every row of the batch in order, recording each outcome. Resumes where a stopped
    worker left off; someone already in the program by their turn is skipped, so nobody is
    invited twice, even when the same list is sent again."""
    batch = InvitationBatch.objects.select_related("program", "sent_by").get(pk=batch_id)
    program = batch.program
    for number, row in enumerate(batch.people[batch.processed :], start=batch.processed + 1):
        person = invitations.Person(**row)
        if program.memberships.filter(user__email__iexact=person.email, left_at__isnull=True).exists():
            batch.skipped += 1
        else:
            try:
                sent = invitations.invite(program, person, batch.sent_by)
            except invitations.TooMany as limit:
                batch.failures.append([person.where, person.email, str(limit)])
            except (SMTPException, OSError):
                # invite() is atomic: without the email, the account and membership are not kept either.
                logger.warning("Invitation batch %s: the email for %s could not be sent", batch.pk, person.where)
                batch.failures.append([person.where, person.email, "the email could not be sent; try again later"])
            except Exception:
                logger.exception("Invitation batch %s: %s could not be invited", batch.pk, person.where)
                batch.failures.append([person.where, person.email, "something went wrong; try again later"])
            else:
                batch.invited += 1
                record(
                    "invitation_sent",
                    user=batch.sent_by,
                    program=program.pk,
                    invitation=sent.pk,
                    membership=sent.membership_id,
                    batch=batch.pk,
                )
        if number % SAVE_EVERY == 0:
            batch.save(update_fields=["invited", "skipped", "failures"])
    batch.finished_at = timezone.now()
    batch.save(update_fields=["invited", "skipped", "failures", "finished_at"])
    return batch.progress()


@task()
def refresh_figures(program_id: int) -> str:
    """Count a program's dashboard figures again (queued when a director sees them getting old,
    and every hour by the scheduler: `manage.py refresh_figures --enqueue`)."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:  # deleted since
        return "gone"
    return figures.refresh(program).computed_at.isoformat()
