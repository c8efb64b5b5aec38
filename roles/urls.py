from django.urls import path

from . import views

app_name = "roles"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("needs/", views.needs, name="needs"),
    path("<slug:slug>/", views.detail, name="detail"),
]
