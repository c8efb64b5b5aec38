from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Kind(models.TextChoices):
        LEARNER = "learner", "Learner (resident, fellow or student)"
        FACULTY = "faculty", "Faculty member"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LEARNER)

    def display_name(self) -> str:
        return self.get_full_name() or self.username
