from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

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


class ProgramQuerySet(models.QuerySet):
    def directed_by(self, user):
        return self.filter(memberships__user=user, memberships__kind=Membership.Kind.DIRECTOR)


class Program(models.Model):
    name = models.CharField(max_length=120, help_text='e.g. "Internal Medicine Residency".')
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
        return self.memberships.filter(user=user, kind=Membership.Kind.DIRECTOR).exists()

    def participants(self):
        """The learners and faculty whose figures the dashboard counts (directors are not counted)."""
        from devboard.models import User

        return User.objects.filter(
            memberships__program=self, memberships__kind__in=Membership.PARTICIPANT_KINDS
        ).distinct()

    def add_member(self, user, kind: str) -> "Membership":
        membership, created = Membership.objects.get_or_create(program=self, user=user, defaults={"kind": kind})
        if not created and membership.kind != kind:
            membership.kind = kind
            membership.save(update_fields=["kind"])
        return membership


class Membership(models.Model):
    class Kind(models.TextChoices):
        LEARNER = "learner", "Learner"
        FACULTY = "faculty", "Faculty"
        DIRECTOR = "director", "Director"

    PARTICIPANT_KINDS = (Kind.LEARNER, Kind.FACULTY)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "kind", "user__last_name", "user__first_name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="one_membership_per_program")]

    def __str__(self) -> str:
        return f"{self.user.display_name()} ({self.get_kind_display().lower()}, {self.program})"


def sync_director_access(user) -> None:
    """Directing a program is what opens the admin: staff status and the directors' group follow it."""
    directs = Membership.objects.filter(user=user, kind=Membership.Kind.DIRECTOR).exists()
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


class Invitation(models.Model):
    """An email sent to a new or existing member; accepted once they set a password through it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=10, choices=Membership.Kind.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.user.email} to {self.program}"


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
