from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "devboard.board"
    label = "board"
    verbose_name = "Personal board"
