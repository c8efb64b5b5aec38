from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person who signs in. Whether they are a learner or faculty is said per program (Membership.kind)."""

    external_id = models.CharField(
        "institution ID",
        max_length=100,
        blank=True,
        default="",
        help_text="The person's ID in the institution's roster (e.g. an employee or student number); "
        "roster sync finds people by it.",
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name="unique_external_id"),
            # Invitations find people by address, so two invitations sent at once must meet one account.
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="one_account_per_email"),
        ]
        # Lists of people in name order (the admin's memberships) walk this index and stop at a page,
        # instead of joining and sorting every member (docs/performance.md, finding 8).
        indexes = [models.Index(fields=["last_name", "first_name", "username"], name="user_name_order")]

    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        # A signed-in person kept between requests (devboard.sso.backends.KeptUser) leaves the
        # password hash in the database and brings the session hash worked out from it instead.
        kept = self.__dict__.get("kept_session_hash")
        if kept is not None and "password" in self.get_deferred_fields():
            return kept
        return super().get_session_auth_hash()
