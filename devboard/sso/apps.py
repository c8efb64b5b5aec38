from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "devboard.sso"
    label = "sso"
    verbose_name = "Institutional sign-in"

    def ready(self):
        # pysaml2 (through xmlschema) is slow to import and logs while it loads: do it at start-up,
        # not inside the first signed-in request.
        from devboard.accounts.sections import add_section

        from . import saml  # noqa: F401
        from .views import linked_sign_ins_context

        add_section("sso/_account_section.html", context=linked_sign_ins_context, order=30)
