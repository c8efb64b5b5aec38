from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "devboard.twofactor"
    label = "twofactor"
    verbose_name = "Two-step sign-in"
