import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from devboard import pagecache

DIRECTORS_GROUP = "Program directors"

# What a program director may do in the admin: curate the guidance, and look at
# their own programs. Worksheets, boards and users are deliberately absent.
DIRECTOR_PERMISSIONS = {
    "roles": {
        "role": ("view", "add", "change"),
        "need": ("view", "add", "change"),
        "needrule": ("view", "add", "change", "delete"),
        "refiningquestion": ("view", "add", "change"),
        "answeroption": ("view", "add", "change", "delete"),
        "answerrule": ("view", "add", "change", "delete"),
    },
    "worksheets": {"example": ("view", "add", "change", "delete")},
    "programs": {"program": ("view", "change"), "membership": ("view",), "rosterrun": ("view",)},
    "sso": {"programrule": ("view", "add", "change", "delete")},
}


def set_up_directors_group(**kwargs) -> None:
    """Give the directors' group exactly `DIRECTOR_PERMISSIONS`; run after every migrate (and flush)."""
    group, _ = Group.objects.get_or_create(name=DIRECTORS_GROUP)
    wanted = Permission.objects.none()
    for app, models_ in DIRECTOR_PERMISSIONS.items():
        for model, actions in models_.items():
            codenames = [f"{action}_{model}" for action in actions]
            wanted |= Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
    group.permissions.set(wanted)


def directors_group() -> Group:
    """The group every director is in; its permissions are set once, after migrate."""
    group, created = Group.objects.get_or_create(name=DIRECTORS_GROUP)
    if created:  # e.g. deleted by hand since the last migrate
        set_up_directors_group()
    return group


def month_start(day: datetime.date, months_later: int = 0) -> datetime.date:
    """The first day of `day`'s month, moved `months_later` months on."""
    index = day.month - 1 + months_later
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


class ProgramQuerySet(models.QuerySet):
    def directed_by(self, user):
        return self.filter(
            memberships__user=user,
            memberships__kind=Membership.Kind.DIRECTOR,
            memberships__state=Membership.State.ACTIVE,
            memberships__left_at__isnull=True,
        )


# A line break in a name breaks email subjects (a header cannot hold one) and every CSV reader.
one_line = RegexValidator(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "Write the name on one line.", inverse_match=True)


class Program(models.Model):
    name = models.CharField(max_length=120, help_text='e.g. "Internal Medicine Residency".', validators=[one_line])
    slug = models.SlugField(unique=True, help_text="Used in addresses, e.g. /program/internal-medicine/.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:dashboard", args=[self.slug])

    def is_directed_by(self, user) -> bool:
        return self.memberships.current().filter(user=user, kind=Membership.Kind.DIRECTOR).exists()

    def participants(self):
        """The learners and faculty who belong to the program now."""
        from devboard.models import User

        return User.objects.filter(
            memberships__in=Membership.objects.current().participants().filter(program=self)
        ).distinct()

    def add_member(self, user, kind: str, *, since: datetime.datetime | None = None) -> "Membership":
        """Add someone as an active member straight away (the admin, the demo, tests); invitations ask first.

        `since` backdates the membership, e.g. for a cohort that joined before devboard was set up.
        """
        membership = self.memberships.open().filter(user=user).first()
        if membership is None:
            membership = Membership(program=self, user=user, kind=kind)
        membership.kind = kind
        if membership.state != Membership.State.ACTIVE or since:
            membership.activate(since)
        membership.save()
        return membership


class MembershipQuerySet(models.QuerySet):
    def open(self):
        """Pending and active memberships: not removed."""
        return self.filter(left_at__isnull=True)

    def current(self):
        """People who belong to the program now (they accepted, and nobody removed them)."""
        return self.filter(left_at__isnull=True, state=Membership.State.ACTIVE)

    def participants(self):
        return self.filter(kind__in=Membership.PARTICIPANT_KINDS, state=Membership.State.ACTIVE)


class Membership(models.Model):
    class Kind(models.TextChoices):
        LEARNER = "learner", "Learner"
        FACULTY = "faculty", "Faculty"
        DIRECTOR = "director", "Director"

    class State(models.TextChoices):
        PENDING = "pending", "Invited"
        ACTIVE = "active", "Member"

    PARTICIPANT_KINDS = (Kind.LEARNER, Kind.FACULTY)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now, help_text="When the person accepted (or was added).")
    # Figures count a person only over whole months of settled membership (see README):
    # from the first day after one full calendar month of membership, up to the end of the month they left.
    counts_from = models.DateField(null=True, blank=True, editable=False)
    left_at = models.DateTimeField(null=True, blank=True, editable=False)
    counts_until = models.DateField(null=True, blank=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["program", "kind", "user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"], condition=models.Q(left_at__isnull=True), name="one_open_membership"
            )
        ]
        indexes = [models.Index(fields=["program", "kind", "state"], name="membership_program_kind")]

    def __str__(self) -> str:
        return f"{self.user.display_name()} ({self.get_kind_display().lower()}, {self.program})"

    def save(self, *args, **kwargs):
        if self.state == self.State.ACTIVE and self.counts_from is None:
            self.counts_from = month_start(timezone.localdate(self.joined_at), 2)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "counts_from"}
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    def activate(self, since: datetime.datetime | None = None) -> None:
        self.state = self.State.ACTIVE
        self.joined_at = since or timezone.now()
        self.counts_from = month_start(timezone.localdate(self.joined_at), 2)

    def remove(self) -> None:
        """Take the person out of the program. Figures they already counted in stay as they were.

        A pending invitation, a director, or someone who never counted is simply deleted. A counted
        participant keeps counting until the end of this month, so removing someone moves no figure today.
        """
        with transaction.atomic():
            self.invitations.filter(answered_at__isnull=True).update(revoked_at=timezone.now())
            this_month_ends = month_start(timezone.localdate(), 1)
            counted = (
                self.state == self.State.ACTIVE
                and self.kind in self.PARTICIPANT_KINDS
                and self.counts_from is not None
                and self.counts_from < this_month_ends
            )
            if not counted:
                self.delete()
                return
            self.left_at = timezone.now()
            self.counts_until = this_month_ends
            self.save(update_fields=["left_at", "counts_until"])

    def accept(self) -> "Membership":
        """The invited person said yes. Someone removed earlier this month simply carries on."""
        with transaction.atomic():
            earlier = (
                Membership.objects.select_for_update()
                .filter(program=self.program, user=self.user, counts_until__gt=timezone.localdate())
                .exclude(pk=self.pk)
                .first()
            )
            if earlier is not None:
                self.invitations.update(membership=earlier)
                self.delete()
                earlier.kind, earlier.left_at, earlier.counts_until = self.kind, None, None
                earlier.save(update_fields=["kind", "left_at", "counts_until"])
                return earlier
            self.activate()
            self.save(update_fields=["state", "joined_at", "counts_from"])
            return self


def sync_director_access(user) -> None:
    """Directing a program is what opens the admin: staff status and the directors' group follow it."""
    directs = Membership.objects.current().filter(user=user, kind=Membership.Kind.DIRECTOR).exists()
    if directs:
        user.groups.add(directors_group())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    elif groups := list(user.groups.filter(name=DIRECTORS_GROUP)):
        # Building the group's permissions costs ~20 queries: only directors need it.
        user.groups.remove(*groups)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])


# Signals rather than save()/delete(), so cascades (a program deleted) revoke access too.
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    # Only a director membership (or one that was, now changed or gone) moves admin access:
    # a learner's or faculty member's costs one look-up, whatever the size of an invitation.
    if instance.kind == Membership.Kind.DIRECTOR or instance.user.groups.filter(name=DIRECTORS_GROUP).exists():
        sync_director_access(instance.user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        """Invitations whose link still works: not answered, not replaced or withdrawn, not expired."""
        oldest = timezone.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        return self.filter(
            answered_at__isnull=True,
            revoked_at__isnull=True,
            sent_at__gte=oldest,
            membership__state=Membership.State.PENDING,
            membership__left_at__isnull=True,
        )

    def by_token(self, token: str):
        return self.usable().select_related("program", "user", "membership").filter(token_digest=_digest(token)).first()


class Invitation(models.Model):
    """An email asking someone to join a program; the membership stays pending until they accept.

    The director sees only the address and name they typed, never whether an account existed.
    The link carries a random token (only its digest is stored); sending again or removing the
    membership revokes it.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    email = models.EmailField(blank=True, help_text="The address as the director typed it.")
    name = models.CharField(max_length=300, blank=True, help_text="The name as the director typed it.")
    kind = models.CharField(max_length=10, choices=Membership.Kind.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    token_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.email or self.user.email} to {self.program}"

    def new_token(self) -> str:
        """A fresh link token; only its digest is kept, so the database never holds a working link."""
        token = secrets.token_urlsafe(32)
        self.token_digest = _digest(token)
        return token

    def accept(self) -> Membership:
        with transaction.atomic():
            membership = self.membership.accept()
            now = timezone.now()
            Invitation.objects.filter(membership=membership, answered_at__isnull=True).update(
                answered_at=now, accepted_at=now
            )
            return membership

    def decline(self) -> None:
        with transaction.atomic():
            now = timezone.now()
            Invitation.objects.filter(membership=self.membership, answered_at__isnull=True).update(answered_at=now)
            pagecache.bump(("user", self.user_id))  # the navigation's "Invitations" link
            if self.membership.is_pending:
                self.membership.delete()


class RosterRun(models.Model):
    """One `manage.py sync_roster` run that changed a program or was refused; dry runs leave no trace."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roster_runs")
    ran_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    deactivate = models.BooleanField("with --deactivate", default=False)
    applied = models.BooleanField(default=True, help_text="False when bad rows stopped the run: nothing changed.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField("memberships removed", default=0)
    deactivated = models.PositiveIntegerField(default=0)
    problems = models.TextField(blank=True)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.program} roster, {self.ran_at:%Y-%m-%d %H:%M}"


class InvitationBatch(models.Model):
    """One list of people a director sent, invited in the background row by row
    (devboard/programs/tasks.py), with its progress kept so the page survives a reload."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitation_batches")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    people = models.JSONField(help_text="The rows to invite: where, name, email, kind.")
    refused = models.JSONField(default=list, help_text="Rows the form refused: [where, what was given, why].")
    invited = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Already in the program when their turn came.")
    failures = models.JSONField(default=list, help_text="Rows that could not be invited: [where, email, why].")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{len(self.people)} invitations to {self.program} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def processed(self) -> int:
        return self.invited + self.skipped + len(self.failures)

    def progress(self) -> dict:
        return {
            "total": self.total,
            "processed": self.processed,
            "invited": self.invited,
            "skipped": self.skipped,
            "failed": len(self.failures),
            "finished": self.finished_at is not None,
        }


class ProgramFigures(models.Model):
    """The dashboard's counts for one program, as last worked out (devboard/programs/figures.py).

    Counting a program of 2,000 takes a second or more, so the page reads this row instead and
    the task worker refreshes it (`figures.summary_for`). It holds raw counts for every period
    offered this month; suppression is applied each time they are shown, never stored.
    """

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="figures")
    computed_at = models.DateTimeField()
    month = models.DateField(help_text="The month the periods were chosen in (they change with it).")
    guidance = models.JSONField(help_text="The needs and roles counted: other guidance needs a new count.")
    data = models.JSONField(help_text="Periods offered and refused, and each offered period's counts.")
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "program figures"

    def __str__(self) -> str:
        return f"Figures of {self.program_id} as of {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def age(self) -> datetime.timedelta:
        return timezone.now() - self.computed_at
