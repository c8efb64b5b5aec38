from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.index, name="index"),
    path("invitations/", views.my_invitations, name="my_invitations"),
    path("invitations/<int:pk>/answer/", views.answer, name="answer"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/figures.csv", views.figures_csv, name="csv"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/invite/", views.invite, name="invite"),
    path("<slug:slug>/members/invitations/<int:pk>/", views.batch, name="batch"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove, name="remove"),
    path("<slug:slug>/invitations/<int:pk>/resend/", views.resend, name="resend"),
]
