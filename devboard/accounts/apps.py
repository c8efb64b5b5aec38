from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "devboard.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit"

    def ready(self) -> None:
        from . import signals  # noqa: F401
