import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignInQuerySet(models.QuerySet):
    def alive(self):
        """Sign-ins whose session can still be in use: within both the absolute and the idle limit."""
        now = timezone.now()
        return self.filter(
            created_at__gte=now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE),
            last_seen_at__gte=now - datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES),
        )


class SignIn(models.Model):
    """One signed-in browser: lets a person see where they are signed in and sign the others out."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    objects = SignInQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"

    def browser(self) -> str:
        """A short, recognisable name for the browser and system, from the user agent."""
        ua = self.user_agent
        name = next(
            (label for token, label in _BROWSERS if token in ua),
            "A browser" if ua else "Unknown browser",
        )
        system = next((label for token, label in _SYSTEMS if token in ua), "")
        return f"{name} on {system}" if system else name


# Checked in order: Edge and Opera also say Chrome, Chrome also says Safari.
_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


class AuditEvent(models.Model):
    """Who did what, when and from where: ids only, never what anyone wrote. Append-only."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
        SIGN_OUT = "sign_out", "Signed out"
        SESSION_ENDED = "session_ended", "Signed out another browser"
        SESSION_EXPIRED = "session_expired", "Signed out after inactivity"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
        PASSWORD_RESET_THROTTLED = "password_reset_throttled", "Password reset refused (too many)"
        PASSWORD_RESET = "password_reset", "Password reset by email link"
        ACCESS_DENIED = "access_denied", "Denied access to someone else's page"
        EXPORT = "export", "Exported data"
        FEED_RESET = "feed_reset", "Calendar address reset"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        INVITATION_DECLINED = "invitation_declined", "Invitation declined"
        MEMBERSHIP_ADDED = "membership_added", "Program membership added"
        MEMBERSHIP_REMOVED = "membership_removed", "Program membership removed"
        MEMBERSHIP_CHANGED = "membership_changed", "Program membership changed"
        ACCOUNT_DELETED = "account_deleted", "Account deleted"
        TWO_FACTOR_ON = "two_factor_on", "Two-step sign-in turned on"
        TWO_FACTOR_OFF = "two_factor_off", "Two-step sign-in turned off"
        BACKUP_CODES_MADE = "backup_codes_made", "New backup codes made"
        BACKUP_CODE_USED = "backup_code_used", "Signed in with a backup code"
        CODE_REFUSED = "code_refused", "Two-step sign-in code refused"

    # What a person sees about their own account on the account page.
    SECURITY_KINDS = [
        Kind.SIGN_IN,
        Kind.SIGN_IN_FAILED,
        Kind.LOCKED_OUT,
        Kind.SIGN_OUT,
        Kind.SESSION_ENDED,
        Kind.SESSION_EXPIRED,
        Kind.PASSWORD_CHANGED,
        Kind.PASSWORD_RESET_REQUESTED,
        Kind.PASSWORD_RESET_THROTTLED,
        Kind.PASSWORD_RESET,
        Kind.EXPORT,
        Kind.FEED_RESET,
        Kind.TWO_FACTOR_ON,
        Kind.TWO_FACTOR_OFF,
        Kind.BACKUP_CODES_MADE,
        Kind.BACKUP_CODE_USED,
        Kind.CODE_REFUSED,
    ]

    kind = models.CharField(max_length=40, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The account concerned. user_ref keeps its id after the account is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    user_ref = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are removed only by the prune_audit command, when they expire.")


class SubmittedForm(models.Model):
    """A create form's one-time token, claimed by the request that created something.

    A second request with the same token (a double click, a resubmitted page) finds the claim and is
    sent to what the first one created instead of creating it again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="submitted_form_once")]

    def __str__(self) -> str:
        return f"{self.token[:8]}… → {self.url}"
