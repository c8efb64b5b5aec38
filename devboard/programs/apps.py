from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "devboard.programs"
    label = "programs"
    verbose_name = "Programs"
