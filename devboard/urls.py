from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("roles/", include("roles.urls")),
    path("worksheets/", include("worksheets.urls")),
    path("board/", include("devboard.board.urls")),
    path("program/", include("devboard.programs.urls")),
    path("admin/", admin.site.urls),
]
