from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from devboard.twofactor import views as twofactor_views

from . import views

handler500 = "devboard.errors.server_error"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accounts/login/", twofactor_views.sign_in, name="login"),
    path("accounts/login/code/", twofactor_views.sign_in_code, name="login_code"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/two-factor/", include("devboard.twofactor.urls")),
    path("roles/", include("roles.urls")),
    path("worksheets/", include("worksheets.urls")),
    path("board/", include("devboard.board.urls")),
    path("program/", include("devboard.programs.urls")),
    # One sign-in page for everyone, so the admin cannot skip the second step.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
]
