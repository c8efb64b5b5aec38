from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.index, name="index"),
    path("welcome/<uidb64>/<token>/", views.welcome, name="welcome"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/figures.csv", views.figures_csv, name="csv"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/invite/", views.invite, name="invite"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove, name="remove"),
    path("<slug:slug>/invitations/<int:pk>/resend/", views.resend, name="resend"),
]
