from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from devboard.twofactor import views as twofactor_views

from . import views
from .accounts import views as account_views
from .admin import view_on_site
from .board.views import shared

handler500 = "devboard.errors.server_error"

urlpatterns = [
    # The admin first: its lists link every row through resolve() (to keep their filters), and
    # each resolve walked every pattern above it. One sign-in page for everyone, so the admin
    # cannot skip the second step.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="admin_login",
    ),
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("", views.landing, name="landing"),
    path("accounts/login/", twofactor_views.sign_in, name="login"),
    path("accounts/login/code/", twofactor_views.sign_in_code, name="login_code"),
    path("account/", include("devboard.accounts.urls")),
    # The password views devboard throttles and audits, ahead of Django's own.
    path("accounts/password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/two-factor/", include("devboard.twofactor.urls")),
    path("", include("devboard.sso.urls")),
    path("roles/", include("roles.urls")),
    path("worksheets/", include("worksheets.urls")),
    path("board/", include("devboard.board.urls")),
    path("shared/<str:token>/", shared, name="shared"),
    path("program/", include("devboard.programs.urls")),
]
