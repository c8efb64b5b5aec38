from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in. Whether they are a learner or faculty is said per program (Membership.kind)."""

    def display_name(self) -> str:
        return self.get_full_name() or self.username
