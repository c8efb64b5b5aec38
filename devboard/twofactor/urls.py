from django.urls import path

from . import views

app_name = "twofactor"
urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("set-up/", views.set_up, name="set_up"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("turn-off/", views.turn_off, name="turn_off"),
]
