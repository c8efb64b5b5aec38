from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProgramsConfig(AppConfig):
    name = "devboard.programs"
    label = "programs"
    verbose_name = "Programs"

    def ready(self) -> None:
        from .models import set_up_directors_group

        # After every app's migrations (and after flush), so every permission it names exists.
        post_migrate.connect(set_up_directors_group, dispatch_uid="programs.directors_group")
