from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "devboard.twofactor"
    label = "twofactor"
    verbose_name = "Two-step sign-in"

    def ready(self) -> None:
        from devboard.accounts.sections import add_section

        add_section("twofactor/_account.html", order=15, context=_account_context)


def _account_context(request) -> dict:
    from . import devices

    return {
        "two_factor_on": devices.is_on(request.user),
        "two_factor_codes_left": devices.backup_codes_left(request.user),
        "two_factor_required": request.user.is_staff,
    }
