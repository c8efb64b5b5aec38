import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from devboard.accounts.models import AuditEvent, SignIn, SubmittedForm


class Command(BaseCommand):
    help = (
        "Delete audit events older than AUDIT_RETENTION_DAYS, sign-ins that can no longer be in use "
        "and used one-time form tokens older than a day. Run it daily."
    )

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
        deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
        alive = SignIn.objects.alive().values("pk")
        gone, _ = SignIn.objects.exclude(pk__in=alive).delete()
        # A form's one-time token only matters while the form can be sent twice.
        SubmittedForm.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
        self.stdout.write(f"Deleted {deleted} audit events older than {cutoff:%Y-%m-%d} and {gone} expired sign-ins.")
