from django.apps import AppConfig


class DevboardConfig(AppConfig):
    name = "devboard"
    verbose_name = "Personal board"
