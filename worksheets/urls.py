from django.urls import path

from . import views

app_name = "worksheets"
urlpatterns = [
    path("", views.worksheet_list, name="list"),
    path("new/", views.new, name="new"),
    path("examples/", views.examples, name="examples"),
    path("examples/<slug:slug>/", views.example, name="example"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<slug:step>/", views.step, name="step"),
    path("<int:pk>/continue/", views.resume, name="continue"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/restore/", views.restore, name="restore"),
]
