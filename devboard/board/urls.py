from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("", views.board, name="board"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.member, name="member"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/check-ins/new/", views.check_in_new, name="check_in_new"),
    path("<int:pk>/check-ins/<int:check_in_pk>/delete/", views.check_in_delete, name="check_in_delete"),
    path("<int:pk>/next-check-in/", views.next_check_in, name="next_check_in"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/keep/", views.keep, name="keep"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("worksheet/<int:pk>/link/", views.link_worksheet, name="link_worksheet"),
    path("worksheet/<int:pk>/share/", views.share, name="share"),
    path("shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("export/", views.export, name="export"),
    path("export/<slug:what>.csv", views.export_csv, name="export_csv"),
    path("export/board.json", views.export_json, name="export_json"),
]
