from django.urls import path

from . import views

urlpatterns = [
    path("", views.account, name="account"),
    path("sessions/<int:pk>/end/", views.end_session, name="account_end_session"),
    path("sessions/end-others/", views.end_other_sessions, name="account_end_other_sessions"),
    path("delete/", views.delete_account, name="account_delete"),
]
